"""A published episode always reaches the feed, and no run outlives its deadline."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefing import daily, pipeline
from briefing.cli import cli
from briefing.daily import output_lock
from briefing.deadline import deadline, time_left
from briefing.errors import DeadlineError, ExitCode
from briefing.settings import Settings
from tests.helpers import needs_ffmpeg
from tests.webserver import STORM_TEXT


def run(date: str, *args: str) -> Result:
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

    monkeypatch.setattr(pipeline, "write_metadata", full)
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
    handler = signal.getsignal(signal.SIGALRM)
    with deadline(None):
        assert time_left() is None and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    before = set(threading.enumerate())
    with deadline(5):
        assert 0 < (time_left() or 0) <= 5 and signal.getitimer(signal.ITIMER_REAL)[0] > 0
        watchdogs = [
            t for t in set(threading.enumerate()) - before if isinstance(t, threading.Timer)
        ]
    # Left in time: the alarm is off, its handler is back and the watchdog will not fire.
    assert time_left() is None and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == handler
    assert len(watchdogs) == 1 and watchdogs[0].finished.is_set()


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


# --- a day left incomplete is finished by the next run ----------------------------------

DAY = "2026-11-24"


class Killed(BaseException):
    """A kill -9 at one point of the run, in process: nothing after it runs."""


def _kill_at(monkeypatch: pytest.MonkeyPatch, target: object, name: str) -> None:
    def killed(*args: object, **kwargs: object) -> None:
        raise Killed(name)

    monkeypatch.setattr(target, name, killed)


def test_a_run_killed_after_the_mp3_is_finished_by_the_next(
    project: Path, fake_engine: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The report: killed after the MP3's rename, the day never got its sidecar,
    # chapters, transcript, history entry or seen cache; the next run said "already
    # exists" and left it so.
    out, state = project / "output", project / "output" / ".briefing"
    with monkeypatch.context() as patch:
        _kill_at(patch, daily, "_after_making")
        with pytest.raises(Killed):
            run(DAY)
    assert (out / f"briefing-{DAY}.mp3").is_file()
    assert (out / f"briefing-{DAY}.json").is_file()  # put in place before the MP3
    assert not (out / f"briefing-{DAY}.vtt").exists()
    assert not (state / "history.json").exists()
    assert (state / f"journal-{DAY}.json").is_file()

    again = run(DAY)
    assert again.exit_code == ExitCode.OK, again.output
    assert "already exists" in again.stderr
    assert (out / f"briefing-{DAY}.vtt").read_text().startswith("WEBVTT")
    assert (out / f"briefing-{DAY}.chapters.json").is_file()
    told = json.loads((state / "history.json").read_text())["stories"]
    assert [s["headline"] for s in told] == ["Council passes budget"]
    assert told[0]["date"] == DAY and told[0]["sentences"]
    assert not (state / f"journal-{DAY}.json").exists()
    assert f"briefing-{DAY}.vtt" in (out / "feed.xml").read_text()


def test_the_journal_adds_downloaded_articles_to_the_seen_cache_once(tmp_path: Path) -> None:
    from briefing.journal import apply_journal, file_digest, write_journal
    from briefing.layout import Layout
    from briefing.models import Article, Story
    from briefing.sources.cache import SeenCache, article_keys

    layout = Layout(tmp_path / "out")
    day = dt.date(2026, 11, 24)
    mp3 = layout.episode(day).audio
    mp3.parent.mkdir()
    mp3.write_bytes(b"ID3" + bytes(500))
    fetched = Article("Storm hits coast", "Rain fell all day.", url="https://x.test/storm")
    local = Article("Local note", "Mine.", path=tmp_path / "note.txt", url="")
    story = Story("Storm hits coast", ("Rain fell all day.",))
    write_journal(layout.journal(day), day, file_digest(mp3), [story], [fetched, local])
    assert apply_journal(layout, day) == ()
    cache = SeenCache.load(layout.seen)
    assert set(cache.entries) == set(article_keys(fetched))
    assert set(cache.entries.values()) == {DAY}
    assert not layout.journal(day).exists()
    # A journal naming another MP3 (a remake stopped before its MP3) is dropped unread.
    write_journal(layout.journal(day), day, file_digest(mp3), [story], [fetched])
    mp3.write_bytes(b"ID3" + bytes(600))
    layout.seen.unlink()
    assert apply_journal(layout, day) == ()
    assert not layout.seen.exists() and not layout.journal(day).exists()


def test_stale_part_files_in_the_state_directory_are_removed(
    project: Path, fake_engine: object
) -> None:
    state = project / "output" / ".briefing"
    state.mkdir(parents=True)
    stale = [state / ".history.json.ab12cd34.part", state / ".seen.json.zz99yy88.part"]
    for path in stale:
        path.write_text("{half")
    mine = state / "notes.part"  # not a name our writers use: kept
    mine.write_text("mine")
    result = run(DAY)
    assert result.exit_code == ExitCode.OK, result.output
    assert not any(path.exists() for path in stale)
    assert mine.read_text() == "mine"
    assert "left by an interrupted run" in (state / "briefing.log").read_text()


def test_a_remake_killed_between_the_script_and_the_mp3_is_made_again(
    project: Path, fake_engine: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The report: `run --force` killed between the .txt and .mp3 renames left the new
    # script beside the old MP3, and no run ever noticed.
    from briefing.fsutil import Staged
    from briefing.journal import names
    from tests.helpers import write_article

    out = project / "output"
    assert run(DAY).exit_code == 0
    old_mp3 = (out / f"briefing-{DAY}.mp3").read_bytes()
    write_article(project / "seeds", "b.txt", "Storm hits coast", STORM_TEXT)
    commit = Staged.commit

    def killed_before_the_mp3(self: Staged) -> None:
        if self.target.suffix == ".mp3":
            raise Killed("between the renames")
        commit(self)

    with monkeypatch.context() as patch:
        patch.setattr(Staged, "commit", killed_before_the_mp3)
        with pytest.raises(Killed):
            run(DAY, "--force")
    assert (out / f"briefing-{DAY}.mp3").read_bytes() == old_mp3
    assert "Storm hits coast" in (out / f"briefing-{DAY}.txt").read_text()  # the new one

    published = CliRunner().invoke(cli, ["publish", "--output", str(out)])
    assert published.exit_code == ExitCode.OK, published.output
    assert "does not match its script" in published.stderr
    assert f"briefing run --date {DAY}" in published.stderr

    again = run(DAY)
    assert again.exit_code == ExitCode.OK, again.output
    assert "making the day again" in again.stderr
    mp3 = out / f"briefing-{DAY}.mp3"
    assert mp3.read_bytes() != old_mp3
    sidecar = json.loads((out / f"briefing-{DAY}.json").read_text())
    assert names(sidecar["audio"], mp3) is True
    assert "Storm hits coast" in (out / f"briefing-{DAY}.txt").read_text()
    assert "Storm hits coast" in [s["headline"] for s in sidecar["stories"]]
    assert "already exists" in run(DAY).stderr  # whole now: left alone


@needs_ffmpeg  # the sidecar is rebuilt from the real MP3's ID3 chapters
def test_a_sidecar_lost_to_a_full_disk_is_rebuilt_from_the_mp3(
    project: Path, fake_engine: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = project / "output"

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f"briefing-{DAY}.json")

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "write_metadata", full)
        assert run(DAY).exit_code == ExitCode.OK
    assert not (out / f"briefing-{DAY}.json").exists()
    again = run(DAY)
    assert again.exit_code == ExitCode.OK, again.output
    sidecar = json.loads((out / f"briefing-{DAY}.json").read_text())
    assert [s["headline"] for s in sidecar["stories"]] == ["Council passes budget"]
    assert sidecar["duration_s"] > 1
    assert sidecar["chapters"][0]["title"] == "Introduction"
    chapters = json.loads((out / f"briefing-{DAY}.chapters.json").read_text())
    assert "Council passes budget" in [c["title"] for c in chapters["chapters"]]
