"""The Festival engine: real speech where festival is installed (CI installs it)."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import MissingDependencyError, SpeechError, UsageError
from briefing.speak import engine_class, festival, get_engine
from tests.helpers import needs_festival, needs_ffmpeg, write_article


def _seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def _peak(path: Path) -> int:
    with wave.open(str(path), "rb") as w:
        frames = w.readframes(w.getnframes())
    return max(abs(int.from_bytes(frames[i : i + 2], "little", signed=True))
               for i in range(0, len(frames), 2))  # fmt: skip


def test_festival_is_registered() -> None:
    assert engine_class("festival") is festival.FestivalEngine


def test_missing_festival_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(
        MissingDependencyError, match=r"apt-get install festival festvox-us-slt-hts"
    ):
        get_engine("festival").check()


@pytest.mark.parametrize(
    ("rate", "speed"),
    [(174, 1.0), (348, 2.0), (87, 0.5), (1000, 2.5), (10, 0.5)],
)
def test_rate_maps_to_a_bounded_speed(rate: int, speed: float) -> None:
    assert get_engine("festival", rate=rate).speed() == pytest.approx(speed, abs=0.01)


def test_text_is_made_ascii_for_festival() -> None:
    assert (
        festival.festival_text("São Paulo’s “mayor” — Zürich") == 'Sao Paulo\'s "mayor" ,  Zurich'
    )
    assert festival.festival_text("北京 \ud800 ok") == "  ok"


@pytest.mark.slow
@pytest.mark.parametrize("rate", [140, 220])
@needs_festival
def test_festival_speaks_at_the_chosen_rate(tmp_path: Path, rate: int) -> None:
    text = " ".join(
        ["The council met on Monday. It approved the budget after a long debate."] * 6
    )  # 78 words
    with get_engine("festival", rate=rate) as engine:
        engine.check()
        engine.render(text, tmp_path / "a.wav")
    assert 78 / rate * 60 * 0.8 < _seconds(tmp_path / "a.wav") < 78 / rate * 60 * 1.25
    assert _peak(tmp_path / "a.wav") > 3000, "audible speech, not silence"


@needs_festival
def test_festival_reads_text_never_runs_it(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    # Scheme and options in the text: spoken as words, never evaluated or parsed.
    text = f'--help -o /etc/passwd ") (system "touch {marker}") (quit) ("'
    with get_engine("festival") as engine:
        engine.render(text, tmp_path / "x.wav")
    assert _seconds(tmp_path / "x.wav") > 1.0
    assert not marker.exists()


@needs_festival
def test_festival_voice_names_are_checked_before_any_scheme(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(UsageError, match="Festival has no voice"):
        get_engine("festival", voice=f'x) (system "touch {marker}"').check()
    engine = get_engine("festival")
    with pytest.raises(UsageError, match="no voice 'kal_nope'"):
        engine.render("Hello.", tmp_path / "a.wav", voice="kal_nope")
    assert not marker.exists()


@needs_festival
def test_festival_voices_and_languages() -> None:
    engine = get_engine("festival")
    voices = engine.voices()
    assert festival.DEFAULT_VOICE in {v.id for v in voices}
    assert engine.voice_for_language("en") == festival.DEFAULT_VOICE
    assert engine.voice_for_language("en-GB") == festival.DEFAULT_VOICE
    assert engine.voice_for_language("de") is None  # English only
    assert engine.anchor_voices("en")[0] == festival.DEFAULT_VOICE


@needs_festival
def test_festival_timeout_is_a_speech_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(festival, "call_timeout", lambda text: 0.01)
    with pytest.raises(SpeechError, match="did not finish"):
        get_engine("festival").render("This one takes too long.", tmp_path / "late.wav")


@pytest.mark.slow
@needs_festival
@needs_ffmpeg
def test_briefing_run_with_festival_end_to_end(tmp_path: Path) -> None:
    write_article(tmp_path / "in", "a.txt", "Council passes budget", source="City Daily")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "run",
            "--input",
            str(tmp_path / "in"),
            "--output",
            str(out),
            "--date",
            "2026-11-24",
            "--engine",
            "festival",
        ],
    )
    assert result.exit_code == 0, result.output
    mp3 = out / "briefing-2026-11-24.mp3"
    assert mp3.stat().st_size > 20_000
    from tests.helpers import ffprobe_duration

    assert ffprobe_duration(mp3) > 15  # greeting, the story and the sign-off, spoken
