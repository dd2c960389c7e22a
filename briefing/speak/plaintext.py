"""Text given to a speech engine is spoken, never obeyed.

espeak-ng reads two things in plain text as instructions rather than words: `[[...]]`
is phoneme input (the `espeak-ng` command turns it on, so "[[citation needed]]" from a
wiki would be read as phoneme codes), and CTRL-A (\\x01) starts an embedded command that
changes speed, pitch or volume for the rest of the text (libespeak-ng under pyttsx3
obeys it too). SSML tags are only read with `-m`, which briefing never passes.
"""

from __future__ import annotations

import re

# C0 and C1 control characters except tab and newline; CTRL-A is the dangerous one, and
# none of the others is ever meant to be spoken.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PHONEME_OPEN_RE = re.compile(r"\[(?=\[)")


def plain_text(text: str) -> str:
    """`text` with nothing a speech engine would take as a command."""
    text = _CONTROL_RE.sub(" ", text)
    text = _PHONEME_OPEN_RE.sub("[ ", text)  # "[[" -> "[ [": read as brackets, not phonemes
    # Lone surrogates (from undecodable bytes) cannot be encoded for the engine at all.
    return text.encode("utf-8", "ignore").decode("utf-8")
