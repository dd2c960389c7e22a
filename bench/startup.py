"""How fast briefing answers when there is nothing to make.

A cron run on a day already made, `briefing --help` and `briefing --version` should
answer at once: they import only the CLI and the settings, and the made-day run
republishes only when the output directory changed since it last published. Each
command runs as its own process (Python's start-up included), REPEAT times, interleaved
with a bare `python -c pass` as the floor; medians in milliseconds.

    python -m bench.startup [--repeat N] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._results import machine, table, write_section

TARGET_MS = 300


def _time(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def made_day(directory: Path) -> None:
    """An output directory where today's episode is made and published (fake audio)."""
    from briefing.daily import publish_quietly
    from briefing.layout import Layout
    from briefing.settings import Settings

    settings = Settings.build(output_dir=directory / "output")
    files = Layout.of(settings.output).episode(dt.date.today())
    files.audio.parent.mkdir(parents=True)
    files.audio.write_bytes(b"\xff\xfb" + bytes(20_000))
    files.script.write_text("Good morning.\n", encoding="utf-8")
    assert publish_quietly(settings) is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    briefing = [sys.executable, "-m", "briefing"]
    cases = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "briefing --help": [*briefing, "--help"],
        "briefing --version": [*briefing, "--version"],
        "briefing run, the day already made": [*briefing, "run", "--engine", "espeak-ng"],
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        made_day(work)
        env = dict(os.environ, BRIEFING_CONFIG="", XDG_CONFIG_HOME=str(work / "xdg"))
        for _ in range(args.repeat):  # interleaved: a busy moment hits every case alike
            for name, cmd in cases.items():
                times[name].append(_time(cmd, work, env))
    floor = statistics.median(times["python -c pass (floor)"])
    rows = []
    for name, measured in times.items():
        median = statistics.median(measured)
        verdict = "" if "floor" in name else ("yes" if median < TARGET_MS else "no")
        rows.append(
            [name, f"{median:.0f}", f"{min(measured):.0f}", f"{median - floor:.0f}", verdict]
        )
    headers = ["command", "median ms", "best ms", "median minus floor ms", f"< {TARGET_MS} ms"]
    write_section(
        "startup",
        "## Start-up (bench/startup.py)\n\n"
        f"{machine()}. Each command a fresh process, {args.repeat} times, interleaved with "
        "the floor (a bare interpreter). The made-day run finds today's episode and a feed "
        "that is current, so it does no work but checking the settings and the output "
        "directory.\n\n" + table(headers, rows),
        write=not args.no_write,
    )


if __name__ == "__main__":
    main()
