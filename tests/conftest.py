from __future__ import annotations

import math
import os
import struct
import wave
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import settings

from briefing.speak import ENGINES
from briefing.speak.base import Engine, Voice

# The test command replays the same generated examples every run, so CI is reproducible and
# a red run is never a fluke; HYPOTHESIS_PROFILE=explore draws fresh examples to hunt bugs.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


class FakeEngine(Engine):
    """Writes a quiet tone lasting as long as the text would take at `rate` words/minute."""

    name = "fake"
    binaries: ClassVar[tuple[str, ...]] = ()
    calls: ClassVar[list[str]] = []
    voices_used: ClassVar[list[str | None]] = []

    def synthesize(self, text: str, out_wav: Path, voice: str | None = None) -> None:
        FakeEngine.calls.append(text)
        FakeEngine.voices_used.append(voice or self.voice)
        seconds = max(0.05, len(text.split()) * 60.0 / self.rate)
        rate = 22050
        frames = b"".join(
            struct.pack("<h", int(3000 * math.sin(2 * math.pi * 220 * i / rate)))
            for i in range(int(seconds * rate))
        )
        with wave.open(str(out_wav), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(frames)

    def voices(self) -> list[Voice]:
        return [Voice("fake/one", "Fake One", ("en",))]


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> type[FakeEngine]:
    monkeypatch.setitem(ENGINES, FakeEngine.name, FakeEngine)
    FakeEngine.calls = []
    FakeEngine.voices_used = []
    return FakeEngine
