"""Feeds, article URLs, bounded downloads and the briefed-articles cache, all on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import __version__
from briefing.cli import cli
from briefing.errors import ExitCode
from briefing.layout import Layout
from briefing.models import Article
from briefing.settings import Settings
from briefing.sources import gather_articles, record_briefed
from briefing.sources.cache import SeenCache, text_key, url_key
from briefing.sources.fetch import FetchError, fetch, user_agent
from briefing.sources.files import ArticleError, LoadResult
from briefing.sources.pages import extract_article
from tests.helpers import BODY, write_article
from tests.webserver import BRIDGE_TEXT, DATE, STORM_TEXT, Site, article_html, serve

site = pytest.fixture(serve)


def _empty_dir(tmp_path: Path) -> Path:
    (tmp_path / "empty").mkdir(parents=True, exist_ok=True)
    return tmp_path / "empty"


def settings_for(tmp_path: Path, **kw: object) -> Settings:
    defaults: dict[str, object] = {
        "input_dir": _empty_dir(tmp_path),
        "output_dir": tmp_path / "out",
        "date": DATE,
        "fetch_timeout": 1.0,
    }
    return Settings.build(**(defaults | kw))


def gather(settings: Settings) -> LoadResult:
    return gather_articles(settings.sources, settings.date, Layout.of(settings.output).seen)


def record(settings: Settings, articles: tuple[Article, ...]) -> None:
    record_briefed(articles, settings.date, Layout.of(settings.output).seen)


def by_headline(articles: tuple[Article, ...]) -> dict[str, Article]:
    return {a.headline: a for a in articles}


# --- downloads -------------------------------------------------------------------------


def test_fetch_sends_a_polite_user_agent_and_follows_one_redirect(site: Site) -> None:
    response = fetch(site.url("/moved"), timeout=2)
    assert response.url == site.url("/rss.xml")
    assert response.body.startswith(b"<?xml")
    assert response.charset == "utf-8"
    assert {agent for _, agent in site.requests} == {user_agent()}
    assert user_agent().startswith(f"briefing/{__version__}")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/nothing-here", "HTTP 404 Not Found; check the address"),
        ("/error", "HTTP 500 Internal Server Error; the site has a problem"),
        ("/slow", "did not answer within 1 s"),
        ("/drip", "did not answer within 1 s"),
        ("/loop", "redirects too often or in a loop"),
        ("/huge", "is larger than 10 MB"),
        ("/huge-declared", "is larger than 10 MB"),
        ("/to-file", "redirects to an address that is not an http(s) URL"),
    ],
)
def test_fetch_failures_are_fetch_errors_with_a_reason(site: Site, path: str, message: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(site.url(path), timeout=1)
    assert message in str(caught.value)


def test_headers_dribbled_are_cut_off_at_the_limit_not_read_to_the_end(site: Site) -> None:
    with pytest.raises(FetchError, match="did not answer within 1 s"):
        fetch(site.url("/dribble-headers"), timeout=1)
    assert 0 < site.dribbled < 100  # of 150 header bytes: given up on, not read through


def test_slow_redirects_share_one_limit(site: Site) -> None:
    assert fetch(site.url("/chain-4"), timeout=5).url == site.url("/rss.xml")
    site.requests.clear()
    with pytest.raises(FetchError, match="did not answer within 1 s"):
        fetch(site.url("/chain-4"), timeout=1)
    assert "/rss.xml" not in site.paths() and "/chain-1" not in site.paths()


def test_a_download_never_outlasts_the_runs_deadline(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    # (briefing.sources.fetch as an attribute is the function, not the module)
    fetching = importlib.import_module("briefing.sources.fetch")
    monkeypatch.setattr(fetching, "time_left", lambda: 0.8)
    with pytest.raises(FetchError, match=r"was stopped at the run's deadline \(\[run\] deadline\)"):
        fetch(site.url("/dribble-headers"), timeout=20)
    monkeypatch.setattr(fetching, "time_left", lambda: -1.0)
    with pytest.raises(FetchError, match="stopped at the run's deadline"):
        fetch(site.url("/rss.xml"), timeout=20)
    assert "/rss.xml" not in site.paths()  # not even started
    monkeypatch.setattr(fetching, "time_left", lambda: 30.0)  # more than the fetch's own
    assert fetch(site.url("/rss.xml"), timeout=2).body == site.pages["/rss.xml"]


def test_time_left_is_the_nearest_deadline_in_force() -> None:
    from briefing.deadline import deadline, time_left

    assert time_left() is None
    with deadline(600):
        outer = time_left()
        assert outer is not None and 590 < outer <= 600
        with deadline(300):
            inner = time_left()
            assert inner is not None and 290 < inner <= 300
        again = time_left()
        assert again is not None and 590 < again <= 600
    assert time_left() is None


def test_the_default_fetch_timeout_is_the_settings_one() -> None:
    import inspect

    from briefing.settings import SourceSettings

    declared = SourceSettings().fetch_timeout
    assert inspect.signature(fetch).parameters["timeout"].default == declared


def test_fetch_refuses_urls_that_are_not_http() -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/feed", "feeds.example.org/rss"):
        with pytest.raises(FetchError, match="is not an http"):
            fetch(url)


def test_fetch_stops_reading_at_the_cap(site: Site) -> None:
    with pytest.raises(FetchError):
        fetch(site.url("/huge"), timeout=5, max_bytes=100_000)
    assert fetch(site.url("/rss.xml"), max_bytes=100_000).body == site.pages["/rss.xml"]


# --- article pages ---------------------------------------------------------------------


def test_extract_article_keeps_the_story_and_drops_the_page_chrome() -> None:
    article = extract_article(article_html("Storm hits coast", STORM_TEXT), "https://x.test/a")
    assert article.headline == "Storm hits coast"
    assert article.source == "Coast News"
    assert article.url == "https://x.test/a"
    assert article.body.startswith("A powerful storm hit the northern coast")
    assert "Power should be restored" in article.body
    for chrome in ("Subscribe", "Most read", "Home", "Storm hits coast"):
        assert chrome not in article.body


def test_extract_article_honours_the_http_charset() -> None:
    html = article_html("Café reopens", STORM_TEXT).decode().replace("utf-8", "latin-1")
    article = extract_article(html.encode("latin-1"), "https://x.test/c", "latin-1")
    assert article.headline == "Café reopens"


def test_a_page_without_article_text_is_an_article_error() -> None:
    with pytest.raises(ArticleError, match="no article text"):
        extract_article(article_html("Teaser", "Subscribe to read"), "https://x.test/t")


# --- gathering -------------------------------------------------------------------------


def test_rss_feed_gives_new_entries_with_full_text(site: Site, tmp_path: Path) -> None:
    result = gather(settings_for(tmp_path, feeds=(site.url("/rss.xml"),)))
    found = by_headline(result.articles)
    assert list(found) == ["Council passes budget", "Storm hits coast", "Library opens late"]
    # Briefed from the feed, a story is the feed's; from its page, the outlet's that the
    # page names (og:site_name), since a feed may relay other outlets' stories.
    assert {h: a.source for h, a in found.items()} == {
        "Council passes budget": "City Daily",
        "Storm hits coast": "Coast News",
        "Library opens late": "City Daily",
    }
    # A full entry is briefed from the feed; a teaser's page is fetched for its text.
    assert BRIDGE_TEXT.split(".")[0] in found["Council passes budget"].body
    assert "/articles/budget.html" not in site.paths()
    assert found["Storm hits coast"].body.startswith("A powerful storm hit the northern coast")
    assert found["Storm hits coast"].url == site.url("/articles/storm.html")
    # The third entry's page is gone: its summary is briefed and the problem reported.
    assert found["Library opens late"].body.startswith("The central library will stay open")
    [problem] = result.problems
    assert problem.where == f"feed {site.url('/rss.xml')}"
    assert "gone.html: HTTP 404" in problem.message
    assert problem.message.endswith("briefed from the feed's summary instead")
    # Ten days old is not news.
    assert "/articles/old.html" not in site.paths()


def test_atom_feed_and_limits(site: Site, tmp_path: Path) -> None:
    result = gather(
        settings_for(tmp_path, feeds=(site.url("/atom.xml"), site.url("/rss.xml")), max_per_feed=1)
    )
    assert [(a.headline, a.source) for a in result.articles] == [
        ("Library opens late", "Library Times"),
        ("Council passes budget", "City Daily"),
    ]
    assert result.problems == ()


def test_full_text_off_briefs_the_feed_as_it_is(site: Site, tmp_path: Path) -> None:
    result = gather(settings_for(tmp_path, feeds=(site.url("/rss.xml"),), full_text=False))
    # The storm teaser (7 words) is too short to brief alone: reported, not spoken.
    assert [a.headline for a in result.articles] == ["Council passes budget", "Library opens late"]
    assert not any(p.startswith("/articles/") for p in site.paths())
    assert ["has no text; skipped" in p.message for p in result.problems] == [True]


def test_every_bad_feed_is_one_problem_and_the_rest_is_briefed(site: Site, tmp_path: Path) -> None:
    bad = {
        "/malformed.xml": "broken feed",
        "/page.html": "is not an RSS or Atom feed",
        "/missing.xml": "HTTP 404",
        "/error": "HTTP 500",
        "/slow": "did not answer within",
        "/loop": "redirects too often",
        "/huge": "larger than 10 MB",
        "/dribble-headers": "did not answer within",
        "/chain-4": "did not answer within",
    }
    feeds = (*(site.url(p) for p in bad), site.url("/rss.xml"))
    result = gather(settings_for(tmp_path, feeds=feeds, full_text=False))
    assert len(result.articles) == 2
    problems = {p.where: p.message for p in result.problems if "/rss.xml" not in p.where}
    assert problems.keys() == {f"feed {site.url(p)}" for p in bad}
    for path, message in bad.items():
        text = problems[f"feed {site.url(path)}"]
        assert message in text, (path, text)
        assert "\n" not in text and ";" in text  # one line: what is wrong; what to do


def test_urls_are_extracted_and_bad_ones_reported(site: Site, tmp_path: Path) -> None:
    urls = (site.url("/articles/bridge.html"), site.url("/articles/teaser.html"), site.url("/x"))
    result = gather(settings_for(tmp_path, urls=urls))
    [article] = result.articles
    assert (article.headline, article.source, article.url) == (
        "Old bridge reopens",
        "Coast News",
        urls[0],
    )
    assert [(p.where, p.message.split(";")[0]) for p in result.problems] == [
        (f"url {urls[1]}", "has no article text (a paywall, or a page built by JavaScript?)"),
        (f"url {urls[2]}", "HTTP 404 Not Found"),
    ]


def test_the_input_directory_still_counts(site: Site, tmp_path: Path) -> None:
    write_article(tmp_path / "in", "a.txt", "Local story")
    result = gather(
        settings_for(tmp_path, input_dir=tmp_path / "in", urls=(site.url("/articles/bridge.html"),))
    )
    assert [a.headline for a in result.articles] == ["Local story", "Old bridge reopens"]


def test_with_feeds_or_urls_seeds_is_read_only_when_named(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Run from the project directory, a feed briefing must not re-read the bundled
    # sample articles every day; with none there, it must not warn about them either.
    monkeypatch.chdir(tmp_path)
    urls = (site.url("/articles/bridge.html"),)
    unnamed = gather(settings_for(tmp_path, input_dir=None, urls=urls))
    assert unnamed.problems == ()
    write_article(tmp_path / "seeds", "sample.txt", "A bundled sample")
    unnamed = gather(settings_for(tmp_path, input_dir=None, urls=urls))
    assert [a.headline for a in unnamed.articles] == ["Old bridge reopens"]
    named = gather(settings_for(tmp_path, input_dir=Path("seeds"), urls=urls))
    assert [a.headline for a in named.articles] == ["A bundled sample", "Old bridge reopens"]
    missing = gather(settings_for(tmp_path, input_dir=Path("news"), urls=urls))
    assert [p.where for p in missing.problems] == ["news"]
    # Without feeds or URLs, seeds/ is the default input.
    assert [a.headline for a in gather(settings_for(tmp_path, input_dir=None)).articles] == [
        "A bundled sample"
    ]


# --- the briefed-articles cache --------------------------------------------------------


def test_an_article_briefed_yesterday_is_not_repeated_but_today_is_kept(
    site: Site, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, feeds=(site.url("/rss.xml"),))
    first = gather(settings)
    record(settings, first.articles)
    again_today = gather(settings)
    assert [a.headline for a in again_today.articles] == [a.headline for a in first.articles]
    tomorrow = settings_for(tmp_path, feeds=(site.url("/rss.xml"),), date=DATE + dt.timedelta(1))
    assert gather(tomorrow).articles == ()
    saved = json.loads((tmp_path / "out" / ".briefing" / "seen.json").read_text())
    assert saved["briefed"][url_key(site.url("/articles/storm.html"))] == DATE.isoformat()


def test_the_same_story_under_another_address_is_caught_by_its_text(
    site: Site, tmp_path: Path
) -> None:
    site.pages["/copy/bridge.html"] = site.pages["/articles/bridge.html"]
    day1 = settings_for(tmp_path, urls=(site.url("/articles/bridge.html"),))
    record(day1, gather(day1).articles)
    day2 = settings_for(
        tmp_path, urls=(site.url("/copy/bridge.html"),), date=DATE + dt.timedelta(1)
    )
    assert gather(day2).articles == ()
    # ...and within one day, a story in two places is briefed once.
    both = settings_for(
        tmp_path / "2", urls=(site.url("/articles/bridge.html"), site.url("/copy/bridge.html"))
    )
    assert len(gather(both).articles) == 1


def test_urls_already_briefed_are_not_downloaded_again(site: Site, tmp_path: Path) -> None:
    day1 = settings_for(tmp_path, urls=(site.url("/articles/bridge.html"),))
    record(day1, gather(day1).articles)
    site.requests.clear()
    gather(settings_for(tmp_path, urls=day1.sources.urls, date=DATE + dt.timedelta(1)))
    assert site.requests == []


def test_directory_articles_are_never_recorded(tmp_path: Path) -> None:
    path = write_article(tmp_path / "in", "a.txt")
    settings = settings_for(tmp_path)
    record(settings, (Article("A", BODY, path=path, url="https://x.test/a"),))
    assert not (tmp_path / "out" / ".briefing" / "seen.json").exists()


def test_a_damaged_cache_is_kept_aside_and_reported(site: Site, tmp_path: Path) -> None:
    state = tmp_path / "out" / ".briefing"
    state.mkdir(parents=True)
    (state / "seen.json").write_text("{not json")
    result = gather(settings_for(tmp_path, urls=(site.url("/articles/bridge.html"),)))
    assert len(result.articles) == 1
    [problem] = result.problems
    assert "unreadable" in problem.message and "may be repeated once" in problem.message
    [aside] = state.glob("seen.json.damaged-*")
    assert aside.read_text() == "{not json"


def test_cache_keeps_the_first_date_and_forgets_after_half_a_year(tmp_path: Path) -> None:
    cache = SeenCache(tmp_path / "seen.json")
    cache.record(["url:a"], DATE)
    cache.record(["url:a"], DATE + dt.timedelta(3))
    cache.record(["url:old"], DATE - dt.timedelta(400))
    assert cache.briefed_before(["url:a"], DATE + dt.timedelta(5)) == DATE
    assert cache.briefed_before(["url:a"], DATE) is None
    cache.save(DATE)
    assert SeenCache.load(tmp_path / "seen.json").entries == {"url:a": DATE.isoformat()}


def test_keys_ignore_fragments_case_of_host_and_whitespace() -> None:
    assert url_key("HTTPS://News.Example/a?id=1#top") == url_key("https://news.example/a?id=1")
    assert url_key("https://news.example/a?id=1") != url_key("https://news.example/a?id=2")
    assert text_key("Storm  hits,\nthe coast.") == text_key("storm hits the coast")


# --- through the CLI -------------------------------------------------------------------


def test_script_command_briefs_a_feed_and_warns_about_a_bad_one(site: Site, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "script",
            "--input",
            str(tmp_path / "none"),
            "--date",
            DATE.isoformat(),
            "--feed",
            site.url("/rss.xml"),
            "--feed",
            site.url("/error"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Storm hits coast" in result.stdout
    assert f"warning: feed {site.url('/error')}: HTTP 500" in result.stderr


def test_nothing_new_to_brief_exits_3(site: Site, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["script", "--input", str(tmp_path / "none"), "--feed", site.url("/malformed.xml")]
    )
    assert result.exit_code == ExitCode.NOTHING_TO_BRIEF
    assert result.stderr.startswith("note: nothing new to brief from 1 feed(s)")
