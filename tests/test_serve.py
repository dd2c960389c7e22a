"""`briefing serve`: real HTTP requests on 127.0.0.1: ranges, types, and what is never served."""

from __future__ import annotations

import email.utils
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import segno

from briefing.errors import ConfigError, UsageError
from briefing.publish import publish
from briefing.publish import serve as serve_module
from briefing.publish.feed import NAMESPACES, podcast_guid
from briefing.publish.http_rules import ByteRange, Unsatisfiable, entity_tags, parse_range
from briefing.publish.page import with_feed_url
from briefing.publish.serve import (
    Server,
    address,
    lan_addresses,
    make_server,
    qr_text,
    startup_lines,
)
from briefing.settings import Settings
from tests.test_publish import episode, story

PODCAST = f"{{{NAMESPACES['podcast']}}}"
VENV_BRIEFING = Path(sys.executable).absolute().parent / "briefing"
SIZE = 300_001
SECRET = b"outside the output directory"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One episode, published once for the module (publishing draws the cover): each test
    serves its own copy."""
    directory = tmp_path_factory.mktemp("published") / "output"
    mp3 = episode(directory, "2026-11-24", [story("Storm hits coast")])
    mp3.write_bytes(os.urandom(SIZE))
    publish(Settings.build(output_dir=directory))  # feed.xml without base_url: relative links
    return directory


@pytest.fixture
def out(tmp_path: Path, published: Path) -> Path:
    directory = tmp_path / "output"
    shutil.copytree(published, directory)
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
    assert int(response.getheader("Content-Length", "")) == SIZE
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
    assert int(response.getheader("Content-Length", "")) == end - start + 1 == len(body)
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
    etag = first.getheader("ETag", "")
    same, body = get(server, "/briefing-2026-11-24.mp3", Range="bytes=0-9", If_Range=etag)
    assert same.status == 206 and len(body) == 10
    old, body = get(server, "/briefing-2026-11-24.mp3", Range="bytes=0-9", If_Range='"old"')
    assert old.status == 200 and len(body) == SIZE
    cached, body = get(server, "/briefing-2026-11-24.mp3", If_None_Match=etag)
    assert cached.status == 304 and body == b""


def test_head_sends_the_headers_only(server: Server) -> None:
    response, body = get(server, "/briefing-2026-11-24.mp3", method="HEAD")
    assert response.status == 200 and body == b""
    assert int(response.getheader("Content-Length", "")) == SIZE
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
    # The page on disk, with the subscribe box for the address it is served from.
    assert body == with_feed_url((out / "index.html").read_bytes(), address(server) + "feed.xml")
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
    # A shell starts a background job (`pytest ... &`) with SIGINT ignored, and an ignored
    # signal stays ignored in every child: the server would never see this Ctrl-C. Start
    # it as a terminal's foreground command is started, with SIGINT's default action.
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(
            [str(VENV_BRIEFING), "serve", "--port", "0", "--output", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "no_proxy": "127.0.0.1"},
        )
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    assert proc.stderr is not None
    try:
        lines: list[str] = []
        while not lines or not lines[-1].startswith(("only this computer", "there is no")):
            lines.append(proc.stderr.readline())
            assert lines[-1], lines
        assert lines[0] == f"serving {out} (Ctrl-C stops)\n"
        assert lines[1].startswith("  page: http://127.0.0.1:"), lines
        port = int(lines[1].split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
        err = "".join(lines)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/feed.xml")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(stop)
        err += proc.communicate(timeout=10)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "stopped" in err and "Traceback" not in err
    assert f"  feed: http://127.0.0.1:{port}/feed.xml" in err
    assert "scan to subscribe" in err and "\u2588" in err  # the QR code's blocks
    assert "only this computer can connect (listening on 127.0.0.1)" in err


def test_sigterm_stops_cleanly_as_soon_as_the_startup_lines_say_it_is_up(out: Path) -> None:
    # A watcher (the test above, a service manager) may send SIGTERM the moment it reads
    # the startup lines: the handler must be in place before the first one is printed.
    srv = make_server(out, "127.0.0.1", 0, quiet=True)
    handlers: list[object] = []
    lines: list[str] = []

    def announce(line: str) -> None:
        handlers.append(signal.getsignal(signal.SIGTERM))
        lines.append(line)

    def stopped_at_once(poll_interval: float = 0.5) -> None:
        raise KeyboardInterrupt

    srv.serve_forever = stopped_at_once  # type: ignore[method-assign]
    before = signal.getsignal(signal.SIGTERM)
    try:
        serve_module.serve_forever(srv, announce)
    finally:
        signal.signal(signal.SIGTERM, before)
    assert lines[0].startswith("serving ") and lines[-1] == "stopped"
    assert handlers[0] is serve_module._interrupt and len(set(map(id, handlers))) == 1


def test_a_feed_that_does_not_parse_is_served_as_it_is(server: Server, out: Path) -> None:
    (out / "feed.xml").write_bytes(b"<rss><channel>hand-edited")
    response, body = get(server, "/feed.xml")
    assert response.status == 200 and body == b"<rss><channel>hand-edited"


# --- links come from the bound address or base_url, never from the request -----------


def test_feed_links_never_come_from_the_host_header(server: Server) -> None:
    port = server.server_address[1]
    for host in ("192.168.1.20:8000", 'evil"><x', "attacker.example"):
        _, body = get(server, "/feed.xml", Host=host)
        assert f'url="http://127.0.0.1:{port}/briefing-2026-11-24.mp3"'.encode() in body
        assert host.encode() not in body
    _, page = get(server, "/", Host="attacker.example")
    assert f'href="http://127.0.0.1:{port}/feed.xml"'.encode() in page
    assert b"attacker" not in page
    ranged, part = get(server, "/feed.xml", Range="bytes=0-4")
    assert ranged.status == 206 and part == b"<?xml"


def serving(out: Path, **options: object) -> Iterator[Server]:
    srv = make_server(out, "127.0.0.1", 0, quiet=True, **options)  # type: ignore[arg-type]
    threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def test_base_url_gives_the_links_and_a_feed_built_with_it_keeps_them(out: Path) -> None:
    publish(Settings.build(output_dir=out, base_url="https://pod.example/b/"))
    for srv in serving(out, base_url="https://pod.example/b/"):
        _, body = get(srv, "/feed.xml", Host="192.168.1.20:8000")
        assert b'url="https://pod.example/b/briefing-2026-11-24.mp3"' in body
        assert b"127.0.0.1" not in body and b"192.168" not in body
        guid = ET.fromstring(body).find(f"channel/{PODCAST}guid")
        assert guid is not None and guid.text == podcast_guid("https://pod.example/b/feed.xml")


TOKEN = "s3cret-Token_0123456789"


def test_a_token_hides_everything_but_its_own_path(out: Path) -> None:
    for srv in serving(out, token=TOKEN):
        port = srv.server_address[1]
        assert srv.base_url == f"http://127.0.0.1:{port}/{TOKEN}/"
        response, body = get(srv, f"/{TOKEN}/feed.xml")
        assert response.status == 200
        assert f'url="http://127.0.0.1:{port}/{TOKEN}/briefing-2026-11-24.mp3"'.encode() in body
        assert get(srv, f"/{TOKEN}/briefing-2026-11-24.mp3", Range="bytes=0-9")[0].status == 206
        page = get(srv, f"/{TOKEN}/")[1]
        assert f"http://127.0.0.1:{port}/{TOKEN}/feed.xml".encode() in page
        redirect, _ = get(srv, f"/{TOKEN}")
        assert redirect.status == 301 and redirect.getheader("Location") == f"/{TOKEN}/"
        for path in (
            "/",
            "/feed.xml",
            "/index.html",
            "/briefing-2026-11-24.mp3",
            f"/{TOKEN[:-1]}/feed.xml",
            f"/{TOKEN}x/feed.xml",
            f"/{TOKEN.upper()}/feed.xml",
            f"/{TOKEN}/.briefing/seen.json",
            f"/{TOKEN}/../secret.txt",
            f"/x/{TOKEN}/feed.xml",
            # A file with a trailing slash: the page served there broke every relative link.
            f"/{TOKEN}/index.html/",
            f"/{TOKEN}/feed.xml/",
            f"/{TOKEN}/briefing-2026-11-24.mp3/",
        ):
            response, body = get(srv, path)
            assert response.status == 404, path
            assert TOKEN.encode() not in body and b"secret.example" not in body


@pytest.mark.parametrize(
    "token", ["short", "has space in it 0123456", "slash/in/the/token/x", "é" * 20]
)
def test_a_token_must_be_a_long_url_safe_secret(out: Path, token: str) -> None:
    with pytest.raises(ConfigError, match=r"\[serve\] token must be 16 to 128 letters"):
        make_server(out, port=0, token=token)


def test_startup_lines_list_every_lan_address_with_a_qr_code(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve_module, "lan_addresses", lambda: ["192.168.1.20", "10.0.0.7"])
    srv = make_server(out, "0.0.0.0", 0, quiet=True, token=TOKEN)
    try:
        port = srv.server_address[1]
        lines = startup_lines(srv)
    finally:
        srv.server_close()
    feed = f"http://192.168.1.20:{port}/{TOKEN}/feed.xml"
    assert srv.base_url + "feed.xml" == feed  # the feed's links: the first LAN address
    for host in ("192.168.1.20", "10.0.0.7", "127.0.0.1"):
        assert f"  page: http://{host}:{port}/{TOKEN}/" in lines
        assert f"  feed: http://{host}:{port}/{TOKEN}/feed.xml" in lines
    assert qr_text(feed) in lines
    qr = qr_text(feed).splitlines()
    size = segno.make(feed, error="m").symbol_size(border=4)
    assert len(qr) == (size[1] + 1) // 2
    assert not any("only this computer" in line for line in lines)
    local = make_server(out, port=0, quiet=True)
    try:
        assert any("only this computer can connect" in line for line in startup_lines(local))
    finally:
        local.server_close()


def test_lan_addresses_are_never_loopback() -> None:
    found = lan_addresses()
    assert all(not a.startswith(("127.", "169.254.")) for a in found)
    assert len(found) == len(set(found))


# --- RFC 9110 validators, preconditions and ranges ------------------------------------


def test_if_none_match_compares_weakly_and_takes_lists(server: Server) -> None:
    first, _ = get(server, "/briefing-2026-11-24.mp3")
    etag = first.getheader("ETag", "")
    assert etag.startswith('"') and first.getheader("Last-Modified")
    for header in (etag, f"W/{etag}", f'"other", {etag}', f'W/"x",W/{etag}', "*"):
        response, body = get(server, "/briefing-2026-11-24.mp3", If_None_Match=header)
        assert response.status == 304 and body == b"", header
        assert response.getheader("ETag") == etag
    for header in ('"other"', 'W/"other", "more"', "not-a-tag"):
        response, body = get(server, "/briefing-2026-11-24.mp3", If_None_Match=header)
        assert response.status == 200 and len(body) == SIZE, header
    # The feed's ETag (of the served bytes) validates too.
    feed, _ = get(server, "/feed.xml")
    again, body = get(server, "/feed.xml", If_None_Match=f"W/{feed.getheader('ETag')}")
    assert again.status == 304 and body == b""


def test_if_modified_since(server: Server) -> None:
    first, _ = get(server, "/briefing-2026-11-24.mp3")
    modified = first.getheader("Last-Modified", "")
    stamp = email.utils.parsedate_to_datetime(modified).timestamp()
    later = email.utils.formatdate(stamp + 3600, usegmt=True)
    earlier = email.utils.formatdate(stamp - 3600, usegmt=True)
    assert get(server, "/briefing-2026-11-24.mp3", If_Modified_Since=modified)[0].status == 304
    assert get(server, "/briefing-2026-11-24.mp3", If_Modified_Since=later)[0].status == 304
    assert get(server, "/briefing-2026-11-24.mp3", If_Modified_Since=earlier)[0].status == 200
    assert get(server, "/briefing-2026-11-24.mp3", If_Modified_Since="yesterday")[0].status == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    both = {"If_None_Match": '"other"', "If_Modified_Since": later}
    assert get(server, "/briefing-2026-11-24.mp3", **both)[0].status == 200
    assert get(server, "/feed.xml", If_Modified_Since=later)[0].status == 304


def test_if_match_and_if_range(server: Server) -> None:
    first, _ = get(server, "/briefing-2026-11-24.mp3")
    etag, modified = first.getheader("ETag", ""), first.getheader("Last-Modified", "")
    assert get(server, "/briefing-2026-11-24.mp3", If_Match='"other"')[0].status == 412
    assert get(server, "/briefing-2026-11-24.mp3", If_Match=f"W/{etag}")[0].status == 412
    assert get(server, "/briefing-2026-11-24.mp3", If_Match=etag)[0].status == 200
    ranged = {"Range": "bytes=0-9"}
    assert get(server, "/briefing-2026-11-24.mp3", If_Range=modified, **ranged)[0].status == 206
    weak, body = get(server, "/briefing-2026-11-24.mp3", If_Range=f"W/{etag}", **ranged)
    assert weak.status == 200 and len(body) == SIZE  # a weak tag never allows a range


@pytest.mark.parametrize(
    "header",
    [
        "bytes=" + "9" * 5000 + "-",
        "bytes=0-" + "9" * 5000,
        "bytes=-" + "9" * 5000,
        "bytes=" + "1" * 19 + "-" + "2" * 19,
        "bytes=" + "0" * 30 + "5-9",
    ],
)
def test_huge_range_numbers_are_answered_not_crashed(server: Server, header: str) -> None:
    response, _body = get(server, "/briefing-2026-11-24.mp3", Range=header)
    assert response.status in (200, 206, 416)
    assert get(server, "/feed.xml")[0].status == 200  # still serving


def test_parse_range_bounds_its_numbers() -> None:
    assert parse_range("bytes=0-" + "9" * 30, 10) == ByteRange(0, 9)
    assert parse_range("bytes=-" + "9" * 30, 10) == ByteRange(0, 9)
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=" + "9" * 30 + "-", 10)
    assert parse_range("bytes=" + "9" * 5000 + "-", 10) is None  # too long: ignored


def test_entity_tag_lists() -> None:
    assert entity_tags('"a", W/"b",W/"c"') == [(False, '"a"'), (True, '"b"'), (True, '"c"')]
    assert entity_tags("*") == []
    assert entity_tags('"a" "b"') is None and entity_tags("a") is None


def test_transcripts_and_chapters_have_their_types_and_allow_other_sites(server: Server) -> None:
    for name, kind in (
        ("briefing-2026-11-24.chapters.json", "application/json+chapters"),
        ("briefing-2026-11-24.txt", "text/plain; charset=utf-8"),
    ):
        response, _ = get(server, "/" + name)
        assert response.status == 200 and response.getheader("Content-Type") == kind
        assert response.getheader("Access-Control-Allow-Origin") == "*"
    page, _ = get(server, "/")
    assert "default-src 'none'" in page.getheader("Content-Security-Policy", "")


# --- a sturdy server -----------------------------------------------------------------


def test_the_access_log_escapes_what_the_request_line_carries(out: Path) -> None:
    lines: list[str] = []
    srv = make_server(out, "127.0.0.1", 0, access_log=lines.append)
    threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
    try:
        get(srv, "/%1b%5b2J%1b%5b31mred%0a%e2%80%ae.txt")
        with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=5) as raw:
            raw.sendall(b"GET /\x1b[31mraw\x07 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            raw.recv(1000)
        get(srv, "/feed.xml")  # the log line of the raw request is written before this answer
    finally:
        srv.shutdown()
        srv.server_close()
    text = "\n".join(lines)
    assert "\\x1b[2J\\x1b[31mred\\n\\u202e.txt" in text
    assert all(ch.isprintable() for ch in text.replace("\n", ""))
    assert '"GET /feed.xml" 200' in text


def test_the_backlog_holds_hundreds_of_waiting_connections(out: Path) -> None:
    # Not serving yet: every connection waits in the kernel's queue. With Python's
    # default backlog of 5 the later ones would hang until their SYN is retried.
    srv = make_server(out, "127.0.0.1", 0, quiet=True)
    waiting = []
    try:
        for _ in range(200):
            waiting.append(socket.create_connection(("127.0.0.1", srv.server_address[1]), 1))
    finally:
        for sock in waiting:
            sock.close()
        srv.server_close()
    assert len(waiting) == 200


def test_idle_and_slow_connections_hold_no_thread(server: Server) -> None:
    before = threading.active_count()
    port = server.server_address[1]
    held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(60)]
    try:
        for sock in held[:30]:
            sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n")  # headers never end
        started = time.monotonic()
        for _ in range(3):
            response, _ = get(server, "/briefing-2026-11-24.mp3", Range="bytes=0-99")
            assert response.status == 206
        assert time.monotonic() - started < 5
        assert threading.active_count() == before  # waitress's pool is fixed
    finally:
        for sock in held:
            sock.close()


@pytest.mark.slow
def test_idle_and_unfinished_requests_are_closed(out: Path) -> None:
    for srv in serving(out, idle_timeout_s=1, request_timeout_s=0.5):
        port = srv.server_address[1]
        idle = socket.create_connection(("127.0.0.1", port), timeout=0.2)
        slow = socket.create_connection(("127.0.0.1", port), timeout=0.2)
        slow.sendall(b"GET /feed.xml HTTP/1.1\r\n")
        started = time.monotonic()
        assert closed_by_server(idle, None) and closed_by_server(slow, b"X-More: 1\r\n")
        assert time.monotonic() - started < 4
        response, _ = get(srv, "/feed.xml")
        assert response.status == 200


def closed_by_server(sock: socket.socket, trickle: bytes | None, limit: float = 4.0) -> bool:
    """Wait until the server closes `sock`, sending `trickle` now and then (a slowloris)."""
    deadline = time.monotonic() + limit
    with sock:
        while time.monotonic() < deadline:
            try:
                if trickle:
                    sock.sendall(trickle)
                if sock.recv(100) == b"":
                    return True
            except TimeoutError:
                continue
            except OSError:
                return True
    return False


def test_waitress_log_lines_are_escaped_too(caplog: pytest.LogCaptureFixture) -> None:
    # waitress logs request paths on errors and disconnects ("... while serving PATH").
    import logging

    with caplog.at_level(logging.INFO, logger="waitress"):
        logging.getLogger("waitress").info("Client disconnected while serving %s", "/\x1b[2Jx")
    assert caplog.messages == ["Client disconnected while serving /\\x1b[2Jx"]


def test_the_qr_code_is_black_on_white_whatever_the_terminal() -> None:
    # The report: light blocks drew light modules, so it scanned on dark terminals only.
    # Read back: every line sets black on white itself, and the black glyphs are the
    # dark modules of the code, quiet zone included.
    feed = "http://192.168.1.20:8000/feed.xml"
    lines = qr_text(feed).splitlines()
    assert all(line.startswith("\x1b[30;107m") and line.endswith("\x1b[0m") for line in lines)
    glyphs = {" ": (0, 0), "\u2580": (1, 0), "\u2584": (0, 1), "\u2588": (1, 1)}
    drawn: list[list[int]] = []
    for line in lines:
        cells = [glyphs[c] for c in line.removeprefix("\x1b[30;107m").removesuffix("\x1b[0m")]
        drawn += [[top for top, _ in cells], [bottom for _, bottom in cells]]
    expected = [
        [int(bool(m)) for m in row] for row in segno.make(feed, error="m").matrix_iter(border=4)
    ]
    assert drawn[: len(expected)] == expected
    assert all(not dark for row in drawn[len(expected) :] for dark in row)  # padding: light
    assert expected[0] == [0] * len(expected[0]) and expected[4][4] == 1  # quiet zone, finder
