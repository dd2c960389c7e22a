"""`briefing serve`: the output directory over HTTP, read-only, for a phone on the network.

Podcast apps and Safari fetch audio in pieces, so single byte ranges are answered with
206 Partial Content (and 416 when they cannot be). Only regular, non-hidden files inside
the directory are served: no listings, nothing under `.briefing/` (the seen-articles
cache and logs), no `..`, no symlink leading out.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import io
import mimetypes
import os
import re
import signal
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET

from briefing.errors import UsageError
from briefing.publish.feed import FEED_NAME, PAGE_NAME, absolutize

DEFAULT_HOST = "127.0.0.1"  # this machine only, unless `--host` says otherwise
DEFAULT_PORT = 8000
_CHUNK = 256 * 1024
_TYPES = {
    ".mp3": "audio/mpeg",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
_HOST_RE = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$")
_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def content_type(path: Path) -> str:
    if path.name == FEED_NAME:
        return "application/rss+xml; charset=utf-8"
    suffix = path.suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def resolve(root: Path, target: str) -> Path | None:
    """The file under `root` that the request target names, or None when it must not be
    served.

    `root` must already be resolved. Hidden names (`.briefing/` with the seen-articles
    cache and logs, `.briefing.lock`, half-written `.part` files), `..`, NUL bytes and
    anything that resolves outside `root` or into a hidden name (symlinks included) are
    refused; a directory means its index.html, never a listing.
    """
    # "//etc/passwd" is a path here, not a host: only absolute-form targets have one.
    raw = urlsplit(target).path if not target.startswith("/") else target
    path = unquote(raw.split("?", 1)[0].split("#", 1)[0], errors="strict")
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p.startswith(".") for p in parts):
        return None  # hidden state, ".." and "." alike
    try:
        real = root.joinpath(*parts).resolve(strict=True)
        if real.is_dir():
            real = (real / PAGE_NAME).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(root) or not real.is_file():
        return None
    if any(p.startswith(".") for p in real.relative_to(root).parts):
        return None  # a link to .briefing/seen.json is still hidden state
    return real


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    """The range lies wholly outside the file: 416."""


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """One `bytes=` range of a file of `size` bytes; None means send the whole file.

    A header that is malformed or asks for several ranges is ignored (RFC 9110 allows a
    server to ignore Range), which answers 200 with the whole file.
    """
    if not header:
        return None
    match = _RANGE_RE.match(header.strip().replace(" ", ""))
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first == "":  # bytes=-N: the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(first)
    if last and int(last) < start:
        return None  # invalid: ignored
    if start >= size:
        raise Unsatisfiable
    return ByteRange(start, min(int(last), size - 1) if last else size - 1)


def make_handler(root: Path, quiet: bool = False) -> type[BaseHTTPRequestHandler]:
    root = root.resolve()

    class Handler(BaseHTTPRequestHandler):
        server_version = "briefing"
        sys_version = ""
        protocol_version = "HTTP/1.1"  # keep-alive: players make many range requests

        def log_message(self, format: str, *args: object) -> None:
            if not quiet:
                sys.stderr.write(f"{self.address_string()} {format % args}\n")

        def do_GET(self) -> None:
            self._serve(head=False)

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def _serve(self, head: bool) -> None:
            try:
                path = resolve(root, self.path)
            except UnicodeDecodeError:
                path = None
            if path is None:
                self._error(HTTPStatus.NOT_FOUND, head)
                return
            try:
                fh: BinaryIO = open(path, "rb")  # noqa: SIM115 (closed below)
            except OSError:  # deleted between resolve and open (retention)
                self._error(HTTPStatus.NOT_FOUND, head)
                return
            with fh:
                if path.name == FEED_NAME and path.parent == root:
                    self._send_feed(path, head, fh.read())
                    return
                stat = os.fstat(fh.fileno())
                tag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
                self._send(path, head, fh, stat.st_size, tag, stat.st_mtime)

        def _send_feed(self, path: Path, head: bool, data: bytes) -> None:
            # A feed not built by briefing (edited by hand?) that does not parse goes as is.
            with contextlib.suppress(ET.ParseError):
                data = absolutize(data, self._base_url())
            self._send(path, head, io.BytesIO(data), len(data), _etag(data))

        def _send(
            self,
            path: Path,
            head: bool,
            body: BinaryIO,
            size: int,
            etag: str,
            mtime: float | None = None,
        ) -> None:
            if self.headers.get("If-None-Match") == etag:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            try:
                wanted = parse_range(self.headers.get("Range"), size)
            except Unsatisfiable:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if_range = self.headers.get("If-Range")
            if wanted is not None and if_range is not None and if_range != etag:
                wanted = None  # the client's copy is outdated: send it all
            if wanted is None:
                self.send_response(HTTPStatus.OK)
                start, length = 0, size
            else:
                self.send_response(HTTPStatus.PARTIAL_CONTENT)
                self.send_header("Content-Range", f"bytes {wanted.start}-{wanted.end}/{size}")
                start, length = wanted.start, wanted.length
            self.send_header("Content-Type", content_type(path))
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("ETag", etag)
            if mtime is not None:
                self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-cache")  # revalidate: the feed changes daily
            self.end_headers()
            if not head:
                body.seek(start)
                _copy(body, self.wfile, length)

        def _error(self, status: HTTPStatus, head: bool) -> None:
            body = f"{status.value} {status.phrase}\n".encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _base_url(self) -> str:
            """http://HOST/ as the client addressed us, for a feed built without base_url."""
            host = self.headers.get("Host", "")
            if not _HOST_RE.match(host):
                bound = self.server.server_address
                name = bound[0] if bound[0] not in ("0.0.0.0", "::") else "127.0.0.1"
                host = f"[{name}]:{bound[1]}" if ":" in name else f"{name}:{bound[1]}"
            return f"http://{host}/"

        def handle(self) -> None:
            # Players drop connections mid-file all the time; that is not an error.
            with contextlib.suppress(ConnectionResetError, BrokenPipeError, TimeoutError):
                super().handle()

    return Handler


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:24] + '"'


def _copy(src: BinaryIO, dst: BinaryIO, length: int) -> None:
    while length > 0:
        chunk = src.read(min(_CHUNK, length))
        if not chunk:
            break  # the file shrank under us; the client sees a short body
        dst.write(chunk)
        length -= len(chunk)


class Server(ThreadingHTTPServer):
    daemon_threads = True  # Ctrl-C does not wait for a phone that keeps a connection open
    # Re-running `briefing serve` right after stopping it must not fail with "in use".
    allow_reuse_address = True
    directory: Path = Path()


def make_server(
    directory: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, quiet: bool = False
) -> Server:
    """A server for `directory` bound to host:port (port 0: any free port)."""
    if not directory.is_dir():
        raise UsageError(
            f"{directory} is not a directory; run `briefing run` first or pass --output DIR"
        )

    class Bound(Server):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

    try:
        server = Bound((host, port), make_handler(directory, quiet))
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); pick another --port or --host"
        ) from None
    server.directory = directory
    return server


def address(server: Server) -> str:
    """http://HOST:PORT/ of a running server."""
    host, port = server.server_address[:2]
    return f"http://[{host}]:{port}/" if ":" in str(host) else f"http://{host}:{port}/"


def serve_forever(server: Server, announce: Callable[[str], None] = print) -> None:
    """Serve until Ctrl-C, then close the socket and return."""
    url = address(server)
    announce(f"serving {server.directory} at {url} (feed: {url}{FEED_NAME}); Ctrl-C stops")
    if server.server_address[0] in ("0.0.0.0", "::"):
        announce(
            "listening on every network address: on your phone use this computer's address "
            "(`hostname -I`), like http://192.168.1.20:" + f"{server.server_address[1]}/"
        )
    if not (server.directory / FEED_NAME).is_file():
        announce(f"there is no {FEED_NAME} yet: `briefing publish` (or `briefing run`) makes it")
    if threading.current_thread() is threading.main_thread():
        # `kill` and service managers send SIGTERM: stop as cleanly as on Ctrl-C.
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        announce("stopped")
    finally:
        server.server_close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
