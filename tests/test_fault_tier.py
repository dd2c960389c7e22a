"""Fault injection, the slower tier (`pytest -m faults`; CI runs it): a run killed at
each stage, a run stopped by SIGTERM at each stage, full disks on small tmpfs mounts
(where this machine allows mounting), and hung fake ffmpeg and espeak-ng programs.

What must hold every time: nothing published half-written, no script without its MP3,
no child process outliving the run, no temporary files left behind, the lock free, a
prompt end (never an hour-long wait), and a next run that recovers.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import ExitCode
from tests.fakes import fake_espeak, fake_ffmpeg, logged_calls, real_ffmpeg
from tests.helpers import needs_ffmpeg
from tests.test_faults import (
    TODAY,
    alive,
    assert_intact,
    assert_lock_free,
    make_fakebin,
    make_project,
    make_yesterday,
    one_error_line,
    run,
    tmpfs,
    wait_until,
)
from tests.webserver import BRIDGE_TEXT, LIBRARY_TEXT

pytestmark = [pytest.mark.faults, *needs_ffmpeg]


@pytest.fixture
def fakebin(tmp_path: Path) -> Path:
    return make_fakebin(tmp_path)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


REPO = Path(__file__).resolve().parent.parent
STAGES = ("load", "speak", "loudness", "encode", "publish")

# A `briefing run` in its own process, made to hang at one stage (in process, or in a
# fake program) after writing the pid that hangs to $MARKER.
DRIVER = """
import os, sys, time
sys.path.insert(0, {repo!r})
from tests.conftest import FakeEngine
from briefing.speak import ENGINES
ENGINES[FakeEngine.name] = FakeEngine

def hang(*args):
    marker = os.environ["MARKER"]
    with open(marker + ".tmp", "w") as fh:
        fh.write(str(os.getpid()))
    os.replace(marker + ".tmp", marker)
    time.sleep(600)

stage = os.environ["HANG_AT"]
if stage == "load":
    from briefing.sources import files
    files._read_regular = hang
elif stage == "publish":
    import briefing.publish
    briefing.publish.publish_feed = hang
from briefing.cli import main
sys.argv = ["briefing", "run", "--engine", os.environ["ENGINE"], "--date", {date!r}]
main()
"""


def start_run(project: Path, fakebin: Path, stage: str) -> tuple[subprocess.Popen[bytes], Path]:
    """Start a run that hangs at `stage`; return it once it hangs, and the marker file."""
    marker = project / "hanging"
    env = os.environ | {
        "PATH": f"{fakebin}{os.pathsep}{os.environ['PATH']}",
        "TMPDIR": str(project / "tmp"),
        "HANG_AT": stage,
        "MARKER": str(marker),
        "ENGINE": "fake",
        "REAL_FFMPEG": str(shutil.which("ffmpeg")),
        "FAKE_MARKER": str(marker),
        "XDG_CONFIG_HOME": str(project / "xdg"),
    }
    env.pop("BRIEFING_CONFIG", None)
    if stage == "speak":
        fake_espeak(fakebin)
        real_ffmpeg(fakebin)
        env |= {"ENGINE": "espeak-ng", "FAKE_MODE": "hang", "FAKE_LOG": str(marker)}
    elif stage in ("loudness", "encode"):
        fake_ffmpeg(fakebin)
        env |= {
            "FAKE_FFMPEG": "hang-on",
            "FAKE_HANG_ON": "ebur128" if stage == "loudness" else ".part",
        }
    (project / "tmp").mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER.format(repo=str(REPO), date=TODAY)],
        cwd=project,
        env=env,
        start_new_session=True,  # its own process group, as under cron
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it hung: {proc.stderr.read().decode()}")  # type: ignore[union-attr]
        assert time.monotonic() < deadline, f"the run never reached {stage}"
        time.sleep(0.05)
    return proc, marker


def hung_pids(stage: str, marker: Path) -> list[int]:
    """The processes hanging at `stage`, other than the run itself."""
    if stage == "speak":
        return [int(call["pid"]) for call in logged_calls(marker)]  # type: ignore[call-overload]
    if stage in ("loudness", "encode"):
        return [int(marker.read_text())]
    return []


def assert_no_orphans(out: Path, stage: str) -> None:
    mp3, script = out / f"briefing-{TODAY}.mp3", out / f"briefing-{TODAY}.txt"
    if stage == "publish":  # the episode was made before publishing began
        assert mp3.stat().st_size > 5000 and script.exists()
    else:
        assert not mp3.exists() and not script.exists()


@pytest.mark.parametrize("stage", STAGES)
def test_killed_at_each_stage_leaves_nothing_behind_and_the_next_run_recovers(
    project: Path, fakebin: Path, fake_engine: object, stage: str
) -> None:
    out = project / "output"
    yesterday = make_yesterday(out)
    proc, marker = start_run(project, fakebin, stage)
    children = hung_pids(stage, marker)
    os.killpg(proc.pid, signal.SIGKILL)  # the run's group: not its guard, nor its children
    proc.wait()
    assert_no_orphans(out, stage)
    assert_intact(out, {k: v for k, v in yesterday.items() if k != "feed.xml"})
    assert_lock_free(out)
    # The guard: every child killed, the run's temporary files removed, at once.
    for pid in children:

        def gone(pid: int = pid) -> bool:
            return not alive(pid)

        assert wait_until(gone), f"{stage}: a child outlived the run"
    assert wait_until(lambda: not list((project / "tmp").iterdir()))
    # The next run removes the .part files and makes (or keeps) the episode.
    result = run("--engine", "fake")
    assert result.exit_code == ExitCode.OK, result.output
    assert (out / f"briefing-{TODAY}.mp3").stat().st_size > 5000
    assert (out / f"briefing-{TODAY}.txt").exists()
    assert not list(out.glob(".*.part"))


@pytest.mark.parametrize("stage", STAGES)
def test_sigterm_at_each_stage_stops_the_run_promptly_and_cleanly(
    project: Path, fakebin: Path, stage: str
) -> None:
    out = project / "output"
    make_yesterday(out)
    proc, marker = start_run(project, fakebin, stage)
    children = hung_pids(stage, marker)
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)  # the run alone, as `kill PID` or a timeout would
    try:
        proc.wait(20)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert time.monotonic() - start < 10, "the run took long to stop"
    assert proc.returncode == ExitCode.ERROR
    assert proc.stderr is not None
    assert proc.stderr.read().decode().splitlines()[-1] == "interrupted"
    for pid in children:
        assert not alive(pid), f"{stage}: a child outlived the run"
    assert list((project / "tmp").iterdir()) == []  # removed by the run itself
    assert not list(out.glob(".*.part"))
    assert_no_orphans(out, stage)
    assert_lock_free(out)


# --- full disks --------------------------------------------------------------------------


def test_a_full_output_disk_leaves_no_script_without_its_mp3(project: Path, fake_engine) -> None:
    # The report: a full disk left an orphan briefing-DATE.txt (written before the MP3).
    with tmpfs(project / "small", "48k") as out:
        yesterday = make_yesterday(out)
        result = run("--engine", "fake", output=str(out))
        assert result.exit_code == ExitCode.ERROR, result.output
        assert one_error_line(result).startswith("error: no space left on the disk")
        assert not (out / f"briefing-{TODAY}.txt").exists()
        assert not (out / f"briefing-{TODAY}.mp3").exists()
        assert not list(out.glob(".*.part"))
        assert_intact(out, yesterday)


def test_publish_on_a_full_disk_is_one_line(project: Path) -> None:
    with tmpfs(project / "small", "64k") as out:
        make_yesterday(out)
        (out / "filler").write_bytes(b"\0" * 40_000)  # no room for the drawn cover
        result = CliRunner().invoke(cli, ["publish", "--output", str(out)])
        assert result.exit_code == ExitCode.ERROR
        assert one_error_line(result).startswith("error: no space left on the disk")
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_full_temporary_disk_is_one_line_and_leaves_it_empty(
    project: Path, fake_engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    with tmpfs(project / "tmp", "64k") as tmp:
        monkeypatch.setattr(tempfile, "tempdir", str(tmp))
        result = run("--engine", "fake")
        assert result.exit_code == ExitCode.ERROR
        assert "no space left on the disk" in one_error_line(result)
        assert list(tmp.iterdir()) == []  # the run's directory is gone with it


# --- hung programs -----------------------------------------------------------------------


@pytest.fixture
def short_ffmpeg_timeouts(project: Path) -> None:
    # Far under the default, and still far over what the real ffmpeg needs here; set as a
    # user would, in the project's briefing.toml.
    (project / "briefing.toml").write_text(
        "[audio]\nffmpeg_timeout = 8\nffmpeg_timeout_per_audio_s = 0\n", encoding="utf-8"
    )


@pytest.mark.parametrize(("mode", "step"), [("hang", "ffmpeg"), ("hang-encoder", "encoding")])
def test_a_hung_ffmpeg_is_killed_at_its_time_limit(
    project: Path,
    fakebin: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_engine,
    short_ffmpeg_timeouts: None,
    mode: str,
    step: str,
) -> None:
    # The report: a hung ffmpeg held the run (and its lock) for 3,600 s per call.
    fake_ffmpeg(fakebin)
    marker = project / "ffmpeg-pid"
    monkeypatch.setenv("REAL_FFMPEG", str(shutil.which("ffmpeg")))  # before PATH has the fake
    monkeypatch.setenv("PATH", f"{fakebin}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_FFMPEG", mode)
    monkeypatch.setenv("FAKE_MARKER", str(marker))
    yesterday = make_yesterday(project / "output")
    start = time.monotonic()
    result = run("--engine", "fake")
    assert time.monotonic() - start < 40
    assert result.exit_code == ExitCode.ERROR
    error = one_error_line(result)
    assert error.endswith("ffmpeg did not finish within 8 s")
    assert step in error
    assert not alive(int(marker.read_text()))
    assert not (project / "output" / f"briefing-{TODAY}.txt").exists()
    assert_intact(project / "output", yesterday)
    assert_lock_free(project / "output")


def test_a_hung_espeak_costs_its_story_the_time_limit_not_the_run(
    project: Path, fakebin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.pipeline import write_articles
    from briefing.speak import espeak

    monkeypatch.setattr(espeak, "TIMEOUT_S", 1.0)
    fake_espeak(fakebin)
    real_ffmpeg(fakebin)
    monkeypatch.setenv("PATH", f"{fakebin}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_LOG", str(project / "calls.jsonl"))
    write_articles(project / "seeds", 6)
    (project / "seeds" / "hang-1.txt").write_text(f"Hangme one\n\n{LIBRARY_TEXT}\n")
    (project / "seeds" / "hang-2.txt").write_text(f"Hangme two\n\n{BRIDGE_TEXT}\n")
    start = time.monotonic()
    result = run("--engine", "espeak-ng")
    assert result.exit_code == ExitCode.OK, result.output
    assert time.monotonic() - start < 30
    assert sorted(result.stderr.splitlines()) == [
        "warning: story 'Hangme one': not spoken: espeak-ng did not finish within 1 s",
        "warning: story 'Hangme two': not spoken: espeak-ng did not finish within 1 s",
    ]
    for call in logged_calls(project / "calls.jsonl"):
        assert not alive(int(call["pid"]))  # type: ignore[call-overload]
