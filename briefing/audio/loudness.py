"""Loudness: bring speech to a target integrated loudness with peaks under a ceiling.

One measured linear gain is not enough for TTS speech: espeak-ng measures about -21 LUFS
with sample peaks near 0 dBFS, so +5 dB would clip. The gain is followed by a
lookahead limiter, which in turn lowers the loudness a little, by an amount that depends
on the voice. So: measure the speech once (EBU R128 integrated loudness and sample
peak, ffmpeg `ebur128`); if the limiter will act, measure the limited result at two
gains that bracket the answer, side by side (one ffmpeg process per core), and
interpolate; on a long episode those two are measured on an excerpt. The encoder then
applies exactly that chain, so what was measured is what is encoded; the encoder's own
level change (LAME scales by 0.95) is measured on a tone and made up for.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from briefing.audio.ffmpeg import pcm_input, run_ffmpeg
from briefing.errors import AudioError

TARGET_LUFS = -16.0  # Apple Podcasts' published target (integrated, +-1 LU)
# Apple's true-peak ceiling is -1 dBTP. The limiter works on samples at the output rate
# and MP3 encoding adds up to about 1 dB of overshoot between samples, so it limits
# lower (measured true peaks of finished episodes: -1.9 to -2.8 dBTP).
LIMIT_DBFS = -2.5
# Long episodes: the limiter's effect is measured on this many evenly spaced windows.
EXCERPT_WINDOWS, WINDOW_S = 8, 15.0
SILENT_LUFS = -60.0  # below this there is no speech to normalize: leave the gain alone
MAX_GAIN_DB = 40.0

_SUMMARY_I = re.compile(r"I:\s+(-?[\d.]+|-?inf)\s+LUFS")
_RMS = re.compile(r"RMS level dB:\s+(-?[\d.]+)")
_SUMMARY_PEAK = re.compile(r"Peak:\s+(-?[\d.]+|-?inf)\s+dBFS")


@dataclass(frozen=True)
class Measurement:
    integrated_lufs: float
    sample_peak_db: float


@dataclass(frozen=True)
class LoudnessPlan:
    """The gain (dB) to apply before the limiter, and what the measurements said."""

    gain_db: float
    measured: Measurement
    limited: bool  # whether the limiter shapes peaks (and the gain was searched)
    expected_lufs: float


def limiter(out_rate: int) -> str:
    """ffmpeg filters after the gain: resample to the output rate, lookahead peak limiter.

    Resampling comes first so the limiter sees the peaks of the output signal;
    `level=false` stops alimiter from normalizing on its own, `latency=true` removes its
    lookahead delay (chapter times stay exact).
    """
    limit = 10 ** (LIMIT_DBFS / 20)
    return (
        f"aresample={out_rate},"
        f"alimiter=limit={limit:.4f}:attack=5:release=50:level=false:latency=true"
    )


def gain(gain_db: float) -> str:
    """The gain, computed in doubles: in 16-bit samples the peaks it lifts past full
    scale would be clipped before the limiter could hold them."""
    return f"aformat=sample_fmts=dbl,volume={gain_db:.3f}dB"


def limiter_chain(gain_db: float, out_rate: int) -> str:
    return f"{gain(gain_db)},{limiter(out_rate)}"


@functools.lru_cache(maxsize=8)
def encoder_loss_db(codec_args: tuple[str, ...], rate: int) -> float:
    """How much quieter the encoder makes its input, in dB (LAME scales by 0.95 at 128 kbps
    and below): encode a tone and measure it, so the gain can make up for it."""
    # ffmpeg's sine source has amplitude 1/8: an RMS level of 20*log10(1/8/sqrt(2)) dBFS.
    reference_db = 20 * math.log10(1 / 8 / math.sqrt(2))
    tone = ["-f", "lavfi", "-i", f"sine=frequency=997:duration=2:sample_rate={rate}"]
    mp3 = run_ffmpeg(
        ["-v", "error", *tone, "-ac", "1", *codec_args, "-f", "mp3", "-"], "calibrating the encoder"
    ).stdout
    proc = run_ffmpeg(
        # The middle second only: the decoded MP3 starts with the encoder's priming.
        ["-f", "mp3", "-i", "-", "-af",
         "atrim=0.5:1.5,astats=measure_perchannel=none:measure_overall=RMS_level",
         "-f", "null", "-"],
        "calibrating the encoder",
        input=mp3,
    )  # fmt: skip
    found = _RMS.search(proc.stderr.decode("utf-8", "replace"))
    if not found:
        raise AudioError("calibrating the encoder: ffmpeg's astats printed no RMS level")
    return max(0.0, reference_db - float(found.group(1)))


def measure(inputs: Sequence[str], chain: str = "", timeout: float | None = None) -> Measurement:
    """EBU R128 integrated loudness and sample peak of ffmpeg `inputs` after `chain`."""
    meter = "ebur128=peak=sample"
    proc = run_ffmpeg(
        [*inputs, "-af", f"{chain},{meter}" if chain else meter, "-f", "null", "-"],
        "measuring loudness",
        timeout=timeout,
    )
    summary = proc.stderr.decode("utf-8", "replace").rsplit("Summary:", 1)[-1]
    i_match, peak_match = _SUMMARY_I.search(summary), _SUMMARY_PEAK.search(summary)
    if not (i_match and peak_match):
        raise AudioError("measuring loudness: ffmpeg's ebur128 printed no summary")
    return Measurement(float(i_match.group(1)), float(peak_match.group(1)))


def excerpt(pcm: Path, rate: int, out: Path) -> Path:
    """Evenly spaced windows of a long raw PCM file (16-bit mono), joined into `out`;
    a file no longer than EXCERPT_WINDOWS * WINDOW_S is returned as it is."""
    frame = 2
    total = pcm.stat().st_size // frame
    window = int(WINDOW_S * rate)
    if total <= EXCERPT_WINDOWS * window:
        return pcm
    step = (total - window) / (EXCERPT_WINDOWS - 1)
    with open(pcm, "rb") as src, open(out, "wb") as dst:
        for i in range(EXCERPT_WINDOWS):
            src.seek(int(i * step) * frame)
            dst.write(src.read(window * frame))
    return out


def plan_gain(
    pcm: Path,
    rate: int,
    out_rate: int,
    target_lufs: float = TARGET_LUFS,
    make_up_db: Future[float] | None = None,
    timeout: float | None = None,
) -> LoudnessPlan:
    """Find the gain that, followed by `limiter_chain`, brings the raw PCM file `pcm`
    (16-bit mono at `rate`) to `target_lufs` + `make_up_db` (the encoder's loss, still
    being measured while the speech is); each ffmpeg measurement gets `timeout` s."""
    sample = excerpt(pcm, rate, pcm.with_suffix(".excerpt.pcm"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        whole = pool.submit(measure, pcm_input(pcm, rate), "", timeout)
        part = measure(pcm_input(sample, rate), "", timeout) if sample != pcm else None
        first = whole.result()
    if make_up_db is not None:
        target_lufs += make_up_db.result()
    if first.integrated_lufs <= SILENT_LUFS or math.isinf(first.sample_peak_db):
        return LoudnessPlan(0.0, first, False, first.integrated_lufs)
    linear = min(MAX_GAIN_DB, target_lufs - first.integrated_lufs)
    over = first.sample_peak_db + linear - LIMIT_DBFS
    if over <= 0:  # the limiter will not touch it: a linear gain is exact
        return LoudnessPlan(linear, first, False, first.integrated_lufs + linear)
    # Limiting `over` dB off the peaks costs some loudness: bracket the gain that makes
    # up for it and interpolate (loudness is smooth and rising in the gain). On a long
    # episode the brackets are measured on an excerpt: the same voice loses the same
    # loudness to the limiter at the same gain, so only the excerpt's own level differs.
    offset = first.integrated_lufs - part.integrated_lufs if part else 0.0
    inputs = pcm_input(sample, rate)
    low, high = linear + 0.35 * over, linear + 0.8 * over
    with ThreadPoolExecutor(max_workers=2) as pool:
        at_low, at_high = (
            offset + lufs
            for lufs in pool.map(
                lambda g: measure(inputs, limiter_chain(g, out_rate), timeout).integrated_lufs,
                (low, high),
            )
        )
    slope = max(0.1, (at_high - at_low) / (high - low))
    best = low + (target_lufs - at_low) / slope
    best = min(MAX_GAIN_DB, max(linear, min(best, linear + over + 6.0)))
    return LoudnessPlan(best, first, True, at_low + (best - low) * slope)
