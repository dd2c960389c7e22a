"""Where articles come from: the input directory, RSS/Atom feeds and article URLs.

Each kind of source is a `Source` in the `SOURCES` registry: files in the input
directory (files.py), feeds (feeds.py) and article pages (pages.py). `gather_articles`
is the load stage's entry point. A file, feed or page that cannot be used becomes a
`Problem` (naming it and the fix); the rest of the briefing is still made. Each source,
each feed and each article is read inside its own boundary (briefing/isolation.py), so
even an error nobody foresaw costs that one input, not the briefing. Downloaded stories
briefed on an earlier day are left out.
"""

from __future__ import annotations

import datetime as dt
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import ClassVar, TypeVar

from briefing.isolation import isolated
from briefing.models import Article, Problem
from briefing.settings import SourceSettings
from briefing.sources.cache import SeenCache, article_keys, url_key
from briefing.sources.feeds import Entry, FeedError, parse_feed
from briefing.sources.fetch import FetchError, Response, fetch
from briefing.sources.files import ArticleError, LoadResult, load_articles
from briefing.sources.pages import extract_article, host

log = logging.getLogger("briefing")

FULL_TEXT_BELOW = 120  # words: a feed item shorter than this is a teaser, not the story
MIN_SUMMARY_WORDS = 15  # a teaser this short is not worth briefing on its own
DOWNLOADS_IN_PARALLEL = 6  # polite to sites, and enough to hide network latency

Fetch = Callable[[str], Response]
X = TypeVar("X")
Y = TypeVar("Y")


@dataclass(frozen=True)
class Context:
    """What every source is given: its settings, the day, and what was briefed before."""

    settings: SourceSettings
    date: dt.date
    seen: SeenCache
    fetch: Fetch


class Source(ABC):
    """Where articles come from; one required method."""

    name: ClassVar[str]

    @abstractmethod
    def gather(self, ctx: Context) -> LoadResult:
        """This source's articles, and a `Problem` for each thing it could not use."""


class FileSource(Source):
    """Article files in the input directory (sources/files.py)."""

    name = "files"

    def gather(self, ctx: Context) -> LoadResult:
        directory = ctx.settings.directory()
        if directory is None:
            return LoadResult((), ())
        return load_articles(directory, read_timeout=ctx.settings.read_timeout)


class FeedSource(Source):
    """The newest entries of RSS and Atom feeds, with their pages' full text."""

    name = "feeds"

    def gather(self, ctx: Context) -> LoadResult:
        jobs: list[_Job] = []
        problems: list[Problem] = []

        def read(url: str) -> tuple[list[_Job], list[Problem]] | Problem:
            return isolated(f"feed {url}", lambda: _read_feed(url, ctx))

        for read_feed in _in_parallel(read, ctx.settings.feeds):
            if isinstance(read_feed, Problem):
                problems.append(read_feed)
            else:
                jobs += read_feed[0]
                problems += read_feed[1]
        return _make_all(jobs, ctx, problems)


class PageSource(Source):
    """Article pages listed by URL; each is briefed once."""

    name = "pages"

    def gather(self, ctx: Context) -> LoadResult:
        jobs = []
        for url in ctx.settings.urls:
            if (when := ctx.seen.briefed_before([url_key(url)], ctx.date)) is not None:
                log.info("url %s: briefed on %s; skipped", url, when)
            else:
                jobs.append(_Job(f"url {url}", url))
        return _make_all(jobs, ctx, [])


# In this order: files first, so a story also on disk is told from the user's copy.
SOURCES: dict[str, type[Source]] = {s.name: s for s in (FileSource, FeedSource, PageSource)}


@dataclass(frozen=True)
class _Job:
    """One article to produce: a feed entry (maybe needing its page) or a listed URL."""

    origin: str  # "feed URL" or "url URL", for problems
    url: str
    entry: Entry | None = None
    feed_title: str = ""


def gather_articles(settings: SourceSettings, date: dt.date, seen: Path) -> LoadResult:
    """Articles from every source; downloaded stories briefed before `date` (the cache
    file `seen`) or found twice are left out."""
    cache = SeenCache.load(seen) if settings.feeds or settings.urls else SeenCache(seen)
    ctx = Context(settings, date, cache, partial(fetch, timeout=settings.fetch_timeout))
    articles: list[Article] = []
    problems: list[Problem] = [cache.problem] if cache.problem else []
    keys_seen: set[str] = set()
    for source in SOURCES.values():
        found = isolated(f"[sources] {source.name}", partial(source().gather, ctx))
        if isinstance(found, Problem):
            problems.append(found)
            continue
        problems += found.problems
        for article in found.articles:
            if article.path is None:  # downloaded: skip repeats across feeds, URLs, days
                keys = article_keys(article)
                if keys_seen.intersection(keys):
                    continue  # the same story from two feeds, or a feed and a URL
                if (when := cache.briefed_before(keys, date)) is not None:
                    log.info("%s: briefed on %s; skipped", article.url, when)
                    continue
                keys_seen.update(keys)
            articles.append(article)
    return LoadResult(tuple(articles), tuple(problems))


def record_briefed(articles: tuple[Article, ...], date: dt.date, seen: Path) -> None:
    """Remember the downloaded articles of this briefing so later days skip them."""
    fetched = [a for a in articles if a.url and a.path is None]
    if not fetched:
        return
    cache = SeenCache.load(seen)
    for article in fetched:
        cache.record(article_keys(article), date)
    cache.save(max(date, dt.date.today()))


def _in_parallel(work: Callable[[X], Y], items: Sequence[X]) -> list[Y]:
    """`work` on each item, a few at a time, in order. A run that fails meanwhile (its
    deadline, a signal) starts no more and waits for none: every download is bounded by
    the deadline itself (fetch.py)."""
    pool = ThreadPoolExecutor(DOWNLOADS_IN_PARALLEL)
    try:
        return list(pool.map(work, items))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _make_all(jobs: list[_Job], ctx: Context, problems: list[Problem]) -> LoadResult:
    def make(job: _Job) -> tuple[Article | None, Problem | None]:
        made = isolated(job.origin, lambda: _make_article(job, ctx.settings, ctx.fetch))
        if isinstance(made, Problem):
            return None, Problem(made.where, f"{job.url}: {made.message}") if job.entry else made
        return made

    articles = []
    for article, problem in _in_parallel(make, jobs):
        problems += [problem] if problem else []
        if article is not None:
            articles.append(article)
    log.info("%d articles from %d downloads", len(articles), len(jobs))
    return LoadResult(tuple(articles), tuple(problems))


def _read_feed(url: str, ctx: Context) -> tuple[list[_Job], list[Problem]]:
    where = f"feed {url}"
    settings, cache = ctx.settings, ctx.seen
    try:
        feed = parse_feed(ctx.fetch(url))
    except (FetchError, FeedError) as exc:
        return [], [Problem(where, str(exc))]
    problems = []
    if feed.dropped:
        problems.append(
            Problem(
                where,
                f"{feed.dropped} of its entries could not be read and were skipped; "
                "tell the site if it keeps happening",
            )
        )
    oldest = ctx.date - dt.timedelta(days=settings.max_age_days)
    jobs: list[_Job] = []
    for entry in feed.entries:
        if len(jobs) == settings.max_per_feed:
            break
        if entry.published is not None and entry.published < oldest:
            continue
        if entry.link and cache.briefed_before([url_key(entry.link)], ctx.date):
            continue
        jobs.append(_Job(where, entry.link, entry, feed.title))
    log.info("%s (%s): %d new of %d entries", where, feed.title, len(jobs), len(feed.entries))
    return jobs, problems


def _make_article(
    job: _Job, settings: SourceSettings, get: Fetch
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
