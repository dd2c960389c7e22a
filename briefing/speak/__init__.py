"""Speak stage: text-to-speech engines behind one interface, chosen by name.

The registry names each engine's class as "module:Class" and imports it only when it is
asked for: listing the engines (`--help`, config checks) loads none of them. The engine
`auto` (the default) is the most natural engine installed: each engine class says how
natural it sounds (`Engine.naturalness`) and `check()` says whether it can run here.

Each engine's facts (name, naturalness, description, install line) are class attributes,
declared once; the settings help, docs/engines.md and README (briefing/docgen.py),
`doctor`, `voices` and setup.sh read them through `auto_order` and `engine_facts`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, overload

from briefing.errors import BriefingError, MissingDependencyError, UnknownEngineError
from briefing.settings import ENGINE_AUTO, SpeechSettings
from briefing.speak.base import Engine, Voice, split_for_speech

if TYPE_CHECKING:  # the engines' own modules load only when asked for (see ENGINES)
    from briefing.speak.festival import FestivalEngine
    from briefing.speak.piper_engine import PiperEngine
    from briefing.speak.pyttsx3_engine import Pyttsx3Engine

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


# An engine asked for by its registered name is of that engine's class (as ENGINES says).
@overload
def get_engine(
    name: Literal["piper"],
    voice: str | None = None,
    rate: int | None = None,
    timeout_s: float | None = None,
) -> PiperEngine: ...
@overload
def get_engine(
    name: Literal["festival"],
    voice: str | None = None,
    rate: int | None = None,
    timeout_s: float | None = None,
) -> FestivalEngine: ...
@overload
def get_engine(
    name: Literal["pyttsx3"],
    voice: str | None = None,
    rate: int | None = None,
    timeout_s: float | None = None,
) -> Pyttsx3Engine: ...
@overload
def get_engine(
    name: str, voice: str | None = None, rate: int | None = None, timeout_s: float | None = None
) -> Engine: ...
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
    name = choose_engine(speech).engine if speech.engine == ENGINE_AUTO else speech.engine
    return engine_class(name).from_settings(speech, speech.voice)


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
    passed_over: list[str] = []
    for name in auto_order():
        cls = engine_class(name)
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
        "says how to install one (./setup.sh installs " + " and ".join(SETUP_INSTALLS) + ")"
    )


# What ./setup.sh installs by default (--light: none of these); what CI checks it spoke.
SETUP_INSTALLS = ("kokoro", "piper")


def auto_order() -> list[str]:
    """The engines `auto` tries, the most natural first (test engines, naturalness 0,
    are never chosen unasked)."""
    ranked = sorted(ENGINES, key=lambda n: (-engine_class(n).naturalness, n))
    return [name for name in ranked if engine_class(name).naturalness > 0]


def auto_order_text() -> str:
    """ "kokoro, else piper, else ...": the order in words, for help and docs."""
    return ", else ".join(auto_order())


@dataclass(frozen=True)
class EngineFacts:
    name: str
    rank: int  # 1: the first engine `auto` tries
    description: str
    install: str


def engine_facts() -> list[EngineFacts]:
    """Every engine `auto` may choose, in its order, with what it is and how to install it."""
    return [
        EngineFacts(
            name, i, engine_class(name).description, engine_class(name).install or "included"
        )
        for i, name in enumerate(auto_order(), 1)
    ]


def engines_markdown() -> str:
    """The table of engines in docs/engines.md (generated by briefing/docgen.py)."""
    rows = [
        "| Engine | `auto` tries it | What it is, and its voices (`--voice`) | Install |",
        "|---|---|---|---|",
        f"| `{ENGINE_AUTO}` (default) | - | the most natural engine that can run here: "
        f"{auto_order_text()} | - |",
    ]
    for fact in engine_facts():
        install = f"`{fact.install}`" if fact.install != "included" else "included"
        rows.append(f"| `{fact.name}` | {_ordinal(fact.rank)} | {fact.description} | {install} |")
    return "\n".join(rows) + "\n"


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


__all__ = [
    "ENGINES",
    "SETUP_INSTALLS",
    "Choice",
    "Engine",
    "EngineFacts",
    "Voice",
    "auto_order",
    "auto_order_text",
    "check_engine_name",
    "choose_engine",
    "engine_class",
    "engine_facts",
    "engine_names",
    "engines_markdown",
    "get_engine",
    "make_engine",
    "split_for_speech",
]
