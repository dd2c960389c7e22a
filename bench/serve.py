"""`briefing serve` under load, on loopback: waitress (what briefing uses) side by side with
the standard library's threading server (as before, and hardened) and cheroot.

Every server runs the same WSGI application (briefing.publish.serve.App) in its own
process, so the client's work does not share its interpreter. Three scenarios, each
bounded in requests and seconds:

- burst: 200 concurrent clients make 2,000 range requests for 16 KiB of a 5 MB episode,
  each on a new connection (the listen backlog matters): median, p99 and max latency,
  requests over 1 s, failures;
- slow: 50 clients trickle a request's headers one line a second (slowloris) while a
  normal client makes 10 requests: its worst latency, the server's threads, and how
  long the slow clients were kept;
- idle: 500 connections that send nothing: the server's threads, a normal request's
  latency, and how many idle connections the server closed within 15 s.

Usage: python -m bench.serve [--quick] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import socketserver
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench._results import machine, table, write_section

SERVERS = ("stdlib (before)", "stdlib hardened", "cheroot", "waitress (briefing)")
EPISODE = "briefing-2026-11-24.mp3"
EPISODE_BYTES = 5_000_000
RANGE_BYTES = 16 * 1024
REQUEST_TIMEOUT_S = 30.0  # a client gives up on one request after this
NORMAL_REQUESTS = 5  # made one after another while slow clients are connected


# --- the server process -----------------------------------------------------------------


def serve(kind: str, directory: Path) -> None:
    """Run one server on 127.0.0.1, print its port, serve until killed."""
    from briefing.publish.serve import App, make_server

    if kind == "waitress (briefing)":
        server = make_server(directory, "127.0.0.1", 0, quiet=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        return
    app = App(directory, "http://127.0.0.1/")
    if kind == "cheroot":
        from cheroot import wsgi

        cheroot_server = wsgi.Server(
            ("127.0.0.1", 0), app, numthreads=8, request_queue_size=1024, timeout=5
        )
        cheroot_server.prepare()
        print(cheroot_server.bind_addr[1], flush=True)
        cheroot_server.serve()
        return
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Hardened(Quiet):
        timeout = 5  # seconds a read or write may block

    class Threaded(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True
        request_queue_size = 1024 if kind == "stdlib hardened" else 5  # 5: Python's default

    handler = Hardened if kind == "stdlib hardened" else Quiet
    stdlib_server = Threaded(("127.0.0.1", 0), handler)
    stdlib_server.set_app(app)
    print(stdlib_server.server_address[1], flush=True)
    stdlib_server.serve_forever()


# --- the clients ------------------------------------------------------------------------


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds
    failures: int = 0


async def fetch(port: int, path: str, start: int | None = None) -> float:
    """One request on a new connection; its latency in seconds (raises on failure)."""
    began = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n"
        if start is not None:
            head += f"Range: bytes={start}-{start + RANGE_BYTES - 1}\r\n"
        writer.write((head + "\r\n").encode())
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    status = data.split(b" ", 2)[1] if data.startswith(b"HTTP/") else b""
    body = data.partition(b"\r\n\r\n")[2]
    if status not in (b"200", b"206") or (start is not None and len(body) != RANGE_BYTES):
        raise RuntimeError(f"bad response {status!r} with {len(body)} bytes")
    return time.perf_counter() - began


async def timed(
    port: int, path: str, start: int | None, result: Result, limit: float = REQUEST_TIMEOUT_S
) -> None:
    try:
        latency = await asyncio.wait_for(fetch(port, path, start), limit)
        result.latencies.append(latency)
    except (TimeoutError, OSError, RuntimeError):
        result.failures += 1


async def burst(port: int, clients: int, requests: int) -> tuple[Result, float]:
    result = Result()
    rng = random.Random(1)
    starts = [rng.randrange(0, EPISODE_BYTES - RANGE_BYTES) for _ in range(requests)]
    queue: asyncio.Queue[int] = asyncio.Queue()
    for start in starts:
        queue.put_nowait(start)

    async def client() -> None:
        while not queue.empty():
            await timed(port, "/" + EPISODE, queue.get_nowait(), result)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return result, time.perf_counter() - began


async def slowloris(port: int, held: list[tuple[float, bool]], stop: asyncio.Event) -> None:
    """Trickle one request's headers until `stop`; record (seconds, dropped by server)."""
    began = time.perf_counter()
    dropped = False
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
    except (TimeoutError, OSError):
        return
    try:
        writer.write(b"GET / HTTP/1.1\r\nHost: bench\r\n")
        n = 0
        while not stop.is_set():
            writer.write(f"X-Slow-{n}: 1\r\n".encode())
            await writer.drain()
            n += 1
            try:  # the server closing the connection (or answering 4xx) ends this client
                await asyncio.wait_for(reader.read(1), 1.0)
            except TimeoutError:
                continue
            dropped = True
            break
    except OSError:
        dropped = True
    finally:
        writer.close()
        held.append((time.perf_counter() - began, dropped))


async def slow(port: int, slow_clients: int, seconds: float, pid: int) -> dict[str, Any]:
    held: list[tuple[float, bool]] = []
    stop = asyncio.Event()
    tasks = [asyncio.create_task(slowloris(port, held, stop)) for _ in range(slow_clients)]
    await asyncio.sleep(1.5)
    threads = server_threads(pid)
    normal = Result()
    began = time.perf_counter()
    for i in range(NORMAL_REQUESTS):  # each given up after 5 s: a failure
        await timed(port, "/" + EPISODE, i * RANGE_BYTES, normal, limit=5.0)
    await asyncio.sleep(max(0.0, seconds - 1.5 - (time.perf_counter() - began)))
    stop.set()
    await asyncio.gather(*tasks)
    return {
        "normal": normal,
        "threads": threads,
        "held_median": statistics.median(h for h, _ in held) if held else float("nan"),
        "released": sum(1 for _, dropped in held if dropped),
        "slow": slow_clients,
    }


async def idle(port: int, connections: int, wait_s: float, pid: int) -> dict[str, Any]:
    opened = []
    for _ in range(connections):
        with contextlib.suppress(OSError, asyncio.TimeoutError):
            opened.append(await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 3))
    await asyncio.sleep(2)
    threads = server_threads(pid)
    normal = Result()
    await timed(port, "/" + EPISODE, 0, normal)
    deadline = time.perf_counter() + wait_s
    closed = 0
    pending = list(opened)
    while pending and time.perf_counter() < deadline:
        still = []
        for reader, writer in pending:
            if reader.at_eof():
                closed += 1
                writer.close()
            else:
                still.append((reader, writer))
        pending = still
        # Reading notices the close; each idle reader waits at most a moment.
        await asyncio.gather(
            *(_peek(reader) for reader, _ in pending[:200]), return_exceptions=True
        )
        await asyncio.sleep(0.5)
    for _, writer in pending:
        writer.close()
    return {
        "opened": len(opened),
        "threads": threads,
        "normal": normal,
        "closed": closed,
    }


async def _peek(reader: asyncio.StreamReader) -> None:
    with contextlib.suppress(asyncio.TimeoutError, OSError):
        await asyncio.wait_for(reader.read(1), 0.05)


def server_threads(pid: int) -> str:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return line.split()[1]
    except OSError:
        pass
    return "n/a"


# --- the run ----------------------------------------------------------------------------


def start(kind: str, directory: Path) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.serve", "--serve", kind, str(directory)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the stdlib servers print every timeout's traceback
        text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.strip().isdigit():
        proc.kill()
        raise SystemExit(f"{kind} did not start")
    return proc, int(line)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer requests and seconds")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--serve", nargs=2, metavar=("KIND", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], Path(args.serve[1]))
        return
    clients, requests = (50, 300) if args.quick else (200, 2000)
    slow_clients, slow_s = (20, 6.0) if args.quick else (50, 12.0)
    idle_n, idle_wait = (100, 6.0) if args.quick else (500, 15.0)
    burst_rows, slow_rows, idle_rows = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / EPISODE).write_bytes(os.urandom(EPISODE_BYTES))
        for kind in SERVERS:
            proc, port = start(kind, directory)
            print(f"{kind}: burst, slow clients, idle connections ...", file=sys.stderr)
            try:
                result, wall = asyncio.run(burst(port, clients, requests))
                lat = sorted(result.latencies) or [float("nan")]
                burst_rows.append(
                    [
                        kind,
                        ms(statistics.median(lat)),
                        ms(lat[int(len(lat) * 0.99) - 1] if len(lat) > 1 else lat[0]),
                        ms(lat[-1]),
                        sum(1 for x in lat if x > 1.0),
                        result.failures,
                        f"{wall:.1f}",
                    ]
                )
                out = asyncio.run(slow(port, slow_clients, slow_s, proc.pid))
                normal = out["normal"].latencies
                slow_rows.append(
                    [
                        kind,
                        ms(max(normal)) if normal else "-",
                        out["normal"].failures,
                        out["threads"],
                        f"{out['released']}/{out['slow']}",
                        f"{out['held_median']:.1f}",
                    ]
                )
                out = asyncio.run(idle(port, idle_n, idle_wait, proc.pid))
                normal = out["normal"].latencies
                idle_rows.append(
                    [
                        kind,
                        f"{out['opened']}/{idle_n}",
                        out["threads"],
                        ms(normal[0]) if normal else "failed",
                        out["closed"],
                    ]
                )
            finally:
                proc.kill()
                proc.wait()
    md = "\n\n".join(
        [
            "## serve: waitress against the standard library and cheroot (bench/serve.py)",
            f"{machine()}. Loopback only; each server in its own process, same WSGI app. "
            f"{'Quick run. ' if args.quick else ''}"
            "stdlib (before): ThreadingMixIn, backlog 5, no timeouts (the old server's "
            "transport); stdlib hardened: backlog 1,024, 5 s socket timeout; cheroot 11: "
            "8 threads, backlog 1,024, 5 s timeout; waitress 3 as `briefing serve` runs "
            "it: 8 threads, backlog 1,024, 10 s idle and 5 s request timeouts.",
            f"**Burst**: {clients} concurrent clients, {requests} range requests of 16 KiB, "
            "a new connection each (ms).",
            table(["server", "median", "p99", "max", "over 1 s", "failed", "wall s"], burst_rows),
            f"**Slow clients**: {slow_clients} clients send one header line a second for "
            f"{slow_s:.0f} s; meanwhile a normal client makes {NORMAL_REQUESTS} requests, "
            "each given up after 5 s (failed).",
            table(
                [
                    "server",
                    "normal max ms",
                    "normal failed",
                    "server threads",
                    "slow dropped",
                    "slow held s (median)",
                ],
                slow_rows,
            ),
            f"**Idle**: {idle_n} connections that send nothing; after {idle_wait:.0f} s.",
            table(
                ["server", "connected", "server threads", "normal request ms", "closed by server"],
                idle_rows,
            ),
        ]
    )
    write_section("serve", md, write=not args.no_write)


if __name__ == "__main__":
    main()
