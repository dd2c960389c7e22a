"""The pyttsx3 engine, hardened against its known failures on Linux (pyttsx3 2.99).

- segfaults on ~2,000+ word texts: `Engine.render` splits text into small chunks;
- one `save_to_file` per `runAndWait`, and never an empty `runAndWait` (it can hang);
- `runAndWait` may return before the WAV exists: the worker waits for it;
- any crash or hang: rendering happens in a worker process killed after a timeout and
  restarted, so the parent process survives.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from briefing.errors import MissingDependencyError, SpeechError
from briefing.speak import _pyttsx3_worker
from briefing.speak.base import Engine, Voice, check_wav

START_TIMEOUT_S = 30.0


def job_timeout(text: str) -> float:
    # espeak runs ~1,000x real time; allow far more, but never wait forever.
    return 20.0 + 0.2 * len(text.split())


class _Worker:
    def __init__(self) -> None:
        ctx = mp.get_context("spawn")  # fork would copy the parent's threads and locks
        self.conn, child = ctx.Pipe()
        self.proc: BaseProcess = ctx.Process(
            target=_pyttsx3_worker.serve, args=(child,), daemon=True
        )
        self.proc.start()
        child.close()

    def call(self, job: tuple[str, str, str | None, int], timeout: float) -> tuple[str, str]:
        conn: Connection = self.conn
        try:
            conn.send(job)
            if not conn.poll(timeout):
                raise SpeechError(
                    f"pyttsx3 did not finish a {len(job[0].split())}-word segment within "
                    f"{timeout:.0f} s; try --engine espeak-ng"
                )
            return conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError) as exc:
            self.proc.join(2)  # reap it: a dead worker's exit code is only known then
            code = self.proc.exitcode
            raise SpeechError(
                f"the pyttsx3 worker died (exit code {code}); try --engine espeak-ng"
            ) from exc

    def stop(self) -> None:
        try:
            if self.proc.is_alive():
                self.conn.send(None)
                self.proc.join(2)
        except (OSError, BrokenPipeError):
            pass
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(2)
        self.conn.close()


class Pyttsx3Engine(Engine):
    name = "pyttsx3"
    install_hint = (
        "install it with: sudo apt-get install espeak-ng libespeak-ng1 "
        "(pyttsx3 drives libespeak-ng on Linux)"
    )

    def __init__(self, voice: str | None = None, rate: int = 175) -> None:
        super().__init__(voice, rate)
        if voice and voice.startswith("mb/"):
            # pyttsx3 writes mbrola audio with a wrong WAV header rate.
            raise SpeechError(
                f"voice {voice} is an mbrola voice, which pyttsx3 renders at the wrong speed; "
                "use --engine espeak-ng for mbrola voices"
            )
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
        import platform

        if platform.system() == "Linux":
            from ctypes.util import find_library

            if not (find_library("espeak-ng") or find_library("espeak")):
                raise MissingDependencyError(f"libespeak-ng is not installed; {self.install_hint}")

    def _worker(self) -> _Worker:
        worker = getattr(self._local, "worker", None)
        if worker is None or not worker.proc.is_alive():
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

    def synthesize(self, text: str, out_wav: Path) -> None:
        if not text.strip():
            raise SpeechError("nothing to say: empty text segment")
        job = (text, str(out_wav), self.voice, self.rate)
        last_error: SpeechError | None = None
        for _attempt in range(2):  # one retry in a fresh worker after a crash or hang
            worker = self._worker()
            try:
                status, detail = worker.call(job, job_timeout(text) + START_TIMEOUT_S)
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

    def voices(self) -> list[Voice]:
        self.check()
        ctx = mp.get_context("spawn")
        with ctx.Pool(1) as pool:
            rows = pool.apply(_list_voices)
        return [Voice(i, n, tuple(langs)) for i, n, langs in rows]

    def close(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()


def _list_voices() -> list[tuple[str, str, list[str]]]:
    import pyttsx3

    engine = pyttsx3.init()
    return [
        (v.id, v.name or v.id, [str(x) for x in (v.languages or [])])
        for v in engine.getProperty("voices")
    ]
