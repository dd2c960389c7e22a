"""Text from any source made safe to print, speak and tag.

Articles come from files, feeds and pages written by others. What they say is kept, but
control characters (a terminal escape, CTRL-A, a stray NUL) never reach the transcript,
the ID3 chapters or a terminal, and a headline is bounded: it is read aloud before its
story and shown as a chapter title, so a runaway "headline" (a whole article on one
line, a page title stuffed with keywords) must not be read for minutes.
"""

from __future__ import annotations

import re

MAX_HEADLINE_CHARS = 300  # past the longest tabloid headlines; about 50 words, 17 s spoken
# A headline cut short ends at a word boundary found in this last share of the limit.
_CUT_WINDOW = 0.4

# Terminal escape sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL"), removed whole so
# their parameters ("[31m") are not left behind as text.
_ESCAPE_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
_LINE_BREAK_RE = re.compile(r"\r\n?|[\x85\u2028\u2029]")
_SPACE_LIKE_RE = re.compile(r"[\t\x0b\x0c]")
# C0 controls except tab and newline, DEL and C1: none is ever meant to be read.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANY_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """`text` without control characters; line breaks become \\n, tabs spaces."""
    text = _ESCAPE_RE.sub("", text)
    text = _LINE_BREAK_RE.sub("\n", text)
    text = _SPACE_LIKE_RE.sub(" ", text)
    return _CONTROL_RE.sub("", text)


def clean_line(text: str) -> str:
    """`clean_text` on one line: all whitespace runs, line breaks too, one space."""
    return " ".join(clean_text(text).split())


def clean_headline(text: str, limit: int = MAX_HEADLINE_CHARS) -> str:
    """A headline on one line, cut at a word boundary (with an ellipsis) past `limit`."""
    line = clean_line(text)
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * (1 - _CUT_WINDOW):
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def printable(name: str) -> str:
    """A name (a file name) shown on one line: control characters as escapes (\\n,
    \\x1b), so a newline in a file name cannot split a warning in two."""
    return _ANY_CONTROL_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)
