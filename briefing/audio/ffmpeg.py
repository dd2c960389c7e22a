"""Running ffmpeg: check for it up front, and wrap failures with the command and its stderr."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Sequence

from briefing import runtime
from briefing.errors import AudioError, MissingDependencyError
from briefing.settings import AudioSettings, default

INSTALL_HINT = (
    "install ffmpeg (Debian/Ubuntu: sudo apt-get install ffmpeg; macOS: brew install ffmpeg)"
)

# Raw PCM between stages: signed 16-bit little-endian mono, the format pydub holds.
PCM = ("-f", "s16le", "-ac", "1")

# How long one ffmpeg step may take: a minute to start, plus a quarter of a second per
# second of audio it reads. ffmpeg filters and encodes speech at 10 to 200 times real
# time (a Raspberry Pi Zero is the slow end), so a working ffmpeg never comes near it,
# and a hung one costs a 5-minute briefing a little over two minutes, not an hour.
# The defaults are the [audio] settings' (briefing/settings.py), declared once there.
BASE_TIMEOUT_S: float = default(AudioSettings, "ffmpeg_timeout")
TIMEOUT_PER_AUDIO_S: float = default(AudioSettings, "ffmpeg_timeout_per_audio_s")


def step_timeout(
    audio_s: float = 0.0, base_s: float | None = None, per_audio_s: float | None = None
) -> float:
    """Seconds an ffmpeg step reading `audio_s` seconds of audio may take (the module's
    defaults where not given)."""
    base = BASE_TIMEOUT_S if base_s is None else base_s
    per_audio = TIMEOUT_PER_AUDIO_S if per_audio_s is None else per_audio_s
    return base + per_audio * max(0.0, audio_s)


def require_ffmpeg() -> None:
    missing = [b for b in ("ffmpeg", "ffprobe") if shutil.which(b) is None]
    if missing:
        raise MissingDependencyError(f"{' and '.join(missing)} not found; {INSTALL_HINT}")


def pcm_input(path: object, rate: int) -> list[str]:
    """ffmpeg arguments reading raw PCM at `rate` from `path`."""
    return [*PCM, "-ar", str(rate), "-i", str(path)]


def run_ffmpeg(
    args: Sequence[str],
    what: str,
    *,
    timeout: float | None = None,
    input: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run `ffmpeg ARGS`; a failure is an AudioError naming `what`, the command and stderr.
    It may take `timeout` seconds (default: `step_timeout()`)."""
    timeout = step_timeout() if timeout is None else timeout
    cmd = ["ffmpeg", "-hide_banner", "-nostats", *args]
    if input is None:
        cmd.insert(1, "-nostdin")
    try:
        proc = runtime.run(cmd, input=input, timeout=timeout)
    except FileNotFoundError as exc:
        raise MissingDependencyError(f"ffmpeg not found; {INSTALL_HINT}") from exc
    except subprocess.TimeoutExpired as exc:
        raise AudioError(f"{what}: ffmpeg did not finish within {timeout:.0f} s") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        _raise_for_disk(err)
        raise AudioError(
            f"{what} failed: {_failure(proc.returncode, err)} (command: {' '.join(cmd)})"
        )
    return proc


def _failure(code: int, stderr_lines: list[str]) -> str:
    """How ffmpeg ended and the last thing it said, which is where it says what went wrong."""
    if code < 0:
        try:
            how = f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"was killed by signal {-code}"
    else:
        how = f"exited {code}"
    last = next((line.strip() for line in reversed(stderr_lines) if line.strip()), "")
    return f"ffmpeg {how}" + (f": {last}" if last else "")


def _raise_for_disk(stderr_lines: list[str]) -> None:
    # A full disk is the user's to fix, not ffmpeg's: the caller explains it in one line
    # with the free space (briefing.fsutil.explain_write_error).
    text = "\n".join(stderr_lines)
    for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        if os.strerror(code) in text:
            raise OSError(code, os.strerror(code))


def run_piped(
    producer: Sequence[str],
    consumer: Sequence[str],
    what: str,
    *,
    timeout: float | None = None,
) -> None:
    """Run `ffmpeg PRODUCER | ffmpeg CONSUMER`: filtering and encoding on two cores (one
    ffmpeg process runs its filters and encoder on one thread). Either failing is an
    AudioError with both commands' stderr. Both together may take `timeout` seconds."""
    timeout = step_timeout() if timeout is None else timeout
    cmds = [
        ["ffmpeg", "-hide_banner", "-nostats", "-nostdin", "-v", "error", *producer],
        ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", *consumer],
    ]
    with tempfile.TemporaryFile() as err0, tempfile.TemporaryFile() as err1:
        try:
            first = runtime.popen(cmds[0], stdout=subprocess.PIPE, stderr=err0)
        except FileNotFoundError as exc:
            raise MissingDependencyError(f"ffmpeg not found; {INSTALL_HINT}") from exc
        assert first.stdout is not None
        try:
            second = runtime.popen(cmds[1], stdin=first.stdout, stderr=err1)
        except OSError:
            first.kill()
            first.wait()
            raise
        first.stdout.close()  # the consumer owns the pipe now: it sees EOF, we don't block
        # One deadline for the pair, kept by a timer that kills both: a blocking wait
        # returns the moment ffmpeg ends (Popen.wait(timeout) polls, up to 50 ms late).
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            for proc in (first, second):
                with contextlib.suppress(OSError):
                    proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.daemon = True
        timer.start()
        try:
            codes = [first.wait(), second.wait()]
        finally:
            timer.cancel()
        if expired.is_set():
            raise AudioError(f"{what}: ffmpeg did not finish within {timeout:.0f} s")
        if any(codes):
            errors = []
            for cmd, code, err in zip(cmds, codes, (err0, err1), strict=True):
                err.seek(0)
                lines = err.read().decode("utf-8", "replace").strip().splitlines()
                _raise_for_disk(lines)
                if code:
                    errors.append(f"{_failure(code, lines)} (command: {' '.join(cmd)})")
            raise AudioError(f"{what} failed: {'; '.join(errors)}")
