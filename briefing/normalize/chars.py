"""Second pass: characters -> the few plain forms the later patterns look for.

Runs right after markup removal (which can produce characters, e.g. "&nbsp;") and
before every pattern pass, on every language: NFKC folds full-width forms and
ligatures; curly quotes and odd hyphens and spaces become ASCII (en and em dashes stay,
for the punctuation pass); invisible characters, emoji and symbols an engine would spell
by name are dropped. Vulgar fractions and superscripts are rewritten first, because NFKC
would turn "2½" into "21⁄2"; ".." becomes "." now, before the abbreviation passes look
at periods.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters mapped or dropped after NFKC, which has already made full-width forms,
# ligatures, no-break and thin spaces, "…" and "－" plain (and "″" "′′", which this map
# makes "''", one double quote in the end): these are the ones it leaves as they are.
_CHAR_MAP = {
    "\t": " ",
    "\v": " ",
    "\f": " ",
    "\r": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
    "\u0085": "\n",
    "\u00ad": "",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2039": "'",
    "\u203a": "'",
    "\u2010": "-",
    "\u2012": "-",
    "\u2212": "-",
    "\u2015": "—",
    "\u2044": "/",
    "\u00a9": "",
    "\u00ae": "",
}
_VULGAR = {
    "¼": "1/4",
    "½": "1/2",
    "¾": "3/4",
    "⅐": "1/7",
    "⅑": "1/9",
    "⅒": "1/10",
    "⅓": "1/3",
    "⅔": "2/3",
    "⅕": "1/5",
    "⅖": "2/5",
    "⅗": "3/5",
    "⅘": "4/5",
    "⅙": "1/6",
    "⅚": "5/6",
    "⅛": "1/8",
    "⅜": "3/8",
    "⅝": "5/8",
    "⅞": "7/8",
}
_VULGAR_RE = re.compile(f"([0-9]?)([{''.join(_VULGAR)}])")
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_RE = re.compile(rf"(?P<unit>\b(?:km|cm|mm|ft|mi|m))?(?P<sup>[{_SUPERSCRIPT}]+)")
_DOUBLE_DOT = re.compile(r"\.\.(?<!\.\.\.)(?!\.)")
_KEEP_MARKS = {"Mn", "Mc"}  # combining accents on letters (decomposed é) stay


@lru_cache(maxsize=8192)
def _char_fate(ch: str) -> str | None:
    """None: keep; otherwise the replacement (often empty) for a non-ASCII character."""
    if ch in _CHAR_MAP:
        return _CHAR_MAP[ch]
    cat = unicodedata.category(ch)
    if cat in _KEEP_MARKS:
        code = ord(ch)
        return "" if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF else None
    if cat == "Zs":
        return " "
    if cat in ("So", "Sk", "Co", "Cn", "Cs", "Cf", "Cc", "Me"):
        # Emoji, dingbats, private use, unassigned, surrogates, invisible format
        # characters: an engine would spell their Unicode names or say nothing useful.
        return "" if ch not in "°¦" else None
    return None


def _superscript(m: re.Match[str]) -> str:
    sup = m.group("sup")
    if m.group("unit"):
        return m.group("unit") + sup  # km² -> km2 after NFKC, read as "square kilometers"
    before = m.string[m.start() - 1] if m.start() else ""
    if before.isdigit():
        plain = unicodedata.normalize("NFKC", sup)
        return f" to the power of {plain}"
    return ""  # a footnote mark after a word


def clean_chars(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    # Before NFKC, which would turn "2½" into "21⁄2", "m²" into "m2" and "™" into "TM".
    if any(v in text for v in _VULGAR):
        text = _VULGAR_RE.sub(lambda m: f"{m.group(1)} {_VULGAR[m.group(2)]}", text)
    if any(s in text for s in _SUPERSCRIPT):
        text = _SUPER_RE.sub(_superscript, text)
    if "™" in text or "℠" in text:
        text = text.replace("™", "").replace("℠", "")
    # Full-width forms, ligatures, "℃", "…": their plain spelling.
    text = unicodedata.normalize("NFKC", text)
    table = {}
    for ch in set(text):  # each distinct character decided once
        code = ord(ch)
        if (code < 32 and ch != "\n") or code == 127:
            table[code] = _CHAR_MAP.get(ch, "")
        elif code > 127:
            fate = _char_fate(ch)
            if fate is not None:
                table[code] = fate
    if table:
        text = text.translate(table)
    if ".." in text:  # "R&D.." is "R&D.": decided now, before abbreviations look at it
        text = _DOUBLE_DOT.sub(".", text)
    return text
