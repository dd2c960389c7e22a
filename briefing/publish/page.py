"""`index.html`: the episodes as a web page a phone can read and play, newest first.

One self-contained file (inline CSS, script and QR code, no external assets), with links
relative to it, so it works served by `briefing serve`, from any web server, or opened
from a synced folder. The newest episode is open, older ones folded. Its subscribe box
(feed address, podcast:// links, QR code) needs the feed's absolute address: from
base_url when set, else `briefing serve` fills it in with `with_feed_url`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import jinja2
import markupsafe
import segno

from briefing import __version__
from briefing.layout import FEED_NAME
from briefing.publish.episodes import EpisodeInfo
from briefing.publish.feed import Channel

TEMPLATE = "index.html.j2"
SUBSCRIBE_TEMPLATE = "subscribe.html.j2"
_SUBSCRIBE = re.compile(rb"<!--subscribe-->.*?<!--/subscribe-->\n?", re.S)
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
    feed_url = channel.base_url + FEED_NAME
    page = (
        _environment()
        .get_template(TEMPLATE)
        .render(
            channel=channel,
            episodes=episodes,
            feed_name=FEED_NAME,
            feed_url=feed_url,
            qr_svg=qr_svg(feed_url),
            cover_type=_image_type(channel.cover),
            generator=f"briefing {__version__}",
        )
    )
    return page.encode("utf-8")


def with_feed_url(page: bytes, feed_url: str) -> bytes:
    """`page` with its subscribe box for the feed at `feed_url` (an absolute URL)."""
    block = (
        _environment()
        .get_template(SUBSCRIBE_TEMPLATE)
        .render(feed_url=feed_url, qr_svg=qr_svg(feed_url))
        .encode("utf-8")
    )
    return _SUBSCRIBE.sub(lambda _: block, page, count=1)


def qr_svg(url: str) -> markupsafe.Markup:
    """A QR code of an absolute `url` as inline SVG (dark on light, to scan in any
    colour scheme); empty for a relative one, which no phone could open."""
    if urlsplit(url).scheme not in ("http", "https"):
        return markupsafe.Markup("")
    svg = segno.make(url, error="m").svg_inline(
        scale=4, border=2, dark="#000", light="#fff", omitsize=True, title="QR code of " + url
    )
    return markupsafe.Markup(svg)


def _image_type(name: str) -> str:
    return "image/png" if name.lower().endswith(".png") else "image/jpeg"


def _printable(value: object) -> object:
    # Control characters from scraped articles are HTML parse errors; drop them.
    if isinstance(value, markupsafe.Markup):  # tojson, the QR code: already safe
        return markupsafe.Markup(_CONTROL.sub("", value))
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
