"""The order of the passes: `normalize_for_speech` and the English sequence.

Every pass writes words, never digits, so each must run before the more general passes
that would misread its input: markup, then characters, then addresses and tags (every
language); for English, parentheses and early symbols, abbreviations, the number passes
from the most specific (dates) to the most general (plain numbers), Roman numerals,
spelled capitals and late symbols; last, punctuation (every language). Reordering
changes output: the test table and properties in tests/test_normalize.py pin it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefing.normalize.abbreviations import (
    _CIRCA,
    _FISCAL,
    _INITIALISM,
    _NUMBER_ABBR,
    _POST_RE,
    _SAINT_RE,
    _SINGLE_INITIAL,
    _SPELL_RE,
    _TITLE_RE,
    _V_RE,
    _WEEKDAY_RE,
    _WEEKDAYS,
    _WORD_ABBR_RE,
    _initialism,
    _number_abbr,
    _post,
    _saint,
    _single_initial,
    _spell,
    _title,
    _word_abbr,
)
from briefing.normalize.chars import _clean_chars
from briefing.normalize.dates import (
    _DAY_MONTH,
    _DAY_MONTH_RANGE,
    _ISO_DATE,
    _MONTH_DAY,
    _MONTH_DAY_RANGE,
    _MONTH_YEAR,
    _NUM_DATE,
    _day_month,
    _day_month_range,
    _iso_date,
    _month_day,
    _month_day_range,
    _month_year,
    _num_date,
)
from briefing.normalize.figures import (
    _CAPS_HYPHEN_DIGIT,
    _DIGIT_LETTER,
    _DOTTED_NUMBER,
    _FRACTION,
    _HAS_DIGIT,
    _HASH_NUMBER,
    _LETTER_DIGIT,
    _MINUS,
    _NUM_RANGE,
    _NUMBER,
    _ORDINAL,
    _PHONE,
    _PHONE_GATE,
    _POINT_NUMBER,
    _dotted_number,
    _fraction,
    _num_range,
    _number,
    _ordinal_sub,
    _phone,
)
from briefing.normalize.lexicon import Lexicon, builtin_lexicon
from briefing.normalize.markup import _strip_markup
from briefing.normalize.matching import _glued
from briefing.normalize.money import _MONEY, _MONEY_SUFFIX, _money, _money_suffix
from briefing.normalize.numbers import _digits
from briefing.normalize.punctuation import (
    _LESS_MORE,
    _PARENS,
    _SLASH_WORDS,
    _SYMBOLS_ANY,
    _SYMBOLS_EARLY,
    _SYMBOLS_LATE,
    _TILDE_DOUBLE,
    _parens_early,
    _punctuation,
    _symbol_any,
    _symbol_en,
)
from briefing.normalize.roman import _ROMAN_RE, _roman
from briefing.normalize.states import _STATE_RE, _state
from briefing.normalize.times import (
    _AMPM_RANGE,
    _HOUR_AMPM,
    _RATIO,
    _TIME,
    _hour_ampm,
    _ratio,
    _time,
)
from briefing.normalize.units import (
    _BY,
    _FEET_INCHES,
    _PERCENT,
    _UNIT,
    _by,
    _feet_inches,
    _percent,
    _unit,
)
from briefing.normalize.web import (
    _BARE_DOMAIN,
    _BARE_DOMAIN_GATE,
    _EMAIL,
    _HANDLE,
    _HASHTAG,
    _URL,
    _bare_domain,
    _email_sub,
    _handle,
    _hashtag_sub,
    _url_sub,
)
from briefing.normalize.years import (
    _DECADE,
    _DECADE_SHORT,
    _ROUND_PLURAL,
    _YEAR,
    _YEAR_RANGE,
    _decade,
    _decade_short,
    _round_plural,
    _year_range,
    _year_sub,
)

Pass = Callable[[str], str]


def _sub(pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> Pass:
    return lambda text: pattern.sub(repl, text)


def _when(gate: Callable[[str], object], step: Pass) -> Pass:
    """`step`, run only on text for which `gate` is true (a cheap test first)."""
    return lambda text: step(text) if gate(text) else text


def _parentheses(text: str) -> str:
    # Parentheses become commas first, so the abbreviation passes see the punctuation
    # the engine will get; "(555) 123-4567" keeps its area code for the phone pass.
    for _ in range(3):
        text, n = _PARENS.subn(_parens_early, text)
        if not n:
            break
    return text


def _weekday(m: re.Match[str]) -> str:
    return m.group(0) if _glued(m) else _WEEKDAYS[m.group("d")]


def _less_more(m: re.Match[str]) -> str:
    return " less than " if m.group(1) == "<" else " more than "


# Most specific first: each pass turns its digits into words, so a later, more general
# pass never sees them. `_MINUS` runs once, so no later pattern starts with "-?".
NUMBER_PASSES: tuple[tuple[str, Pass], ...] = (
    ("minus", _sub(_MINUS, "minus ")),
    ("ISO dates", _sub(_ISO_DATE, _iso_date)),
    ("numeric dates", _sub(_NUM_DATE, _num_date)),
    ("month-day ranges", _sub(_MONTH_DAY_RANGE, _month_day_range)),
    ("day-month ranges", _sub(_DAY_MONTH_RANGE, _day_month_range)),
    ("month-day dates", _sub(_MONTH_DAY, _month_day)),
    ("day-month dates", _sub(_DAY_MONTH, _day_month)),
    ("month and year", _sub(_MONTH_YEAR, _month_year)),
    ("times", _sub(_TIME, _time)),
    ("hours a.m./p.m.", _sub(_HOUR_AMPM, _hour_ampm)),
    ("a.m./p.m. ranges", _sub(_AMPM_RANGE, r"\1 to ")),
    ("money", _sub(_MONEY, _money)),
    ("money suffixes", _sub(_MONEY_SUFFIX, _money_suffix)),
    ("percentages", _sub(_PERCENT, _percent)),
    # The one pattern that cannot start with a digit: skipped cheaply.
    ("phone numbers", _when(_PHONE_GATE.search, _sub(_PHONE, _phone))),
    ("year ranges", _sub(_YEAR_RANGE, _year_range)),
    ("ratios", _sub(_RATIO, _ratio)),
    ("dimensions", _sub(_BY, _by)),
    ("feet and inches", _sub(_FEET_INCHES, _feet_inches)),
    ("units", _sub(_UNIT, _unit)),
    ("ordinals", _sub(_ORDINAL, _ordinal_sub)),
    ("short decades", _sub(_DECADE_SHORT, _decade_short)),
    ("decades", _sub(_DECADE, _decade)),
    ("round plurals", _sub(_ROUND_PLURAL, _round_plural)),
    ("fractions", _sub(_FRACTION, _fraction)),
    ("dotted numbers", _sub(_DOTTED_NUMBER, _dotted_number)),
    ("years", _sub(_YEAR, _year_sub)),
    ("number ranges", _sub(_NUM_RANGE, _num_range)),
    ("number signs", _sub(_HASH_NUMBER, "number ")),
    # "G7", "F-35", "COVID-19", "4G": letters and digits apart, so each is read; a
    # lower-case word keeps its hyphen ("9-to-5", "20-fold").
    ("capitals-hyphen-digits", _sub(_CAPS_HYPHEN_DIGIT, " ")),
    ("letter then digit", _sub(_LETTER_DIGIT, r" \1")),
    ("digit then letter", _sub(_DIGIT_LETTER, r"\1 ")),
    ("point numbers", _sub(_POINT_NUMBER, lambda m: "point " + _digits(m.group(1)))),
    ("numbers", _sub(_NUMBER, _number)),
)


def _numbers(text: str) -> str:
    for _, step in NUMBER_PASSES:
        text = step(text)
    return text


# Parentheses and early symbols, abbreviations (their periods would otherwise end
# sentences, and "No. 5" or "Dec. 1" must be whole before numbers are read), the number
# passes, then Roman numerals (after the numbers: splitting "C0" into "C zero" must not
# leave a numeral unread), spelled capitals and late symbols.
ENGLISH_PASSES: tuple[tuple[str, Pass], ...] = (
    ("parentheses", _when(lambda t: "(" in t, _parentheses)),
    ("double tildes", _sub(_TILDE_DOUBLE, "")),
    ("less/more than", _sub(_LESS_MORE, _less_more)),
    ("early symbols", _sub(_SYMBOLS_EARLY, _symbol_en)),
    ("word abbreviations", _sub(_WORD_ABBR_RE, _word_abbr)),
    ("states", _sub(_STATE_RE, _state)),  # before initialisms ("N.Y.") and titles
    ("versus", _sub(_V_RE, "versus")),
    ("circa", _sub(_CIRCA, "circa ")),
    ("fiscal years", _sub(_FISCAL, "fiscal year ")),
    ("weekdays", _sub(_WEEKDAY_RE, _weekday)),
    ("number abbreviations", _sub(_NUMBER_ABBR, _number_abbr)),
    ("initialisms", _sub(_INITIALISM, _initialism)),
    ("saints", _sub(_SAINT_RE, _saint)),
    ("titles", _sub(_TITLE_RE, _title)),
    ("post-nominals", _sub(_POST_RE, _post)),
    ("single initials", _sub(_SINGLE_INITIAL, _single_initial)),
    ("number passes", _when(_HAS_DIGIT.search, _numbers)),
    ("Roman numerals", _sub(_ROMAN_RE, _roman)),
    ("spelled capitals", _sub(_SPELL_RE, _spell)),
    ("slash words", _sub(_SLASH_WORDS, " ")),  # "and/or", "he/she": both words, no "slash"
    ("late symbols", _sub(_SYMBOLS_LATE, _symbol_en)),
)


def _english(text: str) -> str:
    for _, step in ENGLISH_PASSES:
        text = step(text)
    return text


def passes(english: bool, lexicon: Lexicon) -> tuple[tuple[str, Pass], ...]:
    """Every pass `normalize_for_speech` runs, in order, with its name (the benchmarks
    time each one)."""
    return (
        ("markup", _strip_markup),
        ("characters", _clean_chars),
        ("lexicon", lexicon.apply),
        ("e-mail addresses", _when(lambda t: "@" in t, _sub(_EMAIL, _email_sub(english)))),
        (
            "URLs",
            _when(lambda t: "://" in t or "www." in t.lower(), _sub(_URL, _url_sub(english))),
        ),
        (
            "bare domains",
            _when(
                lambda t: english and _BARE_DOMAIN_GATE.search(t),
                _sub(_BARE_DOMAIN, _bare_domain),
            ),
        ),
        ("hashtags", _when(lambda t: "#" in t, _sub(_HASHTAG, _hashtag_sub(english)))),
        ("handles", _when(lambda t: "@" in t, _sub(_HANDLE, _handle))),
        *(ENGLISH_PASSES if english else (("symbols", _sub(_SYMBOLS_ANY, _symbol_any)),)),
        ("punctuation", _punctuation),
    )


def _is_english(lang: str, text: str) -> bool:
    code = (lang or "en").strip().lower().replace("_", "-")
    if code == "auto":
        from briefing.nlp.language import detect  # only when asked to guess

        return detect(text).code == "en"
    return code == "en" or code.startswith("en-")


def normalize_for_speech(text: str, lang: str = "en", lexicon: Lexicon | None = None) -> str:
    """Rewrite `text` as words a speech engine reads the way a newsreader would.

    `lang` is a language code ("en", "en-GB", "de", ...) or "auto" to detect it. English
    gets every rule; other languages only markup, invisible characters, emoji, URLs and
    punctuation cleanup, with numbers left to the engine's own language rules.
    `lexicon` respells names before any other rule: None means the built-in English
    lexicon for English text and none for other languages; a Lexicon given applies in
    any language (`Lexicon()` turns respelling off).
    Paragraph breaks (newlines) are kept; any string in gives a string out.
    """
    if not text:
        return ""
    english = _is_english(lang, text)
    if lexicon is None:
        lexicon = builtin_lexicon() if english else Lexicon()
    for _, step in passes(english, lexicon):
        text = step(text)
    return text
