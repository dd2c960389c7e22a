"""bench.lexicon's choice for one engine and the file it writes (no engine, no Whisper)."""

from __future__ import annotations

import pytest

from bench.lexicon import Trial, choose, lexicon_text, main, with_engine_choice
from briefing.normalize.lexicon import parse_lexicon

EVERY = ["espeak-ng", "festival", "kokoro", "piper", "pyttsx3"]
OTHERS = [e for e in EVERY if e != "kokoro"]


def test_an_engines_choice_replaces_only_its_own_respellings() -> None:
    current = {
        "Scholz": dict.fromkeys(EVERY, "Sholts"),  # not tried: unchanged
        "Merz": dict.fromkeys(OTHERS, "Mairts"),
        "Kallas": dict.fromkeys(EVERY, "Kahlas"),  # does not help kokoro: the others' only
        "Kyiv": dict.fromkeys(OTHERS, "Kee-yiv"),
    }
    chosen = {"Merz": "Mertz", "Kallas": None, "Kyiv": None, "Niamey": "Nyah-may", "Fico": None}
    made = with_engine_choice(current, "kokoro", chosen)
    assert "Fico" not in made  # respelt by no engine: no entry
    text = lexicon_text(made, EVERY)
    assert 'Scholz = "Sholts"' in text.splitlines()
    lexicon, problems = parse_lexicon(text, "built-in")
    assert problems == []
    said = "Merz Scholz Kallas Kyiv Niamey Fico"
    assert lexicon.for_engine("kokoro").apply(said) == "Mertz Sholts Kallas Kyiv Nyah-may Fico"
    for engine in OTHERS:
        assert lexicon.for_engine(engine).apply(said) == "Mairts Sholts Kahlas Kee-yiv Niamey Fico"


def test_one_engines_respelling_must_beat_the_name_as_written() -> None:
    original = Trial("Niamey", "Niamey", {"kokoro": 0.6})
    slightly = Trial("Niamey", "Nyah-may", {"kokoro": 0.61})
    clearly = Trial("Niamey", "Nee-ah-may", {"kokoro": 0.9})
    assert choose(original, [slightly]) is None
    assert choose(original, [slightly, clearly]) is clearly


def test_candidates_goes_with_an_engine() -> None:
    with pytest.raises(SystemExit):
        main(["--candidates"])
