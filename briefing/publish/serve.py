"""`briefing serve`: the output directory over HTTP, read-only, for a phone on the network.

The HTTP server is waitress (a maintained pure-Python WSGI server): one thread reads
every connection without blocking and only complete requests reach the small, bounded
pool of worker threads, so idle or slow clients hold a socket, never a thread. On top
of waitress's idle timeout a request must arrive whole within `request_timeout_s`, and
the listen backlog holds hundreds of connections (bench/serve.py measures all this).

What is served: only regular, non-hidden files inside the directory: no listings,
nothing under `.briefing/` (the seen-articles cache and logs), no `..`, no symlink
leading out. With a token every URL starts with /TOKEN/ and anything else is 404.
Single byte ranges get 206 (416 when unsatisfiable); validators and preconditions follow
RFC 9110 (briefing/publish/http_rules.py). Links in the served feed and the subscribe
box of the served page come from `base_url` or the address the server is bound to,
never from a request's Host header.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import hmac
import io
import logging
import mimetypes
import os
import re
import resource
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree as ET

import segno
from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer

from briefing.errors import ConfigError, UsageError
from briefing.layout import FEED_NAME, PAGE_NAME
from briefing.publish import check_base_url
from briefing.publish.feed import rebase
from briefing.publish.http_rules import (
    Outcome,
    Unsatisfiable,
    evaluate,
    parse_range,
    printable,
    range_applies,
)
from briefing.publish.page import with_feed_url

DEFAULT_HOST = "127.0.0.1"  # this machine only, unless `--host` says otherwise
DEFAULT_PORT = 8000
THREADS = 8  # workers for complete requests; reading and writing never block them
BACKLOG = 1024  # connections the kernel queues before accept (Python's default is 5)
IDLE_TIMEOUT_S = 10  # a connection with nothing to send or receive is closed
REQUEST_TIMEOUT_S = 5  # a request line and headers must arrive whole within this
MAX_CONNECTIONS = 1000  # open at once; capped below the process's file limit
_CHUNK = 256 * 1024
_TYPES = {
    ".mp3": "audio/mpeg",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
CHAPTERS_SUFFIX = ".chapters.json"
# Transcripts and chapters are fetched by web players on other sites too (Podcasting 2.0).
_SHARED_SUFFIXES = (".vtt", ".txt", CHAPTERS_SUFFIX)
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
# The page's script and style are inline; nothing may come from anywhere else.
_PAGE_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src 'self' data:; media-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
_WILDCARDS = ("0.0.0.0", "::", "")

log = logging.getLogger("briefing")


def content_type(path: Path) -> str:
    if path.name == FEED_NAME:
        return "application/rss+xml; charset=utf-8"
    if path.name.endswith(CHAPTERS_SUFFIX):
        return "application/json+chapters"
    suffix = path.suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def check_token(token: str | None) -> str:
    """'' when unset, else the token, which must be a long URL-safe secret."""
    if not token:
        return ""
    if not TOKEN_RE.match(token):
        raise ConfigError(
            "[serve] token must be 16 to 128 letters, digits, '-' or '_'; make one with "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(24))'`"
        )
    return token


def resolve(root: Path, path: str) -> Path | None:
    """The file under `root` that the (percent-decoded) request `path` names, or None
    when it must not be served.

    `root` must already be resolved. Hidden names (`.briefing/` with the seen-articles
    cache and logs, `.briefing.lock`, half-written `.part` files), `..`, NUL bytes and
    anything that resolves outside `root` or into a hidden name (symlinks included) are
    refused, and so is a file named with a trailing slash; a directory means its
    index.html, never a listing.
    """
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p.startswith(".") for p in parts):
        return None  # hidden state, ".." and "." alike
    try:
        real = root.joinpath(*parts).resolve(strict=True)
        if real.is_dir():
            real = (real / PAGE_NAME).resolve(strict=True)
        elif path.endswith("/"):
            return None  # "index.html/": a page there would break every relative link
    except (OSError, RuntimeError, ValueError):
        return None
    if not real.is_relative_to(root) or not real.is_file():
        return None
    if any(p.startswith(".") for p in real.relative_to(root).parts):
        return None  # a link to .briefing/seen.json is still hidden state
    return real


@dataclass
class Response:
    status: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | tuple[BinaryIO, int] = b""  # bytes, or (file positioned at start, length)

    @property
    def length(self) -> int:
        return len(self.body) if isinstance(self.body, bytes) else self.body[1]


def _status(code: int) -> str:
    from http import HTTPStatus

    return f"{code} {HTTPStatus(code).phrase}"


class App:
    """The WSGI application: the output directory, read-only.

    `public_url` is where the served directory is reached (ending in "/", the token
    included); `built_base` is the base_url the feed on disk was built with, whose links
    are moved under `public_url` when a token adds a path segment.
    """

    def __init__(
        self,
        root: Path,
        public_url: str,
        *,
        token: str = "",
        built_base: str = "",
        access_log: Callable[[str], None] | None = None,
        file_wrapper: bool = False,
    ) -> None:
        self.root = root.resolve()
        self.public_url = public_url
        self.token = token
        self.built_base = built_base
        self.access_log = access_log
        self.file_wrapper = file_wrapper  # the server streams files itself (waitress)
        self._cache: dict[tuple[str, int, int], bytes] = {}
        self._lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        raw_path = environ.get("PATH_INFO", "") or "/"
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        try:
            response = self.respond(method, raw_path, headers)
        except OSError:  # the file vanished or became unreadable mid-request
            response = _error(404)
        if self.access_log is not None:
            self.access_log(
                f'{environ.get("REMOTE_ADDR", "-")} "{printable(method, 20)} '
                f'{printable(_path_text(raw_path))}" {response.status[:3]} {response.length}'
            )
        start_response(response.status, response.headers)
        body = response.body
        if isinstance(body, bytes):
            return [b""] if method == "HEAD" else [body]
        fh, length = body
        if method == "HEAD":
            fh.close()
            return [b""]
        wrapper = environ.get("wsgi.file_wrapper") if self.file_wrapper else None
        if wrapper is not None:
            wrapped: Iterable[bytes] = wrapper(fh, _CHUNK)
            return wrapped
        return _read(fh, length)

    def respond(self, method: str, raw_path: str, headers: dict[str, str]) -> Response:
        if method not in ("GET", "HEAD"):
            return _error(501, [("Allow", "GET, HEAD")])
        try:
            path = raw_path.encode("latin-1").decode("utf-8")  # PEP 3333: bytes as latin-1
        except UnicodeError:
            return _error(404)
        if self.token:
            first, slash, rest = path.lstrip("/").partition("/")
            if not hmac.compare_digest(first.encode(), self.token.encode()):
                return _error(404)
            if not slash:  # "/TOKEN": the page's relative links need the slash
                return Response(_status(301), [("Location", f"/{self.token}/")])
            path = "/" + rest
        real = resolve(self.root, path)
        if real is None:
            return _error(404)
        fh = open(real, "rb")  # noqa: SIM115 (closed by the server, or below)
        try:
            stat = os.fstat(fh.fileno())
            at_root = real.parent == self.root
            if at_root and real.name in (FEED_NAME, PAGE_NAME):
                data = self._dynamic(real, fh, stat)
                fh.close()
                return self._send(real, headers, io.BytesIO(data), len(data), _etag(data), stat)
            tag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
            return self._send(real, headers, fh, stat.st_size, tag, stat)
        except BaseException:
            fh.close()
            raise

    def _dynamic(self, path: Path, fh: BinaryIO, stat: os.stat_result) -> bytes:
        """The feed with links under `public_url`, or the page with its subscribe box."""
        key = (path.name, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        data = fh.read()
        if path.name == FEED_NAME:
            # A feed not built by briefing (edited by hand?) that does not parse goes as is.
            with contextlib.suppress(ET.ParseError):
                data = rebase(data, self.public_url, self.built_base)
        else:
            data = with_feed_url(data, self.public_url + FEED_NAME)
        with self._lock:
            self._cache = {key: data, **{k: v for k, v in self._cache.items() if k[0] != path.name}}
        return data

    def _send(
        self,
        path: Path,
        headers: dict[str, str],
        body: BinaryIO,
        size: int,
        etag: str,
        stat: os.stat_result,
    ) -> Response:
        common = [
            ("ETag", etag),
            ("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True)),
            ("Cache-Control", "no-cache"),  # revalidate: the feed changes daily
        ]
        outcome = evaluate(headers, etag, stat.st_mtime)
        if outcome is not Outcome.SEND:
            body.close()
            if outcome is Outcome.NOT_MODIFIED:
                return Response(_status(304), common)
            return _error(412)
        wanted = None
        try:
            if range_applies(headers.get("if-range"), etag, stat.st_mtime):
                wanted = parse_range(headers.get("range"), size)
        except Unsatisfiable:
            body.close()
            return Response(
                _status(416), [("Content-Range", f"bytes */{size}"), ("Content-Length", "0")]
            )
        out = [
            ("Content-Type", content_type(path)),
            ("Accept-Ranges", "bytes"),
            *common,
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),  # a token in the URL stays here
        ]
        if path.name.endswith(_SHARED_SUFFIXES):
            out.append(("Access-Control-Allow-Origin", "*"))
        if path.suffix == ".html":
            out.append(("Content-Security-Policy", _PAGE_POLICY))
        if wanted is None:
            status, start, length = _status(200), 0, size
        else:
            status, start, length = _status(206), wanted.start, wanted.length
            out.append(("Content-Range", f"bytes {wanted.start}-{wanted.end}/{size}"))
        out.append(("Content-Length", str(length)))
        body.seek(start)
        return Response(status, out, (body, length))


def _path_text(raw_path: str) -> str:
    return raw_path.encode("latin-1", "replace").decode("utf-8", "replace")


def _error(code: int, extra: list[tuple[str, str]] | None = None) -> Response:
    body = f"{_status(code)}\n".encode()
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        *(extra or []),
    ]
    return Response(_status(code), headers, body)


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:24] + '"'


def _read(fh: BinaryIO, length: int) -> Iterator[bytes]:
    with fh:
        while length > 0:
            chunk = fh.read(min(_CHUNK, length))
            if not chunk:
                break  # the file shrank under us; the client sees a short body
            length -= len(chunk)
            yield chunk


# --- the server -----------------------------------------------------------------------


class _Parser(HTTPRequestParser):
    """waitress's request parser, remembering when the request began to arrive."""

    def __init__(self, adj: Adjustments) -> None:
        super().__init__(adj)
        self.started = time.time()


class _Channel(HTTPChannel):
    parser_class = _Parser


class _EscapedLog(logging.Filter):
    """waitress logs request paths; escape them like the access log does."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = printable(record.getMessage(), 1000), ()
        return True


_waitress_log = logging.getLogger("waitress")
if not any(isinstance(f, _EscapedLog) for f in _waitress_log.filters):
    _waitress_log.addFilter(_EscapedLog())


class Server(TcpWSGIServer):
    """waitress's TCP server with a request timeout and a thread-safe stop."""

    channel_class = _Channel
    directory: Path = Path()
    base_url: str = ""  # the public URL of the served directory (token included)
    token: str = ""
    request_timeout_s: float = REQUEST_TIMEOUT_S
    _stop: threading.Event
    _stopped: threading.Event

    @property
    def server_address(self) -> tuple[str, int]:
        return (self.effective_host, int(self.effective_port))

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # idle connections (adj.channel_timeout)
        cutoff = now - self.request_timeout_s
        for channel in list(self.active_channels.values()):
            request = channel.request
            # A request in progress is always a _Parser (the channel's parser_class).
            if isinstance(request, _Parser) and not channel.requests and request.started < cutoff:
                channel.will_close = True  # a slow or stalled request: drop it

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until `shutdown()` (from another thread) or Ctrl-C."""
        self._stopped.clear()
        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=poll_interval, map=self._map, use_poll=True, count=1)
        finally:
            for channel in list(self._map.values()):
                if channel is not self and channel is not self.trigger:
                    with contextlib.suppress(OSError):
                        channel.handle_close()
            self.task_dispatcher.shutdown(timeout=2)
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self.pull_trigger()
        self._stopped.wait(10)

    def server_close(self) -> None:
        with contextlib.suppress(OSError):
            self.close()


def make_server(
    directory: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    quiet: bool = False,
    token: str | None = None,
    base_url: str | None = None,
    threads: int = THREADS,
    idle_timeout_s: int = IDLE_TIMEOUT_S,
    request_timeout_s: float = REQUEST_TIMEOUT_S,
    access_log: Callable[[str], None] | None = None,
) -> Server:
    """A server for `directory` bound to host:port (port 0: any free port).

    `token`: serve everything under /TOKEN/ only. `base_url`: the public address of the
    directory (as `[feed] base_url`); without it links use the bound address. Each
    request is logged to `access_log` (default stderr; `quiet` turns it off).
    """
    if not directory.is_dir():
        raise UsageError(
            f"{directory} is not a directory; run `briefing run` first or pass --output DIR"
        )
    secret = check_token(token)
    built_base = check_base_url(base_url)
    if access_log is None and not quiet:
        access_log = _stderr
    app = App(
        directory,
        "",
        token=secret,
        built_base=built_base,
        access_log=None if quiet else access_log,
        file_wrapper=True,
    )
    try:
        server = Server(
            app,
            host=host,
            port=port,
            threads=threads,
            backlog=BACKLOG,
            connection_limit=_connection_limit(),
            channel_timeout=idle_timeout_s,
            cleanup_interval=1,
            asyncore_use_poll=True,  # select() fails past 1,024 open sockets
            ident="briefing",
            expose_tracebacks=False,
        )
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise UsageError(
            f"cannot listen on {host}:{port} ({reason}); pick another --port or --host"
        ) from None
    server._stop, server._stopped = threading.Event(), threading.Event()
    server.directory = directory
    server.token = secret
    server.request_timeout_s = request_timeout_s
    server.base_url = public_url(server, built_base, secret)
    app.public_url = server.base_url
    return server


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")


def _connection_limit() -> int:
    try:
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (OSError, ValueError):
        return 200
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(50, min(MAX_CONNECTIONS, soft - 64))  # room for the files being served


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, the default route's first.

    No packet is sent: connecting a UDP socket only asks the kernel for a route.
    """
    found: list[str] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: documentation only, never reached
        found.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    usable = [a for a in found if not a.startswith(("127.", "169.254.", "0."))]
    return list(dict.fromkeys(usable))


def addresses(server: Server) -> list[str]:
    """http://HOST:PORT/ for each address the server can be reached at."""
    host, port = server.server_address
    if host in _WILDCARDS:
        return [_url(a, port) for a in lan_addresses()] + [_url("127.0.0.1", port)]
    return [_url(host, port)]


def public_url(server: Server, base_url: str, token: str) -> str:
    """Where the served directory is, for links: base_url, else the bound address (the
    first LAN address when bound to all of them); then the token's path segment."""
    base = base_url or addresses(server)[0]
    return base + (f"{token}/" if token else "")


def address(server: Server) -> str:
    """The URL of the served directory (token included)."""
    return server.base_url


def startup_lines(server: Server) -> list[str]:
    """What `briefing serve` prints: where the page and feed are, a QR code of the feed
    URL to scan with a phone, and who can connect."""
    host, _port = server.server_address
    segment = f"{server.token}/" if server.token else ""
    lines = [f"serving {server.directory} (Ctrl-C stops)"]
    for url in addresses(server):
        lines.append(f"  page: {url}{segment}")
        lines.append(f"  feed: {url}{segment}{FEED_NAME}")
    feed = server.base_url + FEED_NAME
    if not server.base_url.startswith(tuple(addresses(server))):
        lines.append(f"  feed as published (base_url): {feed}")
    lines.append(f"scan to subscribe on your phone ({feed}):")
    lines.append(qr_text(feed))
    if host.startswith("127.") or host == "::1":
        lines.append(
            f"only this computer can connect (listening on {host}); "
            "`--host 0.0.0.0` lets a phone on your network in"
        )
    elif not server.token:
        lines.append(
            "anyone on your network can fetch these files; set [serve] token to keep "
            "the feed private"
        )
    if not (server.directory / FEED_NAME).is_file():
        lines.append(f"there is no {FEED_NAME} yet: `briefing publish` or `briefing run` makes it")
    return lines


QR_BORDER = 4  # modules of quiet zone, as the QR standard asks
_QR_COLOURS = "\x1b[30;107m"  # black on bright white, whatever the terminal's own colours
_QR_RESET = "\x1b[0m"
# Two modules per character cell, (top dark, bottom dark) -> the glyph drawn in black.
_QR_CELLS = {
    (False, False): " ",
    (True, False): "\u2580",
    (False, True): "\u2584",
    (True, True): "\u2588",
}


def qr_text(data: str) -> str:
    """A QR code of `data` for a terminal, two modules per character cell: dark modules
    drawn in black on a white background set explicitly, so it scans on light and dark
    terminals alike (a plain one is inverted on one of them)."""
    qr = segno.make(data, error="m")
    rows = [[bool(dark) for dark in row] for row in qr.matrix_iter(border=QR_BORDER)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        cells = "".join(_QR_CELLS[pair] for pair in zip(top, bottom, strict=True))
        lines.append(f"{_QR_COLOURS}{cells}{_QR_RESET}")
    return "\n".join(lines)


def serve_forever(server: Server, announce: Callable[[str], None] = print) -> None:
    """Print the startup lines, serve until Ctrl-C or SIGTERM, then close the socket."""
    if threading.current_thread() is threading.main_thread():
        # `kill` and service managers send SIGTERM: stop as cleanly as on Ctrl-C. Set
        # before the startup lines, which tell a watcher the server is up and stoppable.
        signal.signal(signal.SIGTERM, _interrupt)
    for line in startup_lines(server):
        announce(line)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        announce("stopped")
    finally:
        server.server_close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
