"""Gathering feeds and pages: parallel vs one download at a time, and extraction cost.

A local server on 127.0.0.1 adds a fixed delay to every response, standing in for a
news site's latency. Run from the repo root:

    python -m bench.sources            # 6 feeds x 5 teaser entries, 150 ms latency
    python -m bench.sources --quick    # 3 feeds x 2 entries, 50 ms latency
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import briefing.sources as sources
from bench._results import machine, median_ms, table, write_section
from briefing.settings import Settings
from briefing.sources.feeds import parse_feed
from briefing.sources.fetch import Response
from briefing.sources.pages import extract_article

SENTENCE = (
    "The regional council said on Monday that the new tram line will open in the spring, "
    "after two years of work and a budget that grew by a fifth."
)


def page(n: object) -> bytes:
    body = "".join(f"<p>{SENTENCE} Paragraph {i} of story {n}.</p>" for i in range(12))
    return (
        f"<html><head><title>Story {n}</title></head><body><nav>Home World Sport</nav>"
        f"<article><h1>Story {n}</h1>{body}</article><footer>Subscribe</footer></body></html>"
    ).encode()


def feed(base: str, f: int, entries: int) -> bytes:
    items = "".join(
        f"<item><title>Story {f}-{e}</title><link>{base}/a/{f}-{e}</link>"
        f"<description>Teaser for story {e}.</description></item>"
        for e in range(entries)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title>{items}'
        "</channel></rss>"
    ).encode()


def serve(latency_s: float, entries: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(latency_s)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path.startswith("/feed/"):
                body = feed(base, int(self.path.rsplit("/", 1)[1]), entries)
            else:
                body = page(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small, fast run")
    args = parser.parse_args()
    feeds, entries, latency, repeat = (3, 2, 0.05, 3) if args.quick else (6, 5, 0.15, 5)
    server = serve(latency, entries)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            empty = Path(tmp) / "empty"
            empty.mkdir()
            settings = Settings.build(
                input_dir=empty,
                output_dir=Path(tmp) / "out",
                feeds=tuple(f"{base}/feed/{f}" for f in range(feeds)),
                max_per_feed=entries,
            )
            timings = {}
            for parallel in (1, sources.DOWNLOADS_IN_PARALLEL):
                sources.DOWNLOADS_IN_PARALLEL = parallel
                runs = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    seen = Path(tmp) / "seen.json"
                    result = sources.gather_articles(settings.sources, settings.date, seen)
                    runs.append(time.perf_counter() - start)
                    assert len(result.articles) == feeds * entries, result.problems
                timings[parallel] = statistics.median(runs)
            serial, parallel = timings[1], timings[max(timings)]
            downloads = feeds * (entries + 1)
            rows += [
                [f"gather, 1 download at a time ({downloads} downloads)", f"{serial:.2f} s", ""],
                [
                    f"gather, {max(timings)} in parallel ({downloads} downloads)",
                    f"{parallel:.2f} s",
                    f"{serial / parallel:.1f}x faster",
                ],
            ]
        html, rss = page(1), feed(base, 0, 20)
        extract = median_ms(lambda: extract_article(html, "http://x/a"), repeat=repeat * 4)
        parse = median_ms(
            lambda: parse_feed(Response("http://x/f", "application/rss+xml", "utf-8", rss)),
            repeat=repeat * 4,
        )
        rows += [
            [
                f"extract one article page ({len(html) // 1024} kB, trafilatura)",
                f"{extract:.1f} ms",
                "",
            ],
            [f"parse one 20-entry RSS feed ({len(rss) // 1024} kB)", f"{parse:.1f} ms", ""],
        ]
    finally:
        server.shutdown()
        server.server_close()
    md = (
        "## Sources: feeds and article pages\n\n"
        f"`python -m bench.sources{' --quick' if args.quick else ''}`: {feeds} feeds x "
        f"{entries} teaser entries, each page fetched and extracted, {latency * 1000:.0f} ms "
        f"added to every response by a local server; medians of {repeat} runs. "
        f"{machine()}.\n\n" + table(["What", "Median", "Ratio"], rows)
    )
    write_section("sources", md)


if __name__ == "__main__":
    main()
