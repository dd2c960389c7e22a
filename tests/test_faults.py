"""Faults: missing or crashing programs, hung speech, full or read-only disks, a run
killed mid-encode. Each is simulated (fake `espeak-ng`/`ffmpeg` programs on a temporary
PATH, a fake pyttsx3 module, a tiny tmpfs, a monkeypatched write) and driven through the
CLI, so the tests hold whatever the engines and the assembler look like inside.

What must hold every time: one clear `error:` line and the documented exit code, or the
broken story left out with a warning; yesterday's episode untouched; no file published
half-written under its final name; the lock released; the next run recovers.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefing.cli import cli
from briefing.daily import output_lock
from briefing.errors import ExitCode
from briefing.layout import Layout
from tests.fakes import fake_espeak, fake_ffmpeg, logged_calls, real_ffmpeg
from tests.helpers import HAVE_ESPEAK, needs_espeak, needs_ffmpeg, write_article
from tests.webserver import BRIDGE_TEXT, DATE, LIBRARY_TEXT, STORM_TEXT

REPO = Path(__file__).resolve().parent.parent
TODAY = DATE.isoformat()
YESTERDAY = "2026-11-23"


def make_fakebin(tmp_path: Path) -> Path:
    """A directory for fake programs; the tests decide what goes on PATH."""
    d = tmp_path / "fakebin"
    d.mkdir()
    return d


def make_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """seeds/ with two stories, in the current directory, with no configuration."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    write_article(tmp_path / "seeds", "a.txt", "Council passes budget")
    write_article(tmp_path / "seeds", "b.txt", "Storm hits coast", STORM_TEXT)
    # Told already (on a directory's first run) that Apple needs [feed] owner_email: the
    # runs here print their warnings and errors only.
    noted = Layout(tmp_path / "output").owner_noted
    noted.parent.mkdir(parents=True)
    noted.write_text("told\n")
    return tmp_path


@pytest.fixture
def fakebin(tmp_path: Path) -> Path:
    return make_fakebin(tmp_path)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


def make_yesterday(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True, exist_ok=True)
    files = {
        f"briefing-{YESTERDAY}.mp3": b"ID3" + os.urandom(3000),
        f"briefing-{YESTERDAY}.txt": b"Good morning. Yesterday's script.\n",
        "feed.xml": b"<?xml version='1.0'?><rss><channel><title>Briefing</title></channel></rss>",
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
    return files


def assert_intact(out: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        assert (out / name).read_bytes() == data, f"{name} was changed"


def assert_kept_and_published(out: Path, files: dict[str, bytes]) -> None:
    """After a run that made today's episode: yesterday's files untouched, and the feed
    rebuilt (atomically, by briefing.publish) to list both episodes."""
    assert_intact(out, {k: v for k, v in files.items() if k != "feed.xml"})
    import xml.etree.ElementTree as ET

    urls = [e.get("url", "") for e in ET.parse(out / "feed.xml").iter("enclosure")]
    assert sorted(Path(u).name for u in urls) == [
        f"briefing-{YESTERDAY}.mp3",
        f"briefing-{TODAY}.mp3",
    ]


def assert_nothing_half_written(out: Path) -> None:
    assert not (out / f"briefing-{TODAY}.mp3").exists()
    assert not list(out.glob(".*.part")), "a temporary file was left behind"


def assert_lock_free(out: Path) -> None:
    with output_lock(out):
        pass


def run(*args: str, output: str = "output") -> Result:
    return CliRunner().invoke(cli, ["run", "--date", TODAY, "--output", output, *args])


def one_error_line(result: Result) -> str:
    lines = [line for line in result.stderr.splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


# --- missing programs ------------------------------------------------------------------


def test_missing_espeak_ng_exits_4_and_doctor_says_how_to_fix(
    project: Path, fakebin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_ffmpeg(fakebin)
    monkeypatch.setenv("PATH", str(fakebin))
    result = run("--engine", "espeak-ng")
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY
    assert one_error_line(result) == (
        "error: engine espeak-ng needs espeak-ng, which is not installed; install it with: "
        "sudo apt-get install espeak-ng (macOS: brew install espeak-ng)"
    )
    doctor = CliRunner().invoke(cli, ["doctor", "--engine", "espeak-ng"])
    assert doctor.exit_code == ExitCode.MISSING_DEPENDENCY
    assert "[FAIL] espeak-ng: not found on PATH\n       fix: sudo apt-get install espeak-ng" in (
        doctor.output
    )
    assert "[ok  ] ffmpeg: ffmpeg version 6 (fake)" in doctor.output


def test_missing_ffmpeg_exits_4_with_the_fix(
    project: Path, fakebin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_espeak(fakebin)
    monkeypatch.setenv("PATH", str(fakebin))
    result = run("--engine", "espeak-ng")
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY
    assert one_error_line(result).startswith(
        "error: ffmpeg and ffprobe not found; install ffmpeg (Debian/Ubuntu: sudo apt-get"
    )
    assert not (project / "output" / f"briefing-{TODAY}.txt").exists()


def test_missing_libespeak_for_pyttsx3_exits_4(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ctypes.util
    import platform

    if platform.system() != "Linux":
        pytest.skip("pyttsx3 needs libespeak-ng only on Linux")
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    result = run("--engine", "pyttsx3")
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY
    assert "libespeak-ng is not installed" in one_error_line(result)


# --- espeak-ng crashing or hanging -----------------------------------------------------


@pytest.fixture
def espeak_on_path(fakebin: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Fake espeak-ng with the real ffmpeg; returns the file logging every call."""
    fake_espeak(fakebin)
    real_ffmpeg(fakebin)
    monkeypatch.setenv("PATH", f"{fakebin}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "espeak-calls.jsonl"))
    return tmp_path / "espeak-calls.jsonl"


@needs_ffmpeg
def test_a_story_that_crashes_espeak_is_left_out_and_the_rest_is_made(
    project: Path, espeak_on_path: Path
) -> None:
    write_article(project / "seeds", "c.txt", "Crashme story", LIBRARY_TEXT)
    yesterday = make_yesterday(project / "output")
    result = run("--engine", "espeak-ng")
    assert result.exit_code == ExitCode.OK, result.output
    [warning] = result.stderr.splitlines()
    assert warning.startswith("warning: story 'Crashme story': not spoken: espeak-ng failed: ")
    assert "killed by signal 11" in warning
    script = (project / "output" / f"briefing-{TODAY}.txt").read_text()
    assert "Storm hits coast" in script and "Crashme" not in script
    assert (project / "output" / f"briefing-{TODAY}.mp3").stat().st_size > 5000
    assert_kept_and_published(project / "output", yesterday)


@needs_ffmpeg
@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("crash", "espeak-ng failed: killed by signal 11"),
        ("complain", "espeak-ng failed: Error: cannot open voice file (command: espeak-ng"),
    ],
)
def test_espeak_failing_on_everything_fails_the_run_in_one_line(
    project: Path, espeak_on_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, message: str
) -> None:
    yesterday = make_yesterday(project / "output")
    monkeypatch.setenv("FAKE_MODE", mode)
    result = run("--engine", "espeak-ng")
    assert result.exit_code == ExitCode.ERROR
    assert message in one_error_line(result)
    assert_nothing_half_written(project / "output")
    assert_intact(project / "output", yesterday)
    assert_lock_free(project / "output")
    monkeypatch.delenv("FAKE_MODE")
    assert run("--engine", "espeak-ng").exit_code == ExitCode.OK  # and the next run works


@needs_ffmpeg
def test_a_hung_espeak_is_killed_after_the_timeout_and_its_story_left_out(
    project: Path, espeak_on_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.speak import espeak

    monkeypatch.setattr(espeak, "TIMEOUT_S", 1)
    write_article(project / "seeds", "c.txt", "Hangme story", LIBRARY_TEXT)
    result = run("--engine", "espeak-ng")
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stderr == (
        "warning: story 'Hangme story': not spoken: espeak-ng did not finish within 1 s\n"
    )
    [hung] = [c for c in logged_calls(espeak_on_path) if "HANGME" in str(c["text"]).upper()]
    with pytest.raises(ProcessLookupError):
        os.kill(int(hung["pid"]), 0)  # type: ignore[call-overload]  # killed, not orphaned
    assert "Council passes budget" in (project / "output" / f"briefing-{TODAY}.txt").read_text()


@needs_ffmpeg
def test_espeak_hanging_on_the_greeting_fails_the_run_clearly(
    project: Path, espeak_on_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.speak import espeak

    monkeypatch.setattr(espeak, "TIMEOUT_S", 1)
    monkeypatch.setenv("FAKE_MODE", "hang")
    from bench.pipeline import write_articles

    write_articles(project / "seeds", 8)  # ten stories: twelve segments to speak
    result = run("--engine", "espeak-ng")
    assert result.exit_code == ExitCode.ERROR
    assert one_error_line(result) == "error: espeak-ng did not finish within 1 s"
    # The failing run stops there: the queued segments are not tried (and waited for).
    assert len(logged_calls(espeak_on_path)) <= 4
    assert_nothing_half_written(project / "output")
    assert_lock_free(project / "output")


# --- pyttsx3 crashing or hanging (a fake pyttsx3 module in its worker processes) --------

FAKE_PYTTSX3 = """
import os, resource, signal, time, wave

class _Engine:
    def __init__(self):
        self.callbacks = []
        self.job = None

    def connect(self, name, callback):
        self.callbacks.append(callback)

    def setProperty(self, name, value):
        pass

    def save_to_file(self, text, path):
        self.job = (text, path)

    def runAndWait(self):
        text, path = self.job
        with open(os.environ["FAKE_PIDS"], "a") as log:
            log.write(f"{os.getpid()} {text[:40]!r}\\n")
        if "CRASHME" in text.upper():
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            os.kill(os.getpid(), signal.SIGSEGV)
        if "HANGME" in text.upper():
            time.sleep(600)
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(22050)
            w.writeframes(b"\\x10\\x00" * 22050)
        for callback in self.callbacks:
            callback(None, True)

def init():
    return _Engine()
"""


@pytest.fixture
def fake_pyttsx3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pyttsx3 that crashes or hangs on cue, imported by the engine's worker processes."""
    package = tmp_path / "fake_modules" / "pyttsx3"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(FAKE_PYTTSX3)
    # Workers started by multiprocessing get the parent's sys.path; plain subprocesses
    # get PYTHONPATH: either way they import this one.
    monkeypatch.syspath_prepend(str(tmp_path / "fake_modules"))
    path = os.environ.get("PYTHONPATH")
    fake = str(tmp_path / "fake_modules")
    monkeypatch.setenv("PYTHONPATH", fake + (os.pathsep + path if path else ""))
    monkeypatch.setenv("FAKE_PIDS", str(tmp_path / "pyttsx3-pids.txt"))
    from briefing.speak import pyttsx3_engine

    # Short timeouts: 3 s per segment, worker start-up included.
    monkeypatch.setattr(pyttsx3_engine, "START_TIMEOUT_S", 2.0)
    monkeypatch.setattr(pyttsx3_engine, "job_timeout", lambda text: 1.0)
    return tmp_path / "pyttsx3-pids.txt"


def pids(log: Path, marker: str) -> list[int]:
    return [int(line.split()[0]) for line in log.read_text().splitlines() if marker in line.upper()]


@needs_ffmpeg
def test_pyttsx3_worker_crash_and_hang_are_each_one_story_left_out(
    project: Path, fake_pyttsx3: Path
) -> None:
    write_article(project / "seeds", "c.txt", "Crashme story", LIBRARY_TEXT)
    write_article(project / "seeds", "d.txt", "Hangme story", BRIDGE_TEXT)
    (project / "briefing.toml").write_text("[speech]\nworkers = 1\n")
    result = run("--engine", "pyttsx3")
    assert result.exit_code == ExitCode.OK, result.output
    crashed, hung = sorted(result.stderr.splitlines())
    assert crashed.startswith("warning: story 'Crashme story': not spoken: ")
    assert "pyttsx3 worker died (exit code -11)" in crashed
    assert hung.startswith("warning: story 'Hangme story': not spoken: ")
    assert re.search(r"pyttsx3 did not finish .* within 3 s", hung)
    # Each is retried once in a fresh worker, then given up: two tries, two processes.
    assert len(set(pids(fake_pyttsx3, "HANGME"))) == 2
    assert len(set(pids(fake_pyttsx3, "CRASHME"))) == 2
    for pid in pids(fake_pyttsx3, "HANGME"):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # the hung workers were killed, not left running
    script = (project / "output" / f"briefing-{TODAY}.txt").read_text()
    assert "Council passes budget" in script and "Storm hits coast" in script


# --- ffmpeg crashing -------------------------------------------------------------------


@pytest.mark.ffmpeg  # a fake ffmpeg: the episode must go through the real MP3 format
def test_ffmpeg_crashing_mid_encode_is_one_line_and_publishes_nothing(
    project: Path, fakebin: Path, monkeypatch: pytest.MonkeyPatch, fake_engine
) -> None:
    fake_ffmpeg(fakebin)
    monkeypatch.setenv("PATH", f"{fakebin}{os.pathsep}{os.environ['PATH']}")
    yesterday = make_yesterday(project / "output")
    result = run("--engine", "fake")
    assert result.exit_code == ExitCode.ERROR
    error = one_error_line(result)
    # The first ffmpeg step to run (measuring loudness or calibrating the encoder) says
    # how ffmpeg died and the last thing it wrote.
    assert error.startswith("error: ")
    assert "failed: ffmpeg was killed by SIGSEGV: Segmentation fault in libmp3lame" in error
    assert_nothing_half_written(project / "output")
    assert_intact(project / "output", yesterday)
    assert_lock_free(project / "output")


# --- full and read-only disks ----------------------------------------------------------


@contextlib.contextmanager
def tmpfs(directory: Path, size: str) -> Iterator[Path]:
    """A tiny RAM disk at `directory` (root only); skips where mounting is not allowed."""
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False)


@needs_ffmpeg
def test_disk_full_is_one_line_keeps_yesterday_and_the_next_run_recovers(
    project: Path, fake_engine
) -> None:
    with tmpfs(project / "small", "100k") as out:
        yesterday = make_yesterday(out)
        result = run("--engine", "fake", output=str(out))
        assert result.exit_code == ExitCode.ERROR, result.output
        error = one_error_line(result)
        assert error.startswith("error: no space left on the disk (")
        assert error.endswith("; free some space or choose another --output")
        assert f"{out} has " in error
        assert_nothing_half_written(out)
        assert_intact(out, yesterday)
        assert_lock_free(out)
        # Room again (yesterday's episode archived elsewhere): the next run works.
        (out / f"briefing-{YESTERDAY}.mp3").unlink()
        (out / f"briefing-{YESTERDAY}.txt").unlink()
        (out / ".briefing" / "briefing.log").unlink()
    assert run("--engine", "fake").exit_code == ExitCode.OK


@needs_ffmpeg
def test_a_write_refused_for_lack_of_space_says_where_there_is_room(
    project: Path, monkeypatch: pytest.MonkeyPatch, fake_engine
) -> None:
    # Where no tmpfs can be mounted: the script's fsync reports ENOSPC, as on NFS.
    yesterday = make_yesterday(project / "output")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = run("--engine", "fake")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert result.exit_code == ExitCode.ERROR
    assert one_error_line(result).startswith("error: no space left on the disk (output has ")
    assert_nothing_half_written(project / "output")
    assert not (project / "output" / f"briefing-{TODAY}.txt").exists()
    assert_intact(project / "output", yesterday)
    assert run("--engine", "fake").exit_code == ExitCode.OK  # lock released, run recovers


@needs_ffmpeg
@pytest.mark.skipif(not HAVE_ESPEAK, reason="espeak-ng is not installed")
def test_a_full_temporary_directory_is_named_as_the_full_disk(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    # espeak-ng exits 0 when it cannot write its WAV; the error must still say why.
    with tmpfs(project / "tmp", "40k") as tmp:
        monkeypatch.setattr(tempfile, "tempdir", str(tmp))
        result = run("--engine", "espeak-ng")
        assert result.exit_code == ExitCode.ERROR
        error = one_error_line(result)
        assert error.startswith(f"error: no space left on the disk to write {tmp}/briefing-")
        assert re.search(r"/segment-\d{4}(\.v\d+)?\.wav; free some space there$", error)
        assert_nothing_half_written(project / "output")


def test_read_only_output_directory_exits_2_in_one_line(project: Path, fake_engine) -> None:
    with tmpfs(project / "ro", "1m") as out:
        yesterday = make_yesterday(out)
        subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
        result = run("--engine", "fake", output=str(out))
        assert result.exit_code == ExitCode.USAGE
        assert result.stderr == (
            f"error: cannot write to the output directory {out} (permission denied or a "
            "read-only file system); choose another --output or fix its permissions\n"
        )
        assert_intact(out, yesterday)


def test_publish_on_a_full_disk_is_one_line_not_a_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The report: `briefing publish` on a full disk printed a traceback.
    make_yesterday(project / "output")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = CliRunner().invoke(cli, ["publish"])
    assert result.exit_code == ExitCode.ERROR
    assert one_error_line(result).startswith("error: no space left on the disk (output has ")
    assert not list((project / "output").glob(".*.part"))


def test_unwritable_files_are_explained(tmp_path: Path) -> None:
    from briefing.fsutil import explain_write_error

    out = tmp_path / "out"
    target = str(out / "briefing-x.txt")
    assert explain_write_error(OSError(errno.EROFS, "Read-only", target), out) == (
        f"cannot write {target}: the file system is read-only; make it writable or choose "
        "another --output"
    )
    assert explain_write_error(OSError(errno.EACCES, "Denied", "/tmp/x/seg.wav"), out) == (
        "permission denied writing /tmp/x/seg.wav; fix the permissions of /tmp/x"
    )
    assert explain_write_error(OSError(errno.ENOSPC, "Full", target), out) == (
        f"no space left on the disk to write {target}; free some space there or choose "
        "another --output"
    )
    # A failed rename names the file being replaced, not the temporary one.
    renamed = OSError(errno.EISDIR, "Is a directory", str(out / ".feed.xml.abcdefgh.part"))
    renamed.filename2 = str(out / "feed.xml")
    assert explain_write_error(renamed, out) == (
        f"cannot write {out}/feed.xml: a directory of that name is in the way; move it away"
    )


# --- killed mid-encode -----------------------------------------------------------------

DRIVER = """
import sys
sys.path.insert(0, {repo!r})
from tests.conftest import FakeEngine
from briefing.speak import ENGINES
ENGINES[FakeEngine.name] = FakeEngine
from briefing.cli import main
sys.argv = ["briefing", "run", "--engine", "fake", "--date", {date!r}]
main()
"""


@needs_ffmpeg
def test_killed_mid_encode_publishes_nothing_and_the_next_run_recovers(
    project: Path, fakebin: Path, fake_engine
) -> None:
    out = project / "output"
    yesterday = make_yesterday(out)
    fake_ffmpeg(fakebin)
    marker = project / "encoding-started"
    (project / "tmp").mkdir()
    env = os.environ | {
        "PATH": f"{fakebin}{os.pathsep}{os.environ['PATH']}",
        "FAKE_FFMPEG": "hang-encoder",
        "REAL_FFMPEG": str(shutil.which("ffmpeg")),
        "FAKE_MARKER": str(marker),
        "TMPDIR": str(project / "tmp"),  # what a killed run leaves in it stays in the test
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER.format(repo=str(REPO), date=TODAY)],
        cwd=project,
        env=env,
        start_new_session=True,  # its own process group: the kill takes ffmpeg too
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the run never reached the encoder"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # Killed: nothing half-written under a final name (neither the MP3 nor its script:
    # both are staged as hidden .part files), yesterday untouched, no stale lock.
    assert not (out / f"briefing-{TODAY}.mp3").exists()
    assert not (out / f"briefing-{TODAY}.txt").exists()
    parts = sorted(out.glob(".*.part"))
    assert [p.name.split(".")[2] for p in parts] == ["mp3", "txt"]
    assert_intact(out, yesterday)
    assert_lock_free(out)
    # The run's guard kills its hung ffmpeg and removes its temporary files at once.
    ffmpeg = int(marker.read_text())
    assert wait_until(lambda: not alive(ffmpeg)), "ffmpeg outlived the run"
    assert wait_until(lambda: not list((project / "tmp").glob("briefing-run-*")))
    # The next run cleans up after it and makes the episode.
    result = run("--engine", "fake")
    assert result.exit_code == ExitCode.OK, result.output
    assert (out / f"briefing-{TODAY}.mp3").stat().st_size > 5000
    assert not list(out.glob(".*.part"))
    assert "Storm hits coast" in (out / f"briefing-{TODAY}.txt").read_text()
    assert_kept_and_published(out, yesterday)
    log = (out / ".briefing" / "briefing.log").read_text()
    for part in parts:
        assert f"removed output/{part.name}, left by an interrupted run" in log


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped by its parent, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@needs_espeak
@needs_ffmpeg
def test_doctor_passes_with_everything_installed(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["doctor", "--engine", "espeak-ng", "--output", str(tmp_path / "o")]
    )
    if "[FAIL] ffmpeg" in result.output:
        pytest.skip("ffmpeg is not installed")
    assert result.exit_code == ExitCode.OK, result.output
    assert "[ok  ] speech (espeak-ng): rendered a test phrase" in result.output
