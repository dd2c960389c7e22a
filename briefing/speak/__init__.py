"""Speak stage: text-to-speech engines behind one interface, chosen by name.

The registry names each engine's class as "module:Class" and imports it only when it is
asked for: listing the engines (`--help`, config checks) loads none of them. The engine
`auto` (the default) is the most natural engine installed: each engine class says how
natural it sounds (`Engine.naturalness`) and `check()` says whether it can run here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from briefing.errors import BriefingError, MissingDependencyError, UnknownEngineError
from briefing.settings import ENGINE_AUTO, SpeechSettings
from briefing.speak.base import Engine, Voice, split_for_speech

ENGINES: dict[str, str | type[Engine]] = {
    "pyttsx3": "briefing.speak.pyttsx3_engine:Pyttsx3Engine",
    "espeak-ng": "briefing.speak.espeak:EspeakNgEngine",
    "piper": "briefing.speak.piper_engine:PiperEngine",  # optional extra: '.[piper]'
    "kokoro": "briefing.speak.kokoro_engine:KokoroEngine",  # '.[kokoro]' + its model
    # apt-get install festival festvox-us-slt-hts
    "festival": "briefing.speak.festival:FestivalEngine",
}


def engine_names() -> list[str]:
    """What the engine setting accepts: auto, then every registered engine."""
    return [ENGINE_AUTO, *sorted(ENGINES)]


def check_engine_name(name: str) -> None:
    """Raise UnknownEngineError unless `name` is auto or a registered engine."""
    if name != ENGINE_AUTO:
        engine_class(name)


def engine_class(name: str) -> type[Engine]:
    """The class registered as `name`; an unknown name lists the choices."""
    try:
        found = ENGINES[name]
    except KeyError:
        raise UnknownEngineError(
            f"unknown engine {name!r}; choose one of: {', '.join(engine_names())}"
        ) from None
    if isinstance(found, str):
        module, _, cls = found.partition(":")
        found = getattr(importlib.import_module(module), cls)
        assert isinstance(found, type) and issubclass(found, Engine)
    return found


def get_engine(
    name: str, voice: str | None = None, rate: int | None = None, timeout_s: float | None = None
) -> Engine:
    """Instantiate engine `name` (at the default rate unless one is given)."""
    rate = SpeechSettings().rate if rate is None else rate
    if name == ENGINE_AUTO:
        name = choose_engine(SpeechSettings(engine=name, voice=voice, rate=rate)).engine
    return engine_class(name)(voice=voice, rate=rate, timeout_s=timeout_s)


def make_engine(speech: SpeechSettings) -> Engine:
    """The engine the [speech] settings choose (`auto`: see `choose_engine`)."""
    return get_engine(speech.engine, speech.voice, speech.rate, speech.timeout)


@dataclass(frozen=True)
class Choice:
    """The engine a setting means, and why: what `doctor` and `voices` report."""

    engine: str
    reason: str


def choose_engine(speech: SpeechSettings) -> Choice:
    """`auto`: the most natural engine that can run here; any other name: itself."""
    if speech.engine != ENGINE_AUTO:
        engine_class(speech.engine)
        return Choice(speech.engine, "named in the settings")
    ranked = sorted(ENGINES, key=lambda n: -engine_class(n).naturalness)
    passed_over: list[str] = []
    for name in ranked:
        cls = engine_class(name)
        if cls.naturalness <= 0:
            continue  # never chosen unasked (test engines)
        try:
            cls(None, speech.rate).check()
        except BriefingError as exc:
            passed_over.append(f"{name} cannot run here: {exc}")
            continue
        reason = "the most natural engine installed"
        if passed_over:
            reason += " (" + "; ".join(passed_over) + ")"
        return Choice(name, reason)
    raise MissingDependencyError(
        "no speech engine can run here; " + "; ".join(passed_over) + ". `briefing doctor` "
        "says how to install one (./setup.sh installs Piper, or --light espeak-ng)"
    )


__all__ = [
    "ENGINES",
    "Choice",
    "Engine",
    "Voice",
    "check_engine_name",
    "choose_engine",
    "engine_class",
    "engine_names",
    "get_engine",
    "make_engine",
    "split_for_speech",
]
