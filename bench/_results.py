"""Shared by the benchmarks: print a Markdown table and keep it in bench/results.md.

Each benchmark owns one section of results.md (between HTML comment markers), so
running one benchmark updates its table without touching the others.
"""

from __future__ import annotations

import platform
import re
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"
HEADER = (
    "# Benchmark results\n\n"
    "Written by the scripts in `bench/`; re-run one to refresh its section.\n"
)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(c) for c in row] for row in rows]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def machine() -> str:
    import os

    # The load when the run began says whether other work shared the machine.
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.2f} at the start"
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}{load}"
    )


def median_ms(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def write_section(name: str, markdown: str, write: bool = True) -> None:
    """Print `markdown` and, with `write` (a bench's default; --no-write turns it off),
    make it the section `name` of bench/results.md, replacing or appending it."""
    print(markdown)
    if not write:
        return
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    block = f"<!-- {name}:start -->\n{markdown.strip()}\n<!-- {name}:end -->"
    pattern = re.compile(
        rf"<!-- {re.escape(name)}:start -->.*?<!-- {re.escape(name)}:end -->", re.S
    )
    text = (
        pattern.sub(lambda _: block, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + block + "\n"
    )
    tmp = RESULTS.with_suffix(".md.part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(RESULTS)
