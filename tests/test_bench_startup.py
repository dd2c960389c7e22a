"""The start-up benchmark measures every command and writes its table."""

import re
import sys

import pytest

from bench import startup


@pytest.mark.slow
def test_one_round_times_each_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["startup", "--repeat", "1", "--no-write"])
    startup.main()
    out = capsys.readouterr().out
    for name in ("briefing --help", "briefing run, the day already made"):
        row = next(line for line in out.splitlines() if line.startswith(f"| {name} |"))
        assert re.match(rf"\| {re.escape(name)} \| \d+ \| \d+ \| -?\d+ \| (yes|no) \|", row)
