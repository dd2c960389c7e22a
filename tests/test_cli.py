import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import ExitCode
from tests.helpers import needs_ffmpeg, write_article


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    write_article(d, "a.txt", "Council passes budget", source="City Daily")
    write_article(
        d,
        "b.txt",
        "Storm hits coast",
        "A storm hit the coast on Sunday. Thousands lost power. Schools closed.",
    )
    return d


def test_script_command_prints_script(seeds: Path) -> None:
    result = CliRunner().invoke(cli, ["script", "--input", str(seeds), "--date", "2026-11-24"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Good morning. It's Tuesday, November the twenty-fourth")
    assert "Council passes budget" in result.output
    assert "Storm hits coast" in result.output


@needs_ffmpeg
def test_run_writes_mp3_and_script_and_prints_paths(
    seeds: Path, tmp_path: Path, fake_engine
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "run",
            "--input",
            str(seeds),
            "--output",
            str(out),
            "--date",
            "2026-11-24",
            "--engine",
            "fake",
        ],
    )
    assert result.exit_code == 0, result.output
    mp3, txt = out / "briefing-2026-11-24.mp3", out / "briefing-2026-11-24.txt"
    assert result.stdout.split() == [str(mp3), str(txt)]
    assert mp3.stat().st_size > 1000
    assert "Storm hits coast" in txt.read_text()


@needs_ffmpeg
def test_bad_file_is_a_warning_and_the_rest_is_briefed(
    seeds: Path, tmp_path: Path, fake_engine
) -> None:
    (seeds / "broken.txt").write_bytes(b"\x00\xff" * 50)
    result = CliRunner().invoke(
        cli, ["run", "--input", str(seeds), "--output", str(tmp_path / "o"), "--engine", "fake"]
    )
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "broken.txt" in result.stderr
    assert (tmp_path / "o" / f"briefing-{dt.date.today()}.mp3").exists()


def test_empty_input_exits_3_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["script", "--input", str(tmp_path / "empty")])
    assert result.exit_code == ExitCode.NOTHING_TO_BRIEF
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("note: no usable article")  # news, not a fault


def test_usage_errors_exit_2(seeds: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    bad_date = runner.invoke(cli, ["script", "--input", str(seeds), "--date", "24/11/2026"])
    assert bad_date.exit_code == ExitCode.USAGE
    assert "YYYY-MM-DD" in bad_date.output
    out = tmp_path / "o"
    out.mkdir()
    # Even when the day's episode exists (run would otherwise do nothing and exit 0).
    (out / "briefing-2026-11-24.mp3").write_bytes(b"ID3")
    bad_engine = runner.invoke(
        cli,
        [
            "run",
            "--input",
            str(seeds),
            "--output",
            str(out),
            "--date",
            "2026-11-24",
            "--engine",
            "nope",
        ],
    )
    assert bad_engine.exit_code == ExitCode.USAGE
    assert "unknown engine 'nope'" in bad_engine.stderr
    bad_template = runner.invoke(cli, ["script", "--input", str(seeds), "--template", "zzz"])
    assert bad_template.exit_code == ExitCode.USAGE
    assert "no template named 'zzz'" in bad_template.stderr


def test_voices_json(fake_engine) -> None:
    result = CliRunner().invoke(cli, ["voices", "--engine", "fake", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {"id": "fake/one", "name": "Fake One", "languages": ["en"]}
    ]


def test_doctor_reports_missing_programs_with_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("BRIEFING_DOCTOR_NO_SPEECH", "1")
    result = CliRunner().invoke(cli, ["doctor", "--output", str(tmp_path / "o")])
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY
    assert "[FAIL] ffmpeg: not found on PATH" in result.output
    assert "fix: sudo apt-get install ffmpeg" in result.output
    assert "[ok  ] output directory" in result.output
