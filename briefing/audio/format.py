"""The episode's audio format behind one seam: file suffix, MIME type and the finisher.

The finisher takes the joined speech (raw PCM, briefing/assemble.py) to a tagged file:
for MP3 it plans the loudness, encodes with ffmpeg and writes ID3 tags and chapters.
It is named as "module:function" and imported only when an episode is assembled, so
the layout of the output directory can be read without loading any audio code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AudioFormat:
    name: str
    suffix: str  # file name suffix, without the dot
    mime: str  # the feed's enclosure type
    finisher: str  # "module:function", see briefing.assemble.finish_mp3
    needs_ffmpeg: bool = True

    def finish(self) -> Callable[..., Any]:
        module, _, function = self.finisher.partition(":")
        found: Callable[..., Any] = getattr(importlib.import_module(module), function)
        return found


MP3 = AudioFormat("mp3", "mp3", "audio/mpeg", "briefing.assemble:finish_mp3")
# A registry, so tests can put a format in that needs no ffmpeg (tests/conftest.py).
FORMATS: dict[str, AudioFormat] = {MP3.name: MP3}
