"""Who reads what: stories in their own language, anchors taking turns, the lexicon,
`briefing say`; and each sentence's time, from the engine's audio to the episode."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from briefing.assemble import AudioPart, Joined, cues_for
from briefing.cli import cli
from briefing.models import Cue, Problem, Story
from briefing.script import render_script
from briefing.settings import SpeechSettings
from briefing.speak.segments import Voices, speak_segments, time_sentences
from tests.conftest import FakeEngine
from tests.helpers import write_article

DATE = dt.date(2026, 11, 24)


class Polyglot(FakeEngine):
    """Speaks German (and English); no French voice."""

    name = "polyglot"
    naturalness = 50

    def voice_for_language(self, code: str) -> str | None:
        return {"de": "poly-de", "en": "poly-en"}.get(code)


class Parisian(FakeEngine):
    """Another installed engine: the only one with a French voice."""

    name = "parisian"
    naturalness = 5
    made: ClassVar[int] = 0

    def voice_for_language(self, code: str) -> str | None:
        return "paris-fr" if code == "fr" else None


@pytest.fixture
def engines(monkeypatch: pytest.MonkeyPatch) -> type[Polyglot]:
    # Only these: no real engine may be found for a language.
    monkeypatch.setattr(
        "briefing.speak.ENGINES", {"polyglot": Polyglot, "parisian": Parisian, "fake": FakeEngine}
    )
    FakeEngine.calls, FakeEngine.voices_used = [], []
    return Polyglot


STORIES = [
    Story("Council passes budget", ("The council approved the budget on Monday.",), ("City",)),
    Story(
        "Berlin eröffnet den neuen Flughafen",
        ("Der Flughafen wurde am Montag eröffnet.", "Er kostete viele Milliarden Euro."),
        ("DW",),
        language="de",
    ),
    Story("Paris ouvre une gare", ("La gare a ouvert lundi matin.",), ("RFI",), language="fr"),
    Story("Lisboa abre um museu", ("O museu abriu na segunda-feira.",), language="pt"),
]


def speak(tmp_path: Path, speech: SpeechSettings) -> tuple[list, list[Problem]]:
    script = render_script(STORIES, DATE)
    engine = Polyglot(None, speech.rate)
    return speak_segments(engine, script.segments, tmp_path, speech, lambda *a: None)


def said_by(voice: str | None) -> list[str]:
    return [t for t, v in zip(FakeEngine.calls, FakeEngine.voices_used, strict=True) if v == voice]


def test_each_story_is_read_in_its_language_and_the_template_in_the_briefings(
    tmp_path: Path, engines: object
) -> None:
    spoken, problems = speak(tmp_path, SpeechSettings(engine="polyglot", workers=1))
    german = " ".join(said_by("poly-de"))
    assert "Der Flughafen wurde am Montag eröffnet." in german
    assert "Next" not in german and "from DW" not in german  # the template's words: English
    assert "La gare a ouvert lundi matin." in " ".join(said_by("paris-fr"))
    anchor = " ".join(said_by(None))  # the engine's own voice
    assert "Next, from DW:" in anchor and "Good morning" in anchor
    # No Portuguese voice anywhere: the anchor reads it, and says so once.
    assert "O museu abriu" in anchor
    assert [p.where for p in problems] == ["language pt"]
    voices = {seg.title: audio.voices for seg, audio in spoken}
    assert voices["Berlin eröffnet den neuen Flughafen"] == ("polyglot default", "polyglot poly-de")
    assert voices["Paris ouvre une gare"] == ("polyglot default", "parisian paris-fr")


def test_a_language_can_be_mapped_to_a_voice_or_skipped(tmp_path: Path, engines: object) -> None:
    speech = SpeechSettings(
        engine="polyglot", workers=1, languages={"pt": "parisian:lisboa", "fr": "skip"}
    )
    spoken, problems = speak(tmp_path, speech)
    assert "O museu abriu na segunda-feira." in " ".join(said_by("lisboa"))
    assert "Paris ouvre une gare" not in [seg.title for seg, _ in spoken]
    assert any(
        p.where == "story 'Paris ouvre une gare'" and "left out: in fr" in p.message
        for p in problems
    )


def test_story_languages_off_reads_everything_with_the_anchor(
    tmp_path: Path, engines: object
) -> None:
    speak(tmp_path, SpeechSettings(engine="polyglot", workers=1, story_languages=False))
    assert set(FakeEngine.voices_used) == {None}


def test_two_anchors_take_turns_by_story(tmp_path: Path, engines: object) -> None:
    speech = SpeechSettings(engine="polyglot", workers=1, voices=("ana", "ben"))
    spoken, _ = speak(tmp_path, speech)
    first_voice = {seg.title: audio.voices[0] for seg, audio in spoken}
    assert first_voice["Introduction"] == first_voice["Sign-off"] == "polyglot ana"
    assert first_voice["Council passes budget"] == "polyglot ana"  # story 0
    assert first_voice["Berlin eröffnet den neuen Flughafen"] == "polyglot ben"  # "Also today"
    assert first_voice["Lisboa abre um museu"] == "polyglot ben"  # story 3


def test_the_anchor_for_the_greeting_is_the_first_voice(engines: object) -> None:
    voices = Voices(Polyglot(None, 175), SpeechSettings(voices=("a", "b")), "en-GB")
    assert [voices.anchor(i).voice for i in (-1, 0, 1, 2)] == ["a", "a", "b", "a"]
    assert voices.for_run("en-US", 1).voice == "b"  # English in an English briefing


def test_sentences_are_timed_at_the_pauses_between_them() -> None:
    from pydub import AudioSegment
    from pydub.generators import Sine

    tone = Sine(220).to_audio_segment
    quiet = AudioSegment.silent
    # 0.2 s lead, a 1.2 s sentence, 0.4 s pause, a 2.8 s sentence, 0.3 s tail.
    audio = quiet(200) + tone(1200) + quiet(400) + tone(2800) + quiet(300)
    # By its share of the text (a quarter) the first sentence would end at 1.3 s; the
    # pause between them (1.4 to 1.8 s) says where it does.
    timed = time_sentences(
        audio.raw_data, audio.frame_rate, [("One.", "x" * 20), ("Two.", "y" * 60)]
    )
    (a, a_start, a_end), (b, b_start, b_end) = timed
    assert (a, b) == ("One.", "Two.")
    assert a_start == pytest.approx(0.2, abs=0.02)
    assert a_end == b_start == pytest.approx(1.6, abs=0.03)
    assert b_end == pytest.approx(4.6, abs=0.02)


def test_cues_move_into_the_episode_with_the_trim_and_the_intro(tmp_path: Path) -> None:
    parts = [
        AudioPart(tmp_path / "a.wav", "A", 1000, (Cue(0.3, 1.0, "One."),)),
        AudioPart(tmp_path / "b.wav", "B", 0, (Cue(0.2, 0.9, "Two."), Cue(0.9, 9.0, "Three."))),
    ]
    rate = 1000  # samples per second, to read the numbers as milliseconds
    joined = Joined(
        rate,
        tmp_path / "speech.pcm",
        starts=(0, 2000),
        speech_samples=3500,
        trimmed_ms=(250, 150),
        kept_ms=(1000, 1500),
        intro_samples=500,
    )
    assert cues_for(parts, joined) == (
        Cue(0.55, 1.25, "One."),  # 0.5 intro + 0.3 - 0.25 trimmed
        Cue(2.55, 3.25, "Two."),  # 0.5 + 2.0 + 0.2 - 0.15
        Cue(3.25, 4.0, "Three."),  # cut at the end of what was kept
    )


def test_a_run_writes_a_timed_transcript_and_who_read_each_story(
    project: Path, fake_engine: object
) -> None:
    write_article(
        project / "seeds",
        "de.txt",
        "Berlin eröffnet den neuen Flughafen",
        "Der neue Flughafen der Hauptstadt wurde am Montag nach vielen Jahren eröffnet. "
        "Die Eröffnung war mehrfach verschoben worden, weil es Probleme beim Brandschutz gab. "
        "Die Kosten sind auf mehrere Milliarden Euro gestiegen, wie die Betreiber sagten.",
    )
    # A German voice of the fake engine's own, so no real engine is looked for.
    (project / "briefing.toml").write_text('[speech]\nlanguages = { de = "fake/de" }\n')
    result = CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", "2026-11-24"])
    assert result.exit_code == 0, result.output
    out = project / "output"
    meta = json.loads((out / "briefing-2026-11-24.json").read_text())
    by_headline = {s["headline"]: s for s in meta["stories"]}
    assert by_headline["Berlin eröffnet den neuen Flughafen"]["language"] == "de"
    assert by_headline["Berlin eröffnet den neuen Flughafen"]["voice"] == (
        "fake default + fake fake/de"
    )
    starts = [c["start_s"] for c in meta["cues"]]
    assert starts == sorted(starts) and len(starts) >= 8
    assert all(c["end_s"] >= c["start_s"] for c in meta["cues"])
    vtt = (out / "briefing-2026-11-24.vtt").read_text()
    assert vtt.startswith("WEBVTT")
    assert "Der neue Flughafen der Hauptstadt wurde am Montag" in vtt
    assert re.search(r"\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\nGood morning", vtt)
    assert 'type="text/vtt"' in (out / "feed.xml").read_text()


def test_say_speaks_a_phrase_with_the_lexicon(tmp_path: Path, fake_engine: object) -> None:
    lexicon = tmp_path / "mine.toml"
    lexicon.write_text('Gdansk = "Guh-dansk"\nbad = 3\n', encoding="utf-8")
    out = tmp_path / "x.wav"
    result = CliRunner().invoke(
        cli,
        ["say", "Scholz flew to Gdansk.", "--engine", "fake", "--lexicon", str(lexicon),
         "--to", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out) and out.stat().st_size > 1000
    assert "said: Sholts flew to Guh-dansk." in result.stderr  # built-in, then mine
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert "mine.toml" in warning and "bad" in warning
    assert FakeEngine.calls == ["Sholts flew to Guh-dansk."]


def test_the_builtin_lexicon_can_be_turned_off(project: Path, fake_engine: object) -> None:
    (project / "briefing.toml").write_text("[speech]\nbuiltin_lexicon = false\n")
    result = CliRunner().invoke(cli, ["say", "Scholz spoke.", "--engine", "fake"])
    assert result.exit_code == 0, result.output
    assert FakeEngine.calls == ["Scholz spoke."]


def test_the_chapters_file_has_every_chapter_of_the_mp3(project: Path, fake_engine: object) -> None:
    result = CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", "2026-11-24"])
    assert result.exit_code == 0, result.output
    out = project / "output"
    chapters = json.loads((out / "briefing-2026-11-24.chapters.json").read_text())["chapters"]
    meta = json.loads((out / "briefing-2026-11-24.json").read_text())
    assert [c["title"] for c in chapters] == ["Introduction", "Council passes budget", "Sign-off"]
    assert [c["startTime"] for c in chapters] == [c["start_s"] for c in meta["chapters"]]
    assert chapters[1]["startTime"] == meta["stories"][0]["start_s"]


def test_kokoro_says_its_own_builtin_respellings() -> None:
    # bench.lexicon --engine kokoro --candidates: Kokoro heard "Mertz" best, the others
    # "Mairts"; "Kahlas" does not help Kokoro, "Sholts" helps every engine.
    from briefing.normalize.lexicon import builtin_lexicon

    builtin = builtin_lexicon()
    said = "Merz, Kallas and Scholz"
    assert builtin.for_engine("kokoro").apply(said) == "Mertz, Kallas and Sholts"
    assert builtin.for_engine("piper").apply(said) == "Mairts, Kahlas and Sholts"
