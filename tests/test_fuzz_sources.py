"""Fuzz tier (`pytest -m fuzz`): feeds, pages and article files as a hostile world
writes them, asserting no traceback.

Each reader either gives articles or says why not (its own error, or a `Problem`): never
another exception. The readers are called directly, under the isolation boundary
(briefing/isolation.py), which would otherwise turn a crash into a warning and hide it;
a warning that says "unexpected error" is a failure here too. Last, a `briefing run`
over one fuzzed input beside good articles exits 0 with an MP3. Bounded: the whole file
runs in well under a minute on two cores. The crashers found so far are explicit
examples here and default-tier regression tests (tests/test_feed_repair.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing.cli import cli
from briefing.errors import ExitCode
from briefing.sources.feeds import FeedError, parse_feed
from briefing.sources.fetch import Response
from briefing.sources.files import ArticleError, load_articles
from briefing.sources.pages import extract_article
from tests.helpers import write_article
from tests.webserver import CRASHERS, DATE, STORM_TEXT, article_html, atom, crasher_feed, rss

pytestmark = pytest.mark.fuzz

BASE = "https://news.test"
BOUNDED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- feeds -----------------------------------------------------------------------------

char_refs = st.one_of(
    st.integers(0, 2**80).map(lambda n: f"&#x{n:X};"),
    st.integers(0, 10**25).map(lambda n: f"&#{n}"),
    st.integers(0xD800, 0xDFFF).map(lambda n: f"&#x{n:x};"),
    st.sampled_from(["&#x110000;", "&#12345678901234567890;", "&#xD800;", "&#0;", "&#;"]),
)
dates = st.one_of(
    st.sampled_from(
        [
            "0000-00-00T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "0001-01-01T00:00:00-23:59",
            "Mon, 32 Foo 2026 25:61:61 +9999",
            "Tue, 24 Nov 99999 06:00:00 GMT",
            "2026-02-30",
            "1e400",
            "",
        ]
    ),
    st.text(max_size=30),
).map(lambda d: f"<pubDate>{d}</pubDate><updated>{d}</updated>")
markup = st.sampled_from(
    [
        "<item>", "</item>", "<entry>", "</entry>", "<title>", "</title>", "<title/>",
        "<link/>", "<link href='javascript:x'/>", "<description>", "</description>",
        "<description/>", "<summary/>", "<content:encoded>", "</content:encoded>",
        "<content type='xhtml'>", "</content>", "<![CDATA[", "]]>", "<source>",
        "</source>", "&amp;", "&", "<", ">", "</descri", "ption>", "<?xml", "?>",
        "<!DOCTYPE x [<!ENTITY e 'x'>]>", "&e;", "&nbsp;",
    ]
)  # fmt: skip
fragments = st.one_of(
    char_refs, dates, markup, st.text(max_size=12), st.binary(max_size=8).map(repr)
).map(lambda s: s.encode("utf-8", "surrogatepass"))
raw_bytes = st.binary(min_size=1, max_size=8)
edits = st.lists(
    st.tuples(
        st.floats(0, 1), st.sampled_from(["insert", "delete", "bytes"]), fragments, raw_bytes
    ),
    max_size=6,
)
BASES = [rss(BASE), atom(BASE), *(crasher_feed(BASE, name) for name in CRASHERS)]


def _mutated(base: bytes, changes: list[tuple[float, str, bytes, bytes]]) -> bytes:
    body = bytearray(base)
    for where, kind, fragment, raw in changes:
        at = int(where * len(body))
        if kind == "insert":
            body[at:at] = fragment
        elif kind == "delete":
            del body[at : at + len(fragment) * 4]
        else:
            body[at : at + len(raw)] = raw
    return bytes(body)


def _encoded(body: bytes, encoding: str) -> bytes:
    if encoding in ("utf-8", "as-is"):
        return body
    text = body.decode("utf-8", "replace")
    return text.encode(encoding, "replace")


def _parse(body: bytes, charset: str | None) -> None:
    try:
        feed = parse_feed(Response(f"{BASE}/feed.xml", "application/rss+xml", charset, body))
    except FeedError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(feed.title, str) and feed.title
    for entry in feed.entries:
        assert isinstance(entry.title, str) and isinstance(entry.summary, str)
        assert isinstance(entry.link, str)
    assert feed.dropped == 0, "an entry crashed the reader (see the log)"


@BOUNDED
@given(
    base=st.sampled_from(BASES),
    changes=edits,
    encoding=st.sampled_from(["as-is", "utf-16", "utf-32", "latin-1", "cp1252"]),
    charset=st.sampled_from([None, "utf-8", "latin-1", "utf-16", "no-such-charset"]),
)
def test_any_mutated_feed_parses_or_says_why(
    base: bytes, changes: list[tuple[float, str, bytes, bytes]], encoding: str, charset: str | None
) -> None:
    _parse(_encoded(_mutated(base, changes), encoding), charset)


@settings(max_examples=150, deadline=None)
@given(body=st.binary(max_size=400), charset=st.sampled_from([None, "utf-8", "koi8-r"]))
@example(body=crasher_feed(BASE, "declaration-byte-d7"), charset=None)
@example(body=b'<?xml version="1.0" encoding="\xd7"?><rss version="2.0"/>', charset="utf-8")
@example(body=b"\xff\xfe<\x00?\x00x\x00m\x00l\x00", charset=None)
@example(  # KeyError 'links' inside feedparser
    body=b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>C</title><item><link>x'
    b"</item></link></channel></rss>",
    charset=None,
)
def test_any_bytes_as_a_feed_parse_or_say_why(body: bytes, charset: str | None) -> None:
    _parse(body, charset)


@pytest.mark.parametrize("name", CRASHERS)
def test_the_crashers_corpus(name: str) -> None:
    for encoding in ("as-is", "utf-16", "utf-32"):
        _parse(_encoded(crasher_feed(BASE, name), encoding), None)


# --- pages -----------------------------------------------------------------------------

tags = st.sampled_from(
    [
        "<p>", "</p>", "<article>", "</article>", "<h1>", "</h1>", "<script>", "</script>",
        "<style>", "<title>", "</title>", "<meta charset='x-bogus'>", "<!--", "-->",
        "<br/>", "<div>", "</div>", "<nav>", "<table><tr><td>", "<svg><foreignObject>",
        "<meta property='og:site_name' content='", "'>", "&#x110000;", "&#xD800;",
        "&#99999999999999999999;", "<![CDATA[", "]]>", "<?xml version='1.0'?>", "\x00",
    ]
)  # fmt: skip
html_pages = st.lists(st.one_of(tags, st.text(max_size=40), st.just(STORM_TEXT)), max_size=30).map(
    "".join
)


@BOUNDED
@given(
    page=html_pages | st.builds(lambda t: article_html(t, STORM_TEXT).decode(), st.text()),
    charset=st.sampled_from([None, "utf-8", "latin-1", "utf-16", "no-such-charset"]),
    as_bytes=st.booleans(),
)
def test_any_page_is_an_article_or_says_why(page: str, charset: str | None, as_bytes: bool) -> None:
    body: bytes | str = page.encode("utf-8", "surrogatepass") if as_bytes else page
    try:
        article = extract_article(body, f"{BASE}/a.html", charset)
    except ArticleError as exc:
        assert "\n" not in str(exc)
        return
    assert article.headline and article.body and article.url == f"{BASE}/a.html"


# --- article files ---------------------------------------------------------------------

file_bodies = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=600).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(
        st.text(max_size=300), st.sampled_from(["utf-16", "latin-1", "cp1252", "utf-32"])
    ).map(lambda p: p[0].encode(p[1], "replace")),
    html_pages.map(lambda t: t.encode("utf-8", "surrogatepass")),
)
suffixes = st.sampled_from([".txt", ".md", ".html", ".htm", ".markdown"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=file_bodies, suffix=suffixes)
def test_any_article_file_loads_or_is_one_problem(body: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / f"fuzzed{suffix}").write_bytes(body)
        write_article(directory, "good.txt", "Council passes budget")
        loaded = load_articles(directory, read_timeout=5)
    assert "Council passes budget" in [a.headline for a in loaded.articles]
    for problem in loaded.problems:
        assert "unexpected error" not in problem.message, problem
        assert "\n" not in problem.message
    assert len(loaded.articles) + len(loaded.problems) >= 2  # the fuzzed file: used or said


# --- a whole run -----------------------------------------------------------------------


@settings(
    max_examples=8,
    deadline=None,
    # fake_engine only registers the fake engine: the same for every example.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(bad=file_bodies, suffix=suffixes)
def test_a_run_with_one_fuzzed_file_beside_good_ones_makes_the_episode(
    bad: bytes, suffix: str, fake_engine: object
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_article(root / "in", "budget.txt", "Council passes budget")
        write_article(root / "in", "storm.txt", "Storm hits coast", STORM_TEXT)
        (root / "in" / f"fuzzed{suffix}").write_bytes(bad)
        out = root / "out"
        args = ["run", "--engine", "fake", "--input", str(root / "in"), "--output", str(out)]
        result = CliRunner().invoke(cli, [*args, "--date", str(DATE)])
        assert result.exit_code == ExitCode.OK, result.output
        assert (out / f"briefing-{DATE}.mp3").stat().st_size > 10_000
        assert "Traceback" not in result.output and "unexpected error" not in result.stderr
