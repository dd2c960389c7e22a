"""The espeak-ng command-line engine: robust on long text, no in-process crashes."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import ClassVar

from briefing import runtime
from briefing.errors import SpeechError
from briefing.speak.base import Engine, Voice, check_wav

# Seconds for one piece of text (at most MAX_WORDS_PER_CHUNK words, under a second's
# work even on a Raspberry Pi Zero): a hung espeak-ng costs its story no more than this.
TIMEOUT_S = 30.0


class EspeakNgEngine(Engine):
    name = "espeak-ng"
    binaries: ClassVar[tuple[str, ...]] = ("espeak-ng",)
    install_hint = "install it with: sudo apt-get install espeak-ng (macOS: brew install espeak-ng)"
    naturalness = 10  # the same voice as pyttsx3 on Linux; the last resort of `auto`

    def __init__(self, voice: str | None, rate: int, timeout_s: float | None = None) -> None:
        super().__init__(voice, rate, TIMEOUT_S if timeout_s is None else timeout_s)

    def synthesize(self, text: str, out_wav: Path) -> None:
        # Text goes through stdin, never argv: it cannot be read as an option, and no shell.
        cmd = ["espeak-ng", "-s", str(self.rate), "-w", str(out_wav), "--stdin"]
        if self.voice:
            cmd[1:1] = ["-v", self.voice]
        try:
            proc = subprocess.run(
                cmd,
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=self.timeout_s,
                check=False,
                **runtime.child_options(),
            )
        except subprocess.TimeoutExpired as exc:
            raise SpeechError(f"espeak-ng did not finish within {self.timeout_s:g} s") from exc
        except OSError as exc:
            raise SpeechError(f"could not start espeak-ng: {exc}") from exc
        if proc.returncode != 0:
            # One line: espeak-ng's last words, or how it died (a crash has none).
            lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            err = lines[-1].strip() if lines else f"exit {proc.returncode}"
            if proc.returncode < 0:
                err = f"killed by signal {-proc.returncode}" + (f" ({err})" if lines else "")
            raise SpeechError(f"espeak-ng failed: {err} (command: {' '.join(cmd[:-1])})")
        check_wav(out_wav)

    def voices(self) -> list[Voice]:
        self.check()
        out = subprocess.run(
            ["espeak-ng", "--voices"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
        result = []
        for line in out.splitlines()[1:]:
            cols = line.split()
            if len(cols) >= 5:
                # Pty Language Age/Gender VoiceName File [Other languages]
                result.append(
                    Voice(id=cols[4], name=cols[3].replace("_", " "), languages=(cols[1],))
                )
        return result
