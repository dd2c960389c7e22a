"""Assemble stage: join spoken segments with pauses and encode the MP3 with pydub/ffmpeg."""

from __future__ import annotations

import errno
import re
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import AudioError, MissingDependencyError
from briefing.fsutil import atomic_path
from briefing.models import Chapter

SAMPLE_RATE = 44_100


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
    title: str = ""
    artist: str = "briefing"
    album: str = "Daily briefing"
    date: str = ""


def require_ffmpeg() -> None:
    missing = [b for b in ("ffmpeg", "ffprobe") if shutil.which(b) is None]
    if missing:
        raise MissingDependencyError(
            f"{' and '.join(missing)} not found; install ffmpeg "
            "(Debian/Ubuntu: sudo apt-get install ffmpeg; macOS: brew install ffmpeg)"
        )


def assemble(parts: list[AudioPart], out_mp3: Path, options: AudioOptions) -> tuple[Chapter, ...]:
    """Join `parts` into `out_mp3` (written atomically); return where each part starts."""
    require_ffmpeg()
    from pydub import AudioSegment  # imported late: pydub warns at import without ffmpeg

    episode = AudioSegment.silent(duration=0, frame_rate=options.sample_rate)
    chapters: list[Chapter] = []
    for part in parts:
        try:
            audio = AudioSegment.from_wav(str(part.wav))
        except Exception as exc:  # pydub raises bare exceptions for bad WAVs
            raise AudioError(f"cannot read rendered speech {part.wav.name}: {exc}") from exc
        audio = audio.set_channels(1).set_frame_rate(options.sample_rate).set_sample_width(2)
        start = len(episode)
        episode += audio
        chapters.append(Chapter(part.title, start, len(episode)))
        if part.pause_after_ms:
            episode += AudioSegment.silent(part.pause_after_ms, frame_rate=options.sample_rate)
    if not len(episode):
        raise AudioError("there is no audio to encode")
    tags = {
        k: v
        for k, v in (
            ("title", options.title),
            ("artist", options.artist),
            ("album", options.album),
            ("date", options.date),
            ("genre", "Podcast"),
        )
        if v
    }
    try:
        with atomic_path(out_mp3) as tmp:
            episode.export(
                str(tmp),
                format="mp3",
                bitrate=options.bitrate,
                tags=tags,
                parameters=["-ac", "1", "-ar", str(options.sample_rate)],
            )
    except Exception as exc:
        if isinstance(exc, AudioError) or (
            isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
        ):
            raise  # a full or read-only disk is explained, with its fix, by the caller
        raise AudioError(f"encoding {out_mp3.name} with ffmpeg failed: {_one_line(exc)}") from exc
    return tuple(chapters)


def _one_line(exc: Exception) -> str:
    """pydub's error is the whole ffmpeg command and log: keep the exit status and the
    last line ffmpeg wrote, which is where it says what went wrong."""
    text = str(exc)
    code = re.search(r"returned error code: (-?\d+)", text)
    if code is None:
        return " ".join(text.split())
    status = int(code.group(1))
    how = f"was killed by {_signal_name(-status)}" if status < 0 else f"exited {status}"
    lines = [line.strip() for line in text.split("Output from ffmpeg/avlib:")[-1].splitlines()]
    last = next((line for line in reversed(lines) if line), "")
    return f"ffmpeg {how}" + (f": {last}" if last else "")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
