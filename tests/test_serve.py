"""`briefing serve`: real HTTP requests on 127.0.0.1: ranges, types, and what is never served."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.errors import UsageError
from briefing.publish import publish
from briefing.publish.serve import Server, make_server, parse_range
from briefing.settings import Settings
from tests.test_publish import episode, story

VENV_BRIEFING = Path(sys.executable).absolute().parent / "briefing"
SIZE = 300_001
SECRET = b"outside the output directory"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    directory = tmp_path / "output"
    mp3 = episode(directory, "2026-11-24", [story("Storm hits coast")])
    mp3.write_bytes(os.urandom(SIZE))
    publish(Settings.build(output_dir=directory))  # feed.xml without base_url: relative links
    state = directory / ".briefing"
    (state / "seen.json").write_text('{"briefed": {"url:https://secret.example/": "2026-11-24"}}')
    (state / "briefing.log").write_text("log line\n")
    (directory / ".briefing.lock").write_text("123\n")
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (directory / "sub").mkdir()
    (directory / "sub" / "note.txt").write_text("listed?")
    (directory / "out-link.txt").symlink_to(tmp_path / "secret.txt")
    (directory / "out-dir").symlink_to(tmp_path)
    (directory / "state-link.json").symlink_to(state / "seen.json")
    (directory / "in-link.txt").symlink_to(directory / "briefing-2026-11-24.txt")
    return directory


@pytest.fixture
def server(out: Path) -> Iterator[Server]:
    srv = make_server(out, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def get(
    server: Server, path: str, method: str = "GET", **headers: str
) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    try:
        conn.request(method, path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def test_whole_file_with_accept_ranges(server: Server, out: Path) -> None:
    response, body = get(server, "/briefing-2026-11-24.mp3")
    assert response.status == 200
    assert response.getheader("Content-Type") == "audio/mpeg"
    assert response.getheader("Accept-Ranges") == "bytes"
    assert int(response.getheader("Content-Length")) == SIZE
    assert body == (out / "briefing-2026-11-24.mp3").read_bytes()


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=0-0", 0, 0),
        ("bytes=1000-", 1000, SIZE - 1),
        ("bytes=-500", SIZE - 500, SIZE - 1),
        ("bytes=-999999999", 0, SIZE - 1),  # a suffix longer than the file: all of it
        ("bytes=299990-999999", 299990, SIZE - 1),  # an end past the file is clamped
        (f"bytes={SIZE - 1}-{SIZE - 1}", SIZE - 1, SIZE - 1),
    ],
)
def test_single_ranges_get_206(
    server: Server, out: Path, header: str, start: int, end: int
) -> None:
    data = (out / "briefing-2026-11-24.mp3").read_bytes()
    response, body = get(server, "/briefing-2026-11-24.mp3", Range=header)
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes {start}-{end}/{SIZE}"
    assert int(response.getheader("Content-Length")) == end - start + 1 == len(body)
    assert body == data[start : end + 1]
    assert response.getheader("Content-Type") == "audio/mpeg"


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"])
def test_unsatisfiable_ranges_get_416(server: Server, header: str) -> None:
    response, body = get(server, "/briefing-2026-11-24.mp3", Range=header)
    assert response.status == 416
    assert response.getheader("Content-Range") == f"bytes */{SIZE}"
    assert body == b""


@pytest.mark.parametrize(
    "header", ["bytes=abc", "bytes=0-1,5-6", "bytes=9-2", "items=0-5", "bytes=-", "bytes=1.5-"]
)
def test_ranges_we_do_not_serve_are_ignored_for_the_whole_file(server: Server, header: str) -> None:
    response, body = get(server, "/briefing-2026-11-24.mp3", Range=header)
    assert response.status == 200 and len(body) == SIZE


def test_if_range_with_an_old_etag_sends_the_whole_file(server: Server) -> None:
    first, _ = get(server, "/briefing-2026-11-24.mp3")
    etag = first.getheader("ETag")
    same, body = get(server, "/briefing-2026-11-24.mp3", Range="bytes=0-9", If_Range=etag)
    assert same.status == 206 and len(body) == 10
    old, body = get(server, "/briefing-2026-11-24.mp3", Range="bytes=0-9", If_Range='"old"')
    assert old.status == 200 and len(body) == SIZE
    cached, body = get(server, "/briefing-2026-11-24.mp3", If_None_Match=etag)
    assert cached.status == 304 and body == b""


def test_head_sends_the_headers_only(server: Server) -> None:
    response, body = get(server, "/briefing-2026-11-24.mp3", method="HEAD")
    assert response.status == 200 and body == b""
    assert int(response.getheader("Content-Length")) == SIZE
    assert response.getheader("Accept-Ranges") == "bytes"
    ranged, body = get(server, "/briefing-2026-11-24.mp3", method="HEAD", Range="bytes=10-19")
    assert ranged.status == 206 and body == b""
    assert ranged.getheader("Content-Range") == f"bytes 10-19/{SIZE}"
    missing, body = get(server, "/nope.mp3", method="HEAD")
    assert missing.status == 404 and body == b""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/feed.xml", "application/rss+xml; charset=utf-8"),
        ("/briefing-2026-11-24.txt", "text/plain; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
        ("/cover.png", "image/png"),
        ("/briefing-2026-11-24.json", "application/json"),
        ("/in-link.txt", "text/plain; charset=utf-8"),  # a link that stays inside is fine
    ],
)
def test_content_types(server: Server, path: str, kind: str) -> None:
    response, body = get(server, path)
    assert response.status == 200, path
    assert response.getheader("Content-Type") == kind
    assert body


def test_root_is_the_web_page(server: Server, out: Path) -> None:
    _, body = get(server, "/")
    assert body == (out / "index.html").read_bytes()
    _, query = get(server, "/index.html?utm=1#top")
    assert query == body


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/sub/../../secret.txt",
        "/sub/%2e%2e/%2e%2e/secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/%2Fetc%2Fpasswd",
        "http://127.0.0.1/../secret.txt",
        "/out-link.txt",  # symlink to a file outside
        "/out-dir/secret.txt",  # symlink to a directory outside
        "/out-dir/",
        "/..\\secret.txt",
        "/%00secret.txt",
        "/%ff%fe",
    ],
)
def test_nothing_outside_the_directory_is_served(server: Server, path: str) -> None:
    response, body = get(server, path)
    assert response.status == 404, path
    assert SECRET not in body and b"root:" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/.briefing/seen.json",
        "/.briefing/briefing.log",
        "/.briefing/",
        "/.briefing",
        "/%2ebriefing/seen.json",
        "/.briefing.lock",
        "/sub/../.briefing/seen.json",
        "/state-link.json",  # a symlink into the hidden state is hidden too
    ],
)
def test_hidden_state_is_never_served(server: Server, path: str) -> None:
    response, body = get(server, path)
    assert response.status == 404, path
    assert b"secret.example" not in body and b"log line" not in body


def test_directories_are_never_listed(server: Server) -> None:
    for path in ("/sub/", "/sub"):
        response, body = get(server, path)
        assert response.status == 404
        assert b"note.txt" not in body
    response, body = get(server, "/sub/note.txt")
    assert response.status == 200 and body == b"listed?"


def test_only_get_and_head(server: Server, out: Path) -> None:
    before = sorted(p.name for p in out.iterdir())
    for method in ("POST", "PUT", "DELETE"):
        response, _ = get(server, "/briefing-2026-11-24.mp3", method=method)
        assert response.status == 501
    assert sorted(p.name for p in out.iterdir()) == before


def test_the_feed_links_use_the_address_the_phone_used(server: Server) -> None:
    _, body = get(server, "/feed.xml", Host="192.168.1.20:8000")
    assert b'url="http://192.168.1.20:8000/briefing-2026-11-24.mp3"' in body
    assert b'href="http://192.168.1.20:8000/cover.png"' in body
    # A Host header that is not a host name falls back to the server's own address.
    port = server.server_address[1]
    _, body = get(server, "/feed.xml", Host='evil"><x')
    assert f'url="http://127.0.0.1:{port}/briefing-2026-11-24.mp3"'.encode() in body
    assert b"evil" not in body
    ranged, part = get(server, "/feed.xml", Host="192.168.1.20:8000", Range="bytes=0-4")
    assert ranged.status == 206 and part == b"<?xml"


def test_requests_are_served_in_parallel(server: Server) -> None:
    # A client that sends half a request holds one thread; others are still answered.
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5) as stuck:
        stuck.sendall(b"GET /briefing-2026-11-24.mp3 HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        response, _ = get(server, "/feed.xml")
        assert response.status == 200
        assert time.monotonic() - started < 5


def test_binds_to_localhost_by_default(out: Path) -> None:
    srv = make_server(out, port=0, quiet=True)
    try:
        assert srv.server_address[0] == "127.0.0.1"
    finally:
        srv.server_close()


def test_a_port_in_use_or_missing_directory_is_a_usage_error(out: Path, tmp_path: Path) -> None:
    srv = make_server(out, port=0, quiet=True)
    try:
        with pytest.raises(UsageError, match=r"cannot listen on 127\.0\.0\.1:.*another --port"):
            make_server(out, port=srv.server_address[1], quiet=True)
    finally:
        srv.server_close()
    with pytest.raises(UsageError, match="is not a directory; run `briefing run` first"):
        make_server(tmp_path / "nowhere", port=0)


def test_parse_range_edges() -> None:
    assert parse_range(None, 10) is None
    assert parse_range("bytes=0-", 10).length == 10  # type: ignore[union-attr]
    assert parse_range("bytes = 2 - 3", 10).length == 2  # type: ignore[union-attr]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_command_runs_until_ctrl_c(out: Path, stop: signal.Signals) -> None:
    proc = subprocess.Popen(
        [str(VENV_BRIEFING), "serve", "--port", "0", "--output", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "no_proxy": "127.0.0.1"},
    )
    try:
        line = proc.stderr.readline()  # type: ignore[union-attr]
        assert line.startswith(f"serving {out} at http://127.0.0.1:"), line
        port = int(line.split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/feed.xml")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(stop)
        _, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "stopped" in err and "Traceback" not in err


def test_a_feed_that_does_not_parse_is_served_as_it_is(server: Server, out: Path) -> None:
    (out / "feed.xml").write_bytes(b"<rss><channel>hand-edited")
    response, body = get(server, "/feed.xml")
    assert response.status == 200 and body == b"<rss><channel>hand-edited"
