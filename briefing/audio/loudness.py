"""Loudness: bring speech to a target integrated loudness with peaks under a ceiling.

One measured linear gain is not enough for TTS speech: espeak-ng measures about -21 LUFS
with sample peaks near 0 dBFS, so +5 dB would clip. The gain is followed by a
lookahead limiter, which in turn lowers the loudness a little, by an amount that depends
on the voice. So: measure the speech (EBU R128 integrated loudness and sample peak,
ffmpeg `ebur128`) and, if the limiter will act, the limited result at two gains that
bracket the answer, and interpolate. All three are measured in one ffmpeg pass: where
the brackets go is guessed in Python first (`estimate`). A long episode is measured on
an excerpt, its difference from the whole computed in Python. The encoder then applies
exactly that chain, so what was measured is what is encoded; the encoder's own level
change (LAME scales by 0.95) is measured on a tone and made up for.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import re
import shutil
import warnings
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.audio.ffmpeg import pcm_input, run_ffmpeg
from briefing.errors import AudioError
from briefing.fsutil import atomic_write_text

TARGET_LUFS = -16.0  # Apple Podcasts' published target (integrated, +-1 LU)
# Apple's true-peak ceiling is -1 dBTP. The limiter works on samples at the output rate
# and MP3 encoding adds up to about 1 dB of overshoot between samples, so it limits
# lower (measured true peaks of finished episodes: -1.9 to -2.8 dBTP).
LIMIT_DBFS = -2.5
# Long episodes: the limiter's effect is measured on this many evenly spaced windows.
EXCERPT_WINDOWS, WINDOW_S = 8, 15.0
# The encoder's loss (LAME's 0.95 scaling) while it is still being measured: it only
# places the first limiter measurements.
TYPICAL_MAKE_UP_DB = 0.45
# Guessed brackets within this of where the measurement puts them are used; else the
# limiter is measured again where the measurement puts them.
BRACKET_SLACK_DB = 0.75
SILENT_LUFS = -60.0  # below this there is no speech to normalize: leave the gain alone
MAX_GAIN_DB = 40.0

_SUMMARY = re.compile(r"\[Parsed_ebur128_(\d+) @ [^\]]*\] Summary:(.*?)(?=\[Parsed_|\Z)", re.S)
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
def encoder_loss_db(
    codec_args: tuple[str, ...],
    rate: int,
    cache: Path | None = None,
    timeout: float | None = None,
) -> float:
    """How much quieter the encoder makes its input, in dB (LAME scales by 0.95 at 128 kbps
    and below): encode a tone and measure it, so the gain can make up for it. With
    `cache` (a JSON file), measured once per encoder setting and ffmpeg binary. Each
    ffmpeg call may take `timeout` seconds (default: `step_timeout()`)."""
    key = _calibration_key(codec_args, rate)
    known = _read_json(cache) if cache is not None else {}
    kept = known.get(key)
    if isinstance(kept, float):
        return kept
    loss = _measure_encoder_loss(codec_args, rate, timeout)
    if cache is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written: measure again
            atomic_write_text(cache, json.dumps({**known, key: loss}, indent=1) + "\n")
    return loss


def _calibration_key(codec_args: tuple[str, ...], rate: int) -> str:
    """The settings and the ffmpeg binary (path, size, date): a new ffmpeg is measured."""
    ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
    try:
        st = os.stat(ffmpeg)
        binary = f"{ffmpeg}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        binary = ffmpeg
    return " ".join([*codec_args, str(rate), binary])


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _measure_encoder_loss(codec_args: tuple[str, ...], rate: int, timeout: float | None) -> float:
    # ffmpeg's sine source has amplitude 1/8: an RMS level of 20*log10(1/8/sqrt(2)) dBFS.
    reference_db = 20 * math.log10(1 / 8 / math.sqrt(2))
    tone = ["-f", "lavfi", "-i", f"sine=frequency=997:duration=2:sample_rate={rate}"]
    mp3 = run_ffmpeg(
        ["-v", "error", *tone, "-ac", "1", *codec_args, "-f", "mp3", "-"],
        "calibrating the encoder",
        timeout=timeout,
    ).stdout
    proc = run_ffmpeg(
        # The middle second only: the decoded MP3 starts with the encoder's priming.
        ["-f", "mp3", "-i", "-", "-af",
         "atrim=0.5:1.5,astats=measure_perchannel=none:measure_overall=RMS_level",
         "-f", "null", "-"],
        "calibrating the encoder",
        input=mp3,
        timeout=timeout,
    )  # fmt: skip
    found = _RMS.search(proc.stderr.decode("utf-8", "replace"))
    if not found:
        raise AudioError("calibrating the encoder: ffmpeg's astats printed no RMS level")
    return max(0.0, reference_db - float(found.group(1)))


def measure(inputs: Sequence[str], chain: str = "", timeout: float | None = None) -> Measurement:
    """EBU R128 integrated loudness and sample peak of ffmpeg `inputs` after `chain`."""
    return measure_each(inputs, (chain,), timeout)[0]


def measure_each(
    inputs: Sequence[str], chains: Sequence[str], timeout: float | None = None
) -> list[Measurement]:
    """`measure` after each of `chains` (\"\" for none), in one pass of one ffmpeg: the
    input is read and decoded once, and one process starts instead of several."""
    meter = "ebur128=peak=sample"
    if len(chains) == 1:
        graph = ["-af", f"{chains[0]},{meter}" if chains[0] else meter]
        outputs = ["-f", "null", "-"]
    else:
        labels = [f"[m{i}]" for i in range(len(chains))]
        steps = [f"[0:a]asplit={len(chains)}{''.join(labels)}"]
        outputs = []
        for i, (label, chain) in enumerate(zip(labels, chains, strict=True)):
            steps.append(f"{label}{chain + ',' if chain else ''}{meter}[o{i}]")
            outputs += ["-map", f"[o{i}]", "-f", "null", "-"]
        graph = ["-filter_complex", ";".join(steps)]
    proc = run_ffmpeg([*inputs, *graph, *outputs], "measuring loudness", timeout=timeout)
    # Each meter prints a summary, "[Parsed_ebur128_N @ 0x...] Summary:", N rising with
    # its place in the graph (ffmpeg may set a graph up twice: the last one counts).
    summaries: dict[int, str] = {}
    for found in _SUMMARY.finditer(proc.stderr.decode("utf-8", "replace")):
        summaries[int(found.group(1))] = found.group(2)
    results = []
    for _, summary in sorted(summaries.items()):
        i_match, peak_match = _SUMMARY_I.search(summary), _SUMMARY_PEAK.search(summary)
        if i_match and peak_match:
            results.append(Measurement(float(i_match.group(1)), float(peak_match.group(1))))
    if len(results) != len(chains):
        raise AudioError("measuring loudness: ffmpeg's ebur128 printed no summary")
    return results


def estimate(pcm: Path, rate: int) -> Measurement:
    """A quick guess at the loudness of a raw PCM file (16-bit mono), in Python: the
    mean power of 400 ms blocks gated as EBU R128 gates them, without its K-weighting
    filter. On TTS speech it is within 0.5 dB of the measurement (espeak-ng voices and
    Piper); it only places the limiter measurements, never sets the gain."""
    audioop = _audioop()
    block = int(0.4 * rate) * 2
    powers, peak = [], 0
    with open(pcm, "rb") as fh:
        while chunk := fh.read(block):
            peak = max(peak, audioop.max(chunk, 2))
            power = audioop.rms(chunk, 2) ** 2 / 32768**2
            if power > 1e-7:  # -70 LUFS, R128's absolute gate
                powers.append(power)
    if not powers or peak == 0:
        return Measurement(-math.inf, -math.inf)
    mean = sum(powers) / len(powers)
    gated = [p for p in powers if p > mean / 10] or powers  # the relative gate, -10 LU
    return Measurement(10 * math.log10(sum(gated) / len(gated)), 20 * math.log10(peak / 32768))


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
    being measured while the speech is); each ffmpeg measurement gets `timeout` s.

    Limiting costs some loudness: the gain that makes up for it is bracketed by two
    measurements of the limited speech and interpolated (loudness is smooth and rising in
    the gain). On a long episode all is measured on an excerpt: the same voice loses the
    same loudness to the limiter at the same gain, so only the excerpt's own level
    differs, and that difference is measured in Python, over the whole (`estimate`).
    Where the brackets go is guessed first (`estimate`), so they are measured in the same
    pass as the speech itself; a guess that proves wrong is measured again, where the
    measurement of the speech puts them.
    """
    sample = excerpt(pcm, rate, pcm.with_suffix(".excerpt.pcm"))
    guess = estimate(sample, rate)
    whole_guess = estimate(pcm, rate) if sample != pcm else guess
    make_up_guess = TYPICAL_MAKE_UP_DB
    if make_up_db is not None and make_up_db.done():
        make_up_guess = make_up_db.result()
    guessed = _brackets(
        whole_guess.integrated_lufs, whole_guess.sample_peak_db, target_lufs + make_up_guess
    )
    chains = ["", *(limiter_chain(g, out_rate) for g in guessed)]
    first, *limited = measure_each(pcm_input(sample, rate), chains, timeout)
    part = None
    if sample != pcm:
        # A long episode: only the excerpt goes through ffmpeg. The whole is as much
        # louder than the excerpt as its unweighted gated level says (TTS speech is one
        # voice throughout: K-weighting does not change the difference), and its peak
        # is the peak of its samples.
        part = first
        level = part.integrated_lufs + whole_guess.integrated_lufs - guess.integrated_lufs
        first = Measurement(level, whole_guess.sample_peak_db)
    if make_up_db is not None:
        target_lufs += make_up_db.result()
    if first.integrated_lufs <= SILENT_LUFS or math.isinf(first.sample_peak_db):
        return LoudnessPlan(0.0, first, False, first.integrated_lufs)
    linear = min(MAX_GAIN_DB, target_lufs - first.integrated_lufs)
    over = first.sample_peak_db + linear - LIMIT_DBFS
    if over <= 0:  # the limiter will not touch it: a linear gain is exact
        return LoudnessPlan(linear, first, False, first.integrated_lufs + linear)
    offset = first.integrated_lufs - part.integrated_lufs if part else 0.0
    brackets = _brackets(first.integrated_lufs, first.sample_peak_db, target_lufs)
    near = [abs(g - b) <= BRACKET_SLACK_DB for g, b in zip(guessed, brackets, strict=False)]
    if guessed and all(near):
        # The guess put them near where the measurement would have: they will do.
        lufs = [offset + m.integrated_lufs for m in limited]
        return _through_brackets(guessed, lufs, first, linear, over, target_lufs)
    chains = [limiter_chain(g, out_rate) for g in brackets]
    lufs = [
        offset + m.integrated_lufs for m in measure_each(pcm_input(sample, rate), chains, timeout)
    ]
    return _through_brackets(brackets, lufs, first, linear, over, target_lufs)


def _brackets(level_lufs: float, peak_db: float, target_lufs: float) -> tuple[float, ...]:
    """Two gains that bracket the one bringing speech at `level_lufs` with peaks at
    `peak_db` to `target_lufs` through the limiter; none when the limiter has no work."""
    if level_lufs <= SILENT_LUFS or math.isinf(peak_db):
        return ()
    linear = min(MAX_GAIN_DB, target_lufs - level_lufs)
    over = peak_db + linear - LIMIT_DBFS
    if over <= 0:
        return ()
    return (linear + 0.35 * over, linear + 0.8 * over)


def _through_brackets(
    gains: tuple[float, ...],
    lufs: list[float],
    first: Measurement,
    linear: float,
    over: float,
    target_lufs: float,
) -> LoudnessPlan:
    """The gain at which the line through the two bracket measurements reaches
    `target_lufs`, kept from `linear` (no limiting) to 6 dB past `over`."""
    (low, high), (at_low, at_high) = gains, lufs
    slope = max(0.1, (at_high - at_low) / (high - low))
    best = low + (target_lufs - at_low) / slope
    best = min(MAX_GAIN_DB, max(linear, min(best, linear + over + 6.0)))
    return LoudnessPlan(best, first, True, at_low + (best - low) * slope)


def _audioop() -> Any:
    """The audioop module (pydub's too): in the standard library until 3.13, from the
    audioop-lts package after; its deprecation warning is pydub's business, not ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop
    return audioop
