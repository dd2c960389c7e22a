"""Kokoro's speed on this machine: pool and thread settings, the cache, and Piper beside it.

Each configuration renders the same text (a seed article, normalized as briefing says
it) in a fresh process, with an empty cache, then again with the cache it filled (a
re-made day). Reports wall seconds, real-time factor (audio seconds per wall second) and
the process's peak RSS; `--repeat` runs take the median.

    python -m bench.kokoro [--repeat 3] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench._results import machine, table, write_section

ROOT = Path(__file__).resolve().parent.parent
TEXT = ROOT / "seeds" / "000_dbee69ba1f1977ba.txt"
CONFIGS = [  # (label, engine, pool size, threads per call)
    ("kokoro, 2 calls x 1 thread (default)", "kokoro", 2, 1),
    ("kokoro, 1 call x 2 threads", "kokoro", 1, 2),
    ("piper (joe)", "piper", 0, 0),
]

CHILD = r"""
import json, resource, sys, time, wave
from pathlib import Path
from briefing.normalize import normalize_for_speech
from briefing.speak import get_engine
engine_name, pool, threads, text_path, out = sys.argv[1:6]
text = normalize_for_speech(Path(text_path).read_text(encoding="utf-8"))
start = time.perf_counter()
engine = get_engine(engine_name)
if engine_name == "kokoro":
    engine.pool_size, engine.threads_per_call = int(pool), int(threads)
with engine:
    engine.render(text, Path(out))
wall = time.perf_counter() - start
with wave.open(out) as w:
    audio = w.getnframes() / w.getframerate()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall": wall, "audio": audio, "rss_mb": rss}))
"""


def run(engine: str, pool: int, threads: int, cache: Path) -> dict[str, float]:
    import os

    env = {**os.environ, "BRIEFING_KOKORO_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.wav"
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, engine, str(pool), str(threads), str(TEXT), str(out)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    for label, engine, pool, threads in CONFIGS:
        fresh, again = [], []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as cache:
                fresh.append(run(engine, pool, threads, Path(cache)))
                if engine == "kokoro":
                    again.append(run(engine, pool, threads, Path(cache)))
        wall = statistics.median(r["wall"] for r in fresh)
        audio = fresh[0]["audio"]
        rows.append(
            [
                label,
                f"{audio:.0f}",
                f"{wall:.1f}",
                f"{audio / wall:.2f}x",
                f"{statistics.median(r['rss_mb'] for r in fresh):.0f}",
                f"{statistics.median(r['wall'] for r in again):.1f}" if again else "-",
            ]
        )
        print(rows[-1], file=sys.stderr, flush=True)
    markdown = (
        "## Kokoro: speed, memory and the cache\n\n"
        f"`python -m bench.kokoro --repeat {args.repeat}`: one seed article "
        f"({TEXT.name}, normalized) rendered in a fresh process per run; medians of "
        f"{args.repeat} runs, side by side in one run. {machine()} (shared with other "
        "work: the load average says how much).\n\n"
        + table(
            [
                "engine, settings",
                "audio s",
                "wall s",
                "real time",
                "peak RSS MB",
                "again, cached: wall s",
            ],
            rows,
        )
        + "\n"
    )
    write_section("kokoro", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
