"""Run settings in one frozen dataclass; creating one has no side effects."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from briefing.speak import DEFAULT_ENGINE

DEFAULT_RATE = 175  # words per minute: espeak's natural pace, clear on a phone speaker


def _default_workers() -> int:
    # Speech renders in worker processes; two cover the typical 2-core box and Pi.
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Settings:
    input_dir: Path = Path("seeds")
    output_dir: Path = Path("output")
    date: dt.date = field(default_factory=dt.date.today)
    template: str = "briefing"
    engine: str = DEFAULT_ENGINE
    voice: str | None = None
    rate: int = DEFAULT_RATE
    sentences: int = 3
    bitrate: str = "64k"
    workers: int = field(default_factory=_default_workers)
    minutes: float | None = None  # fit the briefing to this spoken length; None: no limit

    def output_paths(self) -> tuple[Path, Path]:
        """Output names derive from the date only, never from article text."""
        stem = f"briefing-{self.date.isoformat()}"
        return self.output_dir / f"{stem}.mp3", self.output_dir / f"{stem}.txt"
