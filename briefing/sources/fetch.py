"""Polite, bounded HTTP GET: one time limit on the whole download, a size cap, few redirects.

The time limit covers everything the fetch does: connecting, every redirect, the
headers and the body. A socket timeout alone bounds each wait, not the sum, so a site
that sends its headers a byte a second, or redirects slowly five times, would hold the
run for minutes; here a timer shuts down every connection of the fetch when its time is
up, whatever it is waiting for. The limit is `[sources] fetch_timeout`, and never past
the run's own deadline (briefing/deadline.py). Looking up the host name is the one wait
the timer cannot cut short (the system resolver is not interruptible).

Standard library only (urllib): one small function needs no HTTP client dependency.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from importlib import metadata
from typing import Any, ClassVar
from urllib.parse import urlsplit

from briefing import __version__
from briefing.deadline import time_left
from briefing.settings import SourceSettings, default

MAX_BYTES = 10 * 1024 * 1024  # a feed or article page; more is not news, it is a mistake
MAX_REDIRECTS = 5
# Seconds for one whole download: [sources] fetch_timeout's default (briefing/settings.py).
FETCH_TIMEOUT_S: float = default(SourceSettings, "fetch_timeout")
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


class _Limit:
    """One time limit for a whole download: when it is up, every connection the
    download opened (redirects included) is shut down, which ends any wait on it."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        """Seconds left: every single wait gets at most this long."""
        left = self.ends - time.monotonic()
        if left <= 0 or self.expired:
            raise TimeoutError("the download's time is up")
        return left

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)
        return sock

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def stop(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    # A socket closed meanwhile has no file descriptor: this cannot reach another one.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _Limited:
    """A connection (HTTP or HTTPS, through a proxy or not) under the download's limit."""

    limit: _Limit
    timeout: float | None  # http.client's, set per connection

    def __init__(self, *args: Any, limit: _Limit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit
        create = self._create_connection  # type: ignore[has-type]

        def connect(*args: Any, **kwargs: Any) -> socket.socket:
            return limit.watch(create(*args, **kwargs))

        self._create_connection = connect

    def connect(self) -> None:
        self.timeout = self.limit.left()  # the connection and the TLS handshake
        super().connect()  # type: ignore[misc]
        self.limit.watch(self.sock)  # type: ignore[attr-defined]  # the TLS socket


class _LimitedHTTP(_Limited, http.client.HTTPConnection):
    pass


class _LimitedHTTPS(_Limited, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, limit: _Limit) -> None:
        super().__init__()
        self.limit = limit

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection(_LimitedHTTP, self.limit), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, limit: _Limit) -> None:
        super().__init__()
        self.limit = limit

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection(_LimitedHTTPS, self.limit), req)


def _connection(kind: type[_Limited], limit: _Limit) -> Any:
    def make(*args: Any, **kwargs: Any) -> _Limited:
        return kind(*args, limit=limit, **kwargs)

    return make


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections: ClassVar[int] = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        # Never follow a redirect off HTTP(S), e.g. to file:// or ftp://.
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError("redirects to an address that is not an http(s) URL")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, timeout: float = FETCH_TIMEOUT_S, max_bytes: int = MAX_BYTES) -> Response:
    """GET `url`, giving up after `timeout` seconds in all (redirects, headers and body;
    never past the run's deadline) or `max_bytes` bytes of body."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise FetchError("is not an http:// or https:// URL; fix it in the config")
    run_left = time_left()
    if run_left is not None and run_left < timeout:
        if run_left <= 0:
            raise FetchError(_past_deadline())
        limit = _Limit(run_left)
        timed_out = _past_deadline()
    else:
        limit = _Limit(timeout)
        timed_out = _timed_out(timeout)
    try:
        return _get(url, limit, max_bytes)
    except FetchError:
        raise
    except Exception as exc:
        if limit.expired or isinstance(exc, TimeoutError):
            raise FetchError(timed_out) from None
        raise
    finally:
        limit.stop()


def _get(url: str, limit: _Limit, max_bytes: int) -> Response:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent(), "Accept": "*/*"})
    opener = urllib.request.build_opener(_HTTPHandler(limit), _HTTPSHandler(limit), _Redirects)
    try:
        with opener.open(request, timeout=limit.left()) as resp:
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
                chunks.append(chunk)
                limit.left()  # a body that never ends, a byte at a time
            if limit.expired:  # cut off by the limit, not ended by the site
                raise TimeoutError
            headers: Message = resp.headers
            return Response(
                url=resp.geturl(),
                content_type=headers.get_content_type(),
                charset=headers.get_content_charset(),
                body=b"".join(chunks),
            )
    except urllib.error.HTTPError as exc:
        exc.close()
        if limit.expired:
            raise TimeoutError from None
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
        raise
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError) or limit.expired:
            raise TimeoutError from None
        raise FetchError(f"cannot connect ({reason}); check the address and network") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        if limit.expired:  # what a connection shut down at the limit looks like
            raise TimeoutError from None
        # Connection reset, truncated or badly chunked bodies, bad header values...
        raise FetchError(f"download failed ({exc}); retry later") from None


def _too_big(max_bytes: int) -> str:
    return f"is larger than {max_bytes // 2**20} MB, too big for a feed or article; check the URL"


def _timed_out(timeout: float) -> str:
    return f"did not answer within {timeout:g} s; the site may be down, retry later"


def _past_deadline() -> str:
    return "was stopped at the run's deadline ([run] deadline); retry later"
