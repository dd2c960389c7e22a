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
    CIRCA,
    FISCAL,
    INITIALISM,
    NUMBER_ABBR,
    POST_RE,
    SAINT_RE,
    SINGLE_INITIAL,
    SPELL_RE,
    TITLE_RE,
    V_RE,
    WEEKDAY_RE,
    WEEKDAYS,
    WORD_ABBR_RE,
    initialism,
    number_abbr,
    post,
    saint,
    single_initial,
    spell,
    title,
    word_abbr,
)
from briefing.normalize.chars import clean_chars
from briefing.normalize.dates import (
    DAY_MONTH,
    DAY_MONTH_RANGE,
    ISO_DATE,
    MONTH_DAY,
    MONTH_DAY_RANGE,
    MONTH_YEAR,
    NUM_DATE,
    day_month,
    day_month_range,
    iso_date,
    month_day,
    month_day_range,
    month_year,
    num_date,
)
from briefing.normalize.figures import (
    CAPS_HYPHEN_DIGIT,
    DIGIT_LETTER,
    DOTTED_NUMBER,
    FRACTION,
    HAS_DIGIT,
    HASH_NUMBER,
    LETTER_DIGIT,
    MINUS,
    NUM_RANGE,
    NUMBER,
    ORDINAL,
    PHONE,
    PHONE_GATE,
    POINT_NUMBER,
    dotted_number,
    fraction,
    num_range,
    number,
    ordinal_sub,
    phone,
)
from briefing.normalize.lexicon import Lexicon, builtin_lexicon
from briefing.normalize.markup import strip_markup
from briefing.normalize.matching import glued
from briefing.normalize.money import MONEY, MONEY_SUFFIX, money, money_suffix
from briefing.normalize.numbers import digit_words
from briefing.normalize.punctuation import (
    LESS_MORE,
    PARENS,
    SLASH_WORDS,
    SYMBOLS_ANY,
    SYMBOLS_EARLY,
    SYMBOLS_LATE,
    TILDE_DOUBLE,
    parens_early,
    punctuation,
    symbol_any,
    symbol_en,
)
from briefing.normalize.roman import ROMAN_RE, roman
from briefing.normalize.states import STATE_RE, state
from briefing.normalize.times import (
    AMPM_RANGE,
    CLOCK_24,
    HOUR_AMPM,
    RATIO,
    TIME,
    clock_24,
    hour_ampm,
    ratio,
    time,
)
from briefing.normalize.units import (
    BY,
    FEET_INCHES,
    PERCENT,
    UNIT,
    by,
    feet_inches,
    percent,
    unit,
)
from briefing.normalize.web import (
    BARE_DOMAIN,
    BARE_DOMAIN_GATE,
    EMAIL,
    HANDLE,
    HASHTAG,
    URL,
    bare_domain,
    email_sub,
    handle,
    hashtag_sub,
    url_sub,
)
from briefing.normalize.years import (
    DECADE,
    DECADE_SHORT,
    ROUND_PLURAL,
    YEAR,
    YEAR_RANGE,
    decade,
    decade_short,
    round_plural,
    year_range,
    year_sub,
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
        text, n = PARENS.subn(parens_early, text)
        if not n:
            break
    return text


def _weekday(m: re.Match[str]) -> str:
    return m.group(0) if glued(m) else WEEKDAYS[m.group("d")]


def _less_more(m: re.Match[str]) -> str:
    return " less than " if m.group(1) == "<" else " more than "


# Most specific first: each pass turns its digits into words, so a later, more general
# pass never sees them. `MINUS` runs once, so no later pattern starts with "-?".
NUMBER_PASSES: tuple[tuple[str, Pass], ...] = (
    ("minus", _sub(MINUS, "minus ")),
    ("ISO dates", _sub(ISO_DATE, iso_date)),
    ("numeric dates", _sub(NUM_DATE, num_date)),
    ("month-day ranges", _sub(MONTH_DAY_RANGE, month_day_range)),
    ("day-month ranges", _sub(DAY_MONTH_RANGE, day_month_range)),
    ("month-day dates", _sub(MONTH_DAY, month_day)),
    ("day-month dates", _sub(DAY_MONTH, day_month)),
    ("month and year", _sub(MONTH_YEAR, month_year)),
    ("times", _sub(TIME, time)),
    ("24-hour times", _sub(CLOCK_24, clock_24)),
    ("hours a.m./p.m.", _sub(HOUR_AMPM, hour_ampm)),
    ("a.m./p.m. ranges", _sub(AMPM_RANGE, r"\1 to ")),
    ("money", _sub(MONEY, money)),
    ("money suffixes", _sub(MONEY_SUFFIX, money_suffix)),
    ("percentages", _sub(PERCENT, percent)),
    # The one pattern that cannot start with a digit: skipped cheaply.
    ("phone numbers", _when(PHONE_GATE.search, _sub(PHONE, phone))),
    ("year ranges", _sub(YEAR_RANGE, year_range)),
    ("ratios", _sub(RATIO, ratio)),
    ("dimensions", _sub(BY, by)),
    ("feet and inches", _sub(FEET_INCHES, feet_inches)),
    ("units", _sub(UNIT, unit)),
    ("ordinals", _sub(ORDINAL, ordinal_sub)),
    ("short decades", _sub(DECADE_SHORT, decade_short)),
    ("decades", _sub(DECADE, decade)),
    ("round plurals", _sub(ROUND_PLURAL, round_plural)),
    ("fractions", _sub(FRACTION, fraction)),
    ("dotted numbers", _sub(DOTTED_NUMBER, dotted_number)),
    ("years", _sub(YEAR, year_sub)),
    ("number ranges", _sub(NUM_RANGE, num_range)),
    ("number signs", _sub(HASH_NUMBER, "number ")),
    # "G7", "F-35", "COVID-19", "4G": letters and digits apart, so each is read; a
    # lower-case word keeps its hyphen ("9-to-5", "20-fold").
    ("capitals-hyphen-digits", _sub(CAPS_HYPHEN_DIGIT, " ")),
    ("letter then digit", _sub(LETTER_DIGIT, r" \1")),
    ("digit then letter", _sub(DIGIT_LETTER, r"\1 ")),
    ("point numbers", _sub(POINT_NUMBER, lambda m: "point " + digit_words(m.group(1)))),
    ("numbers", _sub(NUMBER, number)),
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
    ("double tildes", _sub(TILDE_DOUBLE, "")),
    ("less/more than", _sub(LESS_MORE, _less_more)),
    ("early symbols", _sub(SYMBOLS_EARLY, symbol_en)),
    ("word abbreviations", _sub(WORD_ABBR_RE, word_abbr)),
    ("states", _sub(STATE_RE, state)),  # before initialisms ("N.Y.") and titles
    ("versus", _sub(V_RE, "versus")),
    ("circa", _sub(CIRCA, "circa ")),
    ("fiscal years", _sub(FISCAL, "fiscal year ")),
    ("weekdays", _sub(WEEKDAY_RE, _weekday)),
    ("number abbreviations", _sub(NUMBER_ABBR, number_abbr)),
    ("initialisms", _sub(INITIALISM, initialism)),
    ("saints", _sub(SAINT_RE, saint)),
    ("titles", _sub(TITLE_RE, title)),
    ("post-nominals", _sub(POST_RE, post)),
    ("single initials", _sub(SINGLE_INITIAL, single_initial)),
    ("number passes", _when(HAS_DIGIT.search, _numbers)),
    ("Roman numerals", _sub(ROMAN_RE, roman)),
    ("spelled capitals", _sub(SPELL_RE, spell)),
    ("slash words", _sub(SLASH_WORDS, " ")),  # "and/or", "he/she": both words, no "slash"
    ("late symbols", _sub(SYMBOLS_LATE, symbol_en)),
)


def _english(text: str) -> str:
    for _, step in ENGLISH_PASSES:
        text = step(text)
    return text


def passes(english: bool, lexicon: Lexicon) -> tuple[tuple[str, Pass], ...]:
    """Every pass `normalize_for_speech` runs, in order, with its name (the benchmarks
    time each one)."""
    return (
        ("markup", strip_markup),
        ("characters", clean_chars),
        ("lexicon", lexicon.apply),
        ("e-mail addresses", _when(lambda t: "@" in t, _sub(EMAIL, email_sub(english)))),
        (
            "URLs",
            _when(lambda t: "://" in t or "www." in t.lower(), _sub(URL, url_sub(english))),
        ),
        (
            "bare domains",
            _when(
                lambda t: english and BARE_DOMAIN_GATE.search(t),
                _sub(BARE_DOMAIN, bare_domain),
            ),
        ),
        ("hashtags", _when(lambda t: "#" in t, _sub(HASHTAG, hashtag_sub(english)))),
        ("handles", _when(lambda t: "@" in t, _sub(HANDLE, handle))),
        *(ENGLISH_PASSES if english else (("symbols", _sub(SYMBOLS_ANY, symbol_any)),)),
        ("punctuation", punctuation),
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
