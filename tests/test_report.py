"""What an unattended run reports: [notify] command, timestamped output, `note:` for
nothing new."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shlex
import sys
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner, Result

from briefing.cli import cli
from briefing.errors import ExitCode, SpeechError
from briefing.report import _Stamped, log_tail
from tests.conftest import FakeEngine
from tests.helpers import write_article

DATE = "2026-11-24"
STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
# A notify command that saves the BRIEFING_* variables it was given.
SAVE_ENV = (
    f"{shlex.quote(sys.executable)} -c 'import json, os; json.dump({{k: v for k, v in "
    'os.environ.items() if k.startswith("BRIEFING_")}, open(os.environ["SAVED"], "w"))\''
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_engine: object) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("BRIEFING_CONFIG", str(tmp_path / "briefing.toml"))
    monkeypatch.setenv("SAVED", str(tmp_path / "saved.json"))
    write_article(tmp_path / "seeds", "a.txt", "Council passes budget")
    configure(tmp_path)
    return tmp_path


def configure(project: Path, notify: str = f"command = {json.dumps(SAVE_ENV)}\n") -> None:
    (project / "briefing.toml").write_text(f'[speech]\nengine = "fake"\n[notify]\n{notify}')


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["run", "--date", DATE, *args])


def saved(project: Path) -> dict[str, str] | None:
    path = project / "saved.json"
    return json.loads(path.read_text()) if path.exists() else None


def test_a_failed_run_runs_the_command_with_what_happened(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: FakeEngine, text: str, out_wav: Path, voice: str | None = None) -> None:
        raise SpeechError("the fake engine is broken")

    monkeypatch.setattr(FakeEngine, "synthesize", broken)
    result = run()
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.startswith("error: ")
    env = saved(project)
    assert env is not None, "the notify command did not run"
    assert env["BRIEFING_STATUS"] == "failed"
    assert env["BRIEFING_EXIT_CODE"] == "1"
    assert "the fake engine is broken" in env["BRIEFING_MESSAGE"]
    assert env["BRIEFING_DATE"] == DATE and env["BRIEFING_EPISODE"] == ""
    assert env["BRIEFING_LOG"] == str(Path("output/.briefing/briefing.log"))
    tail = env["BRIEFING_LOG_TAIL"].splitlines()
    assert any("INFO making output/briefing-" in line for line in tail)
    assert "ERROR SpeechError" in tail[-1] and "the fake engine is broken" in tail[-1]


def test_a_good_run_notifies_only_when_asked(project: Path) -> None:
    assert run().exit_code == 0
    assert saved(project) is None  # on failure only, by default
    configure(project, f"command = {json.dumps(SAVE_ENV)}\non_success = true\n")
    again = run("--force")
    assert again.exit_code == 0, again.output
    env = saved(project)
    assert env is not None
    assert env["BRIEFING_STATUS"] == "made" and env["BRIEFING_EXIT_CODE"] == "0"
    assert env["BRIEFING_EPISODE"] == f"output/briefing-{DATE}.mp3"
    assert env["BRIEFING_MESSAGE"].startswith(f"made output/briefing-{DATE}.mp3 (")
    assert env["BRIEFING_UPLOAD_ERROR"] == ""
    # Only this run's log lines: the first run's are not in the tail.
    log = (project / "output/.briefing/briefing.log").read_text()
    assert log.count("INFO making") == 2 and env["BRIEFING_LOG_TAIL"].count("INFO making") == 1
    (project / "saved.json").unlink()
    assert run().exit_code == 0
    assert saved(project)["BRIEFING_STATUS"] == "already-made"  # type: ignore[index]


def test_nothing_new_is_a_note_not_a_failure(project: Path) -> None:
    (project / "seeds" / "a.txt").unlink()
    result = run()
    assert result.exit_code == ExitCode.NOTHING_TO_BRIEF
    assert result.stderr.startswith("note: no usable article in seeds")
    assert saved(project) is None
    log = (project / "output/.briefing/briefing.log").read_text()
    assert "INFO NothingToBriefError" in log and " ERROR " not in log
    configure(project, f"command = {json.dumps(SAVE_ENV)}\non_success = true\n")
    run()
    env = saved(project)
    assert env is not None
    assert env["BRIEFING_STATUS"] == "nothing-to-brief" and env["BRIEFING_EXIT_CODE"] == "3"


@pytest.mark.rclone  # rclone runs (and fails), or is missing: both are covered
def test_a_failed_upload_notifies_even_though_the_episode_was_made(
    project: Path, tmp_path: Path
) -> None:
    (project / "briefing.toml").write_text(
        '[speech]\nengine = "fake"\n[publish]\nremote = "nosuch:briefing"\n'
        f'rclone_config = "{tmp_path / "empty.conf"}"\n[notify]\n'
        f"command = {json.dumps(SAVE_ENV)}\n"
    )
    (tmp_path / "empty.conf").write_text("")
    result = run()
    assert result.exit_code == 0, result.output
    env = saved(project)
    assert env is not None
    assert env["BRIEFING_STATUS"] == "made"
    assert env["BRIEFING_UPLOAD_ERROR"].startswith(("upload to nosuch:briefing", "rclone is not"))
    assert env["BRIEFING_MESSAGE"].endswith("; the upload failed")


def test_untrusted_text_reaches_the_command_only_as_data(project: Path) -> None:
    # A file name (hence a log line) that a shell would run if it were pasted in.
    evil = "$(touch pwned)`touch pwned2`'; touch pwned3 #.txt"
    (project / "seeds" / evil).write_bytes(b"\x00\x01" * 100)
    command = 'printf "%s" "$BRIEFING_LOG_TAIL" > tail.txt'
    configure(project, f"command = {json.dumps(command)}\non_success = true\n")
    assert run().exit_code == 0
    assert evil in (project / "tail.txt").read_text()
    assert not list(project.glob("pwned*"))


def test_a_failing_notify_command_is_one_warning(project: Path) -> None:
    configure(project, 'command = "echo boom >&2; exit 7"\non_success = true\n')
    result = run()
    assert result.exit_code == 0  # the run's own outcome stands
    assert result.stderr.splitlines()[-1] == (
        "warning: [notify] command failed (exit status 7): boom"
    )


@pytest.mark.slow
def test_a_hung_notify_command_is_stopped(project: Path) -> None:
    # The shell waits for a child: the whole group must be stopped, not just the shell.
    command = "sleep 30 & echo $! > sleeper; wait"
    configure(project, f"command = {json.dumps(command)}\non_success = true\ntimeout = 1\n")
    began = time.monotonic()
    result = run()
    assert result.exit_code == 0
    assert "warning: [notify] command took more than 1 s and was stopped" in result.stderr
    assert time.monotonic() - began < 20
    sleeper = int((project / "sleeper").read_text())
    with contextlib.suppress(psutil.NoSuchProcess):
        for _ in range(100):  # killed at once; reaped by init soon after
            if psutil.Process(sleeper).status() == psutil.STATUS_ZOMBIE:
                break
            time.sleep(0.02)
        assert psutil.Process(sleeper).status() == psutil.STATUS_ZOMBIE, "left running"


def test_timestamps_on_every_line_with_the_start_and_end(project: Path) -> None:
    (project / "seeds" / "bad.txt").write_bytes(b"\x00" * 50)  # a warning line too
    result = run("--timestamps")
    assert result.exit_code == 0, result.output
    out, err = result.stdout.splitlines(), result.stderr.splitlines()
    assert all(re.match(rf"{STAMP} ", line) for line in out + err), out + err
    assert re.fullmatch(rf"{STAMP} briefing run started \(pid \d+\)", err[0])
    assert any(re.fullmatch(rf"{STAMP} warning: seeds/bad\.txt: .*", line) for line in err)
    assert re.fullmatch(rf"{STAMP} output/briefing-{DATE}\.mp3", out[0])
    assert re.fullmatch(rf"{STAMP} briefing run ended: exit 0 \(ok\)", err[-1])
    (project / "seeds" / "a.txt").unlink()
    (project / "seeds" / "bad.txt").unlink()
    nothing = run("--timestamps", "--force")
    assert nothing.exit_code == ExitCode.NOTHING_TO_BRIEF
    lines = nothing.stderr.splitlines()
    assert re.fullmatch(rf"{STAMP} note: no usable article in seeds.*", lines[-2])
    assert lines[-1].endswith(" briefing run ended: exit 3 (nothing to brief)")


def test_stamped_lines_survive_partial_writes() -> None:
    inner = io.StringIO()
    clock = iter(dt.datetime(2026, 11, 24, 6, 30, s) for s in range(10))
    stream = _Stamped(inner, lambda: next(clock))
    stream.write("one ")
    stream.write("line\ntwo\n\nthree")
    stream.write("\r still three\n")
    assert inner.getvalue() == (
        "2026-11-24 06:30:00 one line\n2026-11-24 06:30:01 two\n2026-11-24 06:30:02 \n"
        "2026-11-24 06:30:03 three\r still three\n"
    )
    assert not stream.isatty()


def test_the_log_tail_is_this_process_only(tmp_path: Path) -> None:
    log = tmp_path / "briefing.log"
    log.write_text(
        "2026-11-24 06:30:00,001 [11] INFO other run\n"
        "2026-11-24 06:30:00,002 [42] INFO mine one\n"
        "2026-11-24 06:30:00,003 [421] INFO not mine\n"
        "2026-11-24 06:30:00,004 [42] ERROR mine two\n"
    )
    assert [line[24:] for line in log_tail(log, 42)] == [
        "[42] INFO mine one",
        "[42] ERROR mine two",
    ]
    assert log_tail(log, 42, lines=1)[0].endswith("mine two")
    # An earlier run that had the same pid is not this one.
    later = dt.datetime(2026, 11, 24, 6, 30, 0, 3500)
    assert [line[24:] for line in log_tail(log, 42, later)] == ["[42] ERROR mine two"]
    assert log_tail(tmp_path / "missing.log", 42) == []
