"""Speak stage: every segment of the script to a WAV, in the right voice, with the time
of each sentence.

- Voices (`Voices`): the template's words in the briefing's language are read by the
  anchor (`[speech] voices` take turns by story, as radio anchors do); a story in another
  language by a voice of that language: `[speech] languages` when it names one, else
  the engine's own voice for it, else another installed engine's (Piper has no German
  voice unless one is installed; espeak-ng speaks a hundred languages), else the anchor,
  said once as a warning. A language mapped to "skip" leaves its stories out.
- Rendering: the runs of a segment that share a voice are spoken in one engine call
  (an English story in an English briefing is one call, as it always was); the WAVs of
  a segment's calls are joined.
- Timing (`Cue`): each sentence's place in its call's audio is estimated from its share
  of the characters, then moved to the nearest pause, where sentences end. The
  assemble stage turns them into the episode's timed transcript (WebVTT).
"""

from __future__ import annotations

import logging
import re
import threading
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from briefing import nlp, speak
from briefing.errors import BriefingError, DeadlineError, SpeechError
from briefing.isolation import is_run_fault, problem_of
from briefing.models import Cue, Problem, Progress, Segment
from briefing.normalize import Lexicon, builtin_lexicon, load_lexicon, normalize_for_speech
from briefing.settings import SpeechSettings
from briefing.speak import engine_class
from briefing.speak.base import Engine

log = logging.getLogger("briefing")

SKIP = "skip"
GAP_MS = 180  # between two voices in one segment ("Next:" in English, then German)
# A sentence boundary moves to the middle of the nearest pause at least this long...
PAUSE_MIN_MS, PAUSE_DBFS = 120, -42.0
# ... found within this share of the estimated sentence's length (and at least 0.4 s).
SNAP_SHARE, SNAP_MIN_MS = 0.35, 400
_WORDLESS_RE = re.compile(r"^\W*$")


@dataclass(frozen=True)
class Spoken:
    """One segment as audio: its WAV, and when each of its sentences is heard in it."""

    wav: Path
    cues: tuple[Cue, ...]
    voices: tuple[str, ...] = ()  # "ENGINE VOICE" of each voice heard, in order
    said: str = ""  # what the engines were given: normalized and respelt


@dataclass(frozen=True)
class Choice:
    engine: Engine
    voice: str | None


class LanguageSkipped(BriefingError):
    """The story's language is mapped to "skip" in [speech] languages."""


class Voices:
    """Which engine and voice say each run of the script."""

    def __init__(self, engine: Engine, speech: SpeechSettings, briefing_language: str) -> None:
        self.engine = engine
        self.speech = speech
        self.briefing = _base(briefing_language) or "en"
        self.problems: list[Problem] = []
        self._others: dict[str, Engine | None] = {}
        self._chosen: dict[str, Choice | None] = {}
        self._lock = threading.Lock()

    def anchor(self, index: int) -> Choice:
        """The anchor for story `index` (-1: the greeting and sign-off)."""
        voices = self.speech.voices
        if voices:
            return Choice(self.engine, voices[max(0, index) % len(voices)])
        return Choice(self.engine, self.engine.voice)

    def for_run(self, language: str, index: int) -> Choice:
        """The voice for a run in `language` ("" or the briefing's: the anchor's)."""
        lang = _base(language)
        if not lang or lang == self.briefing or not self.speech.story_languages:
            return self.anchor(index)
        with self._lock:
            if lang not in self._chosen:
                self._chosen[lang] = self._choose(lang)
            chosen = self._chosen[lang]
        return chosen if chosen is not None else self.anchor(index)

    def _choose(self, lang: str) -> Choice | None:
        named = self.speech.languages.get(lang)
        if named == SKIP:
            raise LanguageSkipped(f"in {lang}, which [speech] languages skips")
        if named:
            engine_name, _, voice = named.partition(":")
            if voice and engine_name in speak.ENGINES:
                other = self._other(engine_name)
                if other is not None:
                    return Choice(other, voice)
                self.problems.append(
                    Problem(f"[speech] languages {lang}", f"engine {engine_name} cannot run here")
                )
                return None
            return Choice(self.engine, named)
        own = self.engine.voice_for_language(lang)
        if own is not None:
            return Choice(self.engine, own)
        for name in sorted(speak.ENGINES, key=lambda n: -engine_class(n).naturalness):
            if name == self.engine.name or engine_class(name).naturalness <= 0:
                continue  # (test engines are never chosen unasked)
            other = self._other(name)
            found = other.voice_for_language(lang) if other is not None else None
            if other is not None and found is not None:
                return Choice(other, found)
        self.problems.append(
            Problem(
                f"language {lang}",
                "no voice for it is installed, so its stories are read by the briefing's "
                "voice; install espeak-ng, or map it in [speech] languages",
            )
        )
        return None

    def _other(self, name: str) -> Engine | None:
        """Another engine, made once, if it can run here."""
        if name not in self._others:
            other: Engine | None = None
            try:
                other = engine_class(name).from_settings(self.speech, None)
                other.check()
            except BriefingError:
                other = None
            self._others[name] = other
        return self._others[name]

    def close(self) -> None:
        for other in self._others.values():
            if other is not None:
                other.close()


def lexicon_for(speech: SpeechSettings) -> tuple[Lexicon | None, list[Problem]]:
    """The respellings to apply for English: built-in and the user's file; None leaves
    the choice to normalize_for_speech (built-in for English)."""
    problems: list[Problem] = []
    user = Lexicon()
    if speech.lexicon is not None:
        user, notes = load_lexicon(speech.lexicon)
        problems += [Problem(f"lexicon {speech.lexicon}", note) for note in notes]
    base = builtin_lexicon() if speech.builtin_lexicon else Lexicon()
    return base.merged(user), problems


def speak_segments(
    engine: Engine,
    segments: tuple[Segment, ...],
    workdir: Path,
    speech: SpeechSettings,
    progress: Progress,
    briefing_language: str = "en",
) -> tuple[list[tuple[Segment, Spoken]], list[Problem]]:
    """Render segments in parallel; a failed story is dropped and reported, a failed
    greeting or sign-off fails the run (an engine that cannot say those is broken).
    With `speech.normalize`, the engine hears the text normalized for speech; the
    segments returned (the transcript) keep the text as written."""
    lexicon, problems = lexicon_for(speech)
    voices = Voices(engine, speech, briefing_language)
    total = len(segments)
    done = 0
    progress("speak", 0, total)

    def render(index: int) -> Spoken:
        seg = segments[index]
        return speak_segment(seg, workdir / f"segment-{index:04d}.wav", voices, speech, lexicon)

    results: list[tuple[Segment, Spoken]] = []
    pool = ThreadPoolExecutor(max_workers=max(1, speech.workers))
    futures = [pool.submit(render, i) for i in range(total)]
    try:
        for seg, future in zip(segments, futures, strict=True):
            try:
                results.append((seg, future.result()))
            except (SpeechError, LanguageSkipped) as exc:
                if seg.kind != "story":
                    raise
                skipped = isinstance(exc, LanguageSkipped)
                why = f"left out: {exc}" if skipped else f"not spoken: {exc}"
                problems.append(Problem(f"story {seg.title!r}", why))
                # info: the caller reports problems; a warning would say it twice.
                log.info("story %r %s", seg.title, why)
            except Exception as exc:
                # Anything else that breaks one story (its text, a bug) costs that story
                # (briefing/isolation.py); the greeting and sign-off fail the run.
                if seg.kind != "story" or is_run_fault(exc):
                    raise
                problems.append(problem_of(f"story {seg.title!r}", exc))
            done += 1
            progress("speak", done, total)
    except BaseException as exc:
        # The run is failing: render no more segments. Wait for those being rendered
        # (each engine call has a timeout of its own), so no engine is still starting a
        # process when the run lets go of its lock; past the deadline or stopped by a
        # signal, do not wait at all.
        hurry = isinstance(exc, DeadlineError | KeyboardInterrupt)
        pool.shutdown(wait=not hurry, cancel_futures=True)
        voices.close()
        raise
    pool.shutdown()
    voices.close()
    problems += voices.problems
    if not any(seg.kind == "story" for seg, _ in results):
        raise SpeechError("no story could be spoken; " + "; ".join(p.message for p in problems))
    return results, problems


def speak_segment(
    seg: Segment, wav: Path, voices: Voices, speech: SpeechSettings, lexicon: Lexicon | None
) -> Spoken:
    """One segment: its runs grouped by voice, each group one engine call, joined."""
    groups: list[tuple[Choice, str, list[str]]] = []  # (voice, language, sentences)
    for run in seg.language_runs():
        choice = voices.for_run(run.language, seg.index)
        language = _base(run.language) or voices.briefing
        sentences = [
            s for line in run.text.split("\n") for s in nlp.split_sentences(line) if s.strip()
        ]
        if groups and groups[-1][0] == choice:
            groups[-1][2].extend(sentences)
        elif sentences:
            groups.append((choice, language, sentences))
    pieces: list[tuple[Path, list[tuple[str, str]]]] = []
    heard: list[str] = []
    given: list[str] = []
    for i, (choice, language, sentences) in enumerate(groups):
        own = lexicon.for_engine(choice.engine.name) if lexicon is not None else None
        said = [_said(s, language, speech, own) for s in sentences]
        kept = [(w, s) for w, s in zip(sentences, said, strict=True) if not _WORDLESS_RE.match(s)]
        if not kept:
            continue
        part = wav.with_name(f"{wav.stem}.v{i}.wav")
        given.append(" ".join(s for _, s in kept))
        choice.engine.render(given[-1], part, choice.voice)
        pieces.append((part, kept))
        heard.append(f"{choice.engine.name} {choice.voice or 'default'}")
    if not pieces:
        # Nothing to say but punctuation: a short silence keeps the segment's place.
        _silence(wav)
        return Spoken(wav, ())
    return Spoken(wav, _join(pieces, wav), tuple(dict.fromkeys(heard)), " ".join(given))


def _said(sentence: str, language: str, speech: SpeechSettings, lexicon: Lexicon | None) -> str:
    if not speech.normalize:
        return sentence
    # The respellings are English: another language gets none.
    return normalize_for_speech(sentence, language, lexicon if language == "en" else Lexicon())


def _join(pieces: list[tuple[Path, list[tuple[str, str]]]], out: Path) -> tuple[Cue, ...]:
    """Join the calls' WAVs (at the first one's rate) with a short gap between voices,
    and time each sentence in the joined audio. One call (the usual case) is only
    timed and renamed: its WAV is the segment's."""
    if len(pieces) == 1:
        path, sentences = pieces[0]
        rate, frames = _read_wav(path)
        path.replace(out)
        return tuple(
            Cue(round(start, 3), round(end, 3), written)
            for written, start, end in time_sentences(frames, rate, sentences)
        )
    from pydub import AudioSegment

    joined: AudioSegment | None = None
    cues: list[Cue] = []
    for path, sentences in pieces:
        try:
            audio = AudioSegment.from_wav(str(path))
        except Exception as exc:  # pydub raises bare exceptions for bad WAVs
            raise SpeechError(f"speech engine wrote an unreadable WAV: {exc}") from exc
        path.unlink(missing_ok=True)
        rate = joined.frame_rate if joined is not None else audio.frame_rate
        audio = audio.set_channels(1).set_sample_width(2).set_frame_rate(rate)
        offset = 0.0
        if joined is not None:
            joined += AudioSegment.silent(GAP_MS, frame_rate=rate)
            offset = len(joined) / 1000
        cues += [
            Cue(round(offset + start, 3), round(offset + end, 3), written)
            for written, start, end in time_sentences(audio.raw_data, rate, sentences)
        ]
        joined = audio if joined is None else joined + audio
    assert joined is not None
    try:
        joined.export(str(out), format="wav")
    except OSError as exc:  # a full disk: say which file, so the message says where
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror, str(out)) from exc
        raise
    return tuple(cues)


def _read_wav(path: Path) -> tuple[int, bytes]:
    """(rate, mono 16-bit frames) of an engine's WAV."""
    try:
        with wave.open(str(path), "rb") as w:
            rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
            frames = w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise SpeechError(f"speech engine wrote an unreadable WAV: {exc}") from exc
    if (width, channels) != (2, 1):
        from pydub import AudioSegment

        audio = AudioSegment(frames, frame_rate=rate, sample_width=width, channels=channels)
        frames = audio.set_channels(1).set_sample_width(2).raw_data
    return rate, frames


FRAME_MS = 10  # the loudness of the audio is looked at in steps of this


def time_sentences(
    frames: bytes, rate: int, sentences: list[tuple[str, str]]
) -> list[tuple[str, float, float]]:
    """(written sentence, start s, end s) for sentences said in order in `frames` (mono
    16-bit at `rate`): each gets its share of the speech by the length of what was said,
    and each boundary moves to the middle of the nearest pause. One pass over the audio,
    FRAME_MS at a time."""
    quiet = _quiet_frames(frames, rate)
    count = len(quiet)
    lead = next((i for i, q in enumerate(quiet) if not q), count) * FRAME_MS
    end = (count - next((i for i, q in enumerate(reversed(quiet)) if not q), count)) * FRAME_MS
    end = max(end, lead)
    weights = [max(1, len(said)) for _, said in sentences]
    span = end - lead
    bounds: list[float] = [lead]
    for weight in weights:
        bounds.append(bounds[-1] + span * weight / sum(weights))
    if len(sentences) > 1:
        pauses = _pauses(quiet)
        for i in range(1, len(sentences)):
            window = max(SNAP_MIN_MS, SNAP_SHARE * span * weights[i - 1] / sum(weights))
            near = [p for p in pauses if abs(p - bounds[i]) <= window and lead < p < end]
            if near:
                bounds[i] = min(near, key=lambda p: abs(p - bounds[i]))
        for i in range(1, len(bounds)):  # never out of order
            bounds[i] = max(bounds[i], bounds[i - 1])
    return [
        (written, bounds[i] / 1000, bounds[i + 1] / 1000)
        for i, (written, _) in enumerate(sentences)
    ]


def _quiet_frames(frames: bytes, rate: int) -> list[bool]:
    """For each FRAME_MS of the audio, whether it is quieter than PAUSE_DBFS."""
    import audioop  # in the standard library to 3.12; audioop-lts (pydub's) on 3.13

    step = max(2, rate * FRAME_MS // 1000 * 2)  # bytes per frame
    threshold = 32768 * 10 ** (PAUSE_DBFS / 20)
    return [audioop.rms(frames[i : i + step], 2) < threshold for i in range(0, len(frames), step)]


def _pauses(quiet: list[bool]) -> list[float]:
    """The middle (ms) of each run of quiet frames at least PAUSE_MIN_MS long."""
    middles = []
    start = None
    for i, q in enumerate([*quiet, False]):
        if q and start is None:
            start = i
        elif not q and start is not None:
            if (i - start) * FRAME_MS >= PAUSE_MIN_MS:
                middles.append((start + i) / 2 * FRAME_MS)
            start = None
    return middles


def _silence(out: Path, ms: int = 200, rate: int = 22_050) -> None:
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\0\0" * (rate * ms // 1000))


def _base(code: str) -> str:
    """ "de-DE", "de_AT" -> "de"."""
    return code.strip().lower().replace("_", "-").split("-")[0]


def say_to_wav(text: str, out: Path, speech: SpeechSettings) -> tuple[str, list[Problem]]:
    """`briefing say`: `text` spoken to `out` (written atomically) as a briefing would
    say it (normalized, respelt, in its language's voice); returns what the engine was
    given, and any problem with the lexicon or the voice."""
    from briefing import runtime
    from briefing.fsutil import atomic_path
    from briefing.models import Run
    from briefing.nlp.language import detect
    from briefing.speak import make_engine

    if not text.strip():
        raise SpeechError('nothing to say: give some text, like: briefing say "Niamey"')
    lexicon, problems = lexicon_for(speech)
    language = detect(text).code or "en"
    segment = Segment("story", text, runs=(Run(text, language),), index=0)
    with runtime.run_scope(), make_engine(speech) as engine, atomic_path(out) as part:
        engine.check()
        voices = Voices(engine, speech, "en")
        try:
            spoken = speak_segment(segment, part, voices, speech, lexicon)
        finally:
            voices.close()
        problems += voices.problems
    return spoken.said, problems
