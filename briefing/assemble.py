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
import logging
import re
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.audio import sounds
from briefing.audio.ffmpeg import pcm_input, require_ffmpeg, run_piped
from briefing.audio.loudness import (
    TARGET_LUFS,
    LoudnessPlan,
    encoder_loss_db,
    gain,
    limiter,
    plan_gain,
)
from briefing.audio.tags import EpisodeTags, image_mime, write_tags
from briefing.errors import AudioError, OutputError, UsageError
from briefing.fsutil import atomic_path, explain_write_error
from briefing.models import Chapter, Problem, Script

if TYPE_CHECKING:
    from pydub import AudioSegment

    from briefing.config import Settings

__all__ = [
    "Assembled",
    "AudioOptions",
    "AudioPart",
    "assemble",
    "audio_options",
    "require_ffmpeg",
]

log = logging.getLogger("briefing")

SAMPLE_RATE = 44_100
MP3_SAMPLE_RATES = (16_000, 22_050, 24_000, 32_000, 44_100, 48_000)
_BITRATE = re.compile(r"^(\d{1,3})k$")
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


@dataclass(frozen=True)
class AudioOptions:
    bitrate: str = "64k"
    sample_rate: int = SAMPLE_RATE
    loudness: float = TARGET_LUFS  # integrated LUFS of the finished episode
    title: str = ""
    artist: str = "briefing"
    album: str = "Daily briefing"
    date: str = ""
    comment: str = ""
    lyrics: str = ""  # the full script, as ID3 lyrics (USLT)
    cover: Path | None = None  # JPEG or PNG
    intro_sound: Path | None = None
    outro_sound: Path | None = None
    chime: bool = False  # generated chime where no intro/outro sound file is given

    def __post_init__(self) -> None:
        if self.sample_rate not in MP3_SAMPLE_RATES:
            rates = ", ".join(map(str, MP3_SAMPLE_RATES))
            raise UsageError(f"sample_rate must be one of {rates} (MP3), not {self.sample_rate}")
        match = _BITRATE.match(self.bitrate)
        low, high = (32, 320) if self.sample_rate >= 32_000 else (8, 160)
        if not match or not low <= int(match.group(1)) <= high:
            raise UsageError(
                f"bitrate must be like 64k, from {low}k to {high}k at {self.sample_rate} Hz, "
                f"not {self.bitrate!r}"
            )
        if not -30 <= self.loudness <= -10:
            raise UsageError(f"loudness must be between -30 and -10 LUFS, not {self.loudness}")

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


def audio_options(settings: Settings) -> AudioOptions:
    """AudioOptions from the run settings; bad values fail here, before any speech."""
    return AudioOptions(
        bitrate=settings.bitrate,
        sample_rate=settings.sample_rate,
        loudness=settings.loudness,
        title=f"Briefing for {settings.date:%A} {settings.date.day} {settings.date:%B %Y}",
        artist=settings.artist,
        album=settings.album,
        date=settings.date.isoformat(),
        # One picture for the show: the feed's cover unless the episodes name their own.
        cover=settings.cover or settings.feed_cover,
        intro_sound=settings.intro_sound,
        outro_sound=settings.outro_sound,
        chime=settings.chime,
    )


def assemble(
    parts: list[AudioPart],
    out_mp3: Path,
    options: AudioOptions,
    timings: dict[str, float] | None = None,
) -> Assembled:
    """Make `out_mp3` (written atomically) from `parts`; `timings`, if given, receives
    the seconds spent in each step: join, loudness, encode, tags."""
    require_ffmpeg()
    if not parts:
        raise AudioError("there is no audio to encode")
    timings = {} if timings is None else timings
    try:
        joined, plan, chapters, tag_problems = _assemble(parts, out_mp3, options, timings)
    except OSError as exc:  # disk full, read-only directory: one line, not a traceback
        raise OutputError(explain_write_error(exc, out_mp3.parent)) from exc
    log.info(
        "assembled %s: speech %.1f LUFS, gain %+.1f dB%s; steps %s",
        out_mp3.name,
        plan.measured.integrated_lufs,
        plan.gain_db,
        " with limiting" if plan.limited else "",
        ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()),
    )
    duration = joined.total_samples / joined.rate
    return Assembled(chapters, duration, plan, joined.problems + tag_problems)


def _assemble(
    parts: list[AudioPart], out_mp3: Path, options: AudioOptions, timings: dict[str, float]
) -> tuple[Joined, LoudnessPlan, tuple[Chapter, ...], tuple[Problem, ...]]:
    with (
        tempfile.TemporaryDirectory(prefix="briefing-audio-") as tmp,
        ThreadPoolExecutor(max_workers=1) as background,
    ):
        # How much the encoder lowers the level is found while the speech is joined
        # and measured.
        loss = background.submit(encoder_loss_db, codec_args(options), options.sample_rate)
        with _timed(timings, "join"):
            joined = join_parts(parts, Path(tmp), options)
        with _timed(timings, "loudness"):
            plan = plan_gain(
                joined.speech, joined.rate, options.sample_rate, options.loudness, loss
            )
        tags, tag_problems = episode_tags(options)
        chapters = chapters_for(parts, joined)
        with atomic_path(out_mp3) as part_file:
            with _timed(timings, "encode"):
                encode(joined, plan, part_file, options)
            with _timed(timings, "tags"):
                write_tags(part_file, tags, chapters)
    return joined, plan, chapters, tag_problems


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
    samples = 0
    with open(speech, "wb") as out:
        for part in parts:
            try:
                audio = AudioSegment.from_wav(str(part.wav))
            except Exception as exc:  # pydub raises bare exceptions for bad WAVs
                raise AudioError(f"cannot read rendered speech {part.wav.name}: {exc}") from exc
            audio = _trim(audio.set_channels(1).set_sample_width(2).set_frame_rate(rate))
            starts.append(samples)
            out.write(audio.raw_data)
            silence = round(part.pause_after_ms * rate / 1000)
            out.write(b"\0\0" * silence)
            samples += int(audio.frame_count()) + silence
    problems: list[Problem] = []
    intro = _sound(options.intro_sound, True, options, rate, workdir, problems)
    outro = _sound(options.outro_sound, False, options, rate, workdir, problems)
    return Joined(
        rate,
        speech,
        tuple(starts),
        samples,
        *(intro or (None, 0)),
        *(outro or (None, 0)),
        problems=tuple(problems),
    )


def _wav_rate(wav: Path) -> int:
    import wave

    try:
        with wave.open(str(wav), "rb") as w:
            return w.getframerate()
    except (OSError, EOFError, wave.Error) as exc:
        raise AudioError(f"cannot read rendered speech {wav.name}: {exc}") from exc


def _trim(audio: AudioSegment) -> AudioSegment:
    """The part's speech with KEEP_LEAD_MS of silence before it and KEEP_TAIL_MS after,
    faded in and out at the speech's own edges (see FADE_IN_MS)."""
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

    lead = detect_leading_silence(audio, EDGE_SILENCE_DBFS, chunk_size=1)
    if lead >= len(audio):
        return audio  # all quiet: keep it rather than lose a segment
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
    return head + body + tail + after.set_sample_width(audio.sample_width)


def _sound(
    path: Path | None,
    intro: bool,
    options: AudioOptions,
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


def codec_args(options: AudioOptions) -> tuple[str, ...]:
    return ("-c:a", "libmp3lame", "-b:a", options.bitrate, "-compression_level", str(MP3_QUALITY))


def encode(joined: Joined, plan: LoudnessPlan, out: Path, options: AudioOptions) -> None:
    """Step 3: from the raw PCM files to an MP3 without tags, as two ffmpeg processes
    joined by a pipe (gain, joining, resampling and limiter | MP3 encoder)."""
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
        artist=options.artist,
        album=options.album,
        date=options.date,
        comment=options.comment,
        lyrics=options.lyrics,
        cover=cover,
        cover_mime=mime,
    )
    return tags, tuple(problems)
