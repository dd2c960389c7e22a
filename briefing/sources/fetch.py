"""Polite, bounded HTTP GET: a timeout on the whole download, a size cap, few redirects.

Standard library only (urllib): one small function needs no HTTP client dependency.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from importlib import metadata
from typing import ClassVar
from urllib.parse import urlsplit

from briefing import __version__

MAX_BYTES = 10 * 1024 * 1024  # a feed or article page; more is not news, it is a mistake
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


def user_agent() -> str:
    """`briefing/<version> (+<project url>)`: tells site owners who is fetching and why."""
    try:
        urls = metadata.metadata("briefing").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    home = next((u.split(",", 1)[1].strip() for u in urls if "," in u), "")
    return f"briefing/{__version__} (+{home})" if home else f"briefing/{__version__}"


class FetchError(Exception):
    """The download failed; the message says why and what to check."""


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    content_type: str
    charset: str | None
    body: bytes


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections: ClassVar[int] = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        # Never follow a redirect off HTTP(S), e.g. to file:// or ftp://.
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError("redirects to an address that is not an http(s) URL")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, timeout: float = 20.0, max_bytes: int = MAX_BYTES) -> Response:
    """GET `url`, giving up after `timeout` seconds in all or `max_bytes` bytes."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise FetchError("is not an http:// or https:// URL; fix it in the config")
    request = urllib.request.Request(url, headers={"User-Agent": user_agent(), "Accept": "*/*"})
    opener = urllib.request.build_opener(_Redirects)
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(_too_big(max_bytes))
            chunks: list[bytes] = []
            size = 0
            # read1 returns whatever has arrived, so a server that trickles bytes cannot
            # hold us past the deadline (read(n) would wait for all n).
            while chunk := resp.read1(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(_too_big(max_bytes))
                if time.monotonic() > deadline:
                    raise FetchError(_timed_out(timeout))
                chunks.append(chunk)
            headers: Message = resp.headers
            return Response(
                url=resp.geturl(),
                content_type=headers.get_content_type(),
                charset=headers.get_content_charset(),
                body=b"".join(chunks),
            )
    except urllib.error.HTTPError as exc:
        exc.close()
        if "not allowed" in str(exc.reason):  # urllib's own refusal of file:// etc.
            raise FetchError("redirects to an address that is not an http(s) URL") from None
        if exc.code in (301, 302, 303, 307, 308):
            raise FetchError(
                f"redirects too often or in a loop (more than {MAX_REDIRECTS}); "
                "open it in a browser and use the final address"
            ) from None
        hint = "check the address" if 400 <= exc.code < 500 else "the site has a problem; retry"
        raise FetchError(f"HTTP {exc.code} {exc.reason}; {hint}") from None
    except TimeoutError:
        raise FetchError(_timed_out(timeout)) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise FetchError(_timed_out(timeout)) from None
        raise FetchError(f"cannot connect ({reason}); check the address and network") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        # Connection reset, truncated or badly chunked bodies, bad header values...
        raise FetchError(f"download failed ({exc}); retry later") from None


def _too_big(max_bytes: int) -> str:
    return f"is larger than {max_bytes // 2**20} MB, too big for a feed or article; check the URL"


def _timed_out(timeout: float) -> str:
    return f"did not answer within {timeout:g} s; the site may be down, retry later"
