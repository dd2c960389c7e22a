"""The order of the passes: `normalize_for_speech` and the English sequence.

Every pass writes words, never digits, so each must run before the more general passes
that would misread its input: markup, then characters, then addresses and tags (every
language); for English, parentheses and early symbols, abbreviations, the number passes
from the most specific (dates) to the most general (plain numbers), Roman numerals,
spelled capitals and late symbols; last, punctuation (every language). Reordering
changes output: the test table and properties in tests/test_normalize.py pin it.
"""

from __future__ import annotations

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


def _english(text: str) -> str:
    # Parentheses become commas first, so the abbreviation passes see the punctuation
    # the engine will get; "(555) 123-4567" keeps its area code for the phone pass.
    if "(" in text:
        for _ in range(3):
            text, n = _PARENS.subn(_parens_early, text)
            if not n:
                break
    text = _TILDE_DOUBLE.sub("", text)
    text = _LESS_MORE.sub(lambda m: " less than " if m.group(1) == "<" else " more than ", text)
    text = _SYMBOLS_EARLY.sub(_symbol_en, text)
    # Abbreviations next: their periods would otherwise end sentences, and "No. 5" or
    # "Dec. 1" must be whole before numbers are read.
    text = _WORD_ABBR_RE.sub(_word_abbr, text)
    text = _STATE_RE.sub(_state, text)  # before initialisms ("N.Y.") and titles
    text = _V_RE.sub("versus", text)
    text = _CIRCA.sub("circa ", text)
    text = _FISCAL.sub("fiscal year ", text)
    text = _WEEKDAY_RE.sub(lambda m: m.group(0) if _glued(m) else _WEEKDAYS[m.group("d")], text)
    text = _NUMBER_ABBR.sub(_number_abbr, text)
    text = _INITIALISM.sub(_initialism, text)
    text = _SAINT_RE.sub(_saint, text)
    text = _TITLE_RE.sub(_title, text)
    text = _POST_RE.sub(_post, text)
    text = _SINGLE_INITIAL.sub(_single_initial, text)
    if _HAS_DIGIT.search(text):
        text = _numbers(text)
    # After the numbers: splitting "C0" into "C zero" must not leave a numeral unread.
    text = _ROMAN_RE.sub(_roman, text)
    text = _SPELL_RE.sub(_spell, text)
    text = _SLASH_WORDS.sub(" ", text)  # "and/or", "he/she": both words, no "slash"
    return _SYMBOLS_LATE.sub(_symbol_en, text)


def _numbers(text: str) -> str:
    # Most specific first: each pass turns its digits into words, so a later, more
    # general pass never sees them.
    text = _MINUS.sub("minus ", text)  # once, so no later pattern starts with "-?"
    for pattern, repl in (
        (_ISO_DATE, _iso_date),
        (_NUM_DATE, _num_date),
        (_MONTH_DAY_RANGE, _month_day_range),
        (_DAY_MONTH_RANGE, _day_month_range),
        (_MONTH_DAY, _month_day),
        (_DAY_MONTH, _day_month),
        (_MONTH_YEAR, _month_year),
        (_TIME, _time),
        (_HOUR_AMPM, _hour_ampm),
        (_AMPM_RANGE, r"\1 to "),
        (_MONEY, _money),
        (_MONEY_SUFFIX, _money_suffix),
        (_PERCENT, _percent),
        (_PHONE, _phone),
        (_YEAR_RANGE, _year_range),
        (_RATIO, _ratio),
        (_BY, _by),
        (_FEET_INCHES, _feet_inches),
        (_UNIT, _unit),
        (_ORDINAL, _ordinal_sub),
        (_DECADE_SHORT, _decade_short),
        (_DECADE, _decade),
        (_ROUND_PLURAL, _round_plural),
        (_FRACTION, _fraction),
        (_DOTTED_NUMBER, _dotted_number),
        (_YEAR, _year_sub),
        (_NUM_RANGE, _num_range),
    ):
        if pattern is _PHONE and not _PHONE_GATE.search(text):
            continue  # the one pattern that cannot start with a digit: skip it cheaply
        text = pattern.sub(repl, text)
    text = _HASH_NUMBER.sub("number ", text)
    # "G7", "F-35", "COVID-19", "4G": letters and digits apart, so each is read; a
    # lower-case word keeps its hyphen ("9-to-5", "20-fold").
    text = _CAPS_HYPHEN_DIGIT.sub(" ", text)
    text = _LETTER_DIGIT.sub(r" \1", text)
    text = _DIGIT_LETTER.sub(r"\1 ", text)
    text = _POINT_NUMBER.sub(lambda m: "point " + _digits(m.group(1)), text)
    return _NUMBER.sub(_number, text)


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
    text = _strip_markup(text)
    text = _clean_chars(text)
    if lexicon is None:
        lexicon = builtin_lexicon() if english else Lexicon()
    text = lexicon.apply(text)
    if "@" in text:
        text = _EMAIL.sub(_email_sub(english), text)
    if "://" in text or "www." in text.lower():
        text = _URL.sub(_url_sub(english), text)
    if english and _BARE_DOMAIN_GATE.search(text):
        text = _BARE_DOMAIN.sub(_bare_domain, text)
    if "#" in text:
        text = _HASHTAG.sub(_hashtag_sub(english), text)
    if "@" in text:
        text = _HANDLE.sub(_handle, text)
    text = _english(text) if english else _SYMBOLS_ANY.sub(_symbol_any, text)
    return _punctuation(text)
