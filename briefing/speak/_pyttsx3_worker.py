"""Runs in a child process: pyttsx3 can segfault or hang, and must not take the run with it.

Started as `python -m briefing.speak._pyttsx3_worker` (not by multiprocessing, whose
spawn would re-import the CLI and NLTK in every worker: seconds per worker). Protocol,
one JSON line each way: receive [text, path, voice, rate]; reply ["ok", path] or
["error", message]. `--voices` prints the voices as JSON instead.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, Protocol, TextIO

WAIT_FOR_FILE_S = 10.0
# With two workers at once, pyttsx3 2.99 now and then reports the utterance finished but
# leaves the WAV at its 44-byte header for good: an empty file that has not grown for
# this long is that, and the utterance is said again (instead of a 10 s wait and a new
# worker).
EMPTY_AFTER_S = 0.5
SAY_ATTEMPTS = 3
OK, EMPTY, TIMEOUT = "ok", "empty", "timeout"


class Connection(Protocol):
    def recv(self) -> Any: ...
    def send(self, obj: Any) -> None: ...


class JsonLines:
    """A Connection over two text streams, one JSON document per line."""

    def __init__(self, incoming: TextIO, outgoing: TextIO) -> None:
        self.incoming, self.outgoing = incoming, outgoing

    def recv(self) -> Any:
        line = self.incoming.readline()
        if not line:
            raise EOFError
        return json.loads(line)

    def send(self, obj: Any) -> None:
        self.outgoing.write(json.dumps(obj) + "\n")
        self.outgoing.flush()


def serve(conn: Connection) -> None:
    # pyttsx3 prints "Audio saved to ..." on stdout, which belongs to the CLI's output.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    import pyttsx3  # imported here: the parent never loads libespeak-ng

    engine = pyttsx3.init()
    # A job without a voice gets the default one back: a voice set for one job must not
    # stick to the next (one engine speaks segments in different voices).
    default_voice: str | None = None
    current: str | None = None
    finished: list[bool] = []
    engine.connect("finished-utterance", lambda name, completed: finished.append(completed))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        text, path, voice, rate = job
        try:
            if voice != current:
                if current is None:
                    default_voice = engine.getProperty("voice")
                engine.setProperty("voice", voice or default_voice)
                current = voice
            engine.setProperty("rate", rate)
            for _attempt in range(SAY_ATTEMPTS):
                finished.clear()
                # One utterance per runAndWait: several save_to_file calls keep only the last.
                engine.save_to_file(text, path)
                engine.runAndWait()
                outcome = _wait_for_wav(path, finished)
                if outcome != EMPTY:
                    break
            if outcome == OK:
                conn.send(("ok", path))
            elif outcome == EMPTY:
                conn.send(("error", f"pyttsx3 wrote an empty WAV file {SAY_ATTEMPTS} times"))
            else:
                conn.send(("error", "pyttsx3 finished without writing the WAV file"))
        except Exception as exc:  # report to the parent; it decides what to do
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _wait_for_wav(path: str, finished: list[bool]) -> str:
    """runAndWait can return before the WAV is complete: wait for the finished event and
    a file whose size has stopped changing."""
    deadline = time.monotonic() + WAIT_FOR_FILE_S
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        size = os.path.getsize(path) if os.path.exists(path) else -1
        if size != last:
            last, since = size, time.monotonic()
        elif finished and size > 44:
            return OK
        elif finished and 0 <= size <= 44 and time.monotonic() - since > EMPTY_AFTER_S:
            return EMPTY
        time.sleep(0.02)
    return TIMEOUT


def list_voices() -> list[tuple[str, str, list[str]]]:
    import pyttsx3

    engine = pyttsx3.init()
    return [
        (v.id, v.name or v.id, [str(x) for x in (v.languages or [])])
        for v in engine.getProperty("voices")
    ]


def main() -> None:
    # Replies go out on a copy of stdout: serve() points fd 1 at /dev/null.
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    if sys.argv[1:] == ["--voices"]:
        voices = list_voices()
        replies.write(json.dumps(voices) + "\n")
        replies.flush()
        return
    serve(JsonLines(sys.stdin, replies))


if __name__ == "__main__":
    main()
