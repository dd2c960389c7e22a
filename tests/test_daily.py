"""The cron-safe `briefing run`: once per date, one run at a time, retention, a log file."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefing.cli import cli
from briefing.daily import apply_retention, output_lock
from briefing.errors import ExitCode, LockedError
from briefing.layout import LOCK_NAME
from tests.helpers import needs_ffmpeg

DATE = "2026-11-24"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", DATE, *args])


@needs_ffmpeg
def test_a_second_run_the_same_day_does_nothing_unless_forced(project: Path, fake_engine) -> None:
    first = run()
    assert first.exit_code == 0, first.output
    mp3 = project / "output" / f"briefing-{DATE}.mp3"
    made = mp3.stat().st_mtime_ns
    fake_engine.calls.clear()
    second = run()
    assert second.exit_code == ExitCode.OK
    assert second.stdout == ""
    assert second.stderr == f"output/briefing-{DATE}.mp3 already exists; nothing to do " + (
        "(--force remakes it)\n"
    )
    assert fake_engine.calls == [] and mp3.stat().st_mtime_ns == made
    forced = run("--force")
    assert forced.exit_code == 0, forced.output
    assert fake_engine.calls and mp3.stat().st_mtime_ns != made


@needs_ffmpeg
def test_a_day_already_made_still_gets_a_missing_feed_and_page(project: Path, fake_engine) -> None:
    assert run().exit_code == 0
    out = project / "output"
    (out / "feed.xml").unlink()  # e.g. made by a version of briefing without a feed
    (out / "index.html").unlink()
    mp3 = out / f"briefing-{DATE}.mp3"
    made = mp3.stat().st_mtime_ns
    fake_engine.calls.clear()
    again = run()
    assert again.exit_code == ExitCode.OK
    assert fake_engine.calls == [] and mp3.stat().st_mtime_ns == made  # not remade
    assert f"briefing-{DATE}.mp3" in (out / "feed.xml").read_text()
    assert f"briefing-{DATE}.mp3" in (out / "index.html").read_text()


@needs_ffmpeg
def test_progress_is_shown_only_on_a_terminal(project: Path, fake_engine) -> None:
    result = run()
    assert result.exit_code == 0, result.output
    assert "speak:" not in result.stderr and "\r" not in result.stderr


@needs_ffmpeg
def test_the_run_is_logged_to_a_file(project: Path, fake_engine) -> None:
    (project / "seeds" / "broken.txt").write_bytes(b"\x00\xff" * 50)
    assert run().exit_code == 0
    log = (project / "output" / ".briefing" / "briefing.log").read_text()
    assert f"making output/briefing-{DATE}.mp3" in log
    assert "problem: seeds/broken.txt: looks like a binary file" in log
    assert f"made output/briefing-{DATE}.mp3" in log
    assert run().exit_code == 0
    log = (project / "output" / ".briefing" / "briefing.log").read_text()
    assert log.count("already exists; nothing to do") == 1


def test_failures_are_logged_too(project: Path) -> None:
    (project / "seeds" / "a.txt").unlink()
    result = CliRunner().invoke(cli, ["run", "--engine", "espeak-ng"])
    if result.exit_code == ExitCode.MISSING_DEPENDENCY:
        pytest.skip("espeak-ng/ffmpeg missing: the run stops before loading")
    assert result.exit_code == ExitCode.NOTHING_TO_BRIEF
    assert result.stderr.count("\n") == 1  # the log line goes to the file only
    log = (project / "output" / ".briefing" / "briefing.log").read_text()
    assert "INFO NothingToBriefError: no usable article in seeds" in log  # not an ERROR


@needs_ffmpeg
def test_the_log_file_is_rotated(project: Path, fake_engine) -> None:
    state = project / "output" / ".briefing"
    state.mkdir(parents=True)
    (state / "briefing.log").write_text("x" * 1_000_000)
    assert run().exit_code == 0
    assert (state / "briefing.log.1").stat().st_size >= 1_000_000
    assert "made output" in (state / "briefing.log").read_text()


# --- the lock --------------------------------------------------------------------------

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, str(os.getpid()).encode())
print("locked", flush=True)
time.sleep(60)
"""


def hold_lock(directory: Path) -> subprocess.Popen[str]:
    directory.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(directory / LOCK_NAME)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
    return proc


@needs_ffmpeg
def test_an_overlapping_run_exits_5_and_a_killed_runs_lock_does_not_block(
    project: Path, fake_engine
) -> None:
    holder = hold_lock(project / "output")
    try:
        locked = run()
        assert locked.exit_code == ExitCode.LOCKED
        assert locked.stderr == (
            f"error: another briefing run (pid {holder.pid}) is writing to output; "
            "wait for it to finish, then run again\n"
        )
        assert not (project / "output" / f"briefing-{DATE}.mp3").exists()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # The killed holder left its lock file behind; the kernel dropped its lock.
    assert (project / "output" / LOCK_NAME).exists()
    after = run()
    assert after.exit_code == 0, after.output
    assert (project / "output" / f"briefing-{DATE}.mp3").exists()


def test_the_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    with output_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"
        with pytest.raises(LockedError), output_lock(tmp_path):
            pass
    with output_lock(tmp_path):
        pass


# --- retention -------------------------------------------------------------------------


def touch(directory: Path, *names: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        (directory / name).write_bytes(b"x")


def test_retention_deletes_old_episodes_and_nothing_else(tmp_path: Path) -> None:
    today = dt.date(2026, 11, 24)
    touch(
        tmp_path,
        "briefing-2026-11-01.mp3",
        "briefing-2026-11-01.txt",
        "briefing-2026-11-01.chapters.json",
        "briefing-2026-11-20.mp3",
        "briefing-2026-11-21.mp3",
        "briefing-2026-11-24.mp3",
        "briefing-notes.txt",
        "briefing-2026-13-45.mp3",
        "feed.xml",
        "other-2026-01-01.mp3",
        ".briefing-2026-11-01.mp3.x1.part",
    )
    (tmp_path / "briefing-2026-10-01.d").mkdir()
    removed = apply_retention(tmp_path, 3, keep=today, today=today)
    assert [p.name for p in removed] == [
        "briefing-2026-11-01.chapters.json",
        "briefing-2026-11-01.mp3",
        "briefing-2026-11-01.txt",
        "briefing-2026-11-20.mp3",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".briefing-2026-11-01.mp3.x1.part",
        "briefing-2026-10-01.d",
        "briefing-2026-11-21.mp3",
        "briefing-2026-11-24.mp3",
        "briefing-2026-13-45.mp3",
        "briefing-notes.txt",
        "feed.xml",
        "other-2026-01-01.mp3",
    ]


def test_retention_never_deletes_the_episode_just_made(tmp_path: Path) -> None:
    # A backfilled episode for an old date survives the run that made it.
    touch(tmp_path, "briefing-2026-01-05.mp3", "briefing-2026-01-05.txt", "briefing-2026-01-04.mp3")
    removed = apply_retention(tmp_path, 7, keep=dt.date(2026, 1, 5), today=dt.date(2026, 11, 24))
    assert [p.name for p in removed] == ["briefing-2026-01-04.mp3"]


@needs_ffmpeg
def test_run_applies_the_configured_retention(project: Path, fake_engine) -> None:
    old = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    touch(project / "output", f"briefing-{old}.mp3", f"briefing-{old}.txt")
    (project / "briefing.toml").write_text("[output]\nretention_days = 7\n")
    result = CliRunner().invoke(cli, ["run", "--engine", "fake"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (project / "output").glob("briefing-*"))
    today = dt.date.today().isoformat()
    # chapters and the timed transcript (vtt): publish's Podcasting 2.0 files
    kinds = ("chapters.json", "json", "mp3", "txt", "vtt")
    assert names == [f"briefing-{today}.{kind}" for kind in kinds]
    assert f"deleted output/briefing-{old}.mp3 (older than 7 days)" in result.stderr


def test_apple_s_need_for_an_owner_email_is_said_once_per_output_directory(
    project: Path, fake_engine: object, tmp_path: Path
) -> None:
    from briefing.daily import owner_note
    from briefing.layout import Layout
    from briefing.publish.rules import NO_OWNER_EMAIL
    from briefing.settings import Settings

    assert "owner_email" in NO_OWNER_EMAIL and "Apple Podcasts" in NO_OWNER_EMAIL
    first = run()
    assert first.exit_code == ExitCode.OK, first.output
    assert first.stderr == f"note: {NO_OWNER_EMAIL}\n"  # one line, the only one on a good run
    again = run()  # a cron job's next run: its mail does not repeat it
    assert again.exit_code == ExitCode.OK and "note:" not in again.stderr
    assert "<itunes:owner>" not in (project / "output" / "feed.xml").read_text()
    # Another output directory (another feed) is told once too; an owner_email silences it.
    other = Settings.build(output_dir=tmp_path / "other")
    assert owner_note(other, Layout.of(other.output)) == (NO_OWNER_EMAIL,)
    assert owner_note(other, Layout.of(other.output)) == ()
    owned = Settings.build(output_dir=tmp_path / "owned", owner_email="ana@example.org")
    assert owner_note(owned, Layout.of(owned.output)) == ()
    assert not (tmp_path / "owned").exists()  # nothing to remember
    # A public feed is warned about on every publish (publish/rules.py): no note as well.
    public = Settings.build(output_dir=tmp_path / "public", base_url="https://pod.example/")
    assert owner_note(public, Layout.of(public.output)) == ()
