"""Speak stage, first step: written news text -> text a speech engine reads correctly.

Engines read "$5.2 billion" as "dollar five point two billion", "1990" as "nineteen
hundred and ninety", "Dec. 1" as "dec" + pause + "one" and "Elizabeth II" as "Elizabeth
roman two". `normalize_for_speech` rewrites numbers, dates, money, units, abbreviations
and symbols as the words a newsreader would say, and strips markup, emoji and layout
noise, so every engine (espeak-ng, pyttsx3, Piper, which all phonemize with espeak-ng
on Linux) hears plain words and sentence punctuation.

Design:
- A fixed sequence of passes, each one compiled regular expression with a small
  replacement function; the passes that need digits run before the generic number pass,
  and every pass writes words (never digits), so later passes cannot re-read its output.
- Linear time: a pattern that could start inside a run of the characters it matches
  checks the character before its start, bracketed spans exclude their opening
  character, and repeats are bounded, so no input backtracks quadratically. Patterns
  start with a literal or a character class (checks come after it, see `_first`), which
  lets re skip straight to candidates; the rest are gated by cheap `in` tests.
- Number words come from num2words; only what no library does is written here.
- English only for the language-specific passes. Other languages get the passes that
  hold in any language (markup, invisible characters, emoji, URLs, punctuation,
  whitespace); numbers are left to the engine, whose language rules read them.

Layout: one module per topic, in the order the passes run: `markup`, `chars`,
`lexicon`, `web`, `abbreviations`, `states`, then the number passes (`dates`, `times`,
`money`, `units`, `years`, `figures`, with the shared number words in `numbers`),
`roman`, and `punctuation` (symbols too). `passes` holds the order itself, as named
tables (`passes.passes`, `ENGLISH_PASSES`, `NUMBER_PASSES`). Each rule module's public
names (its patterns, replacement functions and word tables) are what the other modules
of this package use; a name with a leading underscore stays inside its own file
(tests/test_architecture.py checks it). Public to the rest of briefing:
`normalize_for_speech`, and the pronunciation lexicon (`Lexicon`, `builtin_lexicon`,
`load_lexicon`) it applies first.
"""

from __future__ import annotations

from briefing.normalize.lexicon import Lexicon, builtin_lexicon, load_lexicon
from briefing.normalize.passes import normalize_for_speech

__all__ = ["Lexicon", "builtin_lexicon", "load_lexicon", "normalize_for_speech"]
