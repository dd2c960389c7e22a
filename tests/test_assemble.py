from pathlib import Path

import pytest

from briefing.assemble import AudioOptions, AudioPart, assemble
from briefing.errors import AudioError, MissingDependencyError
from briefing.speak import get_engine
from tests.helpers import ffprobe_duration, ffprobe_stream, needs_ffmpeg


@needs_ffmpeg
def test_assemble_joins_parts_with_pauses(tmp_path: Path, fake_engine) -> None:
    engine = get_engine("fake", rate=60)
    parts = []
    for i, words in enumerate([2, 3]):  # 2 s and 3 s of tone
        wav = tmp_path / f"{i}.wav"
        engine.synthesize(" ".join(["w"] * words), wav)
        parts.append(AudioPart(wav, f"part {i}", pause_after_ms=1000))
    out = tmp_path / "out" / "x.mp3"
    chapters = assemble(parts, out, AudioOptions(title="T"))
    assert [c.start_ms for c in chapters] == [0, 3000]
    assert chapters[1].end_ms == 6000
    assert ffprobe_duration(out) == pytest.approx(7.0, abs=0.15)
    assert ffprobe_stream(out) == {"codec_name": "mp3", "sample_rate": "44100", "channels": "1"}
    assert [p.name for p in out.parent.iterdir()] == ["x.mp3"], "no temporary file left"


@needs_ffmpeg
def test_bad_wav_is_an_audio_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not a wav")
    with pytest.raises(AudioError, match=r"bad\.wav"):
        assemble([AudioPart(bad, "x")], tmp_path / "x.mp3", AudioOptions())
    assert not (tmp_path / "x.mp3").exists()


def test_missing_ffmpeg_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MissingDependencyError, match="apt-get install ffmpeg"):
        assemble([], tmp_path / "x.mp3", AudioOptions())
