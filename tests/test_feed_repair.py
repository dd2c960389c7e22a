"""Feeds broken as real feeds are: each crash fuzzing found (issue 17) is repaired or
costs one entry, never the feed and never the run. The corpus is tests.webserver.CRASHERS,
also replayed by the fuzz tier (tests/test_fuzz_sources.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import ExitCode
from briefing.layout import Layout
from briefing.settings import Settings
from briefing.sources import gather_articles
from briefing.sources.feeds import FeedError, parse_feed, repair
from briefing.sources.fetch import Response
from tests.helpers import write_article
from tests.webserver import CRASHERS, DATE, Site, crasher_feed, serve

site = pytest.fixture(serve)


def _response(body: bytes, charset: str | None = "utf-8") -> Response:
    return Response("https://x.test/feed.xml", "application/rss+xml", charset, body)


@pytest.mark.parametrize("name", CRASHERS)
def test_each_crasher_parses_with_both_entries(name: str) -> None:
    feed = parse_feed(_response(crasher_feed("https://x.test", name)))
    assert [e.title.replace("\ufffd", "?") for e in feed.entries] == [
        "Storm hits coast",
        "Tide ? warning" if name.startswith("char-ref") else "Tide warning",
    ]
    assert feed.entries[0].published == DATE
    assert feed.entries[1].published is None  # year 0 is no date: kept, undated
    assert feed.dropped == 0


@pytest.mark.parametrize("name", CRASHERS)
def test_each_crasher_feed_gives_its_good_story(site: Site, tmp_path: Path, name: str) -> None:
    (tmp_path / "empty").mkdir()
    settings = Settings.build(
        input_dir=tmp_path / "empty",
        output_dir=tmp_path / "out",
        date=DATE,
        fetch_timeout=2.0,
        feeds=(site.url(f"/crash/{name}.xml"),),
    )
    result = gather_articles(settings.sources, DATE, Layout.of(settings.output).seen)
    assert [a.headline for a in result.articles] == ["Storm hits coast"]
    # The bad entry links to a missing page and has no text: one ordinary warning.
    [problem] = result.problems
    assert problem.where == f"feed {site.url(f'/crash/{name}.xml')}"
    assert "HTTP 404" in problem.message and "unexpected" not in problem.message


def test_a_run_over_every_crasher_makes_the_episode(
    site: Site, tmp_path: Path, fake_engine: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_article(tmp_path / "in", "budget.txt", "Council passes budget")
    (tmp_path / "briefing.toml").write_text("[sources]\nfetch_timeout = 2.0\n")
    args = ["run", "--engine", "fake", "--input", str(tmp_path / "in"), "--date", str(DATE)]
    args += ["--output", str(tmp_path / "out"), "--config", str(tmp_path / "briefing.toml")]
    for name in CRASHERS:
        args += ["--feed", site.url(f"/crash/{name}.xml")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == ExitCode.OK, result.output
    assert (tmp_path / "out" / f"briefing-{DATE}.mp3").stat().st_size > 10_000
    script = (tmp_path / "out" / f"briefing-{DATE}.txt").read_text()
    assert "Storm hits coast" in script and "Council passes budget" in script
    assert "Traceback" not in result.output and "unexpected" not in result.stderr
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning: feed ")]
    assert len(warned) == len(CRASHERS)  # each feed's dead link, nothing else


@pytest.mark.parametrize(
    ("given", "repaired"),
    [
        (b"&#x110000;", b"&#xFFFD;"),
        (b"&#1114112;", b"&#xFFFD;"),
        (b"&#xD800;&#xdfff;", b"&#xFFFD;&#xFFFD;"),
        (b"&#" + b"9" * 5000 + b";", b"&#xFFFD;"),  # never converted: int() refuses 4,300 digits
        (b"&#0;", b"&#xFFFD;"),
        (b"&#x10FFFF; &#x0000041; &#65; &amp;", b"&#x10FFFF; &#x0000041; &#65; &amp;"),
        (b"&#x110000 no semicolon", b"&#xFFFD no semicolon"),
    ],
)
def test_character_references_to_no_character_become_replacement(
    given: bytes, repaired: bytes
) -> None:
    head = b'<?xml version="1.0"?>\n'
    assert repair(head + given) == head + repaired
    wide = (head + given).decode().encode("utf-16")
    assert repair(wide).decode("utf-16") == (head + repaired).decode()


def test_a_declaration_with_bytes_that_are_not_ascii_loses_them_and_ends_its_line() -> None:
    body = b'<?xml version="1.0" encoding="utf-8\xd7"?><rss>caf\xc3\xa9</rss>'
    assert repair(body) == b'<?xml version="1.0" encoding="utf-8"?>\n<rss>caf\xc3\xa9</rss>'
    # A Latin-1 feed on one line: the encoding feedparser reads must be the declaration's.
    one_line = b'<?xml version="1.0" encoding="iso-8859-1"?><rss><t a="encoding=\'\xe9\'"/></rss>'
    feed = repair(one_line)
    assert feed.split(b"\n")[0] == b'<?xml version="1.0" encoding="iso-8859-1"?>'
    assert repair(b"<rss>caf\xc3\xa9</rss>") == b"<rss>caf\xc3\xa9</rss>"  # no declaration


def test_a_feed_that_crashes_feedparser_itself_is_one_clear_error() -> None:
    # Found by the fuzz tier: a <link> closed after its item, KeyError inside feedparser.
    body = b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>C</title>'
    body += b"<item><link>x</item></link></channel></rss>"
    with pytest.raises(FeedError, match=r"is a feed too broken to read \(KeyError: 'links'\)"):
        parse_feed(_response(body))


def test_an_entry_that_cannot_be_read_is_dropped_and_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import briefing.sources.feeds as feeds

    real = feeds._entry

    def fragile(raw: object) -> feeds.Entry:
        if "Storm" in str(raw.get("title")):  # type: ignore[attr-defined]
            raise KeyError("a shape nobody expected")
        return real(raw)

    monkeypatch.setattr(feeds, "_entry", fragile)
    feed = parse_feed(_response(crasher_feed("https://x.test", "pubdate-year-0")))
    assert [e.title for e in feed.entries] == ["Tide warning"]
    assert feed.dropped == 1
