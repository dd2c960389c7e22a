"""Where articles come from: the input directory, RSS/Atom feeds and article URLs.

`gather_articles` is the load stage's entry point when feeds or URLs are configured. A
feed or page that cannot be used becomes a `Problem` (naming it and the fix); the rest
of the briefing is still made. Stories briefed on an earlier day are left out.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from briefing.config import Settings
from briefing.models import Article, Problem
from briefing.sources.cache import FILE_NAME, SeenCache, article_keys, url_key
from briefing.sources.feeds import Entry, FeedError, parse_feed
from briefing.sources.fetch import FetchError, Response, fetch
from briefing.sources.files import ArticleError, LoadResult, load_articles
from briefing.sources.pages import extract_article, host

log = logging.getLogger("briefing")

FULL_TEXT_BELOW = 120  # words: a feed item shorter than this is a teaser, not the story
MIN_SUMMARY_WORDS = 15  # a teaser this short is not worth briefing on its own
DOWNLOADS_IN_PARALLEL = 6  # polite to sites, and enough to hide network latency

Fetch = Callable[[str], Response]


@dataclass(frozen=True)
class _Job:
    """One article to produce: a feed entry (maybe needing its page) or a listed URL."""

    origin: str  # "feed URL" or "url URL", for problems
    url: str
    entry: Entry | None = None
    feed_title: str = ""


def gather_articles(settings: Settings) -> LoadResult:
    """Articles from `settings.input_dir`, `settings.feeds` and `settings.urls`."""
    network = bool(settings.feeds or settings.urls)
    articles: list[Article] = []
    problems: list[Problem] = []
    # The default seeds/ directory is optional once feeds or URLs are configured.
    if not (network and settings.input_dir == Path("seeds") and not settings.input_dir.exists()):
        loaded = load_articles(settings.input_dir)
        articles += loaded.articles
        problems += loaded.problems
    if not network:
        return LoadResult(tuple(articles), tuple(problems))
    from_dir = len(articles)

    get: Fetch = partial(fetch, timeout=settings.fetch_timeout)
    cache = SeenCache.load(settings.state_path() / FILE_NAME)
    if cache.problem:
        problems.append(cache.problem)
    jobs: list[_Job] = []
    with ThreadPoolExecutor(DOWNLOADS_IN_PARALLEL) as pool:
        feed_results = list(pool.map(lambda u: _read_feed(u, settings, cache, get), settings.feeds))
        for feed_jobs, problem in feed_results:
            jobs += feed_jobs
            problems += [problem] if problem else []
        for url in settings.urls:
            if (when := cache.briefed_before([url_key(url)], settings.date)) is not None:
                log.info("url %s: briefed on %s; skipped", url, when)
            else:
                jobs.append(_Job(f"url {url}", url))
        made = list(pool.map(lambda job: _make_article(job, settings, get), jobs))
    seen: set[str] = set()
    for article, problem in made:
        problems += [problem] if problem else []
        if article is None:
            continue
        keys = article_keys(article)
        if seen.intersection(keys):
            continue  # the same story from two feeds, or a feed and a URL
        if (when := cache.briefed_before(keys, settings.date)) is not None:
            log.info("%s: briefed on %s; skipped", article.url, when)
            continue
        seen.update(keys)
        articles.append(article)
    log.info("%d new articles from feeds and URLs", len(articles) - from_dir)
    return LoadResult(tuple(articles), tuple(problems))


def record_briefed(settings: Settings, articles: tuple[Article, ...]) -> None:
    """Remember the downloaded articles of this briefing so later days skip them."""
    fetched = [a for a in articles if a.url and a.path is None]
    if not fetched:
        return
    cache = SeenCache.load(settings.state_path() / FILE_NAME)
    for article in fetched:
        cache.record(article_keys(article), settings.date)
    cache.save(max(settings.date, dt.date.today()))


def _read_feed(
    url: str, settings: Settings, cache: SeenCache, get: Fetch
) -> tuple[list[_Job], Problem | None]:
    where = f"feed {url}"
    try:
        feed = parse_feed(get(url))
    except (FetchError, FeedError) as exc:
        return [], Problem(where, str(exc))
    oldest = settings.date - dt.timedelta(days=settings.max_age_days)
    jobs: list[_Job] = []
    for entry in feed.entries:
        if len(jobs) == settings.max_per_feed:
            break
        if entry.published is not None and entry.published < oldest:
            continue
        if entry.link and cache.briefed_before([url_key(entry.link)], settings.date):
            continue
        jobs.append(_Job(where, entry.link, entry, feed.title))
    log.info("%s (%s): %d new of %d entries", where, feed.title, len(jobs), len(feed.entries))
    return jobs, None


def _make_article(
    job: _Job, settings: Settings, get: Fetch
) -> tuple[Article | None, Problem | None]:
    entry = job.entry
    if entry is not None and (
        not entry.link or not settings.full_text or len(entry.summary.split()) >= FULL_TEXT_BELOW
    ):
        return _from_summary(job, entry, None)
    try:
        response = get(job.url)
        article = extract_article(response.body, job.url, response.charset)
    except (FetchError, ArticleError) as exc:
        if entry is not None:
            return _from_summary(job, entry, f"{job.url}: {exc}")
        return None, Problem(job.origin, str(exc))
    if entry is not None:  # the feed's title; the outlet the page or the entry names
        named = article.source if article.source != host(job.url) else ""
        outlet = named or entry.outlet or job.feed_title
        article = replace(article, headline=entry.title or article.headline, source=outlet)
    return article, None


def _from_summary(
    job: _Job, entry: Entry, failure: str | None
) -> tuple[Article | None, Problem | None]:
    if len(entry.summary.split()) < MIN_SUMMARY_WORDS or not entry.title:
        reason = failure or f"entry {entry.title or entry.link!r} has no text"
        return None, Problem(job.origin, f"{reason}; skipped")
    problem = None
    if failure:
        problem = Problem(job.origin, f"{failure}; briefed from the feed's summary instead")
    return Article(
        entry.title, entry.summary, entry.outlet or job.feed_title, url=entry.link
    ), problem
