"""RSS and Atom feeds: the newest entries as candidate articles (feedparser).

Real feeds are often broken in ways feedparser does not survive, so the bytes are
repaired before it sees them (`repair`): a character reference to no character
(`&#x110000;`, `&#xD800;`, twenty digits) becomes U+FFFD, and an XML declaration with
bytes that are not ASCII loses them. An entry that still cannot be read (a date in
year 0, a summary that is missing) is repaired where it can be and dropped where it
cannot; the feed's other entries are kept and the feed says how many were dropped.
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import logging
import re
from dataclasses import dataclass

import feedparser

from briefing.sources import headline
from briefing.sources.fetch import Response
from briefing.sources.html import extract_html
from briefing.sources.pages import host

log = logging.getLogger("briefing")

# A numeric character reference, decimal or hex; `;` is optional to the loose parser.
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+))")
_CHAR_REF_TEXT = re.compile(r"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+))")
_REPLACEMENT = "&#xFFFD"  # the reference's own `;` (if any) follows
# Feeds in UTF-16 or UTF-32, known by their byte order mark or by how `<?` is encoded
# (XML 1.0 appendix F); any other feed is ASCII-compatible where markup is concerned.
_WIDE = (
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)


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
    dropped: int = 0  # entries that could not be read at all


def parse_feed(response: Response) -> Feed:
    """Parse downloaded feed bytes (never a URL: feedparser would fetch it itself)."""
    if not response.body.strip():
        raise FeedError(
            "answered with an empty page, not a feed; check the address, or retry later"
        )
    try:
        parsed = feedparser.parse(
            repair(response.body),
            response_headers={
                "content-location": response.url,
                "content-type": response.content_type
                + (f"; charset={response.charset}" if response.charset else ""),
            },
            sanitize_html=True,
            resolve_relative_uris=True,
        )
    except Exception as exc:
        # feedparser's lenient parser trips over markup broken in ways `repair` does not
        # know (a <link> closed where none was opened: KeyError 'links'). Its own bug,
        # but the feed is what is broken: one line for the user, the traceback logged.
        log.info("%s: feedparser failed", response.url, exc_info=exc)
        raise FeedError(
            f"is a feed too broken to read ({type(exc).__name__}: {_one_line(exc)}); "
            "tell the site, or remove it from [sources] feeds"
        ) from None
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
    title = " ".join(_text((parsed.get("feed") or {}).get("title")).split())
    kept: list[Entry] = []
    for number, raw in enumerate(entries, 1):
        try:
            kept.append(_entry(raw))
        except Exception as exc:  # one entry feedparser left in a shape nobody expects
            log.info("%s: entry %d dropped", response.url, number, exc_info=exc)
    return Feed(title or host(response.url), tuple(kept), dropped=len(entries) - len(kept))


def repair(body: bytes) -> bytes:
    """`body` with what breaks feedparser mended: character references to no character,
    and bytes that are not ASCII in the XML declaration."""
    for mark, codec in _WIDE:
        if body.startswith(mark):
            text = body.decode(codec, errors="replace")
            return _CHAR_REF_TEXT.sub(_char_ref_text, text).encode(codec, errors="replace")
    body = _CHAR_REF.sub(_char_ref, body)
    # feedparser reads the encoding from the first line when it starts with `<?`, and
    # decodes its name as UTF-8: a byte that is not ASCII there is a crash, not a guess.
    # The declaration loses such bytes and ends its line, so nothing after it is read
    # as part of it.
    start = len(codecs.BOM_UTF8) if body.startswith(codecs.BOM_UTF8) else 0
    if body.startswith(b"<?", start):
        line_end = body.find(b"\n", start)
        first = body[start : None if line_end < 0 else line_end]
        end = first.find(b"?>")
        if end >= 0 and not first.isascii():
            declaration = bytes(b for b in first[: end + 2] if b < 0x80)
            body = body[:start] + declaration + b"\n" + body[start + end + 2 :]
    return body


def _usable_code(hex_digits: str | bytes | None, decimal: str | bytes | None) -> bool:
    """Whether a character reference names a character (not a surrogate, not beyond
    U+10FFFF); never converts more than eight digits, however many there are."""
    digits = hex_digits if hex_digits is not None else decimal
    if isinstance(digits, bytes):
        digits = digits.decode("ascii")
    digits = (digits or "").lstrip("0")
    if len(digits) > 8:
        return False
    code = int(digits or "0", 16 if hex_digits is not None else 10)
    return 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF


def _char_ref(match: re.Match[bytes]) -> bytes:
    if _usable_code(*match.groups()):
        return match.group()
    return _REPLACEMENT.encode()


def _char_ref_text(match: re.Match[str]) -> str:
    return match.group() if _usable_code(*match.groups()) else _REPLACEMENT


def _text(value: object) -> str:
    """A field as text: feedparser gives None for an element it could not close."""
    return "" if value is None else str(value)


def _entry(raw: feedparser.FeedParserDict) -> Entry:
    html = ""
    contents = raw.get("content") or []
    if contents:
        html = max((_text(c.get("value")) for c in contents), key=len)
    summary_html = _text(raw.get("summary"))
    if len(html) < len(summary_html):
        html = summary_html
    summary = extract_html(html, whole=True).body() if html.strip() else ""
    source = raw.get("source") or {}
    outlet = " ".join(str(source.get("title", "")).split()) if isinstance(source, dict) else ""
    link = _text(raw.get("link"))
    return Entry(
        title=headline.clean(_text(raw.get("title")), outlet, host(link)),
        link=link,
        summary=summary,
        published=_published(raw),
        outlet=outlet,
    )


def _published(raw: feedparser.FeedParserDict) -> dt.date | None:
    """The entry's date; None when it has none, or one no calendar has (year 0)."""
    for key in ("published_parsed", "updated_parsed"):
        # `in` first: feedparser warns when updated_parsed is read from published_parsed.
        stamp = raw.get(key) if key in raw else None
        if not stamp:
            continue
        try:
            return dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC).date()
        except (ValueError, OverflowError, OSError, TypeError):
            log.info("entry %r: date %r is not a date; left out", raw.get("title"), stamp)
    return None


def _one_line(value: object) -> str:
    return " ".join(str(value).split())[:160]
