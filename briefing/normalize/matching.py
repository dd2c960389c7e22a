"""Helpers the passes share for writing fast patterns and reading around a match.

re scans quickly for a pattern's first character only when the pattern starts with it,
so the patterns start with a literal or a character class: `first` puts the "not
preceded by" check after that character, and the callbacks use `glued`,
`previous_word` and `next_word` for the context a leading \\b or lookbehind would
otherwise check. No pass of its own; imported by the passes that need context.
"""

from __future__ import annotations

import re


def first(chars: str, excl: str) -> str:
    """One character of `chars` not preceded by one of `excl`, with the check written
    after the character: re scans fast for a pattern's first character only when the
    pattern starts with it, and a leading (?<!...) would make every position a try."""
    return rf"[{chars}](?<![{excl}][{chars}])"


def glued(m: re.Match[str], also: str = "") -> bool:
    """Whether the match starts inside a word (or after one of `also`): the check a
    leading \\b or (?<!...) would make, done here to keep the pattern's fast scan."""
    if not m.start():
        return False
    ch = m.string[m.start() - 1]
    return ch.isalnum() or ch == "_" or ch in also


def previous_word(m: re.Match[str]) -> str:
    """The word before the match in its sentence and line; "" at the start of either."""
    before = m.string[max(0, m.start() - 40) : m.start()]
    stripped = before.rstrip()
    if not stripped or stripped[-1] in '.!?"' or "\n" in before[len(stripped) :]:
        return ""
    return re.split(r"[\s(\"']", stripped)[-1]


def next_word(m: re.Match[str]) -> str:
    found = re.match(r"\.?\s*([\w']+)", m.string[m.end() : m.end() + 30])
    return found.group(1) if found else ""
