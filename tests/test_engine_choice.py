"""The engine `auto`: the most natural engine that can run here, and why."""

from __future__ import annotations

from typing import ClassVar

import pytest

from briefing.errors import MissingDependencyError
from briefing.settings import SpeechSettings
from briefing.speak import ENGINES, choose_engine, get_engine
from tests.conftest import FakeEngine


class Natural(FakeEngine):
    name = "natural"
    naturalness = 90
    broken: ClassVar[bool] = False

    def check(self) -> None:
        if Natural.broken:
            raise MissingDependencyError("the natural voice model is not installed")


class Plain(FakeEngine):
    name = "plain"
    naturalness = 80


@pytest.fixture
def only_fakes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("briefing.speak.ENGINES", {"natural": Natural, "plain": Plain})
    monkeypatch.setattr(Natural, "broken", False)


def test_auto_is_the_default_and_takes_the_most_natural_engine(only_fakes: None) -> None:
    assert SpeechSettings().engine == "auto"
    choice = choose_engine(SpeechSettings())
    assert (choice.engine, choice.reason) == ("natural", "the most natural engine installed")
    assert isinstance(get_engine("auto"), Natural)


def test_auto_passes_over_an_engine_that_cannot_run_and_says_why(only_fakes: None) -> None:
    Natural.broken = True
    choice = choose_engine(SpeechSettings())
    assert choice.engine == "plain"
    assert "natural cannot run here: the natural voice model is not installed" in choice.reason


def test_auto_with_nothing_installed_is_a_missing_dependency(
    only_fakes: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("briefing.speak.ENGINES", {"natural": Natural})
    Natural.broken = True
    with pytest.raises(MissingDependencyError, match="no speech engine can run here"):
        choose_engine(SpeechSettings())


def test_a_named_engine_is_used_as_named(only_fakes: None) -> None:
    assert choose_engine(SpeechSettings(engine="plain")).engine == "plain"


def test_engines_that_sound_better_rank_higher() -> None:
    from briefing.speak import engine_class

    ranks = {name: engine_class(name).naturalness for name in ENGINES}
    assert ranks["kokoro"] > ranks["piper"] > ranks["pyttsx3"] > ranks["espeak-ng"] > 0
    assert FakeEngine.naturalness == 0  # test engines are never chosen unasked


def test_the_engine_facts_are_said_as_the_engines_declare_them() -> None:
    """The settings help (which cannot import the engines) and the generated docs say the
    order `auto` takes, each engine's description and its install line."""
    import dataclasses

    from briefing import docgen
    from briefing.settings import SpeechSettings
    from briefing.speak import auto_order, auto_order_text, engine_class, engine_facts

    order = auto_order()
    assert order[:2] == ["kokoro", "piper"] and order[-1] == "espeak-ng"
    engine = next(f for f in dataclasses.fields(SpeechSettings) if f.name == "engine")
    assert engine.metadata["spec"].help.endswith(auto_order_text())
    readme, engines_md = (docgen.ROOT / "README.md", docgen.DOCS / "engines.md")
    for path in (readme, engines_md):
        assert docgen.generated()[path] == path.read_text(encoding="utf-8"), path
        assert auto_order_text() in path.read_text(encoding="utf-8")
    table = engines_md.read_text(encoding="utf-8")
    for fact in engine_facts():
        assert engine_class(fact.name).description and fact.description in table
        assert fact.install in table
