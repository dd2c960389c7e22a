"""RSS and Atom feeds: the newest entries as candidate articles (feedparser)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import feedparser

from briefing.sources import headline
from briefing.sources.fetch import Response
from briefing.sources.html import extract_html
from briefing.sources.pages import host


class FeedError(ValueError):
    """Not a usable feed; the message says why and what to check."""


@dataclass(frozen=True)
class Entry:
    """One feed entry, before its full text is fetched."""

    title: str
    link: str
    summary: str  # plain text from the feed's content or summary
    published: dt.date | None
    outlet: str = ""  # the outlet an aggregator names (RSS <source>), not the feed's own


@dataclass(frozen=True)
class Feed:
    title: str
    entries: tuple[Entry, ...]


def parse_feed(response: Response) -> Feed:
    """Parse downloaded feed bytes (never a URL: feedparser would fetch it itself)."""
    if not response.body.strip():
        raise FeedError(
            "answered with an empty page, not a feed; check the address, or retry later"
        )
    parsed = feedparser.parse(
        response.body,
        response_headers={
            "content-location": response.url,
            "content-type": response.content_type
            + (f"; charset={response.charset}" if response.charset else ""),
        },
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise FeedError(
            f"is not an RSS or Atom feed ({_one_line(reason)}); "
            "check that the address is the feed, not the web page"
        )
    entries = parsed.get("entries") or []
    if parsed.get("bozo") and not entries:
        raise FeedError(
            f"is a broken feed ({_one_line(parsed.bozo_exception)}); "
            "tell the site, or remove it from [sources] feeds"
        )
    title = " ".join(str((parsed.get("feed") or {}).get("title", "")).split())
    return Feed(title or host(response.url), tuple(_entry(e) for e in entries))


def _entry(raw: feedparser.FeedParserDict) -> Entry:
    html = ""
    contents = raw.get("content") or []
    if contents:
        html = max((c.get("value", "") for c in contents), key=len)
    if len(html) < len(raw.get("summary", "")):
        html = raw.get("summary", "")
    summary = extract_html(html, whole=True).body() if html.strip() else ""
    stamp = raw.get("published_parsed") or raw.get("updated_parsed")
    published = dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC).date() if stamp else None
    source = raw.get("source") or {}
    outlet = " ".join(str(source.get("title", "")).split()) if isinstance(source, dict) else ""
    link = str(raw.get("link", ""))
    return Entry(
        title=headline.clean(str(raw.get("title", "")), outlet, host(link)),
        link=link,
        summary=summary,
        published=published,
        outlet=outlet,
    )


def _one_line(value: object) -> str:
    return " ".join(str(value).split())[:160]
