"""Tiny builders for test inputs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HAVE_ESPEAK = shutil.which("espeak-ng") is not None
HAVE_FFMPEG = shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None

needs_espeak = pytest.mark.skipif(not HAVE_ESPEAK, reason="espeak-ng is not installed")
needs_ffmpeg = pytest.mark.skipif(not HAVE_FFMPEG, reason="ffmpeg/ffprobe are not installed")

BODY = (
    "The city council approved a new budget on Monday after weeks of debate. "
    "The plan raises spending on public transport by ten percent. "
    "Council members voted seven to two in favour of the measure. "
    "Opponents said the budget ignores rising housing costs. "
    "The mayor said the new buses will arrive next spring. "
    "Residents can comment on the plan until the end of the month."
)


def write_article(
    directory: Path,
    name: str,
    headline: str = "Council passes budget",
    body: str = BODY,
    source: str = "",
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    meta = f"Source: {source}\n" if source else ""
    path.write_text(f"{headline}\n{meta}\n{body}\n", encoding="utf-8")
    return path


def ffprobe_duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip())


def ffprobe_stream(path: Path) -> dict[str, str]:
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "a:0",
            "-show_entries",
            "stream=codec_name,sample_rate,channels",
            "-of",
            "default=nw=1",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(line.split("=", 1) for line in out.stdout.split())
