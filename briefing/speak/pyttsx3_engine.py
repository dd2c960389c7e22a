"""The pyttsx3 engine, hardened against its known failures on Linux (pyttsx3 2.99).

- segfaults on ~2,000+ word texts: `Engine.render` splits text into small chunks;
- one `save_to_file` per `runAndWait`, and never an empty `runAndWait` (it can hang);
- `runAndWait` may return before the WAV exists: the worker waits for it;
- any crash or hang: rendering happens in a worker process killed after a timeout and
  restarted, so the parent process survives.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

import briefing
from briefing import runtime
from briefing.errors import MissingDependencyError, SpeechError
from briefing.speak.base import Engine, Voice, check_wav
from briefing.speak.espeak import ANCHOR_VARIANTS

START_TIMEOUT_S = 30.0


def job_timeout(text: str) -> float:
    # espeak runs ~1,000x real time; allow far more, but never wait forever.
    return 20.0 + 0.2 * len(text.split())


def _worker_command(*args: str) -> tuple[list[str], dict[str, str]]:
    """`python -m briefing.speak._pyttsx3_worker`, finding this copy of briefing."""
    package_root = str(Path(briefing.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    return [sys.executable, "-m", "briefing.speak._pyttsx3_worker", *args], env


class _Worker:
    """One pyttsx3 process, spoken to in JSON lines over its stdin and stdout."""

    def __init__(self) -> None:
        cmd, env = _worker_command()
        self.proc = runtime.popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env=env
        )
        self._buffer = b""

    def call(self, job: tuple[str, str, str | None, int], timeout: float) -> tuple[str, str]:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(job) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
            line = self._read_line(time.monotonic() + timeout)
        except (BrokenPipeError, ConnectionResetError, EOFError) as exc:
            try:
                code = self.proc.wait(2)
            except subprocess.TimeoutExpired:
                code = None
            raise SpeechError(
                f"the pyttsx3 worker died (exit code {code}); try --engine espeak-ng"
            ) from exc
        if line is None:
            raise SpeechError(
                f"pyttsx3 did not finish a {len(job[0].split())}-word segment within "
                f"{timeout:.0f} s; try --engine espeak-ng"
            )
        status, detail = json.loads(line)
        return status, detail

    def _read_line(self, deadline: float) -> str | None:
        """The next reply line, or None at the deadline; EOFError if the worker died."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                raise EOFError
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode("utf-8")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.alive():
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()  # EOF: the worker returns
                self.proc.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.alive():
            self.proc.kill()
            self.proc.wait(2)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def _refuse_mbrola(voice: str | None) -> None:
    if voice and voice.startswith("mb/"):
        # pyttsx3 writes mbrola audio with a wrong WAV header rate.
        raise SpeechError(
            f"voice {voice} is an mbrola voice, which pyttsx3 renders at the wrong speed; "
            "use --engine espeak-ng for mbrola voices"
        )


class Pyttsx3Engine(Engine):
    name = "pyttsx3"
    install = "sudo apt-get install espeak-ng libespeak-ng1 (pyttsx3 drives libespeak-ng on Linux)"
    description = (
        "the system voices through pyttsx3 (macOS and Windows, where `auto` ranks it above "
        "Festival), libespeak-ng on Linux"
    )
    # The system's own voices on macOS and Windows; libespeak-ng's on Linux.
    naturalness = 35 if sys.platform in ("darwin", "win32") else 20
    libraries: ClassVar[tuple[str, ...]] = ("espeak-ng",) if sys.platform == "linux" else ()

    def __init__(self, voice: str | None, rate: int, timeout_s: float | None = None) -> None:
        super().__init__(voice, rate, timeout_s)
        _refuse_mbrola(voice)
        self._local = threading.local()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()

    def check(self) -> None:
        try:
            import pyttsx3  # noqa: F401
        except ImportError as exc:
            raise MissingDependencyError(
                "pyttsx3 is not installed; run: pip install pyttsx3"
            ) from exc
        if platform.system() == "Linux":
            from ctypes.util import find_library

            if not (find_library("espeak-ng") or find_library("espeak")):
                raise MissingDependencyError(f"libespeak-ng is not installed; {self.install_hint}")

    def _worker(self) -> _Worker:
        worker = getattr(self._local, "worker", None)
        if worker is None or not worker.alive():
            worker = _Worker()
            self._local.worker = worker
            with self._lock:
                self._workers.append(worker)
        return worker

    def _discard_worker(self) -> None:
        worker = getattr(self._local, "worker", None)
        if worker is not None:
            worker.stop()
            self._local.worker = None

    def synthesize(self, text: str, out_wav: Path, voice: str | None = None) -> None:
        if not text.strip():
            raise SpeechError("nothing to say: empty text segment")
        _refuse_mbrola(voice)
        job = (text, str(out_wav), voice or self.voice, self.rate)
        last_error: SpeechError | None = None
        for _attempt in range(2):  # one retry in a fresh worker after a crash or hang
            worker = self._worker()
            try:
                status, detail = worker.call(job, self._timeout(text))
            except SpeechError as exc:
                last_error = exc
                self._discard_worker()
                continue
            if status == "ok":
                check_wav(out_wav)
                return
            last_error = SpeechError(f"pyttsx3 failed: {detail}")
            self._discard_worker()
        assert last_error is not None
        raise last_error

    def _timeout(self, text: str) -> float:
        if self.timeout_s is not None:
            return self.timeout_s + START_TIMEOUT_S
        return job_timeout(text) + START_TIMEOUT_S

    def voices(self) -> list[Voice]:
        self.check()
        cmd, env = _worker_command("--voices")
        try:
            out = subprocess.run(cmd, capture_output=True, timeout=60, env=env, check=True).stdout
            rows = json.loads(out)
        except (subprocess.SubprocessError, ValueError) as exc:
            raise SpeechError(f"pyttsx3 could not list its voices: {exc}") from exc
        return [Voice(i, n, tuple(langs)) for i, n, langs in rows]

    def anchor_voices(self, language: str = "en") -> list[str]:
        """On Linux pyttsx3 speaks with espeak-ng, whose voices of one language are male
        accents of one voice: the second anchor is the first with a female variant."""
        ranked = super().anchor_voices(language)
        if ranked and platform.system() == "Linux" and "+" not in ranked[0]:
            return [ranked[0], f"{ranked[0]}+{ANCHOR_VARIANTS[0]}"]
        return ranked

    def close(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()
