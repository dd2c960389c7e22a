from pathlib import Path

import pytest

from briefing.sources.files import (
    ArticleError,
    decode,
    load_articles,
    load_file,
    parse_html,
    parse_text,
    title_from_lead,
)
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
    assert [a.path.name if a.path else None for a in result.articles] == ["good.txt"]
    messages = {Path(p.where).name: p.message for p in result.problems}
    assert "binary" in messages["bin.txt"]
    assert "no text" in messages["empty.txt"]
    assert "headline but no article text" in messages["headline.txt"]


def test_sources_md_and_other_suffixes_are_ignored(tmp_path: Path) -> None:
    write_article(tmp_path, "story.txt")
    (tmp_path / "SOURCES.md").write_text("# Sources\n\n| a | b |\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    assert [a.path.name if a.path else None for a in load_articles(tmp_path).articles] == [
        "story.txt"
    ]


def test_missing_directory_is_a_problem(tmp_path: Path) -> None:
    result = load_articles(tmp_path / "nope")
    assert result.articles == ()
    assert "not a directory" in result.problems[0].message


def test_oversized_file_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.sources.files as load

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


LEAD = (
    "NATO Secretary General Jens Stoltenberg has warned Western powers to expect “bad news” "
    "from the Ukraine and he said that the military bloc’s defense industry could not reach "
    "the level of aid needed by Kiev."
)


def test_a_first_line_that_is_a_long_sentence_is_the_lead_not_a_headline() -> None:
    # The shipped sample article starts like this: a 38-word sentence, then the story.
    article = parse_text(LEAD + "\nThe Ukrainian military has failed to break through.\n")
    assert article.headline == ""
    assert article.body.startswith(LEAD + "\n")


@pytest.mark.parametrize(
    "text",
    [
        "Short headline of a few words\nThe story follows here, in a sentence.",
        LEAD + "\nSource: Example News\n\nThe story follows here.",  # metadata: a headline
        "# " + LEAD + "\n\nThe story follows here.",  # a Markdown heading is a headline
    ],
)
def test_a_headline_stays_a_headline(text: str) -> None:
    article = parse_text(text, markdown=text.startswith("#"))
    assert article.headline in ("Short headline of a few words", LEAD)
    assert article.body.startswith("The story follows here")


@pytest.mark.parametrize(
    ("lead", "title"),
    [
        (
            LEAD,
            "NATO Secretary General Jens Stoltenberg has warned Western powers to expect "
            "“bad news” from the Ukraine",
        ),
        ("The council approved the budget on Monday.", "The council approved the budget on Monday"),
        (
            "Officials in the small coastal town of Port Ellen on the island of Islay confirmed "
            "yesterday evening that the ferry would not sail again this winter.",
            "Officials in the small coastal town of Port Ellen on the island…",
        ),
    ],
)
def test_a_title_made_from_the_lead_is_cut_at_a_clause(lead: str, title: str) -> None:
    assert title_from_lead(lead + "\nMore text.") == title
    assert len(title.split()) <= 18


def test_the_sample_article_is_titled_by_its_lead(tmp_path: Path) -> None:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    sample = next(a for a in load_articles(seeds).articles if a.headline.startswith("NATO"))
    assert sample.headline_from_text
    assert sample.headline.endswith("from the Ukraine")
    assert sample.body.startswith(sample.headline)
