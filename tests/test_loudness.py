"""Loudness planning in fewer ffmpeg passes: several meters in one pass, brackets placed
by a Python guess, and a second pass only when the guess is wrong."""

from __future__ import annotations

import subprocess
from concurrent.futures import Future
from pathlib import Path

import pytest

from briefing.audio import loudness
from briefing.audio.ffmpeg import pcm_input
from tests.helpers import BODY, needs_espeak, needs_ffmpeg

pytestmark = needs_ffmpeg


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 40 s of espeak-ng speech as raw PCM, 22,050 Hz (its tests need espeak-ng)."""
    d = tmp_path_factory.mktemp("speech")
    subprocess.run(
        ["espeak-ng", "-s", "175", "-w", str(d / "s.wav"), "--stdin"],
        input=(BODY + " ").encode() * 2,
        check=True,
    )
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(d / "s.wav"), "-f", "s16le", "-ac", "1",
         "-ar", "22050", str(d / "s.pcm")],
        check=True,
    )  # fmt: skip
    return d / "s.pcm"


def _made_up(db: float) -> Future[float]:
    future: Future[float] = Future()
    future.set_result(db)
    return future


@needs_espeak
def test_one_pass_measures_as_separate_passes_do(speech: Path) -> None:
    inputs = pcm_input(speech, 22050)
    chains = ["", loudness.limiter_chain(6.0, 44100), loudness.limiter_chain(9.0, 44100)]
    together = loudness.measure_each(inputs, chains)
    apart = [loudness.measure(inputs, chain) for chain in chains]
    assert together == apart
    assert together[1].integrated_lufs < together[2].integrated_lufs  # more gain, louder


@needs_espeak
def test_the_guess_is_close_to_the_measurement(speech: Path) -> None:
    guess = loudness.estimate(speech, 22050)
    measured = loudness.measure(pcm_input(speech, 22050))
    assert guess.integrated_lufs == pytest.approx(measured.integrated_lufs, abs=0.5)
    assert guess.sample_peak_db == pytest.approx(measured.sample_peak_db, abs=0.1)


@needs_espeak
def test_a_good_guess_plans_in_one_pass_and_a_bad_one_in_two(
    speech: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes: list[int] = []
    real = loudness.measure_each

    def counted(*args, **kwargs):
        passes.append(len(args[1]))
        return real(*args, **kwargs)

    monkeypatch.setattr(loudness, "measure_each", counted)
    good = loudness.plan_gain(speech, 22050, 44100, -16.0, _made_up(0.45))
    assert passes == [3]  # the speech and both brackets, at once
    assert good.limited and good.expected_lufs == pytest.approx(-15.55, abs=0.05)
    passes.clear()
    monkeypatch.setattr(loudness, "estimate", lambda pcm, rate: loudness.Measurement(-40.0, -0.4))
    bad = loudness.plan_gain(speech, 22050, 44100, -16.0, _made_up(0.45))
    assert passes == [3, 2]  # the guessed brackets were far off: measured again
    assert bad.expected_lufs == pytest.approx(-15.55, abs=0.05)
    assert bad.gain_db == pytest.approx(good.gain_db, abs=0.3)


@needs_espeak
def test_a_long_episode_is_measured_on_its_excerpt_and_reaches_the_target(
    speech: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long = tmp_path / "long.pcm"  # past the 2-minute excerpt: quieter in its second half
    quiet = subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "s16le", "-ac", "1", "-ar", "22050", "-i", str(speech),
         "-af", "volume=-3dB", "-f", "s16le", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    long.write_bytes(speech.read_bytes() * 3 + quiet * 3)
    read: list[int] = []
    real = loudness.measure_each

    def counted(inputs, chains, timeout=None):
        read.append(Path(inputs[inputs.index("-i") + 1]).stat().st_size)
        return real(inputs, chains, timeout)

    monkeypatch.setattr(loudness, "measure_each", counted)
    plan = loudness.plan_gain(long, 22050, 44100, -16.0, _made_up(0.45))
    excerpt_bytes = loudness.EXCERPT_WINDOWS * int(loudness.WINDOW_S * 22050) * 2
    assert long.stat().st_size > 2 * excerpt_bytes
    assert read == [excerpt_bytes]  # one pass, over the excerpt only
    monkeypatch.setattr(loudness, "measure_each", real)
    reached = loudness.measure(pcm_input(long, 22050), loudness.limiter_chain(plan.gain_db, 44100))
    assert reached.integrated_lufs == pytest.approx(-15.55, abs=0.3)


def test_silence_is_left_alone(tmp_path: Path) -> None:
    pcm = tmp_path / "quiet.pcm"
    pcm.write_bytes(b"\0\0" * 22050 * 3)
    assert loudness.estimate(pcm, 22050).integrated_lufs == float("-inf")
    plan = loudness.plan_gain(pcm, 22050, 44100, -16.0, _made_up(0.45))
    assert plan.gain_db == 0.0 and not plan.limited
