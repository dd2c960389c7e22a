"""One HTML extractor (trafilatura) for .html files, article pages and feed entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.sources import files, html
from briefing.sources.feeds import parse_feed
from briefing.sources.fetch import Response
from briefing.sources.files import load_file
from briefing.sources.pages import extract_article
from tests.webserver import BRIDGE_TEXT, STORM_TEXT, article_html

CHROME = (
    "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
    "<aside>Most read: Celebrity chef opens restaurant. Ten best beaches.</aside>"
    "<footer>Copyright Coast News. Privacy policy. Cookie settings.</footer>"
)


def test_the_hand_written_parser_is_gone() -> None:
    source = Path(files.__file__).read_text()
    assert "HTMLParser" not in source and "_HTMLText" not in source
    for module in ("files", "feeds", "pages"):
        text = (Path(files.__file__).parent / f"{module}.py").read_text()
        assert "extract_html" in text, module


def test_an_html_file_gets_the_main_text_without_the_page_chrome(tmp_path: Path) -> None:
    path = tmp_path / "storm.html"
    path.write_text(
        "<html><head><title>Storm | Coast News</title></head><body>"
        f"{CHROME}<article><h1>Storm hits coast</h1>"
        + "".join(f"<p>{p}</p>" for p in STORM_TEXT.split(". "))
        + "</article></body></html>"
    )
    article = load_file(path)
    assert article.headline == "Storm hits coast"  # the <h1> beats the <title>
    assert article.body.startswith("A powerful storm hit the northern coast")
    for chrome in ("Home", "Most read", "Copyright", "Storm hits coast"):
        assert chrome not in article.body


def test_a_small_fragment_keeps_inline_markup_inside_its_sentences() -> None:
    # Too short for trafilatura's main-text search, which would put "bold" and "link" on
    # lines of their own: the fragment is taken whole, one paragraph per block.
    page = html.extract_html(
        "<p>Plain text with <b>bold</b> and a <a href='/x'>link</a>.</p><p>Second one.</p>"
        "<script>var hidden = 1;</script><noscript>Enable JS</noscript>"
    )
    assert page.paragraphs == ("Plain text with bold and a link.", "Second one.")


def test_a_feed_entry_summary_is_text_whatever_its_size() -> None:
    short = "<p>Council <b>passes</b> budget: buses get ten percent more.</p>"
    long = f"<p>{STORM_TEXT}</p><p>Also: <a href='/b'>{BRIDGE_TEXT}</a></p>"
    rss = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>News</title>"
        f"<item><title>Short</title><link>http://x.test/1</link>"
        f"<description><![CDATA[{short}]]></description></item>"
        f"<item><title>Long</title><link>http://x.test/2</link>"
        f"<description><![CDATA[{long}]]></description></item>"
        "<item><title>Plain</title><link>http://x.test/3</link>"
        "<description>No markup &amp; no tags at all.</description></item>"
        "</channel></rss>"
    )
    feed = parse_feed(Response("http://x.test/feed", "application/rss+xml", None, rss.encode()))
    summaries = {e.title: e.summary for e in feed.entries}
    assert summaries["Short"] == "Council passes budget: buses get ten percent more."
    assert summaries["Long"] == f"{STORM_TEXT}\n\nAlso: {BRIDGE_TEXT}"
    assert summaries["Plain"] == "No markup & no tags at all."


def test_pages_and_files_read_the_same_page_alike(tmp_path: Path) -> None:
    page = article_html("Storm hits coast", STORM_TEXT)
    (tmp_path / "storm.html").write_bytes(page)
    from_file = load_file(tmp_path / "storm.html")
    from_url = extract_article(page, "https://coast.test/storm")
    sentences = STORM_TEXT.replace(". ", ".\n\n")  # a <p> per sentence
    assert from_file.body == from_url.body == sentences
    assert from_url.headline == "Storm hits coast"


def test_fragments_parse_without_trafilatura_complaining(caplog: pytest.LogCaptureFixture) -> None:
    for fragment in ("<p>One.</p>", "just text", "<b>bold</b> text", b"<p>bytes</p>", "  "):
        html.extract_html(fragment)
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]


def test_control_characters_lxml_refuses_do_not_break_extraction() -> None:
    page = html.extract_html("<p>Bell\x07 and \x0cform feed.</p>")
    assert page.paragraphs == ("Bell and form feed.",)
