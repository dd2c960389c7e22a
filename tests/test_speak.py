import wave
from pathlib import Path

import pytest

from briefing.errors import MissingDependencyError, SpeechError, UnknownEngineError, UsageError
from briefing.speak import ENGINES, get_engine, piper_engine, split_for_speech
from briefing.speak.base import Voice, check_wav, join_wavs, rank_voices
from tests.helpers import HAVE_PIPER, needs_espeak, needs_piper


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def test_registry_and_unknown_engine() -> None:
    assert {"pyttsx3", "espeak-ng", "piper"} <= set(ENGINES)
    with pytest.raises(UnknownEngineError, match=r"choose one of: .*espeak-ng.*piper.*pyttsx3"):
        get_engine("nope")


def test_split_for_speech_respects_limit_and_keeps_every_word() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(200))
    chunks = split_for_speech(text, max_words=50)
    assert all(len(c.split()) <= 50 for c in chunks)
    assert " ".join(chunks).split() == text.split()
    # Never cut inside a sentence when sentences fit.
    assert all(c.endswith(".") for c in chunks)


def test_split_for_speech_cuts_a_giant_sentence() -> None:
    text = "word " * 1234
    chunks = split_for_speech(text, max_words=250)
    assert [len(c.split()) for c in chunks] == [250, 250, 250, 250, 234]


def test_check_wav_rejects_missing_and_empty(tmp_path: Path) -> None:
    with pytest.raises(SpeechError):
        check_wav(tmp_path / "absent.wav")
    empty = tmp_path / "empty.wav"
    with wave.open(str(empty), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
    with pytest.raises(SpeechError, match="empty"):
        check_wav(empty)


def test_fake_engine_render_joins_chunks(tmp_path: Path, fake_engine) -> None:
    engine = get_engine("fake", rate=600)
    text = " ".join(f"Sentence {i} goes here now." for i in range(120))  # 600 words
    engine.render(text, tmp_path / "out.wav")
    assert len(fake_engine.calls) == 3
    assert _wav_seconds(tmp_path / "out.wav") == pytest.approx(60.0, rel=0.02)
    assert not list(tmp_path.glob("out.*.wav")), "chunk files are cleaned up"


def test_join_wavs_rejects_mixed_formats(tmp_path: Path) -> None:
    for name, rate in (("a.wav", 22050), ("b.wav", 16000)):
        with wave.open(str(tmp_path / name), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(b"\0\0" * 10)
    with pytest.raises(SpeechError, match="mismatched"):
        join_wavs([tmp_path / "a.wav", tmp_path / "b.wav"], tmp_path / "c.wav")


def test_pyttsx3_rejects_mbrola_voices() -> None:
    with pytest.raises(SpeechError, match="espeak-ng for mbrola"):
        get_engine("pyttsx3", voice="mb/mb-us1")


_REAL_ENGINES = [
    pytest.param("espeak-ng", marks=needs_espeak),
    pytest.param("pyttsx3", marks=needs_espeak),
    pytest.param("piper", marks=needs_piper),
]


@pytest.mark.parametrize("name", _REAL_ENGINES)
@pytest.mark.parametrize("rate", [140, 220])
def test_real_engine_speaks_at_the_chosen_rate(tmp_path: Path, name: str, rate: int) -> None:
    text = " ".join(
        ["The council met on Monday. It approved the budget after a long debate."] * 6
    )  # 78 words
    with get_engine(name, rate=rate) as engine:
        engine.check()
        engine.render(text, tmp_path / "a.wav")
    seconds = _wav_seconds(tmp_path / "a.wav")
    assert 78 / rate * 60 * 0.75 < seconds < 78 / rate * 60 * 1.3


@needs_espeak
def test_pyttsx3_survives_long_text_that_crashes_pyttsx3_directly(tmp_path: Path) -> None:
    # ~2,600 words: a single pyttsx3 call with this segfaults (upstream issue #448).
    text = " ".join(f"Paragraph {i} reports that the council met again today." for i in range(290))
    with get_engine("pyttsx3", rate=450) as engine:
        engine.render(text, tmp_path / "long.wav")
        # A second call on the same engine must not hang (empty runAndWait trap).
        engine.render("And one more short sentence.", tmp_path / "short.wav")
    assert _wav_seconds(tmp_path / "long.wav") > 2600 / 450 * 60 * 0.5
    assert _wav_seconds(tmp_path / "short.wav") > 0.5


@needs_espeak
def test_pyttsx3_worker_crash_is_a_speech_error_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    from briefing.speak import pyttsx3_engine

    engine = get_engine("pyttsx3")
    worker = engine._worker()
    worker.proc.kill()  # simulate a segfault mid-run
    worker.proc.wait()
    # The dead worker is replaced and the text still spoken.
    engine.render("Still here after a crash.", tmp_path / "ok.wav")
    assert _wav_seconds(tmp_path / "ok.wav") > 0.5
    monkeypatch.setattr(pyttsx3_engine, "job_timeout", lambda text: -pyttsx3_engine.START_TIMEOUT_S)
    with pytest.raises(SpeechError, match="did not finish"):
        engine.render("This one times out.", tmp_path / "late.wav")
    engine.close()


@needs_espeak
def test_espeak_text_is_not_an_option(tmp_path: Path) -> None:
    with get_engine("espeak-ng") as engine:
        engine.render("--help -w /etc/passwd", tmp_path / "x.wav")
    assert _wav_seconds(tmp_path / "x.wav") > 0.5


@pytest.mark.parametrize("name", _REAL_ENGINES)
def test_voices_are_listed(name: str) -> None:
    with get_engine(name) as engine:
        ids = {v.id for v in engine.voices()}
    assert any("en" in i for i in ids)


# --- Piper ------------------------------------------------------------------------------


def test_piper_without_the_package_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "piper", None)  # import piper fails
    with pytest.raises(MissingDependencyError, match=r"piper-tts.*pip install .*\[piper\]"):
        get_engine("piper").check()


def test_piper_without_a_voice_model_says_how_to_get_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(piper_engine, "bundled_model", lambda: None)
    engine = get_engine("piper")
    with pytest.raises(MissingDependencyError, match=r"en_US-joe-medium.*\[piper\].*--voice"):
        engine.model_path()


def test_piper_voice_must_be_a_model_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"not a \.onnx model file"):
        get_engine("piper", voice=str(tmp_path / "missing.onnx")).model_path()
    model = tmp_path / "mine.onnx"
    model.write_bytes(b"onnx")
    assert get_engine("piper", voice=str(model)).model_path() == model
    if HAVE_PIPER:  # a model needs its .onnx.json beside it
        with pytest.raises(UsageError, match=r"mine\.onnx\.json"):
            get_engine("piper", voice=str(model)).check()


def test_piper_rate_maps_to_length_scale() -> None:
    natural = piper_engine.NATURAL_WPM
    assert get_engine("piper", rate=round(natural)).length_scale() == pytest.approx(1.0, abs=0.01)
    assert get_engine("piper", rate=round(natural * 2)).length_scale() == pytest.approx(
        0.5, abs=0.01
    )
    assert get_engine("piper", rate=450).length_scale() == 0.5  # clamped: still intelligible
    # Speech takes time inversely to its rate: half the words a minute, twice as long.
    slow, fast = (get_engine("piper", rate=r).length_scale() for r in (100, 200))
    assert slow > 1.0 and slow == pytest.approx(2 * fast)
    assert get_engine("piper", rate=20).length_scale() == 2.0  # clamped at the slow end too


@needs_piper
def test_piper_bundled_voice_renders_a_briefing_paragraph(tmp_path: Path) -> None:
    with get_engine("piper", voice="en_US-joe-medium", rate=175) as engine:
        engine.check()
        engine.render("Good morning. Here is the news. " * 3, tmp_path / "p.wav")
        assert engine.model_path().name == "en_US-joe-medium.onnx"
    with wave.open(str(tmp_path / "p.wav"), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
        frames = w.readframes(w.getnframes())
    assert max(abs(int.from_bytes(frames[i : i + 2], "little", signed=True))
               for i in range(0, len(frames), 2)) > 3000, "audible speech, not silence"  # fmt: skip


def test_pyttsx3_worker_tells_an_empty_wav_from_a_finished_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.speak import _pyttsx3_worker as worker

    monkeypatch.setattr(worker, "EMPTY_AFTER_S", 0.1)  # shorter waits, the same order
    wav = tmp_path / "a.wav"
    wav.write_bytes(b"RIFF" + b"\0" * 40)  # the 44-byte header pyttsx3 sometimes leaves
    assert worker._wait_for_wav(str(wav), [True, False]) == worker.EMPTY
    wav.write_bytes(b"\0" * 4000)
    assert worker._wait_for_wav(str(wav), [True]) == worker.OK
    monkeypatch.setattr(worker, "WAIT_FOR_FILE_S", 0.15)
    assert worker._wait_for_wav(str(tmp_path / "never.wav"), []) == worker.TIMEOUT
    assert worker._wait_for_wav(str(wav), []) == worker.TIMEOUT  # no finished event


def test_pyttsx3_worker_speaks_json_lines() -> None:
    import io

    from briefing.speak._pyttsx3_worker import JsonLines

    out = io.StringIO()
    conn = JsonLines(io.StringIO('["Hello \\u201cthere\\u201d", "/x.wav", null, 175]\n'), out)
    assert conn.recv() == ["Hello “there”", "/x.wav", None, 175]
    conn.send(("ok", "/x.wav"))
    assert out.getvalue() == '["ok", "/x.wav"]\n'
    with pytest.raises(EOFError):
        conn.recv()


# --- Voices per call and per language ----------------------------------------------------

_VOICES = [
    Voice("gmw/en-029", "English (Caribbean)", ("en-029", "en")),
    Voice("gmw/en", "English (Great Britain)", ("en-gb", "en")),
    Voice("gmw/en-us", "English (America)", ("en-us", "en")),
    Voice("roa/fr-be", "French (Belgium)", ("fr-be",)),
    Voice("roa/fr", "French (France)", ("fr-fr",)),
    Voice("gmw/de", "German", ("de",)),
]


@pytest.mark.parametrize(
    ("code", "preferred", "first"),
    [
        ("de", None, "gmw/de"),
        ("DE_de", None, "gmw/de"),  # any spelling of a code
        ("fr", None, "roa/fr"),  # the home region before Belgium
        ("fr-CA", None, "roa/fr"),
        ("en", None, "gmw/en-029"),  # listed for "en": voice order decides
        ("en-US", None, "gmw/en-us"),
        ("en", "gmw/en-us", "gmw/en-us"),  # the engine's own voice wins
        ("en-GB", "gmw/en-us", "gmw/en-us"),
        ("de", "gmw/en-us", "gmw/de"),  # ... only for its language
        ("sv", None, None),
        ("", None, None),
    ],
)
def test_rank_voices(code: str, preferred: str | None, first: str | None) -> None:
    ranked = rank_voices(_VOICES, code, preferred)
    assert (ranked[0] if ranked else None) == first
    assert len(ranked) == len(set(ranked))


def test_render_voice_override_reaches_every_chunk(tmp_path: Path, fake_engine) -> None:
    engine = get_engine("fake", voice="fake/one", rate=600)
    text = " ".join(f"Sentence {i} goes here now." for i in range(120))  # 3 chunks
    engine.render(text, tmp_path / "a.wav", voice="fake/two")
    engine.render("Short.", tmp_path / "b.wav")
    assert fake_engine.voices_used == ["fake/two"] * 3 + ["fake/one"]


def test_generic_voice_for_language_uses_the_voice_list(fake_engine) -> None:
    engine = get_engine("fake")
    assert engine.voice_for_language("en") == "fake/one"
    assert engine.voice_for_language("de") is None
    assert engine.anchor_voices("en") == ["fake/one"]  # one voice: no alternation


def _pcm(path: Path) -> bytes:
    with wave.open(str(path), "rb") as w:
        return w.readframes(w.getnframes())


GERMAN = "Die Bürgerinnen und Bürger wählen am Sonntag einen neuen Bürgermeister."
FRENCH = "Les électeurs choisiront dimanche un nouveau maire pour la ville."


@needs_espeak
@pytest.mark.parametrize("name", ["espeak-ng", "pyttsx3"])
def test_real_engine_speaks_german_and_french_per_call(tmp_path: Path, name: str) -> None:
    with get_engine(name) as engine:
        de, fr = engine.voice_for_language("de"), engine.voice_for_language("fr")
        assert de is not None and fr is not None
        assert engine.voice_for_language("xx") is None
        engine.render(GERMAN, tmp_path / "en1.wav")
        engine.render(GERMAN, tmp_path / "de.wav", voice=de)
        engine.render(GERMAN, tmp_path / "en2.wav")  # the override did not stick
        engine.render(FRENCH, tmp_path / "fr.wav", voice=fr)
        engine.render(FRENCH, tmp_path / "fr-as-en.wav")
    # pyttsx3's audio varies by a few samples between calls: compare lengths. The
    # English voice spells its way through the German and French words; their own
    # voices read them in clearly different time.
    en1, en2 = _wav_seconds(tmp_path / "en1.wav"), _wav_seconds(tmp_path / "en2.wav")
    assert en2 == pytest.approx(en1, rel=0.01), "the override did not stick"
    assert abs(_wav_seconds(tmp_path / "de.wav") / en1 - 1) > 0.05
    fr_as_en = _wav_seconds(tmp_path / "fr-as-en.wav")
    assert abs(_wav_seconds(tmp_path / "fr.wav") / fr_as_en - 1) > 0.05


@needs_espeak
@pytest.mark.parametrize("name", ["espeak-ng", "pyttsx3"])
def test_two_anchor_voices_sound_different(tmp_path: Path, name: str) -> None:
    with get_engine(name) as engine:
        anchors = engine.anchor_voices("en")
        assert len(anchors) == 2 and anchors[0] != anchors[1]
        for i, voice in enumerate(anchors):
            engine.render("Here is the next story.", tmp_path / f"{i}.wav", voice=voice)
    assert _pcm(tmp_path / "0.wav") != _pcm(tmp_path / "1.wav")
    # The second anchor is a higher (female) voice: its waveform crosses zero more often.
    assert _crossings(tmp_path / "1.wav") > _crossings(tmp_path / "0.wav") * 1.03


def _crossings(path: Path) -> float:
    import array
    import itertools

    samples = array.array("h", _pcm(path))
    crossings = sum(
        1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0) and abs(b - a) > 200
    )
    return crossings / len(samples)


def _fake_piper_model(folder: Path, name: str, code: str) -> Path:
    import json

    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    model.write_bytes(b"onnx")
    config = {"language": {"code": code}, "dataset": name.split("-")[1], "audio": {}}
    Path(f"{model}.json").write_text(json.dumps(config), encoding="utf-8")
    return model


@needs_piper
def test_piper_finds_installed_models_by_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    german = _fake_piper_model(tmp_path / "v", "de_DE-thorsten-medium", "de_DE")
    french = _fake_piper_model(tmp_path / "w", "fr_FR-siwis-low", "fr_FR")
    (tmp_path / "v" / "no-config.onnx").write_bytes(b"onnx")  # not a usable model
    monkeypatch.setenv(piper_engine.VOICES_ENV, f"{tmp_path / 'v'}:{tmp_path / 'w'}")
    engine = get_engine("piper")
    assert engine.voice_for_language("de") == str(german)
    assert engine.voice_for_language("fr-CA") == str(french)
    assert engine.voice_for_language("en") == piper_engine.BUNDLED_VOICE
    assert engine.voice_for_language("sv") is None
    assert engine.model_path("de_DE-thorsten-medium") == german  # by name, in a folder
    assert engine.model_path() == piper_engine.bundled_model()
    assert engine.anchor_voices("en") == [piper_engine.BUNDLED_VOICE]


@needs_piper
def test_piper_speaks_with_a_per_call_model(tmp_path: Path) -> None:
    import shutil

    bundled = piper_engine.bundled_model()
    assert bundled is not None
    copy = tmp_path / "copy.onnx"
    shutil.copy(bundled, copy)
    shutil.copy(f"{bundled}.json", f"{copy}.json")
    with get_engine("piper") as engine:
        engine.render("One voice.", tmp_path / "a.wav", voice=str(copy))
        assert copy in engine._loaded and bundled not in engine._loaded
    assert _wav_seconds(tmp_path / "a.wav") > 0.3
