"""HTTP rules the server follows, as pure functions: byte ranges, validators, log text.

Kept apart from the server (serve.py) so each rule is tested without sockets:
RFC 9110 single byte ranges (section 14), entity-tag comparison and the order in which
preconditions are evaluated (section 13.2.2).
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from enum import Enum

# A byte position longer than this is "more than any file": Python refuses to parse
# integers of over 4,300 digits, and no file here is near 10**18 bytes.
MAX_DIGITS = 18
_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
_ETAG_RE = re.compile(r'\s*(W/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)')


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    """The range lies wholly outside the file: 416."""


def _position(digits: str, size: int) -> int:
    return int(digits) if len(digits) <= MAX_DIGITS else size + 1


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """One `bytes=` range of a file of `size` bytes; None means send the whole file.

    A header that is malformed or asks for several ranges is ignored (RFC 9110 allows a
    server to ignore Range), which answers 200 with the whole file. Numbers of any
    length are safe: past MAX_DIGITS they mean "beyond the end".
    """
    if not header or len(header) > 200:
        return None
    match = _RANGE_RE.match(header.strip().replace(" ", ""))
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first == "":  # bytes=-N: the last N bytes
        suffix = _position(last, size)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - suffix), size - 1)
    start = _position(first, size)
    if last and _position(last, size) < start:
        return None  # invalid: ignored
    if start >= size:
        raise Unsatisfiable
    return ByteRange(start, min(_position(last, size), size - 1) if last else size - 1)


def entity_tags(header: str) -> list[tuple[bool, str]] | None:
    """The (weak, opaque-tag) pairs of an If-Match / If-None-Match list; [] for "*".

    None when the header is not a valid list: such a header is ignored.
    """
    if header.strip() == "*":
        return []
    tags, pos = [], 0
    while pos < len(header):
        match = _ETAG_RE.match(header, pos)
        if not match or match.end() == pos:
            return None
        tags.append((bool(match.group(1)), match.group(2)))
        pos = match.end()
    return tags or None


def _matches(header: str, etag: str, *, weak: bool) -> bool | None:
    """Does `header` (a list or "*") match the current `etag` (always strong here)?"""
    tags = entity_tags(header)
    if tags is None:
        return None
    if not tags:  # "*": any current representation
        return True
    return any(tag == etag and (weak or not is_weak) for is_weak, tag in tags)


def http_date(header: str | None) -> float | None:
    """Seconds since the epoch of an HTTP-date, or None when absent or invalid."""
    if not header or len(header) > 100:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None  # RFC 9110 dates are GMT; a date without a zone is not one
    return moment.timestamp()


class Outcome(Enum):
    SEND = "send"
    NOT_MODIFIED = "304"
    PRECONDITION_FAILED = "412"


def evaluate(headers: dict[str, str], etag: str, mtime: float) -> Outcome:
    """RFC 9110 section 13.2.2 for a GET or HEAD of a representation with a strong
    `etag` last modified at `mtime`: If-Match, If-Unmodified-Since, If-None-Match
    (weak comparison), If-Modified-Since, in that order."""
    modified = int(mtime)  # HTTP dates have whole seconds
    if_match = headers.get("if-match")
    if if_match is not None:
        if _matches(if_match, etag, weak=False) is False:
            return Outcome.PRECONDITION_FAILED
    else:
        since = http_date(headers.get("if-unmodified-since"))
        if since is not None and modified > since:
            return Outcome.PRECONDITION_FAILED
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        if _matches(if_none_match, etag, weak=True):
            return Outcome.NOT_MODIFIED
    else:
        since = http_date(headers.get("if-modified-since"))
        if since is not None and modified <= since:
            return Outcome.NOT_MODIFIED
    return Outcome.SEND


def range_applies(if_range: str | None, etag: str, mtime: float) -> bool:
    """If-Range: the Range is honoured only if the client's copy is still current —
    the same strong entity tag, or exactly the Last-Modified date."""
    if if_range is None:
        return True
    value = if_range.strip()
    if value.startswith(('"', "W/")):
        return value == etag  # strong comparison: a weak tag never matches
    return http_date(value) == float(int(mtime))


_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")


def printable(text: str, limit: int = 300) -> str:
    """`text` safe for a log line: control and non-ASCII characters as \\xNN escapes
    (a request line can carry terminal escape sequences), cut at `limit`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode(), escaped)
    return escaped if len(escaped) <= limit else escaped[:limit] + "..."
