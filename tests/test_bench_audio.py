"""The audio benchmark runs end to end in quick mode and reports what it measured."""

import re

import pytest

from bench import audio as bench
from tests.helpers import needs_espeak, needs_ffmpeg


@pytest.mark.slow
@needs_espeak
@needs_ffmpeg
def test_quick_run_prints_a_row_with_every_step(capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(["--quick", "--no-write", "--engines", "espeak-ng"])
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| espeak-ng"))
    cells = [c.strip().strip("*") for c in row.strip("|").split("|")]
    header = next(line for line in out.splitlines() if line.startswith("| engine"))
    names = [c.strip() for c in header.strip("|").split("|")]
    values = dict(zip(names, cells, strict=True))
    assert 0.7 < float(values["speech min"]) < 1.5
    assert float(values["CPU s"]) > 0
    steps = ["script s", "synthesis s", "join s", "loudness s", "encode s", "tags s"]
    assert all(float(values[s]) > 0 for s in steps)
    # total is printed to 0.1 s, the steps to 0.01 s.
    assert float(values["total s"]) >= sum(float(values[s]) for s in steps) - 0.06
    assert 20 < float(values["peak tree MB"]) < 2000
    assert abs(float(values["LUFS"]) + 16) <= 1 and float(values["true peak dBTP"]) <= -1
    assert re.search(r"espeak-ng 1 min: [\d.]+ s, [\d.]+ CPU s \(target < 5 s\)", out)
