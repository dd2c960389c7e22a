"""Publish stage: the podcast feed and web page of the episodes in the output directory.

`publish` rebuilds `feed.xml`, `index.html` and the cover from what is on disk, after
every `briefing run` (and on `briefing publish`), so they never list a deleted episode.
`briefing serve` (serve.py) makes the directory reachable from a phone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from briefing.errors import ConfigError
from briefing.fsutil import write_errors, write_if_changed
from briefing.layout import Layout
from briefing.models import Problem
from briefing.publish.companions import write_companions
from briefing.publish.cover import COVER_TYPES, draw_cover
from briefing.publish.episodes import EpisodeInfo, scan
from briefing.publish.feed import Channel, build_feed, feed_id
from briefing.publish.page import build_page
from briefing.publish.rules import check_channel
from briefing.settings import FeedSettings, Settings

log = logging.getLogger("briefing")


@dataclass(frozen=True)
class Published:
    feed: Path
    page: Path
    cover: Path
    episodes: tuple[EpisodeInfo, ...]
    problems: tuple[Problem, ...] = ()


def publish(settings: Settings) -> Published:
    """Rebuild OUTPUT_DIR/feed.xml and index.html (and the cover) from the episodes there."""
    layout = Layout.of(settings.output)
    with write_errors(layout.output_dir):  # a full disk: one line, not a traceback
        return publish_feed(layout, settings.feed)


def publish_feed(layout: Layout, settings: FeedSettings) -> Published:
    """Rebuild the feed, page and cover of `layout`'s output directory."""
    out = layout.output_dir
    base = check_base_url(settings.base_url)
    out.mkdir(parents=True, exist_ok=True)
    problems: list[Problem] = []
    cover = install_cover(layout, settings.cover, problems)
    episodes = scan(layout)
    channel = Channel(
        title=settings.title,
        description=settings.description,
        author=settings.author,
        language=settings.language,
        category=settings.category,
        explicit=settings.explicit,
        cover=cover.name,
        base_url=base,
        feed_id=feed_id(layout.feed_id, layout.feed),
        owner_name=settings.owner_name,
        owner_email=settings.owner_email,
        locked=settings.locked,
        mime=layout.format.mime,
    )
    problems += check_channel(channel, cover)  # Apple's rules: warned, never fatal
    write_companions(episodes, channel.title)  # chapters and WebVTT, beside each MP3
    feed, page = layout.feed, layout.page
    write_if_changed(feed, build_feed(channel, episodes))
    write_if_changed(page, build_page(channel, episodes))
    log.info("published %d episode(s) in %s and %s", len(episodes), feed, page)
    return Published(feed, page, cover, tuple(episodes), tuple(problems))


def check_base_url(url: str | None) -> str:
    """'' when unset (relative links), else the URL ending in '/' so names join onto it."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ConfigError(
            f"[feed] base_url must be the http:// or https:// address of the output "
            f"directory, like http://192.168.1.20:8000/, not {url!r}"
        )
    return url if url.endswith("/") else url + "/"


def install_cover(layout: Layout, configured: Path | None, problems: list[Problem]) -> Path:
    """Copy the configured cover into `out` (as cover.jpg or cover.png); else draw one.

    A missing or unusable cover is reported and replaced by the drawn one: the feed is
    still made.
    """
    if configured is not None:
        suffix = configured.suffix.lower()
        where = f"[feed] cover {configured}"
        if suffix not in COVER_TYPES:
            problems.append(Problem(where, "must be a .jpg or .png image; using the default"))
        else:
            try:
                data = configured.read_bytes()
            except OSError as exc:
                problems.append(
                    Problem(where, f"cannot be read ({exc.strerror}); using the default")
                )
            else:
                name = "cover.jpg" if suffix == ".jpeg" else f"cover{suffix}"
                target = layout.output_dir / name
                write_if_changed(target, data)
                return target
    target = layout.drawn_cover
    if not target.is_file():  # drawing takes a moment; a user's own cover.png is kept
        write_if_changed(target, draw_cover())
    return target
