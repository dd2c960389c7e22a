"""Money: "$5.2 billion", "£3.50", "US$10-20m", "50p", "€5", "EUR 100".

Runs after dates and times and before percent, units and the plain-number pass: the
currency sign must decide how the amount is read ("five point two billion dollars",
"three pounds fifty"), and only later is "$" left over to be read as a word by the late
symbol pass. A minus sign was already read by then ("minus $5").
"""

from __future__ import annotations

import re

from briefing.normalize.matching import glued, previous_word
from briefing.normalize.numbers import (
    MAX_DIGITS,
    N_MONEY,
    NUM,
    RANGE_SEP,
    cardinal,
    cardinal_int,
)

# symbol/code -> (singular, plural, minor singular, minor plural)
_CURRENCY: dict[str, tuple[str, str, str, str]] = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "US$": ("US dollar", "US dollars", "cent", "cents"),
    "USD": ("US dollar", "US dollars", "cent", "cents"),
    "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "AU$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "AUD": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "CA$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "CAD": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "NZ$": ("New Zealand dollar", "New Zealand dollars", "cent", "cents"),
    "HK$": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
    "S$": ("Singapore dollar", "Singapore dollars", "cent", "cents"),
    "R$": ("Brazilian real", "Brazilian reais", "centavo", "centavos"),
    "£": ("pound", "pounds", "penny", "pence"),
    "GBP": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
    "EUR": ("euro", "euros", "cent", "cents"),
    "¥": ("yen", "yen", "", ""),
    "JPY": ("yen", "yen", "", ""),
    "CNY": ("yuan", "yuan", "", ""),
    "₹": ("rupee", "rupees", "paisa", "paise"),
    "INR": ("rupee", "rupees", "paisa", "paise"),
    "₩": ("won", "won", "", ""),
    "₽": ("ruble", "rubles", "kopek", "kopeks"),
    "₪": ("shekel", "shekels", "agora", "agorot"),
    "₺": ("lira", "lira", "kurus", "kurus"),
    "₦": ("naira", "naira", "kobo", "kobo"),
    "CHF": ("Swiss franc", "Swiss francs", "centime", "centimes"),
}
_SCALES = {
    "thousand": "thousand",
    "million": "million",
    "billion": "billion",
    "trillion": "trillion",
    "k": "thousand",
    "K": "thousand",
    "m": "million",
    "M": "million",
    "mn": "million",
    "mln": "million",
    "b": "billion",
    "B": "billion",
    "bn": "billion",
    "tn": "trillion",
    "trn": "trillion",
}
_CUR_SYMBOLS = sorted((c for c in _CURRENCY if not c.isalpha()), key=len, reverse=True)
_CUR_CODES = sorted((c for c in _CURRENCY if c.isalpha()), key=len, reverse=True)
_CUR_PREFIX = (
    rf"(?:{'|'.join(re.escape(c) for c in _CUR_SYMBOLS)}|"
    rf"(?:{'|'.join(_CUR_CODES)})\s?(?=[0-9]))"
)
_SCALE_RE = rf"(?:\s?(?P<scale>{'|'.join(sorted(_SCALES, key=len, reverse=True))})(?![A-Za-z]))?"
MONEY = re.compile(
    rf"(?P<cur>{_CUR_PREFIX})(?P<a>{NUM})"
    rf"(?:{_SCALE_RE.replace('scale', 'scale1')}{RANGE_SEP}(?:{_CUR_PREFIX})?(?P<b>{NUM}))?"
    rf"{_SCALE_RE}"
)
MONEY_SUFFIX = re.compile(
    rf"(?P<a>{N_MONEY})(?:{RANGE_SEP}(?P<b>{NUM}))?{_SCALE_RE}\s?"
    rf"(?P<cur>{'|'.join(_CUR_CODES)}|€|p(?=[\s.,;:!?)]|$)|¢)(?![A-Za-z])"
)


def _money_words(
    cur: str,
    a: str,
    b: str | None = None,
    scale: str | None = None,
    scale1: str | None = None,
    adjective: bool = False,
) -> str:
    """`a` [to `b`] [scale] in currency `cur`; a minus sign was read before ("minus $5")."""
    one, many, minor_one, minor_many = _CURRENCY[cur]
    if adjective:
        many = one  # "a $5 fine", "a $3bn deal": "a five dollar fine"
    if scale:
        first = cardinal(a) + (f" {_SCALES[scale1]}" if scale1 and scale1 != scale else "")
        amount = first + (f" to {cardinal(b)}" if b else "")
        return f"{amount} {_SCALES[scale]} {many}"
    if b:
        return f"{cardinal(a)} to {cardinal(b)} {many}"
    whole, _, frac = a.replace(",", "").partition(".")
    if len(frac) == 2 and minor_many and len(whole) <= MAX_DIGITS:
        major, minor = int(whole or "0"), int(frac)
        minor_words = f"{cardinal_int(minor)} {minor_one if minor == 1 else minor_many}"
        major_words = f"{cardinal_int(major)} {one if major == 1 else many}"
        if major == 0:
            return minor_words
        if minor == 0:
            return major_words
        if cur in ("£", "GBP"):
            return f"{major_words} {cardinal_int(minor)}"  # "three pounds fifty"
        return f"{major_words} and {minor_words}"
    return f"{cardinal(a)} {one if a == '1' else many}"


def money(m: re.Match[str]) -> str:
    if glued(m):
        return m.group(0)
    cur = m.group("cur").strip()
    adjective = previous_word(m).lower() in ("a", "an")
    return _money_words(
        cur, m.group("a"), m.group("b"), m.group("scale"), m.group("scale1"), adjective
    )


def money_suffix(m: re.Match[str]) -> str:
    cur, a, b = m.group("cur"), m.group("a"), m.group("b")
    to_b = f" to {cardinal(b)}" if b else ""
    if cur == "p":
        if len(a) <= 2 and not b:
            return _money_words("£", "0." + a.zfill(2))  # "50p": "fifty pence"
        return f"{cardinal(a)}{to_b} pence"
    if cur == "¢":
        return f"{cardinal(a)}{to_b} {'cent' if a == '1' and not b else 'cents'}"
    return _money_words(cur, a, b, m.group("scale"))
