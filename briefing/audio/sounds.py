"""Intro and outro sounds: a user's audio file, or a generated two-note chime.

Sounds are levelled on their own to SOUND_LEVEL_LU below the speech target: a sting as
loud as the voice sounds louder than it (pure tones, sudden onset) and startles on
earbuds; 5 LU below is clearly heard and stays behind the voice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefing.audio.ffmpeg import pcm_input, run_ffmpeg
from briefing.audio.loudness import SILENT_LUFS, measure
from briefing.errors import AudioError

if TYPE_CHECKING:
    from pydub import AudioSegment

SOUND_LEVEL_LU = -5.0  # relative to the speech loudness target
MAX_SOUND_S = 30  # an intro is a sting, not a song: longer files are cut and faded
PEAK_FALLBACK_DBFS = -6.0  # level for sounds too short to measure (< 0.4 s)

# A rising fifth opens the briefing, the same notes falling close it.
C5, G5 = 523.25, 783.99
NOTE_MS, NOTE_GAP_MS = 700, 180


def chime(rate: int, rising: bool = True) -> AudioSegment:
    """Two soft bell-like notes (fundamental plus a quiet octave, decaying), ~0.9 s."""
    from pydub import AudioSegment
    from pydub.generators import Sine

    def note(freq: float) -> AudioSegment:
        tone = Sine(freq, sample_rate=rate).to_audio_segment(NOTE_MS, volume=-14.0)
        tone = tone.overlay(Sine(2 * freq, sample_rate=rate).to_audio_segment(NOTE_MS, -28.0))
        # A bell decays exponentially: a fade in dB that is linear in time does that.
        return tone.fade_in(8).fade(to_gain=-36.0, start=8, end=NOTE_MS).fade_out(40)

    first, second = (C5, G5) if rising else (G5, C5)
    out = AudioSegment.silent(NOTE_GAP_MS + NOTE_MS, frame_rate=rate)
    return out.overlay(note(first)).overlay(note(second), position=NOTE_GAP_MS)


def load_sound(path: Path, rate: int) -> tuple[AudioSegment, bool]:
    """Decode any file ffmpeg reads to mono PCM at `rate`; return it and whether it was cut."""
    from pydub import AudioSegment

    if not path.is_file():
        raise AudioError(f"sound file {path} does not exist")
    # ffmpeg resamples (pydub's own resampler is linear interpolation and aliases).
    proc = run_ffmpeg(
        [
            "-v",
            "error",
            "-i",
            str(path),
            "-t",
            str(MAX_SOUND_S),
            "-vn",
            "-ac",
            "1",
            "-ar",
            str(rate),
            "-f",
            "s16le",
            "-",
        ],
        f"reading sound file {path}",
    )
    if not proc.stdout:
        raise AudioError(f"sound file {path} has no audio")
    sound = AudioSegment(data=proc.stdout, sample_width=2, frame_rate=rate, channels=1)
    cut = len(sound) >= MAX_SOUND_S * 1000 - 50
    if cut:
        sound = sound.fade_out(1000)
    return sound, cut


def level(sound: AudioSegment, target_lufs: float, scratch: Path) -> AudioSegment:
    """Gain `sound` to `target_lufs` + SOUND_LEVEL_LU (by peak when too short to measure)."""
    scratch.write_bytes(sound.raw_data)
    loudness = measure(pcm_input(scratch, sound.frame_rate)).integrated_lufs
    scratch.unlink()
    if sound.max_dBFS < -90:
        return sound  # silence stays silence
    if loudness > SILENT_LUFS:
        gain = target_lufs + SOUND_LEVEL_LU - loudness
    else:
        gain = PEAK_FALLBACK_DBFS - sound.max_dBFS
    # 16-bit samples saturate: a very dynamic sound stays a little quieter instead.
    return sound.apply_gain(min(gain, -1.0 - sound.max_dBFS))
