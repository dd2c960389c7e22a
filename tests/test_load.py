from pathlib import Path

import pytest

from briefing.load import ArticleError, decode, load_articles, load_file, parse_html
from tests.helpers import write_article


def test_text_file_headline_source_and_body(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.txt", "Big news", "First line. Second line.", "Wikinews")
    article = load_file(path)
    assert article.headline == "Big news"
    assert article.source == "Wikinews"
    assert article.body == "First line. Second line."


def test_markdown_headline_and_links(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text("# Rain expected\n\nForecasters [say](http://x) **heavy** rain.\n")
    article = load_file(path)
    assert article.headline == "Rain expected"
    assert article.body == "Forecasters say heavy rain."


def test_html_uses_h1_and_ignores_scripts_and_styles() -> None:
    html = (
        "<html><head><title>Site | Story</title><style>p{}</style></head><body>"
        "<nav>Home News</nav><h1>Bridge reopens</h1><script>var x = 1;</script>"
        "<p>The bridge reopened on Friday.</p><p>Traffic was light.</p></body></html>"
    )
    article = parse_html(html)
    assert article.headline == "Bridge reopens"
    assert article.body == "The bridge reopened on Friday.\n\nTraffic was light."


def test_html_falls_back_to_title() -> None:
    assert parse_html("<title>Only title</title><p>Text.</p>").headline == "Only title"


def test_non_utf8_text_is_decoded_with_a_fallback() -> None:
    assert decode("Café owners’ protest".encode("cp1252")) == "Café owners’ protest"
    assert decode("\ufeffBOM text".encode()) == "BOM text"


def test_binary_and_empty_files_are_problems_not_crashes(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 10)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "headline.txt").write_text("Just a headline\n")
    write_article(tmp_path, "good.txt")
    result = load_articles(tmp_path)
    assert [a.path.name for a in result.articles] == ["good.txt"]
    messages = {Path(p.where).name: p.message for p in result.problems}
    assert "binary" in messages["bin.txt"]
    assert "no text" in messages["empty.txt"]
    assert "headline but no article text" in messages["headline.txt"]


def test_sources_md_and_other_suffixes_are_ignored(tmp_path: Path) -> None:
    write_article(tmp_path, "story.txt")
    (tmp_path / "SOURCES.md").write_text("# Sources\n\n| a | b |\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    assert [a.path.name for a in load_articles(tmp_path).articles] == ["story.txt"]


def test_missing_directory_is_a_problem(tmp_path: Path) -> None:
    result = load_articles(tmp_path / "nope")
    assert result.articles == ()
    assert "not a directory" in result.problems[0].message


def test_oversized_file_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.load as load

    monkeypatch.setattr(load, "MAX_BYTES", 100)
    path = write_article(tmp_path, "big.txt", body="word " * 100)
    with pytest.raises(ArticleError, match="limit"):
        load_file(path)


def test_shipped_seeds_all_load() -> None:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    result = load_articles(seeds)
    assert result.problems == ()
    assert len(result.articles) >= 5
    assert all(a.headline and len(a.body.split()) > 50 for a in result.articles)
