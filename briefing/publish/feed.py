"""`feed.xml`: a podcast RSS 2.0 feed of the episodes on disk, for phone podcast apps.

Built with ElementTree, so headlines with `<`, `&` or `]]>` are escaped by the XML
library, never pasted into markup. Links are absolute when `base_url` is set; otherwise
they are relative to feed.xml, and `briefing serve` makes them absolute with the address
it serves from (`rebase`), never one taken from a request.

Besides Apple's tags, each episode links its JSON chapters and WebVTT transcript
(Podcasting 2.0, written by companions.py) and the channel carries `podcast:guid`.
What Apple and the namespace require is checked by rules.py.
"""

from __future__ import annotations

import hashlib
import html
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote, urljoin

from briefing import __version__
from briefing.fsutil import atomic_write_text
from briefing.layout import FEED_NAME, PAGE_NAME
from briefing.publish.companions import chapters_path, vtt_path
from briefing.publish.episodes import EpisodeInfo

NAMESPACES = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
_ITUNES = f"{{{NAMESPACES['itunes']}}}"  # ElementTree's {uri}tag form
_PODCAST = f"{{{NAMESPACES['podcast']}}}"
_ATOM = f"{{{NAMESPACES['atom']}}}"
_GUID_RE = re.compile(r"briefing:([0-9a-f]{32}):\d{4}-\d{2}-\d{2}")
# Characters XML 1.0 cannot carry at all, even escaped (a stray \x0b in an article would
# otherwise make the whole feed unreadable).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DESCRIPTION_CHARS = 600  # of the transcript, for an episode without a story list


@dataclass(frozen=True)
class Channel:
    """What the feed says about the podcast as a whole."""

    title: str
    description: str
    author: str
    language: str
    category: str  # "News", or "News > Daily News" for a subcategory
    explicit: bool
    cover: str  # file name of the cover image in the output directory
    base_url: str  # "" (links relative to feed.xml) or ending in "/"
    feed_id: str  # 32 hex digits; item guids are made from it and the date
    owner_name: str = ""  # itunes:owner; the author when empty
    owner_email: str = ""  # itunes:owner's itunes:email (Apple writes to it); none when empty
    locked: bool = False  # podcast:locked yes: other hosts must not import this feed
    mime: str = "audio/mpeg"  # the episodes' audio format (briefing/audio/format.py)


def build_feed(channel: Channel, episodes: list[EpisodeInfo]) -> bytes:
    """The feed as UTF-8 XML bytes; `episodes` newest first."""
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    rss = ET.Element("rss", {"version": "2.0"})
    ch = ET.SubElement(rss, "channel")

    def url(name: str) -> str:
        return channel.base_url + quote(name)

    _text(ch, "title", channel.title)
    _text(ch, "link", url(PAGE_NAME))
    _text(ch, "description", channel.description)
    _text(ch, "language", channel.language)
    _text(ch, "generator", f"briefing {__version__}")
    if episodes:
        # The newest episode's time, not the build time: an unchanged feed stays unchanged.
        _text(ch, "lastBuildDate", format_datetime(episodes[0].published))
    ET.SubElement(
        ch, _ATOM + "link", {"href": url(FEED_NAME), "rel": "self", "type": "application/rss+xml"}
    )
    if channel.base_url:  # else `briefing serve` adds it for the address it serves from
        _text(ch, _PODCAST + "guid", podcast_guid(url(FEED_NAME)))
    if channel.locked:
        locked = _text(ch, _PODCAST + "locked", "yes")
        if channel.owner_email:
            locked.set("owner", _clean(channel.owner_email))
    image = ET.SubElement(ch, "image")
    _text(image, "url", url(channel.cover))
    _text(image, "title", channel.title)
    _text(image, "link", url(PAGE_NAME))
    ET.SubElement(ch, _ITUNES + "image", {"href": url(channel.cover)})
    _text(ch, _ITUNES + "author", channel.author)
    if channel.owner_email:  # an owner without an email is an error to validators
        owner = ET.SubElement(ch, _ITUNES + "owner")
        _text(owner, _ITUNES + "name", channel.owner_name or channel.author)
        _text(owner, _ITUNES + "email", channel.owner_email)
    _text(ch, _ITUNES + "summary", channel.description)
    parent: ET.Element = ch
    for name in (part.strip() for part in channel.category.split(">")):
        if name:
            parent = ET.SubElement(parent, _ITUNES + "category", {"text": _clean(name)})
    _text(ch, _ITUNES + "explicit", "true" if channel.explicit else "false")
    _text(ch, _ITUNES + "type", "episodic")
    for episode in episodes:
        _item(ch, channel, episode, url)
    ET.indent(rss, space=" ")
    return _serialize(rss)


def _item(
    ch: ET.Element, channel: Channel, episode: EpisodeInfo, url: Callable[[str], str]
) -> None:
    item = ET.SubElement(ch, "item")
    _text(item, "title", episode.title)
    _text(item, "description", describe(episode))
    _text(item, "link", url(PAGE_NAME) + f"#{episode.date.isoformat()}")
    guid = _text(item, "guid", guid_for(channel.feed_id, episode))
    guid.set("isPermaLink", "false")
    _text(item, "pubDate", format_datetime(episode.published))
    ET.SubElement(
        item,
        "enclosure",
        {"url": url(episode.mp3.name), "length": str(episode.size), "type": channel.mime},
    )
    if episode.duration_s is not None:
        _text(item, _ITUNES + "duration", str(round(episode.duration_s)))
    _text(item, _ITUNES + "episodeType", "full")
    _text(item, _ITUNES + "explicit", "true" if channel.explicit else "false")
    chapters = chapters_path(episode)
    if chapters is not None:
        ET.SubElement(
            item,
            _PODCAST + "chapters",
            {"url": url(chapters.name), "type": "application/json+chapters"},
        )
    # feedparser (and the apps built on it) keeps only the last podcast:transcript: the
    # timed one goes last, so they get the WebVTT; others read every one.
    if episode.script is not None:
        ET.SubElement(
            item,
            _PODCAST + "transcript",
            {"url": url(episode.script.name), "type": "text/plain", "language": channel.language},
        )
    vtt = vtt_path(episode)
    if vtt is not None:
        ET.SubElement(
            item,
            _PODCAST + "transcript",
            {"url": url(vtt.name), "type": "text/vtt", "language": channel.language},
        )


def guid_for(feed_id: str, episode: EpisodeInfo) -> str:
    """The same across rebuilds, new when the episode is remade (`--force`): podcast
    apps fetch an item again only when its guid is new."""
    made = f"{episode.made_at}|{episode.size}".encode()
    revision = hashlib.sha256(made).hexdigest()[:8]
    return f"briefing:{feed_id}:{episode.date.isoformat()}:{revision}"


PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def podcast_guid(feed_url: str) -> str:
    """The channel's `podcast:guid`: UUIDv5 of the feed URL without its scheme and
    trailing slashes, in the Podcasting 2.0 namespace."""
    seed = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", feed_url).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, seed))


def describe(episode: EpisodeInfo) -> str:
    """The episode's headlines as a small HTML list (podcast apps render HTML here)."""
    if episode.stories:
        items = []
        for story in episode.stories:
            line = html.escape(story.headline)
            if story.sources:
                line += f" <i>({html.escape(', '.join(story.sources))})</i>"
            items.append(f"<li>{line}</li>")
        return "<p>In this briefing:</p><ul>" + "".join(items) + "</ul>"
    text = " ".join(episode.transcript.split())
    if len(text) > DESCRIPTION_CHARS:
        text = text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + " …"
    return f"<p>{html.escape(text or episode.title)}</p>"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _clean(text)
    return element


def feed_id(path: Path, feed: Path) -> str:
    """This feed's identity: kept in `path` (STATE_DIR/feed-id), made once.

    If that file was lost, the id is read back from the guids of the existing feed.xml,
    so podcast apps do not see every episode as new.
    """
    try:
        kept = path.read_text(encoding="ascii").strip()
        if re.fullmatch(r"[0-9a-f]{32}", kept):
            return kept
    except (OSError, UnicodeDecodeError):
        pass
    try:
        match = _GUID_RE.search(feed.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        match = None
    made = match.group(1) if match else uuid.uuid4().hex
    atomic_write_text(path, made + "\n")
    return made


# Elements whose text is a URL, and attributes that hold one, in the feeds built here.
_URL_TEXT = {"link", "url"}
_URL_ATTRS = {"url", "href"}


def _serialize(root: ET.Element) -> bytes:
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    assert isinstance(data, bytes)  # an encoding other than "unicode" gives bytes
    return data + b"\n"


def rebase(feed: bytes, base: str, built_base: str = "") -> bytes:
    """The feed with its links under `base` (ending in "/"), as `briefing serve` sends it.

    Relative links (a feed built without base_url) are joined onto `base`; links under
    `built_base` (the base_url it was built with) move under `base`, which may add a
    token's path segment; other absolute links are left alone. A feed without
    `podcast:guid` gets the one of its URL under `base`.
    """
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    root = ET.fromstring(feed)

    def moved(link: str) -> str:
        link = link.strip()
        if built_base and link.startswith(built_base):
            return base + link[len(built_base) :]
        return urljoin(base, link)

    for element in root.iter():
        if element.tag in _URL_TEXT and element.text and element.text.strip():
            element.text = moved(element.text)
        for attr in _URL_ATTRS & set(element.attrib):
            element.set(attr, moved(element.attrib[attr]))
    channel = root.find("channel")
    if channel is not None and channel.find(_PODCAST + "guid") is None:
        items = [i for i, child in enumerate(channel) if child.tag == "item"]
        guid = ET.Element(_PODCAST + "guid")
        guid.text = podcast_guid(base + FEED_NAME)
        guid.tail = "\n  "
        channel.insert(items[0] if items else len(channel), guid)
    return _serialize(root)
