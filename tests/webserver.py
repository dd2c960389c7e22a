"""A local web site on 127.0.0.1 serving feed and article fixtures, good and bad.

Tests never touch the internet: every URL they fetch is on this server, on a port the
OS picks. `Site.url(path)` builds addresses; `Site.requests` records what was asked for.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import threading
import time
from collections.abc import Iterator
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.helpers import BODY

DATE = dt.date(2026, 11, 24)
OVER_CAP = 10 * 1024 * 1024 + 1  # one byte over briefing.sources.fetch.MAX_BYTES

STORM_TEXT = (
    "A powerful storm hit the northern coast on Sunday night, bringing winds of over a "
    "hundred kilometres an hour. More than forty thousand homes lost power as trees fell "
    "on lines across the region. Schools in three districts stayed closed on Monday while "
    "crews cleared the roads. The weather service said the storm was the strongest to reach "
    "the coast in a decade. Officials urged residents to stay away from the beaches until "
    "the waves calm down. Power should be restored to most homes by Wednesday."
)
BRIDGE_TEXT = (
    "Engineers reopened the old river bridge on Tuesday after two years of repairs. The "
    "bridge now carries cyclists and pedestrians only, with cars sent to the new crossing "
    "downstream. The repairs cost twelve million euros, slightly less than planned. Local "
    "shops near the bridge said they hope the reopening brings customers back to the old "
    "town. The city will hold a small festival on the bridge next weekend to celebrate."
)
LIBRARY_TEXT = (
    "The central library will stay open until midnight during the exam period, the city "
    "announced on Monday. Students had asked for longer hours for several years. The "
    "library will add two hundred study places in the former newspaper archive. Extra staff "
    "will be paid from the education budget, which grew this year. The late opening starts "
    "next Monday and runs for six weeks."
)


def _day(days_ago: int) -> str:
    moment = dt.datetime.combine(DATE - dt.timedelta(days=days_ago), dt.time(6), dt.UTC)
    return format_datetime(moment)


def paragraphs(text: str) -> str:
    """One <p> per sentence."""
    return "".join(f"<p>{s}</p>" for s in re.split(r"(?<=\.)\s+", text.strip()))


def article_html(title: str, text: str, site: str = "Coast News") -> bytes:
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}"><meta property="og:title" content="{title}">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>{paragraphs(text)}</article>
<aside>Most read: Celebrity chef opens new restaurant</aside>
<footer>Copyright Coast News. Subscribe to our newsletter for daily updates.</footer>
</body></html>""".encode()


def rss(base: str) -> bytes:
    full = paragraphs(BODY + " " + BRIDGE_TEXT)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>City Daily</title><link>{base}/</link><description>News</description>
<item><title>Council passes budget</title><link>{base}/articles/budget.html</link>
  <pubDate>{_day(0)}</pubDate><description>The council approved a budget.</description>
  <content:encoded><![CDATA[{full}]]></content:encoded></item>
<item><title>Storm hits coast</title><link>{base}/articles/storm.html</link>
  <pubDate>{_day(0)}</pubDate><description>A storm hit the coast. Read more.</description></item>
<item><title>Library opens late</title><link>{base}/articles/gone.html</link>
  <pubDate>{_day(1)}</pubDate>
  <description>The central library will stay open until midnight during the exam period,
  the city announced on Monday, after students asked for longer hours.</description></item>
<item><title>Old news from last week</title><link>{base}/articles/old.html</link>
  <pubDate>{_day(10)}</pubDate><description>{BODY}</description></item>
</channel></rss>""".encode()


def atom(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Library Times</title>
<id>urn:x-test:library</id><updated>{DATE}T06:00:00Z</updated>
<entry><title>Library opens late</title><id>urn:x-test:library:1</id>
<link href="{base}/articles/library.html"/><updated>{DATE}T06:00:00Z</updated>
<content type="html">&lt;p&gt;{LIBRARY_TEXT} {BRIDGE_TEXT}&lt;/p&gt;</content></entry>
</feed>""".encode()


# The feed crashes found by fuzzing (issue 17), each as real feeds carry it: a feed with
# one good entry and the bad piece. Each used to cost the whole run (a traceback, exit 1).
CRASHERS: dict[str, str] = {
    "char-ref-beyond-unicode": "<title>Tide &#x110000; warning</title>",
    "char-ref-20-digits": "<title>Tide &#12345678901234567890; warning</title>",
    "char-ref-surrogate": "<title>Tide &#xD800; warning</title><description>&#xD800;</description>",
    "pubdate-year-0": "<title>Tide warning</title><pubDate>0000-00-00T00:00:00Z</pubDate>",
    "declaration-byte-d7": "<title>Tide warning</title>",
    # feedparser gives summary None for a description closed by another element's tag.
    "summary-none": (
        "<title>Tide warning</title><description>High tide</descri</content:encoded>ption>"
    ),
}


CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def crasher_feed(base: str, name: str) -> bytes:
    """The feed `CRASHERS[name]` describes: a good teaser of /articles/storm.html, and
    the bad entry."""
    declaration = b'<?xml version="1.0" encoding="utf-8"?>\n'
    if name == "declaration-byte-d7":
        declaration = b'<?xml version="1.0" encoding="ut\xd7f-8"?>\n'
    return (
        declaration
        + f"""<rss version="2.0" xmlns:content="{CONTENT_NS}">
<channel><title>Crash Daily</title>
<item><title>Storm hits coast</title><link>{base}/articles/storm.html</link>
  <pubDate>{_day(0)}</pubDate><description>A storm hit the coast. Read more.</description></item>
<item>{CRASHERS[name]}<link>{base}/articles/tide-{name}.html</link></item>
</channel></rss>""".encode()
    )


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gave up (a download past its time limit is shut down) is what
        # the slow routes are for, not an error to print on the tests' stderr.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class Site:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.dribbled = 0  # bytes of /dribble-headers sent
        self.pages: dict[str, bytes] = {}
        self.server = _Server(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.pages.update(
            {
                "/rss.xml": rss(self.base),
                "/atom.xml": atom(self.base),
                "/malformed.xml": b"<?xml version='1.0'?><rss version='2.0'><channel><title>B",
                "/page.html": article_html("Not a feed", STORM_TEXT),
                "/articles/budget.html": article_html("Council passes budget", BODY),
                "/articles/storm.html": article_html("Storm hits coast", STORM_TEXT),
                "/articles/bridge.html": article_html("Old bridge reopens", BRIDGE_TEXT),
                "/articles/teaser.html": article_html("Teaser", "Subscribe to read this story"),
            }
        )
        self.pages.update({f"/crash/{n}.xml": crasher_feed(self.base, n) for n in CRASHERS})

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def start(self) -> Site:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            site.requests.append((self.path, self.headers.get("User-Agent", "")))
            route = getattr(self, "route_" + self.path.strip("/").replace("-", "_"), None)
            if route is not None:
                route()
            elif self.path in site.pages:
                kind = "application/rss+xml" if self.path.endswith(".xml") else "text/html"
                self.send(200, site.pages[self.path], kind + "; charset=utf-8")
            else:
                self.send(404, b"<h1>Not found</h1>")

        def send(self, status: int, body: bytes, kind: str = "text/html") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def route_error(self) -> None:
            self.send(500, b"<h1>Internal Server Error</h1>")

        def route_slow(self) -> None:
            time.sleep(3)  # longer than the tests' fetch_timeout
            self.send(200, rss(site.base))

        def route_drip(self) -> None:
            # Answers at once, then sends one byte at a time: each read is quick, the
            # whole download is not.
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            for byte in rss(site.base)[:40]:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)

        def route_dribble_headers(self) -> None:
            # The status line and headers a byte every 0.2 s: each wait on the socket is
            # short, the whole answer takes 30 s. Stops when the client hangs up.
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
            head += b"X-Padding: " + b"." * 100 + b"\r\n\r\n"
            for byte in head:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                site.dribbled += 1
                time.sleep(0.2)
            self.wfile.write(rss(site.base))

        def route_chain_4(self) -> None:
            # Four slow redirects (0.4 s each, fewer than MAX_REDIRECTS) to the feed.
            self.slow_redirect("/chain-3")

        def route_chain_3(self) -> None:
            self.slow_redirect("/chain-2")

        def route_chain_2(self) -> None:
            self.slow_redirect("/chain-1")

        def route_chain_1(self) -> None:
            self.slow_redirect("/rss.xml")

        def slow_redirect(self, where: str) -> None:
            time.sleep(0.4)
            self.redirect(where)

        def route_loop(self) -> None:
            self.redirect("/loop-b")

        def route_loop_b(self) -> None:
            self.redirect("/loop")

        def route_moved(self) -> None:
            self.redirect("/rss.xml")

        def route_to_file(self) -> None:
            self.redirect("file:///etc/passwd")

        def redirect(self, where: str) -> None:
            self.send_response(302)
            self.send_header("Location", where)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def route_huge(self) -> None:
            # No Content-Length: the size is only known by reading, so the cap must stop it.
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            block = b"x" * 65536
            sent = 0
            try:
                while sent < OVER_CAP:
                    self.wfile.write(block)
                    sent += len(block)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading at the cap, as it should

        def route_huge_declared(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(OVER_CAP))
            self.end_headers()

    return Handler


def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """Body of a pytest fixture: `site = pytest.fixture(serve)`."""
    # A developer's http_proxy must not send requests for 127.0.0.1 elsewhere.
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    site = Site().start()
    try:
        yield site
    finally:
        site.stop()
