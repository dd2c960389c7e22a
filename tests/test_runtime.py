"""The per-run temporary directory and the run's child processes (briefing/runtime.py)."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from briefing import runtime


@pytest.fixture
def tmpdir_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$TMPDIR for the code under test: what it leaves there stays in the test."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def run_dirs(tmp: Path) -> list[Path]:
    return sorted(tmp.glob(f"{runtime.RUN_DIR_PREFIX}*"))


def gone(pid: int, timeout: float = 10.0) -> bool:
    """Whether `pid`, our child, has ended (it is reaped here) within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            return True
        time.sleep(0.02)
    return False


def test_one_directory_per_run_shared_by_nested_scopes_and_removed(tmpdir_here: Path) -> None:
    with runtime.run_scope() as root:
        assert root.parent == tmpdir_here and root.name.startswith(f"briefing-run-{os.getpid()}-")
        assert (root / runtime.OWNER_FILE).read_text() == f"{os.getpid()}\n"
        with runtime.run_scope() as inner, runtime.temp_dir("speech-") as speech:
            assert inner == root and speech.parent == root
            (speech / "segment-0000.wav").write_bytes(b"RIFF")
        assert not speech.exists()
        assert runtime.current_dir() == root
    assert run_dirs(tmpdir_here) == [] and runtime.current_dir() is None


def test_the_directory_is_removed_when_the_run_fails(tmpdir_here: Path) -> None:
    with pytest.raises(RuntimeError), runtime.temp_dir("audio-") as audio:
        (audio / "speech.pcm").write_bytes(b"\0" * 1000)
        raise RuntimeError("encoder failed")
    assert run_dirs(tmpdir_here) == []


def test_directories_of_killed_runs_are_removed_and_live_ones_kept(tmpdir_here: Path) -> None:
    killed = tmpdir_here / "briefing-run-4242-abcdefgh"
    (killed / "speech-x").mkdir(parents=True)
    (killed / "speech-x" / "segment-0000.wav").write_bytes(b"\0" * 10_000)
    (killed / runtime.OWNER_FILE).write_text("4242\n")  # its lock died with its process
    live = tmpdir_here / "briefing-run-4343-abcdefgh"
    live.mkdir()
    (live / runtime.OWNER_FILE).write_text("4343\n")
    held = os.open(live / runtime.OWNER_FILE, os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)  # a live run holds it
    young = tmpdir_here / "briefing-run-4444-abcdefgh"  # being made: no .owner yet
    young.mkdir()
    old = tmpdir_here / "briefing-run-4545-abcdefgh"  # never finished being made
    old.mkdir()
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    other = tmpdir_here / "briefing-somethingelse"
    other.mkdir()
    try:
        with runtime.run_scope() as mine:
            assert sorted(run_dirs(tmpdir_here)) == sorted([live, young, mine])
        assert other.exists()
    finally:
        os.close(held)


def test_children_die_with_the_scope(tmpdir_here: Path) -> None:
    with runtime.run_scope():
        child = subprocess.Popen(["sleep", "600"], **runtime.child_options())
        assert os.getpgid(child.pid) != os.getpgid(0)  # not in the terminal's group
    assert gone(child.pid)
    assert runtime.child_options() == {}  # outside a run: plain children


def test_sigterm_kills_the_children_and_unwinds_as_interrupted(tmpdir_here: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(runtime.Interrupted, match="SIGTERM"), runtime.run_scope():
        child = subprocess.Popen(["sleep", "600"], **runtime.child_options())
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # interrupted long before this ends
    assert gone(child.pid, timeout=2)
    assert run_dirs(tmpdir_here) == []
    assert signal.getsignal(signal.SIGTERM) is before


def test_no_child_starts_once_the_run_is_stopping(tmpdir_here: Path) -> None:
    with pytest.raises(runtime.Interrupted), runtime.run_scope():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
        except runtime.Interrupted:
            runtime.child_options()  # a render thread trying to start espeak-ng now


def test_a_child_starting_as_the_run_stops_dies_with_it(
    tmpdir_here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A render thread is starting a child when SIGTERM comes. The stop used to kill the
    # group between the thread's stop check and its start: the child then started after
    # the kill, lived on, and held the run's exit for the whole of its timeout.
    real = subprocess.Popen
    starting, go = threading.Event(), threading.Event()

    def slow(cmd, *args, **kwargs):
        if cmd[0] == "sleep":
            starting.set()
            go.wait(5)
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", slow)
    children: list[subprocess.Popen[bytes]] = []
    thread = threading.Thread(target=lambda: children.append(runtime.popen(["sleep", "600"])))
    with pytest.raises(runtime.Interrupted), runtime.run_scope():
        thread.start()
        assert starting.wait(5)
        threading.Timer(0.3, go.set).start()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # interrupted long before this ends
    thread.join(5)
    assert len(children) == 1, "the child did not start"
    assert gone(children[0].pid, timeout=2)


def test_run_is_subprocess_run_for_a_child_of_the_run(tmpdir_here: Path) -> None:
    with runtime.run_scope():
        done = runtime.run(["sh", "-c", "cat; echo oops >&2; exit 3"], input=b"hi")
        assert (done.returncode, done.stdout, done.stderr) == (3, b"hi", b"oops\n")
        with pytest.raises(subprocess.TimeoutExpired):
            runtime.run(["sleep", "600"], timeout=0.2)


def test_without_a_guard_the_run_goes_on_with_plain_children(
    tmpdir_here: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = subprocess.Popen

    def no_sh(cmd, *args, **kwargs):
        if cmd[0] == "/bin/sh":
            raise FileNotFoundError(2, "No such file or directory", "/bin/sh")
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", no_sh)
    with runtime.run_scope() as root:
        assert runtime.child_options() == {} and runtime.child_options() == {}
        child = real(["sleep", "600"], **runtime.child_options())
    assert not root.exists()
    child.kill()
    child.wait()
    assert [r.message for r in caplog.records].count(
        "cannot start the guard of the run's child processes ([Errno 2] No such file or "
        "directory: '/bin/sh')"
    ) == 1
