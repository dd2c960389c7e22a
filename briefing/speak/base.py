"""The engine interface: one required method, capabilities as class attributes."""

from __future__ import annotations

import errno
import os
import shutil
import wave
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Self

from briefing.errors import MissingDependencyError, SpeechError
from briefing.speak.plaintext import plain_text

if TYPE_CHECKING:
    from briefing.settings import SpeechSettings

# pyttsx3/libespeak-ng over-reads and segfaults on texts of ~2,000+ words; every engine
# gets text in pieces well under that, split at sentence boundaries.
MAX_WORDS_PER_CHUNK = 250
MIN_FREE_BYTES = 1024 * 1024  # less room than this where a WAV failed: the disk is full


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...] = ()


class Engine(ABC):
    """Renders text to a mono 16-bit WAV file."""

    name: ClassVar[str]
    binaries: ClassVar[tuple[str, ...]] = ()  # programs that must be on PATH
    libraries: ClassVar[tuple[str, ...]] = ()  # shared libraries it loads (for doctor)
    # The engine's facts, declared once: what `auto`, the settings help, docs/engines.md,
    # README, doctor, voices and setup.sh say about it (briefing/speak/__init__.py).
    description: ClassVar[str] = ""  # what it is, and its voices
    install: ClassVar[str] = ""  # the command that installs it ("" : nothing to install)
    install_hint: ClassVar[str] = ""  # "install it with: INSTALL", made from `install`
    # How natural it sounds, for the engine `auto` (higher is better; 0: never chosen
    # unasked). Measured: see docs/engines.md and bench/results.md.
    naturalness: ClassVar[int] = 0

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.install and "install_hint" not in cls.__dict__:
            cls.install_hint = f"install it with: {cls.install}"

    def __init__(self, voice: str | None, rate: int, timeout_s: float | None = None) -> None:
        self.voice = voice
        self.rate = rate
        # Seconds one piece of text may take before the engine is given up on it (None:
        # the engine's own default; an engine running in-process cannot be stopped).
        self.timeout_s = timeout_s

    @classmethod
    def from_settings(cls, speech: SpeechSettings, voice: str | None) -> Self:
        """The engine as the [speech] settings configure it, speaking `voice` (None: its
        own default). An engine that reads more of [speech] than voice, rate and timeout
        (Piper's voice folder) overrides this."""
        return cls(voice, speech.rate, timeout_s=speech.timeout)

    def check(self) -> None:
        """Raise `MissingDependencyError` naming the fix if this engine cannot run here."""
        missing = [b for b in self.binaries if shutil.which(b) is None]
        if missing:
            raise MissingDependencyError(
                f"engine {self.name} needs {', '.join(missing)}, which is not installed; "
                f"{self.install_hint}"
            )

    @abstractmethod
    def synthesize(self, text: str, out_wav: Path, voice: str | None = None) -> None:
        """Write `text` (at most MAX_WORDS_PER_CHUNK words) as speech to `out_wav`, in
        `voice` (an id from `voices()`) or, if None, the engine's own voice."""

    def voices(self) -> list[Voice]:
        return []

    def voice_for_language(self, code: str) -> str | None:
        """A voice id that speaks language `code` ("de", "fr-CA", "pt_BR"), or None.

        The engine's own voice wins when it speaks the language; then a voice listed for
        exactly that code; then one for the language without its region."""
        ranked = rank_voices(self._voice_list(), code, preferred=self.voice)
        return ranked[0] if ranked else None

    def anchor_voices(self, language: str = "en") -> list[str]:
        """Distinct voices of `language`, the best first, for anchors taking turns by
        story; fewer than two means the engine cannot alternate in that language."""
        return rank_voices(self._voice_list(), language, preferred=self.voice)

    def _voice_list(self) -> list[Voice]:
        # Listing voices can start a process: once per engine is enough.
        cached: list[Voice] | None = getattr(self, "_voices_cache", None)
        if cached is None:
            cached = self.voices()
            self._voices_cache = cached
        return cached

    def close(self) -> None:  # noqa: B027  (optional hook, not abstract)
        """Release worker processes; engines without any need nothing here."""

    def render(self, text: str, out_wav: Path, voice: str | None = None) -> None:
        """Speak text of any length: long text is split and the pieces joined. `voice`
        overrides the engine's voice for this call only (one engine, several voices)."""
        chunks = split_for_speech(plain_text(text))
        if len(chunks) <= 1:
            self.synthesize(chunks[0] if chunks else "", out_wav, voice)
            return
        parts = []
        for i, chunk in enumerate(chunks):
            part = out_wav.with_name(f"{out_wav.stem}.{i:03d}.wav")
            self.synthesize(chunk, part, voice)
            parts.append(part)
        join_wavs(parts, out_wav)
        for part in parts:
            part.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def language_key(code: str) -> str:
    """ "en_US", "EN-us " -> "en-us": one spelling for comparing language codes."""
    return code.strip().lower().replace("_", "-")


def rank_voices(voices: list[Voice], code: str, preferred: str | None = None) -> list[str]:
    """Ids of the voices that speak `code`, best first: the preferred voice, then an
    exact language match (a voice's first language before its others), then a voice
    named for the language ("gmw/en" for "en"), then any voice of the same language."""
    want = language_key(code)
    base = want.split("-")[0]
    if not base:
        return []
    scored: list[tuple[int, int, str]] = []
    for order, voice in enumerate(voices):
        langs = [language_key(x) for x in voice.languages]
        if want in langs:
            score = 1 + langs.index(want)
        elif voice.id.lower().rsplit("/", 1)[-1] == want:
            score = 50
        elif any(x.split("-")[0] == base for x in langs):
            # "fr-fr" for "fr": the language's home region before the others.
            score = 60 if f"{base}-{base}" in langs else 70
        else:
            continue
        if preferred is not None and voice.id == preferred:
            score = 0
        scored.append((score, order, voice.id))
    seen: set[str] = set()
    ranked = []
    for _, _, voice_id in sorted(scored):
        if voice_id not in seen:
            seen.add(voice_id)
            ranked.append(voice_id)
    return ranked


def split_for_speech(text: str, max_words: int = MAX_WORDS_PER_CHUNK) -> list[str]:
    """Group sentences into chunks of at most `max_words`; over-long sentences are cut at
    word boundaries, as a last resort against the engine crash."""
    from briefing import nlp  # here: pyttsx3 worker processes import this module without NLTK

    chunks: list[str] = []
    current: list[str] = []
    count = 0
    for paragraph in text.split("\n"):
        for sentence in nlp.split_sentences(paragraph):
            words = sentence.split()
            while len(words) > max_words:
                if current:
                    chunks.append(" ".join(current))
                    current, count = [], 0
                chunks.append(" ".join(words[:max_words]))
                words = words[max_words:]
            if count + len(words) > max_words and current:
                chunks.append(" ".join(current))
                current, count = [], 0
            current.extend(words)
            count += len(words)
    if current:
        chunks.append(" ".join(current))
    return chunks


def join_wavs(parts: list[Path], out_wav: Path) -> None:
    params = None
    with wave.open(str(out_wav), "wb") as out:
        for part in parts:
            with wave.open(str(part), "rb") as w:
                p = (w.getnchannels(), w.getsampwidth(), w.getframerate())
                if params is None:
                    params = p
                    out.setnchannels(p[0])
                    out.setsampwidth(p[1])
                    out.setframerate(p[2])
                elif p != params:
                    raise SpeechError(f"engine produced mismatched WAV formats {params} vs {p}")
                out.writeframes(w.readframes(w.getnframes()))


def check_wav(path: Path) -> None:
    """An engine that 'succeeded' without writing audio is a failure, not silence."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getnframes() == 0:
                raise SpeechError(f"speech engine wrote an empty WAV file {path.name}")
    except (OSError, EOFError, wave.Error) as exc:
        # espeak-ng exits 0 when it cannot write its WAV: a full disk looks like this.
        try:
            free = shutil.disk_usage(path.parent).free
        except OSError:
            free = MIN_FREE_BYTES
        if free < MIN_FREE_BYTES:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)) from exc
        why = str(exc) or type(exc).__name__
        raise SpeechError(f"speech engine wrote no valid WAV ({why})") from exc
