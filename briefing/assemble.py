"""Assemble stage: join the spoken segments, set the loudness, encode a tagged MP3.

1. join (pydub): each rendered WAV is read, made mono 16-bit at the speech's own rate,
   trimmed of the engine's edge silence and appended, with the pause that follows it,
   to one raw PCM file. One segment is in memory at a time, and every start is counted
   in samples, so chapters are exact.
2. loudness: the speech is measured and a gain planned (briefing/audio/loudness.py).
3. encode: one ffmpeg run joins intro sound, speech (gain, resampling, limiter) and outro
   sound, and encodes the MP3 into a temporary file beside the target.
4. tags: mutagen writes ID3v2 tags and chapters into that temporary file; only then is
   it renamed over the target, so a phone sync never sees a half-written episode.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing import runtime
from briefing.audio import sounds
from briefing.audio.ffmpeg import pcm_input, require_ffmpeg, run_piped, step_timeout
from briefing.audio.format import MP3, AudioFormat
from briefing.audio.loudness import (
    LoudnessPlan,
    encoder_loss_db,
    gain,
    limiter,
    plan_gain,
)
from briefing.audio.tags import EpisodeTags, image_mime, write_tags
from briefing.errors import AudioError, OutputError
from briefing.fsutil import explain_write_error, staged_path
from briefing.layout import episode_title
from briefing.models import Chapter, Cue, Problem, Script
from briefing.settings import AudioSettings

if TYPE_CHECKING:
    from pydub import AudioSegment

__all__ = [
    "Assembled",
    "AudioOptions",
    "AudioPart",
    "assemble",
    "audio_options",
    "require_ffmpeg",
]

log = logging.getLogger("briefing")

# libmp3lame's algorithm quality, 0 (slowest) to 9: 7 encodes twice as fast as the
# default 5 and is indistinguishable on speech at 64 kbps.
MP3_QUALITY = 7
# No tags from ffmpeg (mutagen writes them); a Xing/LAME header, so players know the
# exact length and skip the encoder's priming samples.
MP3_MUXER = ("-map_metadata", "-1", "-id3v2_version", "0", "-write_xing", "1", "-f", "mp3")

# Engines pad their WAVs with silence of their own (espeak-ng ~0.1-0.3 s): trim it, so
# the pauses between segments are the script's, the same for every engine. Edges are
# found to the millisecond, so a chapter mark (the start of a part) is KEEP_LEAD_MS
# before its speech is heard.
EDGE_SILENCE_DBFS = -50.0
KEEP_LEAD_MS, KEEP_TAIL_MS = 15, 60
# espeak-ng cuts many segments off mid-sound (full level to digital silence in under
# 5 ms: a click, and speech that stops rather than ends): every part fades in over its
# first FADE_IN_MS of speech and out over its last FADE_OUT_MS, and what is kept of
# the engine's tail after the speech is silence.
FADE_IN_MS, FADE_OUT_MS = 12, 20
INTRO_GAP_MS = 500  # after the intro sound, before the greeting
OUTRO_GAP_MS = 800  # after the sign-off, before the outro sound


@dataclass(frozen=True)
class AudioPart:
    """One rendered segment: its WAV, chapter title and the silence that follows it."""

    wav: Path
    title: str
    pause_after_ms: int = 0
    cues: tuple[Cue, ...] = ()  # its sentences, timed from the start of `wav`


@dataclass(frozen=True)
class AudioOptions:
    """The [audio] settings, and what this episode's tags say."""

    audio: AudioSettings = field(default_factory=AudioSettings)
    title: str = ""
    date: str = ""
    comment: str = ""
    lyrics: str = ""  # the full script, as ID3 lyrics (USLT)
    cover: Path | None = None  # JPEG or PNG: the episode's, else the feed's
    calibration: Path | None = None  # where the encoder's measured loss is kept

    @classmethod
    def of(cls, **values: Any) -> AudioOptions:
        """AudioOptions from flat names: [audio] settings and tag fields together."""
        names = {f.name for f in dataclasses.fields(AudioSettings)} - {"cover"}
        audio = AudioSettings(**{k: v for k, v in values.items() if k in names})
        return cls(audio, **{k: v for k, v in values.items() if k not in names})

    def step_timeout(self, audio_s: float) -> float:
        """Seconds an ffmpeg step reading `audio_s` seconds of audio may take."""
        audio = self.audio
        return step_timeout(audio_s, audio.ffmpeg_timeout, audio.ffmpeg_timeout_per_audio_s)

    def with_script(self, script: Script) -> AudioOptions:
        """The full script as lyrics, and the story headlines as the comment."""
        headlines = [s.title for s in script.segments if s.kind == "story" and s.title]
        return dataclasses.replace(self, lyrics=script.text, comment="; ".join(headlines))


@dataclass(frozen=True)
class Joined:
    """The join step's output: raw PCM files at `rate` and where each part starts."""

    rate: int
    speech: Path
    starts: tuple[int, ...]  # sample offset of each part in `speech`
    speech_samples: int
    trimmed_ms: tuple[int, ...] = ()  # the engine's silence cut from each part's start
    kept_ms: tuple[int, ...] = ()  # how long each part is once trimmed
    intro: Path | None = None
    intro_samples: int = 0
    outro: Path | None = None
    outro_samples: int = 0
    problems: tuple[Problem, ...] = ()

    @property
    def total_samples(self) -> int:
        return self.intro_samples + self.speech_samples + self.outro_samples


@dataclass(frozen=True)
class Assembled:
    """The finished MP3's chapters and length, and what was left out of it."""

    chapters: tuple[Chapter, ...]
    duration_s: float
    loudness: LoudnessPlan | None = None
    problems: tuple[Problem, ...] = ()
    cues: tuple[Cue, ...] = ()  # each sentence, timed in the episode


def audio_options(
    audio: AudioSettings, date: dt.date, feed_cover: Path | None = None
) -> AudioOptions:
    """The options for `date`'s episode: one picture for the show, the feed's cover,
    unless the episodes name their own."""
    return AudioOptions(
        audio,
        title=episode_title(date),
        date=date.isoformat(),
        cover=audio.cover or feed_cover,
    )


def assemble(
    parts: list[AudioPart],
    out: Path,
    options: AudioOptions,
    fmt: AudioFormat = MP3,
    timings: dict[str, float] | None = None,
    before_commit: Callable[[Path, Assembled], None] | None = None,
) -> Assembled:
    """Make `out` (written atomically) in format `fmt` from `parts`; `timings`, if given,
    receives the seconds spent in each step: join, loudness, encode, tags. `before_commit`
    is called with the complete file (on disk, under its temporary name) and what it
    holds, just before it is renamed into place: to put files that belong with it in
    place first."""
    if fmt.needs_ffmpeg:
        require_ffmpeg()
    if not parts:
        raise AudioError("there is no audio to encode")
    timings = {} if timings is None else timings
    finish = fmt.finish()
    try:
        with runtime.run_scope(), runtime.temp_dir("audio-") as tmp:
            with _timed(timings, "join"):
                joined = join_parts(parts, tmp, options)
            chapters = chapters_for(parts, joined)
            with staged_path(out) as staged:
                plan, problems = finish(joined, staged.path, options, chapters, timings)
                staged.sync()
                duration = joined.total_samples / joined.rate
                cues = cues_for(parts, joined)
                made = Assembled(chapters, duration, plan, joined.problems + problems, cues)
                if before_commit is not None:
                    before_commit(staged.path, made)
                staged.commit()
    except OSError as exc:  # disk full, read-only directory: one line, not a traceback
        raise OutputError(explain_write_error(exc, out.parent)) from exc
    log.info(
        "assembled %s; steps %s", out.name, ", ".join(f"{k} {v:.2f} s" for k, v in timings.items())
    )
    return made


def finish_mp3(
    joined: Joined,
    out: Path,
    options: AudioOptions,
    chapters: tuple[Chapter, ...],
    timings: dict[str, float],
) -> tuple[LoudnessPlan, tuple[Problem, ...]]:
    """The MP3 format's finisher (briefing/audio/format.py): steps 2 to 4."""
    audio = options.audio
    with ThreadPoolExecutor(max_workers=1) as background:
        # How much the encoder lowers the level is found while the speech is measured.
        timeout = options.step_timeout(joined.total_samples / joined.rate)
        loss = background.submit(
            encoder_loss_db,
            codec_args(audio),
            audio.sample_rate,
            options.calibration,
            options.step_timeout(2.0),  # it encodes and decodes a 2-second tone
        )
        with _timed(timings, "loudness"):
            plan = plan_gain(
                joined.speech, joined.rate, audio.sample_rate, audio.loudness, loss, timeout
            )
    log.info(
        "speech %.1f LUFS, gain %+.1f dB%s",
        plan.measured.integrated_lufs,
        plan.gain_db,
        " with limiting" if plan.limited else "",
    )
    tags, tag_problems = episode_tags(options)
    with _timed(timings, "encode"):
        encode(joined, plan, out, options)
    with _timed(timings, "tags"):
        write_tags(out, tags, chapters)
    return plan, tag_problems


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = timings.get(step, 0.0) + time.perf_counter() - start


def join_parts(parts: list[AudioPart], workdir: Path, options: AudioOptions) -> Joined:
    """Step 1: every part, with its pause, into one raw PCM file (see the module doc)."""
    from pydub import AudioSegment

    rate = _wav_rate(parts[0].wav)
    speech = workdir / "speech.pcm"
    starts: list[int] = []
    trimmed: list[int] = []
    kept: list[int] = []
    samples = 0
    with open(speech, "wb") as out:
        for part in parts:
            try:
                audio = AudioSegment.from_wav(str(part.wav))
            except Exception as exc:  # pydub raises bare exceptions for bad WAVs
                raise AudioError(f"cannot read rendered speech {part.wav.name}: {exc}") from exc
            audio, cut = _trim(audio.set_channels(1).set_sample_width(2).set_frame_rate(rate))
            trimmed.append(cut)
            kept.append(len(audio))
            starts.append(samples)
            out.write(audio.raw_data)
            silence = round(part.pause_after_ms * rate / 1000)
            out.write(b"\0\0" * silence)
            samples += int(audio.frame_count()) + silence
    problems: list[Problem] = []
    intro = _sound(options.audio.intro_sound, True, options.audio, rate, workdir, problems)
    outro = _sound(options.audio.outro_sound, False, options.audio, rate, workdir, problems)
    return Joined(
        rate,
        speech,
        tuple(starts),
        samples,
        trimmed_ms=tuple(trimmed),
        kept_ms=tuple(kept),
        intro=intro[0] if intro else None,
        intro_samples=intro[1] if intro else 0,
        outro=outro[0] if outro else None,
        outro_samples=outro[1] if outro else 0,
        problems=tuple(problems),
    )


def _wav_rate(wav: Path) -> int:
    import wave

    try:
        with wave.open(str(wav), "rb") as w:
            return w.getframerate()
    except (OSError, EOFError, wave.Error) as exc:
        raise AudioError(f"cannot read rendered speech {wav.name}: {exc}") from exc


def _trim(audio: AudioSegment) -> tuple[AudioSegment, int]:
    """The part's speech with KEEP_LEAD_MS of silence before it and KEEP_TAIL_MS after,
    faded in and out at the speech's own edges (see FADE_IN_MS); and how many ms were
    cut from its start."""
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

    lead = detect_leading_silence(audio, EDGE_SILENCE_DBFS, chunk_size=1)
    if lead >= len(audio):
        return audio, 0  # all quiet: keep it rather than lose a segment
    end = len(audio) - detect_leading_silence(audio.reverse(), EDGE_SILENCE_DBFS, chunk_size=1)
    # A very short sound gets shorter fades: half of it at most, in and out.
    fade_in = min(FADE_IN_MS, (end - lead) // 2)
    fade_out = min(FADE_OUT_MS, (end - lead) - fade_in)
    start = max(0, lead - KEEP_LEAD_MS)
    head = audio[lead : lead + fade_in]
    if len(head):
        head = audio[start:lead] + head.fade_in(len(head))
    body = audio[lead + fade_in : end - fade_out]
    tail = audio[end - fade_out : end]
    if len(tail):
        tail = tail.fade_out(len(tail))
    after = AudioSegment.silent(min(KEEP_TAIL_MS, len(audio) - end), frame_rate=audio.frame_rate)
    return head + body + tail + after.set_sample_width(audio.sample_width), start


def _sound(
    path: Path | None,
    intro: bool,
    options: AudioSettings,
    rate: int,
    workdir: Path,
    problems: list[Problem],
) -> tuple[Path, int] | None:
    """The intro or outro sound, levelled, with its gap to the speech, as raw PCM."""
    from pydub import AudioSegment

    which = "intro_sound" if intro else "outro_sound"
    sound: AudioSegment | None = None
    if path is not None:
        try:
            sound, cut = sounds.load_sound(path, rate)
        except AudioError as exc:
            problems.append(Problem(which, f"{exc}; the episode is made without it"))
        else:
            if cut:
                problems.append(
                    Problem(
                        which,
                        f"{path} is longer than {sounds.MAX_SOUND_S} s; only the "
                        "start is used, faded out",
                    )
                )
    if sound is None and options.chime:
        sound = sounds.chime(rate, rising=intro)
    if sound is None:
        return None
    sound = sounds.level(sound, options.loudness, workdir / f"{which}.level.pcm")
    gap = AudioSegment.silent(INTRO_GAP_MS if intro else OUTRO_GAP_MS, frame_rate=rate)
    sound = sound + gap if intro else gap + sound
    pcm = workdir / f"{which}.pcm"
    pcm.write_bytes(sound.raw_data)
    return pcm, int(sound.frame_count())


def chapters_for(parts: list[AudioPart], joined: Joined) -> tuple[Chapter, ...]:
    """One chapter per part from where it starts to where the next starts; the first
    begins at 0 (with the intro sound), the last ends with the episode."""
    starts = [joined.intro_samples + s for s in joined.starts]
    starts[0] = 0
    ends = [*starts[1:], joined.total_samples]

    def ms(samples: int) -> int:
        return round(samples * 1000 / joined.rate)

    return tuple(
        Chapter(part.title, ms(start), ms(end))
        for part, start, end in zip(parts, starts, ends, strict=True)
    )


def cues_for(parts: list[AudioPart], joined: Joined) -> tuple[Cue, ...]:
    """Each part's sentence times moved into the episode: after the intro sound and the
    parts before it, less the silence trimmed from its start, within what was kept."""
    cues = []
    for part, start, cut, kept in zip(
        parts, joined.starts, joined.trimmed_ms, joined.kept_ms, strict=True
    ):
        origin = (joined.intro_samples + start) / joined.rate
        for cue in part.cues:
            begin = min(max(0.0, cue.start_s - cut / 1000), kept / 1000)
            end = min(max(begin, cue.end_s - cut / 1000), kept / 1000)
            cues.append(Cue(round(origin + begin, 3), round(origin + end, 3), cue.text))
    return tuple(cues)


def codec_args(audio: AudioSettings) -> tuple[str, ...]:
    return ("-c:a", "libmp3lame", "-b:a", audio.bitrate, "-compression_level", str(MP3_QUALITY))


def encode(joined: Joined, plan: LoudnessPlan, out: Path, episode: AudioOptions) -> None:
    """Step 3: from the raw PCM files to an MP3 without tags, as two ffmpeg processes
    joined by a pipe (gain, joining, resampling and limiter | MP3 encoder)."""
    options = episode.audio
    inputs = pcm_input(joined.speech, joined.rate)
    chain = gain(plan.gain_db)
    tail = limiter(options.sample_rate)
    if joined.intro is None and joined.outro is None:
        graph = ["-af", f"{chain},{tail}"]
    else:
        # Every input in doubles, so concat cannot pull the speech back to 16 bits
        # between the gain and the limiter.
        steps, order = [f"[0:a]{chain}[speech]"], ["[speech]"]
        if joined.intro is not None:
            inputs += pcm_input(joined.intro, joined.rate)
            steps.append(f"[{len(steps)}:a]aformat=sample_fmts=dbl[intro]")
            order.insert(0, "[intro]")
        if joined.outro is not None:
            inputs += pcm_input(joined.outro, joined.rate)
            steps.append(f"[{len(steps)}:a]aformat=sample_fmts=dbl[outro]")
            order.append("[outro]")
        graph = [
            "-filter_complex",
            ";".join(steps) + f";{''.join(order)}concat=n={len(order)}:v=0:a=1,{tail}",
        ]
    rate = options.sample_rate
    run_piped(
        [*inputs, *graph, "-ac", "1", "-ar", str(rate), "-f", "s16le", "-"],
        [*pcm_input("-", rate), *codec_args(options), *MP3_MUXER, "-y", str(out)],
        f"encoding {out.name.removesuffix('.part')} with ffmpeg",
        timeout=episode.step_timeout(joined.total_samples / joined.rate),
    )


def episode_tags(options: AudioOptions) -> tuple[EpisodeTags, tuple[Problem, ...]]:
    """The ID3 tags; a cover that cannot be used is left out and reported."""
    problems: list[Problem] = []
    cover, mime = b"", ""
    if options.cover is not None:
        try:
            cover = options.cover.read_bytes()
        except OSError as exc:
            problems.append(
                Problem(
                    "cover",
                    f"cannot read {options.cover} ({exc.strerror}); the episode has no cover image",
                )
            )
        else:
            mime = image_mime(cover) or ""
            if not mime:
                problems.append(
                    Problem(
                        "cover",
                        f"{options.cover} is not a JPEG or PNG image; "
                        "the episode has no cover image",
                    )
                )
                cover = b""
    tags = EpisodeTags(
        title=options.title,
        artist=options.audio.artist,
        album=options.audio.album,
        date=options.date,
        comment=options.comment,
        lyrics=options.lyrics,
        cover=cover,
        cover_mime=mime,
    )
    return tags, tuple(problems)
