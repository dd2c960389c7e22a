"""A published episode always reaches the feed, and no run outlives its deadline."""

from __future__ import annotations

import errno
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import daily
from briefing.cli import cli
from briefing.daily import output_lock
from briefing.deadline import deadline
from briefing.errors import DeadlineError, ExitCode
from briefing.settings import Settings
from tests.helpers import needs_ffmpeg


def run(date: str, *args: str) -> object:
    return CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", date, *args])


@needs_ffmpeg  # without its sidecar, the duration comes from ffprobe
def test_an_episode_missing_from_an_old_feed_is_added_by_the_next_run(
    project: Path, fake_engine: object
) -> None:
    # The reproduction: two days made; the first day's feed and page put back (as if the
    # second run had crashed before publishing) and the second day's sidecar lost.
    out = project / "output"
    assert run("2026-11-23").exit_code == 0
    saved = {name: (out / name).read_bytes() for name in ("feed.xml", "index.html")}
    assert run("2026-11-24").exit_code == 0
    for name, data in saved.items():
        (out / name).write_bytes(data)
    (out / "briefing-2026-11-24.json").unlink()
    assert "briefing-2026-11-24.mp3" not in (out / "feed.xml").read_text()
    again = run("2026-11-24")
    assert again.exit_code == ExitCode.OK, again.output
    assert "already exists" in again.stderr
    assert "briefing-2026-11-24.mp3" in (out / "feed.xml").read_text()
    assert "briefing-2026-11-24.mp3" in (out / "index.html").read_text()


@needs_ffmpeg  # without its sidecar, the duration comes from ffprobe
def test_a_disk_full_after_the_mp3_is_a_warning_and_the_episode_is_published(
    project: Path, fake_engine: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Room for the MP3 and little else: the sidecar cannot be written.
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "briefing-2026-11-24.json")

    monkeypatch.setattr(daily, "write_metadata", full)
    result = run("2026-11-24")
    assert result.exit_code == ExitCode.OK, result.output
    assert "warning: metadata: no space left" in result.stderr
    assert "the feed describes the episode from its script" in result.stderr
    assert "briefing-2026-11-24.mp3" in (project / "output" / "feed.xml").read_text()


def test_the_deadline_interrupts_a_blocked_call_in_time() -> None:
    start = time.monotonic()
    with pytest.raises(DeadlineError, match="longer than its deadline"), deadline(0.3):
        time.sleep(5)
    assert time.monotonic() - start < 2


def test_no_deadline_changes_nothing() -> None:
    with deadline(None):
        pass
    with deadline(5):
        pass  # the timer is cancelled: nothing fires later
    time.sleep(0.01)


def test_a_hung_engine_cannot_hold_the_lock_past_the_deadline(
    project: Path, fake_engine: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def hang(self: object, text: str, out_wav: Path, voice: str | None = None) -> None:
        release.wait(30)  # an engine call that never returns (until the test ends)

    monkeypatch.setattr(fake_engine, "synthesize", hang)
    monkeypatch.setattr(daily, "deadline", lambda seconds: deadline(0.5))
    # The CLI leaves at once on a deadline (os._exit); the library raises.
    settings = Settings.build(
        input_dir=project / "seeds", output_dir=project / "output", engine="fake"
    )
    start = time.monotonic()
    try:
        with pytest.raises(DeadlineError):
            daily.run_daily(settings)
        assert time.monotonic() - start < 5
        with output_lock(project / "output"):
            pass  # free: the next cron run can start
        assert "DeadlineError" in (project / "output" / ".briefing" / "briefing.log").read_text()
    finally:
        release.set()
    assert not list((project / "output").glob("briefing-*"))  # nothing half-made published
    shutil.rmtree(project / "output")
