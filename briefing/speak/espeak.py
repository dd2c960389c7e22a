"""The espeak-ng command-line engine: robust on long text, no in-process crashes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import ClassVar

from briefing import runtime
from briefing.errors import SpeechError
from briefing.speak.base import Engine, Voice, check_wav, language_key, rank_voices

# Seconds for one piece of text (at most MAX_WORDS_PER_CHUNK words, under a second's
# work even on a Raspberry Pi Zero): a hung espeak-ng costs its story no more than this.
TIMEOUT_S = 30.0
# The second anchor: the same language voice with a female variant, clearly another
# speaker (espeak-ng's English voices are all male accents of one voice).
ANCHOR_VARIANTS = ("f3", "f2", "f1", "f4")
_OTHER_LANG = re.compile(r"\(([^\s()]+) (\d+)\)")


class EspeakNgEngine(Engine):
    name = "espeak-ng"
    binaries: ClassVar[tuple[str, ...]] = ("espeak-ng",)
    install = "sudo apt-get install espeak-ng (macOS: brew install espeak-ng)"
    description = (
        "the espeak-ng program, one process per chunk; about 100 languages "
        "(`en-us`, `de`, `en+f3`...)"
    )
    naturalness = 10  # the same voice as pyttsx3 on Linux; the last resort of `auto`

    def __init__(self, voice: str | None, rate: int, timeout_s: float | None = None) -> None:
        super().__init__(voice, rate, TIMEOUT_S if timeout_s is None else timeout_s)

    def synthesize(self, text: str, out_wav: Path, voice: str | None = None) -> None:
        # Text goes through stdin, never argv: it cannot be read as an option, and no shell.
        cmd = ["espeak-ng", "-s", str(self.rate), "-w", str(out_wav), "--stdin"]
        voice = voice or self.voice
        if voice:
            cmd[1:1] = ["-v", voice]
        try:
            proc = runtime.run(cmd, input=text.encode("utf-8"), timeout=self.timeout_s)
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
        result = []
        for cols, others in self._list("--voices"):
            # Pty Language Age/Gender VoiceName File [Other languages, by priority]
            languages = (cols[1], *(lang for lang, _ in sorted(others, key=lambda o: o[1])))
            result.append(Voice(id=cols[4], name=cols[3].replace("_", " "), languages=languages))
        return result

    def _list(self, which: str) -> list[tuple[list[str], list[tuple[str, int]]]]:
        self.check()
        out = subprocess.run(
            ["espeak-ng", which], capture_output=True, text=True, timeout=30, check=False
        ).stdout
        rows = []
        for line in out.splitlines()[1:]:
            cols = line.split()
            if len(cols) >= 5:
                rows.append((cols, [(m[1], int(m[2])) for m in _OTHER_LANG.finditer(line)]))
        return rows

    def voice_for_language(self, code: str) -> str | None:
        """The chosen voice if it speaks `code`, else the code itself where espeak-ng
        lists it: espeak-ng then picks that language's voice by its own priorities
        ("fr" is French of France, not of Belgium)."""
        voices = self._voice_list()
        key = language_key(code)
        if self.voice and self._speaks(self.voice, key, voices):
            return self.voice
        if any(key in (language_key(x) for x in v.languages) for v in voices):
            return key
        ranked = rank_voices(voices, code)
        return ranked[0] if ranked else None

    @staticmethod
    def _speaks(voice: str, key: str, voices: list[Voice]) -> bool:
        name = voice.split("+", 1)[0].lower()
        base = key.split("-")[0]
        for v in voices:
            langs = [language_key(x) for x in v.languages]
            if name in (v.id.lower(), langs[0] if langs else ""):
                return key in langs or any(x.split("-")[0] == base for x in langs)
        return False

    def anchor_voices(self, language: str = "en") -> list[str]:
        """The language's voice, then the same voice with a female variant."""
        first = self.voice_for_language(language)
        if first is None:
            return []
        listed = self._list("--voices=variant")
        variants = {cols[4].rsplit("/", 1)[-1].lower() for cols, _ in listed}
        for variant in ANCHOR_VARIANTS:
            if variant in variants and "+" not in first:
                return [first, f"{first}+{variant}"]
        return [first]
