"""Speak stage: text-to-speech engines behind one interface, chosen by name.

The registry names each engine's class as "module:Class" and imports it only when it is
asked for: listing the engines (`--help`, config checks) loads none of them.
"""

from __future__ import annotations

import importlib

from briefing.errors import UnknownEngineError
from briefing.settings import SpeechSettings
from briefing.speak.base import Engine, Voice, split_for_speech

ENGINES: dict[str, str | type[Engine]] = {
    "pyttsx3": "briefing.speak.pyttsx3_engine:Pyttsx3Engine",
    "espeak-ng": "briefing.speak.espeak:EspeakNgEngine",
    "piper": "briefing.speak.piper_engine:PiperEngine",  # optional extra: '.[piper]'
}


def engine_class(name: str) -> type[Engine]:
    """The class registered as `name`; an unknown name lists the choices."""
    try:
        found = ENGINES[name]
    except KeyError:
        raise UnknownEngineError(
            f"unknown engine {name!r}; choose one of: {', '.join(sorted(ENGINES))}"
        ) from None
    if isinstance(found, str):
        module, _, cls = found.partition(":")
        found = getattr(importlib.import_module(module), cls)
        assert isinstance(found, type) and issubclass(found, Engine)
    return found


def get_engine(name: str, voice: str | None = None, rate: int | None = None) -> Engine:
    """Instantiate engine `name` (at the default rate unless one is given)."""
    return engine_class(name)(voice=voice, rate=SpeechSettings().rate if rate is None else rate)


def make_engine(speech: SpeechSettings) -> Engine:
    """The engine the [speech] settings choose."""
    return get_engine(speech.engine, speech.voice, speech.rate)


__all__ = [
    "ENGINES",
    "Engine",
    "Voice",
    "engine_class",
    "get_engine",
    "make_engine",
    "split_for_speech",
]
