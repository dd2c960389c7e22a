from __future__ import annotations

import math
import os
import struct
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import settings

from briefing.assemble import Joined
from briefing.audio.format import FORMATS, AudioFormat
from briefing.speak import ENGINES
from briefing.speak.base import Engine, Voice
from tests.helpers import examples

# The test command replays the same generated examples every run, so CI is reproducible and
# a red run is never a fluke; HYPOTHESIS_PROFILE=explore draws fresh examples to hunt bugs,
# and HYPOTHESIS_PROFILE=thorough replays more of them. The default tier replays a third of
# each property's examples (tests.helpers.examples), to stay fast; the fuzz tier all of its.
settings.register_profile("repeatable", derandomize=True, max_examples=examples(100))
settings.register_profile("thorough", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


# A 220 Hz tone repeats every second at 22,050 Hz: made once, not sample by sample for
# each call (that took 0.9 s of CPU per minute of speech, in most pipeline tests).
TONE_RATE = 22050
ONE_SECOND_OF_TONE = b"".join(
    struct.pack("<h", int(3000 * math.sin(2 * math.pi * 220 * i / TONE_RATE)))
    for i in range(TONE_RATE)
)


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
        frames = int(seconds * TONE_RATE)
        whole, rest = divmod(frames, TONE_RATE)
        with wave.open(str(out_wav), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(TONE_RATE)
            w.writeframes(ONE_SECOND_OF_TONE * whole + ONE_SECOND_OF_TONE[: 2 * rest])

    def voices(self) -> list[Voice]:
        return [Voice("fake/one", "Fake One", ("en",))]


def finish_wav(
    joined: Joined,
    out: Path,
    options: object,
    chapters: object,
    timings: dict[str, float],
) -> tuple[None, tuple[()]]:
    """A finisher for tests: the joined speech as a WAV (in the episode's .mp3 file), no
    loudness, encoder or tags, so a pipeline test starts no ffmpeg."""
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(joined.rate)
        for pcm in (joined.intro, joined.speech, joined.outro):
            if pcm is not None:
                w.writeframes(pcm.read_bytes())
    return None, ()


FAKE_MP3 = AudioFormat("mp3", "mp3", "audio/mpeg", "tests.conftest:finish_wav", needs_ffmpeg=False)


@pytest.fixture
def fake_audio(monkeypatch: pytest.MonkeyPatch) -> AudioFormat:
    """Episodes "encoded" without ffmpeg: see `finish_wav`."""
    monkeypatch.setitem(FORMATS, "mp3", FAKE_MP3)
    return FAKE_MP3


@pytest.fixture(autouse=True)
def _no_user_kokoro(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Tests never see the user's Kokoro model (so `auto` means what it did before
    Kokoro) nor write to the user's cache; only the real `kokoro` tier uses the model."""
    patch = pytest.MonkeyPatch()
    cache = tmp_path_factory.mktemp("kokoro-cache")
    patch.setenv("BRIEFING_KOKORO_CACHE", str(cache))
    if request.node.get_closest_marker("kokoro") is None:
        patch.setenv("BRIEFING_KOKORO_DIR", str(cache / "no-model"))
    yield
    patch.undo()


@pytest.fixture
def fake_engine(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> type[FakeEngine]:
    """The fake engine; and, unless the test is marked `ffmpeg` (it checks the real
    MP3), the fake audio format too."""
    monkeypatch.setitem(ENGINES, FakeEngine.name, FakeEngine)
    FakeEngine.calls = []
    FakeEngine.voices_used = []
    if request.node.get_closest_marker("ffmpeg") is None:
        request.getfixturevalue("fake_audio")
    return FakeEngine


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory as the working directory: seeds/ with one article, and no
    config file to be found (none named, none in the user's config directory)."""
    from tests.helpers import write_article

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    write_article(tmp_path / "seeds", "a.txt", "Council passes budget")
    return tmp_path
