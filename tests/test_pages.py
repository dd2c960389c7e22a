"""Real-world page shapes: headlines without site furniture, read once, credited to the
outlet. The pages in tests/data/pages/ are written for these tests after the shapes of
real news pages (see tests/data/SOURCES.md), served on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.models import Article
from briefing.script import render_script
from briefing.settings import Settings
from briefing.sources import gather_articles, headline
from briefing.sources.pages import extract_article
from briefing.summarize import summarize
from tests.webserver import DATE, Site, serve

PAGES = Path(__file__).parent / "data" / "pages"
site = pytest.fixture(serve)


def page(name: str, url: str = "https://www.example.org/story") -> Article:
    return extract_article((PAGES / name).read_bytes(), url)


# --- headline cleaning -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "site_name", "host", "expected"),
    [
        # The shape of a DW title: section, tagline, initials and date between bars.
        (
            "Uncork the mystery of Germany's Frühburgunder | Culture| Arts, music and "
            "lifestyle reporting from Germany | DW | 10.06.2013",
            "Deutsche Welle",
            "dw.com",
            "Uncork the mystery of Germany's Frühburgunder",
        ),
        (
            "New tool helps sort cells faster - Phys.org",
            "Phys.org",
            "phys.org",
            "New tool helps sort cells faster",
        ),
        (
            "Malawians fear the worst as floods rise | News | Al Jazeera",
            "Al Jazeera",
            "",
            "Malawians fear the worst as floods rise",
        ),
        (
            "BERLIN (Reuters) - Germany raises pensions for the first time in years",
            "",
            "",
            "Germany raises pensions for the first time in years",
        ),
        ("Council passes budget (June 10, 2013)", "", "", "Council passes budget"),
        (
            "Is the economy on the road to recovery?Monday, 6 January 2014",
            "",
            "",
            "Is the economy on the road to recovery?",
        ),
        # A dash inside the headline is the headline's own.
        ("Brexit - what happens next?", "BBC News", "bbc.co.uk", "Brexit - what happens next?"),
        ("Man Utd - Chelsea: 2-1", "", "", "Man Utd - Chelsea: 2-1"),
    ],
)
def test_headline_loses_site_section_dateline_and_date(
    title: str, site_name: str, host: str, expected: str
) -> None:
    assert headline.clean(title, site_name, host) == expected


def test_a_headline_said_again_is_the_same_headline() -> None:
    assert headline.same_headline("Storm closes schools", "Storm closes schools.")
    lead = "Storm closes every school in the county on Monday, officials said."
    assert headline.same_headline("Storm closes every school in the county", lead, loose=True)
    assert not headline.same_headline("Storm closes every school in the county", lead)
    assert not headline.same_headline(
        "Storm closes every school in the county",
        "Roads across the valley were blocked by fallen trees overnight.",
    )


# --- saved pages -----------------------------------------------------------------------


def test_title_bars_and_date_are_not_read_and_the_publisher_is_credited() -> None:
    article = page("rhine-wave-early-burgundy.html", "https://www.rhinewave.example/a-1")
    assert article.headline == "Uncork the secret of the Ahr valley's early burgundy"
    # og:site_name is a host name; the publisher tag names the outlet.
    assert article.source == "Rhine Wave"


def test_a_question_headline_glued_to_its_date_is_not_read_as_the_lead() -> None:
    article = page("harbour-herald-recovery.html")
    assert article.headline == "Is the town's economy on the road to recovery?"
    assert article.source == "Harbour Herald"  # JSON-LD publisher, not the host-like og name
    assert article.body.startswith("Shops on the harbour front")
    assert "2014" not in article.body and "recovery?" not in article.body


def test_a_headline_repeated_as_the_first_line_is_read_once() -> None:
    article = page("labnotes-cell-sorter.html")
    assert article.headline == "New tool sorts living cells in seconds"
    assert article.body.startswith("A chip the size of a postage stamp")
    assert article.headline_from_text is False


def test_a_lead_that_says_the_headline_again_is_read_once() -> None:
    article = page("county-storm-schools.html")
    assert article.headline == "Storm closes every school in the county"
    assert article.headline_from_text is True
    story = summarize(article, 2)
    script = render_script([story], DATE).text
    assert script.count("Storm closes every school in the county") == 1
    assert "Valley Courier" in script


# --- feeds -----------------------------------------------------------------------------


def _wire(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>World Wire</title><link>{base}/</link>
<description>Stories from many outlets</description>
<item><title>Is the town's economy on the road to recovery? - Harbour Herald</title>
  <link>{base}/pages/recovery.html</link><description>Shops had a good December.</description>
  <source url="{base}/herald.xml">Harbour Herald</source></item>
<item><title>Power back for most homes</title><link>{base}/pages/plain.html</link>
  <description>Crews worked through the night.</description>
  <source url="{base}/valley.xml">Valley Courier</source></item>
</channel></rss>""".encode()


def test_stories_from_a_wire_feed_are_credited_to_their_outlets(site: Site, tmp_path: Path) -> None:
    plain = (PAGES / "county-storm-schools.html").read_bytes()
    plain = plain.replace(b'<meta property="og:site_name" content="Valley Courier">', b"")
    site.pages.update(
        {
            "/wire.xml": _wire(site.base),
            "/pages/recovery.html": (PAGES / "harbour-herald-recovery.html").read_bytes(),
            "/pages/plain.html": plain.replace(b" - Valley Courier", b""),
        }
    )
    (tmp_path / "in").mkdir()
    settings = Settings.build(
        input_dir=tmp_path / "in",
        date=DATE,
        fetch_timeout=2.0,
        feeds=(site.url("/wire.xml"),),
    )
    result = gather_articles(settings.sources, settings.date, tmp_path / "seen.json")
    credits = {a.headline: a.source for a in result.articles}
    assert credits == {
        # The page names its outlet; the feed's title " - Harbour Herald" is cut.
        "Is the town's economy on the road to recovery?": "Harbour Herald",
        # The page names none: the outlet the wire's <source> gives, not "World Wire".
        "Power back for most homes": "Valley Courier",
    }
