"""Runs in a child process: pyttsx3 can segfault or hang, and must not take the run with it.

Protocol over a Pipe: receive (text, path, voice, rate); reply ("ok", path) or ("error", msg).
"""

from __future__ import annotations

import os
import time
from multiprocessing.connection import Connection

WAIT_FOR_FILE_S = 10.0


def serve(conn: Connection) -> None:
    # pyttsx3 prints "Audio saved to ..." on stdout, which belongs to the CLI's output.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    import pyttsx3  # imported here: the parent never loads libespeak-ng

    engine = pyttsx3.init()
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
            if voice:
                engine.setProperty("voice", voice)
            engine.setProperty("rate", rate)
            finished.clear()
            # One utterance per runAndWait: several save_to_file calls keep only the last.
            engine.save_to_file(text, path)
            engine.runAndWait()
            # runAndWait can return before the WAV is complete: wait for the event and a
            # file whose size has stopped changing.
            deadline = time.monotonic() + WAIT_FOR_FILE_S
            last = -1
            while time.monotonic() < deadline:
                size = os.path.getsize(path) if os.path.exists(path) else -1
                if finished and size > 44 and size == last:
                    break
                last = size
                time.sleep(0.02)
            else:
                conn.send(("error", "pyttsx3 finished without writing the WAV file"))
                continue
            conn.send(("ok", path))
        except Exception as exc:  # report to the parent; it decides what to do
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
