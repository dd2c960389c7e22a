"""Speak stage: text-to-speech engines behind one interface, chosen by name."""

from __future__ import annotations

from briefing.errors import UnknownEngineError
from briefing.speak.base import Engine, Voice, split_for_speech
from briefing.speak.espeak import EspeakNgEngine
from briefing.speak.festival import FestivalEngine
from briefing.speak.piper_engine import PiperEngine
from briefing.speak.pyttsx3_engine import Pyttsx3Engine

DEFAULT_ENGINE = "pyttsx3"

ENGINES: dict[str, type[Engine]] = {
    Pyttsx3Engine.name: Pyttsx3Engine,
    EspeakNgEngine.name: EspeakNgEngine,
    PiperEngine.name: PiperEngine,  # optional extra: pip install '.[piper]'
    FestivalEngine.name: FestivalEngine,  # apt-get install festival festvox-us-slt-hts
}


def get_engine(name: str = DEFAULT_ENGINE, voice: str | None = None, rate: int = 175) -> Engine:
    """Instantiate engine `name`; an unknown name lists the choices."""
    try:
        cls = ENGINES[name]
    except KeyError:
        raise UnknownEngineError(
            f"unknown engine {name!r}; choose one of: {', '.join(sorted(ENGINES))}"
        ) from None
    return cls(voice=voice, rate=rate)


__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine", "Voice", "get_engine", "split_for_speech"]
