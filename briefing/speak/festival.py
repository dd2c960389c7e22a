"""The Festival engine: a light, clear voice where Piper is too heavy.

Festival (Debian main: `festival`, ~10 MB with its lexicon) with the HTS voice
`cmu_us_slt_arctic_hts` (`festvox-us-slt-hts`, ~17 MB): a statistical parametric voice,
much clearer than espeak-ng's formant synthesis and far lighter than a neural model.
Speech comes from `text2wave` (part of festival), one process per chunk: the text goes
in on stdin, never argv and never through a shell, and is read as plain text (no SABLE
or SSML mode is ever passed). The voice is chosen by a Scheme expression built only from
a voice name checked against Festival's own voice list.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path
from typing import ClassVar

from briefing import runtime
from briefing.errors import SpeechError, UsageError
from briefing.speak.base import Engine, Voice, check_wav

DEFAULT_VOICE = "cmu_us_slt_arctic_hts"
INSTALL = "sudo apt-get install festival festvox-us-slt-hts (macOS: brew install festival)"
# Words per minute of cmu_us_slt_arctic_hts at speed 1.0, trimmed of its edge silence
# (measured on tests' council text): --rate maps to a speed factor through it.
NATURAL_WPM = 174.0
SPEED_RANGE = (0.5, 2.5)
LIST_TIMEOUT_S = 30
# Festival's voice folders are named for their language; only English text is read
# right by its front end, so other folders' voices have no language here.
FOLDER_LANGUAGES = {"us": "en-us", "english": "en", "british": "en-gb"}
_VOICE_NAME = re.compile(r"[A-Za-z0-9_]+")
_LOCATION = re.compile(r'\(([A-Za-z0-9_]+) \. "([^"]*)"\)')
# Festival reads bytes as Latin-1: typographic punctuation would be spoken as noise.
_ASCII = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": ", "})


def call_timeout(text: str) -> float:
    # text2wave runs ~20x real time; allow far more, but never wait forever.
    return 20.0 + 0.5 * len(text.split())


def festival_text(text: str) -> str:
    """`text` as Festival can read it: ASCII, accents dropped ("São" -> "Sao")."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return text.encode("ascii", "ignore").decode("ascii")


class FestivalEngine(Engine):
    name = "festival"
    binaries: ClassVar[tuple[str, ...]] = ("text2wave", "festival")
    install = INSTALL
    description = (
        "Festival with the HTS voice `cmu_us_slt_arctic_hts` (17 MB): light and clear, "
        "for small machines"
    )
    # For the engine `auto` (Engine.naturalness): heard about as accurately as
    # Piper (bench/results.md), a plainer voice; above pyttsx3 on Linux (20), below
    # Piper (40) and the macOS/Windows system voice (35).
    naturalness = 30

    def check(self) -> None:
        super().check()
        voice = self.voice or DEFAULT_VOICE
        if voice not in {v.id for v in self._voice_list()}:
            hint = self.install_hint if voice == DEFAULT_VOICE else "see `briefing voices`"
            raise UsageError(f"Festival has no voice {voice!r}; {hint}")

    def speed(self) -> float:
        low, high = SPEED_RANGE
        return min(high, max(low, self.rate / NATURAL_WPM))

    def synthesize(self, text: str, out_wav: Path, voice: str | None = None) -> None:
        voice = voice or self.voice or DEFAULT_VOICE
        if not _VOICE_NAME.fullmatch(voice) or voice not in {v.id for v in self._voice_list()}:
            raise UsageError(f"Festival has no voice {voice!r}; see `briefing voices`")
        speed = self.speed()
        # HTS voices take their speed from hts_engine's -r; the others stretch durations.
        setup = (
            f"(begin (voice_{voice}) (Parameter.set 'Duration_Stretch {1 / speed:.4f}) "
            f'(set! hts_engine_params (append hts_engine_params (list (list "-r" {speed:.4f})))))'
        )
        cmd = ["text2wave", "-o", str(out_wav), "-otype", "riff", "-eval", setup]
        timeout = call_timeout(text)
        try:
            proc = runtime.run(cmd, input=festival_text(text).encode("ascii"), timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise SpeechError(f"festival did not finish within {timeout:.0f} s") from exc
        except OSError as exc:
            raise SpeechError(f"could not start text2wave: {exc}") from exc
        # Festival reports Scheme errors on stderr and may still exit 0.
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        if proc.returncode != 0 or any(line.startswith("SIOD ERROR") for line in err):
            last = err[-1].strip() if err else f"exit {proc.returncode}"
            raise SpeechError(f"festival failed: {last} (voice {voice})")
        check_wav(out_wav)

    def voices(self) -> list[Voice]:
        """Festival's installed voices, from Festival itself; the folder a voice lives
        in names its language."""
        super().check()  # the binaries only: check() itself needs this list
        try:
            out = subprocess.run(
                ["festival", "--batch", "(print voice-locations)"],
                capture_output=True,
                text=True,
                timeout=LIST_TIMEOUT_S,
                check=False,
            ).stdout
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechError(f"festival could not list its voices: {exc}") from exc
        found = []
        for name, location in _LOCATION.findall(out):
            folder = Path(location.rstrip("/")).parent.name
            language = FOLDER_LANGUAGES.get(folder)
            found.append(
                Voice(name, f"{name.replace('_', ' ')} (Festival)", (language,) if language else ())
            )
        return found
