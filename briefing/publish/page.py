"""`index.html`: the episodes as a web page a phone can read and play, newest first.

One self-contained file (inline CSS and a few lines of script, no external assets), with
links relative to it, so it works served by `briefing serve`, from any web server, or
opened from a synced folder.
"""

from __future__ import annotations

import re

import jinja2

from briefing import __version__
from briefing.publish.episodes import EpisodeInfo
from briefing.publish.feed import FEED_NAME, Channel

TEMPLATE = "index.html.j2"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("briefing.publish", "templates"),
        autoescape=True,  # headlines and transcripts are article text, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_printable,
    )
    env.filters["duration"] = duration_text
    env.filters["clock"] = clock
    env.filters["long_date"] = lambda d: f"{d:%A} {d.day} {d:%B %Y}"
    env.filters["paragraphs"] = paragraphs
    return env


def build_page(channel: Channel, episodes: list[EpisodeInfo]) -> bytes:
    """The page as UTF-8 bytes; `episodes` newest first."""
    page = (
        _environment()
        .get_template(TEMPLATE)
        .render(
            channel=channel,
            episodes=episodes,
            feed_name=FEED_NAME,
            feed_url=channel.base_url + FEED_NAME,
            generator=f"briefing {__version__}",
        )
    )
    return page.encode("utf-8")


def _printable(value: object) -> object:
    # Control characters from scraped articles are HTML parse errors; drop them.
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def duration_text(seconds: float) -> str:
    """'4 min 05 s', or '45 s': whole seconds shown, as the player's clock does."""
    total = int(seconds)
    minutes, secs = divmod(total, 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def clock(seconds: float) -> str:
    """'1:05' for a chapter start."""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
