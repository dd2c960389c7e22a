"""One real render: real engine, real ffmpeg, the shipped seeds."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import HAVE_ESPEAK, HAVE_FFMPEG, ffprobe_duration, ffprobe_stream

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.espeak,
    pytest.mark.ffmpeg,
    pytest.mark.skipif(
        not (HAVE_ESPEAK and HAVE_FFMPEG), reason="needs espeak-ng and ffmpeg installed"
    ),
]


def test_briefing_run_on_seeds_makes_an_mp3_matching_the_script(tmp_path: Path) -> None:
    exe = shutil.which("briefing", path=str(Path(sys.executable).parent))
    assert exe, "the console script `briefing` is installed"
    rate = 200
    proc = subprocess.run(
        [
            exe,
            "run",
            "--input",
            str(ROOT / "seeds"),
            "--output",
            str(tmp_path),
            "--date",
            "2026-11-24",
            "--rate",
            str(rate),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    mp3 = tmp_path / "briefing-2026-11-24.mp3"
    script = tmp_path / "briefing-2026-11-24.txt"
    assert proc.stdout.split() == [str(mp3), str(script)]
    assert ffprobe_stream(mp3)["codec_name"] == "mp3"
    words = len(script.read_text().split())
    expected = words / rate * 60
    duration = ffprobe_duration(mp3)
    # Speech at the chosen rate plus the pauses between segments.
    assert expected * 0.75 < duration < expected * 1.35 + 15, (words, duration)
