"""What a run owns, and leaves nothing of however it ends: its temporary files and its
child processes.

- Temporary files: one directory per run under $TMPDIR, `briefing-run-PID-XXXXXXXX/`,
  that every stage makes its own temporary directories in (`temp_dir`). It is removed
  when the run ends: normally, by an exception, or by SIGTERM, SIGINT or SIGHUP (turned
  into an `Interrupted` exception, so the stack unwinds and every `finally` runs). The
  run holds an flock on `.owner` inside it: the kernel drops that lock when the process
  dies, so the next run can tell a directory left by a killed run (lock free: removed
  at its start) from one a live run is using (lock held: left alone), whatever became of
  the pid.
- Child processes (ffmpeg, espeak-ng, pyttsx3 workers, any engine's program) start in
  one process group (`popen` and `run`), led by a guard: a two-line `sh` that waits on a
  pipe from the run. When the run process ends, however it ends (SIGKILL and the OOM
  killer included), the kernel closes the pipe, and the guard sends the group SIGTERM,
  removes the run's directory and sends SIGKILL. POSIX only (`sh`, `setpgid`, `kill 0`):
  the same on Linux and macOS, no prctl.

The CLI calls `run_scope()` around a whole run; library calls (`pipeline.run`,
`assemble`) open one themselves when none is open, so they clean up after themselves too.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

log = logging.getLogger("briefing")

RUN_DIR_PREFIX = "briefing-run-"
OWNER_FILE = ".owner"
# A run directory without its .owner file is being made; one this old never will be.
UNOWNED_GRACE_S = 60.0
SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# The guard: ignore the signals meant for the run; wait for the run's end (EOF on
# stdin); then stop the group politely, remove the run's directory ($1), and kill
# whatever is left, the guard included. `kill 0` signals the guard's own group.
_GUARD = (
    'trap "" INT TERM HUP; read line; kill -TERM 0 2>/dev/null; sleep 1; rm -rf -- "$1"; '
    "kill -KILL 0"
)


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop (SIGTERM, SIGINT, SIGHUP); a KeyboardInterrupt, so no
    `except Exception` on the way out can swallow it."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")


@dataclass
class _Run:
    directory: Path
    owner_fd: int
    guard: subprocess.Popen[bytes] | None = None
    guard_failed: bool = False  # no guard can start here: do not try for every child
    depth: int = 1
    stopping: int = 0  # the signal that is stopping the run, once one came
    saved_handlers: dict[int, Any] = field(default_factory=dict)


_lock = threading.RLock()
_run: _Run | None = None


@contextlib.contextmanager
def run_scope() -> Iterator[Path]:
    """Own a run directory and a child process group for the duration; yield the
    directory. Nested scopes share the outermost one."""
    global _run
    with _lock:
        if _run is not None:
            _run.depth += 1
            outer = False
        else:
            remove_stale_run_dirs()
            _run = _start_run()
            outer = True
        run = _run
    if outer:
        _install_handlers(run)
    try:
        yield run.directory
    finally:
        with _lock:
            run.depth -= 1
            last = run.depth == 0
            if last:
                _run = None
        if last:
            _restore_handlers(run)
            _end_run(run)


@contextlib.contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    """A fresh temporary directory inside the run's directory, removed on leaving."""
    with run_scope() as root:
        path = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)


def current_dir() -> Path | None:
    """The open run's directory, if a run scope is open."""
    run = _run
    return run.directory if run is not None else None


def child_options() -> dict[str, Any]:
    """Keyword arguments for `subprocess.Popen`/`run` that put the child in the run's
    process group, so it dies with the run. Outside a run scope: none (a plain child).
    Once the run is being stopped, no child may start: `Interrupted` is raised."""
    with _lock:
        run = _run
        if run is None:
            return {}
        if run.stopping:
            raise Interrupted(run.stopping)
        if not run.guard_failed and (run.guard is None or run.guard.poll() is not None):
            run.guard = _start_guard(run.directory)
            run.guard_failed = run.guard is None
        return {"process_group": run.guard.pid} if run.guard is not None else {}


def popen(cmd: Sequence[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """`subprocess.Popen` for a child of the run, in its process group. The stop check
    and the start are one step under the run's lock: a signal between them killed the
    group first, and the child, started after, joined what was left of it, outlived the
    kill and held the run's exit for the child's whole timeout."""
    with _lock:
        proc: subprocess.Popen[bytes] = subprocess.Popen(cmd, **kwargs, **child_options())
        return proc


def run(
    cmd: Sequence[str], input: bytes | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`subprocess.run(cmd, input=input, capture_output=True, timeout=timeout)` for a
    child of the run, started by `popen`; killed if it times out or the run stops."""
    stdin = subprocess.PIPE if input is not None else None
    with popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            out, err = proc.communicate(input, timeout=timeout)
        except BaseException:
            proc.kill()  # leaving the with waits for it
            raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def remove_stale_run_dirs(tmp: Path | None = None) -> list[Path]:
    """Delete the run directories whose run is gone (their .owner lock is free)."""
    tmp = Path(tempfile.gettempdir()) if tmp is None else tmp
    removed = []
    for path in sorted(tmp.glob(f"{RUN_DIR_PREFIX}*")):
        try:
            if path.is_symlink() or not path.is_dir() or path.stat().st_uid != os.getuid():
                continue  # not ours to judge
            if _abandoned(path):
                size = _size(path)
                shutil.rmtree(path)
                removed.append(path)
                log.info("removed %s (%.1f MB), left by a killed run", path, size / 1e6)
        except OSError as exc:
            log.info("could not remove %s, left by a killed run: %s", path, exc)
    return removed


def _abandoned(path: Path) -> bool:
    try:
        fd = os.open(path / OWNER_FILE, os.O_RDWR | os.O_NOFOLLOW)
    except FileNotFoundError:
        return time.time() - path.stat().st_mtime > UNOWNED_GRACE_S
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # its run is alive
    finally:
        os.close(fd)  # also drops the lock, if we got it
    return True


def _size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total


def _start_run() -> _Run:
    directory = Path(tempfile.mkdtemp(prefix=f"{RUN_DIR_PREFIX}{os.getpid()}-"))
    try:
        fd = os.open(directory / OWNER_FILE, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with contextlib.suppress(OSError):  # the pid is for people; the lock is what counts
            os.write(fd, f"{os.getpid()}\n".encode())
        # Started now, not with the first child: a run killed before it starts any
        # (while loading) still has its directory removed at once.
        guard = _start_guard(directory)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return _Run(directory, fd, guard, guard_failed=guard is None)


def _end_run(run: _Run) -> None:
    with _lock:
        _kill_group(run)
    shutil.rmtree(run.directory, ignore_errors=True)
    os.close(run.owner_fd)


def _start_guard(directory: Path) -> subprocess.Popen[bytes] | None:
    """The guard process, or None where it cannot start (no /bin/sh): the run goes on,
    its children then plain ones, removed by the run but not by the kernel's pipe."""
    try:
        return subprocess.Popen(
            ["/bin/sh", "-c", _GUARD, "briefing-guard", str(directory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            process_group=0,  # leads its own group, which the run's children join
        )
    except OSError as exc:
        log.warning("cannot start the guard of the run's child processes (%s)", exc)
        return None


def _kill_group(run: _Run) -> None:
    guard, run.guard = run.guard, None
    if guard is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(guard.pid, signal.SIGKILL)
    guard.wait()
    if guard.stdin is not None:
        with contextlib.suppress(OSError):
            guard.stdin.close()


def _install_handlers(run: _Run) -> None:
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be set from the main thread

    def stop(signum: int, frame: FrameType | None) -> None:
        # Children first: a render or encode in another thread then fails at once,
        # instead of the unwinding waiting out its timeout.
        with _lock:
            run.stopping = run.stopping or signum
            _kill_group(run)
        raise Interrupted(signum)

    for signum in SIGNALS:
        with contextlib.suppress(OSError, ValueError):
            run.saved_handlers[signum] = signal.signal(signum, stop)


def _restore_handlers(run: _Run) -> None:
    for signum, handler in run.saved_handlers.items():
        with contextlib.suppress(OSError, ValueError, TypeError):
            signal.signal(signum, handler)
