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
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from num2words import num2words

__all__ = ["normalize_for_speech"]

Sub = Callable[[re.Match[str]], str]

# ---------------------------------------------------------------------------- numbers

_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_MAX_DIGITS = 15  # longer digit runs are identifiers, not quantities: read digit by digit
_RANGE_SEP = r"(?:\s?[-–]\s?|\s+to\s+)"


def _first(chars: str, excl: str) -> str:
    """One character of `chars` not preceded by one of `excl`, with the check written
    after the character: re scans fast for a pattern's first character only when the
    pattern starts with it, and a leading (?<!...) would make every position a try."""
    return rf"[{chars}](?<![{excl}][{chars}])"


# A number with optional thousands commas and decimals; _num_after(excl): one whose
# first digit is not preceded by one of `excl`.
_NUM_TAIL = r"(?:[0-9]{0,2}(?:,[0-9]{3})+(?![0-9])|[0-9]*)(?:\.[0-9]+)?"
_NUM = "[0-9]" + _NUM_TAIL


def _num_after(excl: str) -> str:
    return _first("0-9", excl) + _NUM_TAIL


# First characters of the patterns below, with what may not come before them.
_W = r"\w.,"  # a number starts a token: not after a letter, digit, "." or ","
_D_W = _first("0-9", _W)
_D1_W = _first("1-9", _W)
_D1_WQ = _first("1-9", _W + "'")
_N_W = _num_after(_W)
_N_RANGE = _num_after(_W + "-")
_N_MONEY = _num_after("0-9.,")
_D_DAY = _first("0-9", "0-9.,$£€-")
_D_DATE = _first("0-9", "0-9./-")
_Y_ISO = _first("12", "0-9./-")
_Y_W = _first("12", _W + "$£€/-")
_D_TIME = _first("0-9", "0-9.,:")
_D_RATIO = _first("0-9", "0-9:.,")
_D_FRAC = _first("0-9", r"\w./,")
_D_DOT = _first("0-9", r"\w.")


def _digits(s: str) -> str:
    return " ".join(_DIGIT_WORDS[ord(c) - 48] for c in s if "0" <= c <= "9")


def _tidy(words: str) -> str:
    # num2words writes British "one hundred and five" and commas between groups; espeak
    # pauses at both, so numbers are read the American way, as one phrase.
    return words.replace(",", "").replace(" and ", " ").replace("oh-", "oh ")


@lru_cache(maxsize=4096)
def _cardinal_int(n: int) -> str:
    if n < 0:
        return "minus " + _cardinal_int(-n)
    return _tidy(num2words(n, lang="en"))


def _cardinal(s: str) -> str:
    """Words for a digit string that may have thousands commas and a decimal part."""
    s = s.replace(",", "")
    whole, _, frac = s.partition(".")
    if len(whole) > _MAX_DIGITS or (len(whole) > 1 and whole.startswith("0")):
        words = _digits(whole)
    else:
        words = _cardinal_int(int(whole)) if whole else ""
    if frac:
        words = (words + " point " if words else "point ") + _digits(frac)
    return words


@lru_cache(maxsize=1024)
def _ordinal_int(n: int) -> str:
    return _tidy(num2words(n, lang="en", to="ordinal"))


def _ordinal(s: str) -> str:
    s = s.replace(",", "")
    if not s or len(s) > _MAX_DIGITS:
        return _digits(s)
    return _ordinal_int(int(s))


@lru_cache(maxsize=1024)
def _year(n: int) -> str:
    """1990 -> nineteen ninety, 2008 -> two thousand eight, 2026 -> twenty twenty-six."""
    if 1000 <= n <= 2099:
        return _tidy(num2words(n, lang="en", to="year"))
    return _cardinal_int(n)


def _plural(words: str) -> str:
    """'nineteen ninety' -> 'nineteen nineties': decades and 'hundreds of'."""
    head, _, last = words.rpartition(" ")
    last = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return f"{head} {last}" if head else last


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
_MONTH_ABBR = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
               "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
_MONTH_NAMES_ALL = (*_MONTH_NAMES, *_MONTH_ABBR)


# ------------------------------------------------------------------ markup and chars

_COMMENT = (re.compile("<!--"), re.compile("-->"))
_DROPPED_ELEMENTS = ("script", "style", "ref", "noscript", "figcaption")
_ELEMENT_SPANS = {
    name: (
        re.compile(rf"<{name}\b[^<>]{{0,1000}}(?<!/)>", re.I),
        re.compile(rf"</{name}\s*>", re.I),
    )
    for name in _DROPPED_ELEMENTS
}
_SELF_CLOSING_REF = re.compile(r"<ref\b[^<>]{0,1000}/>", re.I)
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|header|footer|"
    r"hr|dd|dt|pre)\b[^<>]{0,1000}>",
    re.I,
)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,30}(?:\s[^<>]{0,1000})?/?>")
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\s]{0,2000}(?:\s[^()\n]{0,300})?\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\([^()\s]{0,2000}(?:\s[^()\n]{0,300})?\)")
_MD_REF_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\[\]\n]{0,100}\]")
_MD_REF_DEF = re.compile(r"(?m)^[ \t]{0,3}\[[^\[\]\n]{1,100}\]:[ \t]*\S{1,2000}[^\n]{0,300}$")
_WIKI_LINK = re.compile(r"\[\[(?:[^\[\]|\n]{0,300}\|)?([^\[\]|\n]{0,300})\]\]")
_WIKI_FILE = re.compile(r"\[\[(?:File|Image|Category):[^\[\]\n]{0,1000}\]\]", re.I)
_WIKI_TEMPLATE = re.compile(r"\{\{[^{}]{0,2000}\}\}")
_WIKI_HEADING = re.compile(r"(?m)^[ \t]*={2,6}[ \t]*([^=\n]{1,300}?)[ \t]*={2,6}[ \t]*$")
_WIKI_QUOTES = re.compile(r"'{2,}")
_CITATION = re.compile(
    r"\[(?:[0-9]{1,3}|[a-z]|citation needed|clarification needed|edit|sic|note [0-9]{1,3}|"
    r"\.\.\.|…)\]",
    re.I,
)
_MD_HEADING = re.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+")
_MD_QUOTE = re.compile(r"(?m)^[ \t]{0,3}(?:>[ \t]?)+")
_MD_BULLET = re.compile(r"(?m)^[ \t]*[-*+•◦▪][ \t]+")
_MD_RULE = re.compile(r"(?m)^[ \t]*(?:[-*_=~][ \t]*){3,}$")
_MD_RULE_GATE = re.compile(r"[-*_=~][ \t]*[-*_=~][ \t]*[-*_=~]")
_MD_BULLET_GATE = re.compile(r"[-*+•◦▪][ \t]")


def _drop_spans(text: str, opener: re.Pattern[str], closer: re.Pattern[str]) -> str:
    """Remove every `opener ... closer` span; an unclosed opener drops only itself.

    Left to right, and once no closer is found none is looked for again, so many
    unclosed openers cost linear time, not quadratic.
    """
    out: list[str] = []
    pos = 0
    closed = True
    while m := opener.search(text, pos):
        out.append(text[pos : m.start()])
        close = closer.search(text, m.end()) if closed else None
        if close is None:
            closed = False
            pos = m.end()
            continue
        out.append(" ")
        pos = close.end()
    out.append(text[pos:])
    return "".join(out)


def _strip_markup(text: str) -> str:
    for _ in range(4 if "&" in text else 0):  # feeds double-escape: &amp;amp; -> &amp; -> &
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    if "<" in text:
        text = _drop_spans(text, *_COMMENT)
        text = _SELF_CLOSING_REF.sub(" ", text)
        lowered = text.lower()
        for name, (opener, closer) in _ELEMENT_SPANS.items():
            if f"<{name}" in lowered:
                text = _drop_spans(text, opener, closer)
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub("", text)
    if "[" in text:
        text = _MD_IMAGE.sub(" ", text)
        text = _MD_LINK.sub(r"\1", text)
        text = _MD_REF_LINK.sub(r"\1", text)
        text = _MD_REF_DEF.sub("", text)
        text = _WIKI_FILE.sub(" ", text)
        text = _WIKI_LINK.sub(r"\1", text)
        text = _CITATION.sub("", text)
    if "{{" in text:
        for _ in range(4):  # nested templates, innermost first
            text, n = _WIKI_TEMPLATE.subn(" ", text)
            if not n:
                break
    # Each line-start pass runs only when its marker occurs at all (cheap `in` tests).
    if "==" in text:
        text = _WIKI_HEADING.sub(r"\1.", text)
    if "''" in text:
        text = _WIKI_QUOTES.sub("", text)
    if _MD_RULE_GATE.search(text):
        text = _MD_RULE.sub("", text)
    if "#" in text:
        text = _MD_HEADING.sub("", text)
    if ">" in text:
        text = _MD_QUOTE.sub("", text)
    if _MD_BULLET_GATE.search(text):
        text = _MD_BULLET.sub("", text)
    return text.replace("~~", "") if "~~" in text else text


# Characters mapped or dropped before anything else (NFKC handles full-width forms,
# ligatures and the like; these are the ones it does not, or gets wrong for speech).
_CHAR_MAP = {
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
    "\u205f": " ", "\u3000": " ", "\t": " ", "\v": " ", "\f": " ", "\r": "\n",
    "\u2028": "\n", "\u2029": "\n", "\u0085": "\n",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
    "\u2013": "–", "\u2014": "—", "\u2015": "—", "\u2026": "...", "\u2044": "/",
    "\u00a9": "", "\u00ae": "", "\u2122": "", "\u2120": "",
}
_VULGAR = {
    "¼": "1/4", "½": "1/2", "¾": "3/4", "⅐": "1/7", "⅑": "1/9", "⅒": "1/10", "⅓": "1/3",
    "⅔": "2/3", "⅕": "1/5", "⅖": "2/5", "⅗": "3/5", "⅘": "4/5", "⅙": "1/6", "⅚": "5/6",
    "⅛": "1/8", "⅜": "3/8", "⅝": "5/8", "⅞": "7/8",
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


def _clean_chars(text: str) -> str:
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


# ------------------------------------------------------------------- URLs, mail, tags

# Last labels that are spelled ("dot U.K"); the others ("com", "org", "co") are words.
_TLD_LETTERS = {"uk", "us", "eu", "io", "ai", "tv", "fm", "edu", "de", "fr", "ca", "au", "nz",
                "ie", "in", "jp", "cn", "ru", "ch", "es", "it", "nl", "se", "no", "za", "br",
                "mx", "be", "at", "dk", "fi", "pl", "pt", "gr", "il", "kr", "sg", "hk", "tw",
                "ua", "ng", "ke", "ar", "cl", "ly"}
_TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|news|io|co|uk|us|eu|ca|au|de|fr|es|it|nl|ie|nz|"
    "za|in|jp|cn|ru|ch|se|no|dk|fi|be|at|pl|pt|gr|il|kr|sg|hk|tw|ua|ng|ke|br|mx|ar|cl|tv|"
    "fm|me|ly|app|dev|ai|online|site|blog|media|press|live|today|world|ngo"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])(?P<user>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@"
    r"(?P<host>[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24})"
    r"(?![A-Za-z0-9-])"
)
_URL = re.compile(
    r"(?<![\w/@.])(?:(?:https?|ftp)://|www\.)"
    r"(?:[^\s<>\"'()\[\]{}]|\([^\s<>\"'()\[\]{}]{0,200}\)){1,2000}",
    re.I,
)
_BARE_DOMAIN = re.compile(
    rf"(?<![\w.@/-])(?P<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,62}})\.){{1,6}}(?:{_TLDS}))"
    rf"(?![\w-]|\.[A-Za-z0-9])(?P<path>/[^\s<>\"'()\[\]{{}}]{{0,2000}})?"
)
_BARE_DOMAIN_GATE = re.compile(rf"\.(?:{_TLDS})(?![\w-])")
_HASHTAG = re.compile(r"(?<![\w&#/])#(?P<tag>[A-Za-z][A-Za-z0-9_]{0,138})")
_HANDLE = re.compile(r"(?<![\w@./])@(?P<name>[A-Za-z0-9_]{1,50})(?![\w@])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_+")
_TRAILING_URL_PUNCT = ".,;:!?'\")]}"


def _speak_host(host: str, english: bool) -> str:
    labels = [p for p in host.split(".") if p]
    if labels and labels[0].lower() == "www":
        labels = labels[1:]
    if not english:
        return ".".join(labels)
    spoken = []
    for i, label in enumerate(labels):
        last = i == len(labels) - 1
        if last and label.lower() in _TLD_LETTERS:
            spoken.append(".".join(label.upper()))  # "U.K": spelled by every engine
        else:
            spoken.append(label.replace("-", " "))
    return " dot ".join(spoken)


def _url_sub(english: bool) -> Sub:
    def sub(m: re.Match[str]) -> str:
        url = m.group(0)
        trail = ""
        while url and url[-1] in _TRAILING_URL_PUNCT:
            trail = url[-1] + trail
            url = url[:-1]
        rest = re.sub(r"^(?:(?:https?|ftp)://)?", "", url, flags=re.I)
        host = re.split(r"[/?#:]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
        return (_speak_host(host, english) if host else "") + trail

    return sub


def _email_sub(english: bool) -> Sub:
    def sub(m: re.Match[str]) -> str:
        if not english:
            return m.group(0)
        user = re.sub(r"[._%+-]+", " dot ", m.group("user")).strip()
        return f"{user} at {_speak_host(m.group('host'), True)}"

    return sub


def _bare_domain(m: re.Match[str]) -> str:
    host = m.group("host")
    first = host.split(".", 1)[0]
    # "U.S" or "e.g" are not domains; a domain label has two+ characters or a digit.
    if len(first) < 2:
        return m.group(0)
    return _speak_host(host, True)


def _hashtag_sub(english: bool) -> Sub:
    def sub(m: re.Match[str]) -> str:
        words = _CAMEL.sub(" ", m.group("tag")).strip()
        return f"hashtag {words}" if english else words

    return sub


def _handle(m: re.Match[str]) -> str:
    return _CAMEL.sub(" ", m.group("name")).strip()


# ------------------------------------------------------------------- abbreviations

_STARTERS = (
    "The|A|An|He|She|It|They|We|I|You|But|And|Or|So|Yet|In|On|At|As|After|Before|When|"
    "While|If|This|That|These|Those|There|Here|His|Her|Its|Their|Our|My|Your|What|Who|"
    "Why|How|Where|Some|Many|Most|Both|Each|Meanwhile|However|Still|Also|Now|Then|Last|"
    "Next|Earlier|Later|According|More|Not|Officials|Police|Mr|Mrs|Ms|Dr|Mister|Missus|Miz|"
    "Doctor|Professor|General|President|Senator|Governor|Number"
)
# A period after an abbreviation also ends the sentence when the text ends, a line
# ends, a quote opens, or a word that typically starts a sentence follows.
_SENT_END = rf"(?=[ \t]*(?:\n|\Z)|\s+(?:(?:{_STARTERS})\b|[\"'(]))"
_ABBR_DOT = rf"(?:(?P<end>\.){_SENT_END}|\.)"

_TITLES = {
    "Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Dr": "Doctor", "Prof": "Professor",
    "Gen": "General", "Lt": "Lieutenant", "Col": "Colonel", "Capt": "Captain",
    "Sgt": "Sergeant", "Gov": "Governor", "Sen": "Senator", "Rep": "Representative",
    "Rev": "Reverend", "Revd": "Reverend", "Adm": "Admiral", "Maj": "Major",
    "Cpl": "Corporal", "Pvt": "Private", "Cmdr": "Commander", "Supt": "Superintendent",
    "Insp": "Inspector", "Det": "Detective", "Hon": "Honorable", "Pres": "President",
    "Amb": "Ambassador", "Atty": "Attorney", "Cllr": "Councillor", "Fr": "Father",
    "Mt": "Mount", "Ft": "Fort", "Gens": "Generals", "Messrs": "Messieurs",
}
# Without a period only where the bare form is no English word ("Gen Z", "Sen" are).
_TITLES_NO_DOT = {"Mr", "Mrs", "Ms", "Dr", "Prof", "Revd", "Sgt", "Capt", "Lt", "Col",
                  "Cllr", "Supt", "Insp", "Messrs"}
_ALWAYS_TITLES = {"Mr", "Mrs", "Ms", "Messrs"}  # "Mr. and Mrs. Smith"
_TITLE_RE = re.compile(
    rf"(?P<t>{'|'.join(sorted(_TITLES, key=len, reverse=True))})(?P<dot>\.)?"
    r"(?=\s+(?:[A-Z]|[\"'][A-Z]|(?P<lower>and\s)))"
)
_STREET = {"St": "Street", "Ave": "Avenue", "Blvd": "Boulevard", "Rd": "Road", "Ln": "Lane",
           "Hwy": "Highway", "Pkwy": "Parkway", "Sq": "Square", "Dr": "Drive", "Ct": "Court",
           "Pl": "Place", "Cres": "Crescent", "Terr": "Terrace"}
_POST = {"Jr": "Junior", "Sr": "Senior", "Corp": "Corporation", "Co": "Company",
         "Bros": "Brothers", "Ltd": "Limited", "Inc": "Inc", "Assn": "Association",
         "Dept": "Department", "Univ": "University", "Intl": "International"}
_POST_RE = re.compile(
    rf"(?P<a>{'|'.join(sorted({**_STREET, **_POST}, key=len, reverse=True))})"
    rf"(?:{_ABBR_DOT}|(?![\w.'-]))"
)
_SAINT_RE = re.compile(r"St(?<![\w.]St)\.?(?=\s+[A-Z])")
_WORD_ABBR = {
    "e.g.": "for example", "i.e.": "that is", "etc.": "et cetera", "a.k.a.": "also known as",
    "aka": "also known as", "approx.": "approximately", "approx": "approximately",
    "vs.": "versus", "vs": "versus", "incl.": "including", "excl.": "excluding",
    "govt.": "government", "govt": "government", "int'l": "international", "cf.": "compare",
    "avg.": "average", "est.": "estimated", "yr.": "year", "yrs.": "years",
}
_WORD_ABBR_RE = re.compile(
    r"(?P<a>[eE]\.g|[iI]\.e|[eE]tc|a\.k\.a|aka|[aA]pprox|vs|VS|Vs|incl|excl|[gG]ovt|[iI]nt'l|cf"
    rf"|avg|est|yrs?)(?:{_ABBR_DOT}|(?![\w.']))"
)
_V_RE = re.compile(r"v(?<=[A-Za-z.] v)\.?(?= [A-Z])")
_NUMBER_ABBR = re.compile(r"(?P<a>No|no|NO|Nos|nos|Vol|vol|Art|art|Fig|fig|Pt)\.?\s?(?=#?[0-9])")
_NUMBER_ABBR_WORDS = {"no": "number", "nos": "numbers", "vol": "volume", "art": "article",
                      "fig": "figure", "pt": "part"}
_FISCAL = re.compile(r"FY(?<!\wFY)\s?(?=[0-9]{2,4}\b)")
_WEEKDAYS = {"Mon": "Monday", "Tue": "Tuesday", "Tues": "Tuesday", "Wed": "Wednesday",
             "Thu": "Thursday", "Thur": "Thursday", "Thurs": "Thursday", "Fri": "Friday",
             "Sat": "Saturday", "Sun": "Sunday"}
_WEEKDAY_RE = re.compile(
    rf"(?P<d>{'|'.join(sorted(_WEEKDAYS, key=len, reverse=True))})\.?(?=,?\s+(?:[0-9]|"
    rf"(?:{'|'.join(_MONTH_NAMES_ALL)})\b))"
)
_CIRCA = re.compile(r"c(?<![\w.]c)a?\.\s?(?=[0-9]{3,4}\b)")
_CAP_START = _first("A-Z", r"\w.")
_INITIAL_EXCL = r"\w.&'-"
_INITIAL_BEFORE = re.compile(r"(?<![\w.])[A-Z]\.\s*$")
_INITIALISM = re.compile(
    rf"(?P<i>{_CAP_START}\.(?:[A-Z]\.){{0,5}}[A-Z])(?:{_ABBR_DOT})?(?![\w])"
)
_SINGLE_INITIAL = re.compile(
    rf"(?P<i>{_first('A-Z', _INITIAL_EXCL)})\.(?=\s+(?!(?:{_STARTERS})\b)[A-Z])"
)
# All-caps words espeak-ng reads as words that English speakers spell out. The dotted
# form without a final period makes every espeak-based engine spell it, with no pause.
_SPELL = {"WHO": "W.H.O", "ACLU": "A.C.L.U", "IAEA": "I.A.E.A", "ICBM": "I.C.B.M",
          "ICBMs": "I.C.B.Ms", "AARP": "A.A.R.P", "NIMBY": "nimby"}
_SPELL_RE = re.compile(rf"(?P<w>{'|'.join(_SPELL)})(?![\w.-])")


def _word_abbr(m: re.Match[str]) -> str:
    if _glued(m, "."):
        return m.group(0)
    key = m.group("a").lower()
    words = _WORD_ABBR.get(key + ".") or _WORD_ABBR.get(key) or m.group(0)
    return words + ("." if m.group("end") else "")


def _title(m: re.Match[str]) -> str:
    t = m.group("t")
    if _glued(m):
        return m.group(0)
    if not m.group("dot") and t not in _TITLES_NO_DOT:
        return m.group(0)
    if m.group("lower") and t not in _ALWAYS_TITLES:
        return m.group(0)
    if t == "Dr" and _next_word(m) in _STARTER_SET:
        return m.group(0)  # "Mulholland Dr. The ...": a street, handled by _post
    return _TITLES[t]


def _glued(m: re.Match[str], also: str = "") -> bool:
    """Whether the match starts inside a word (or after one of `also`): the check a
    leading \\b or (?<!...) would make, done here to keep the pattern's fast scan."""
    if not m.start():
        return False
    ch = m.string[m.start() - 1]
    return ch.isalnum() or ch == "_" or ch in also


def _previous_word(m: re.Match[str]) -> str:
    """The word before the match in its sentence and line; "" at the start of either."""
    before = m.string[max(0, m.start() - 40) : m.start()]
    stripped = before.rstrip()
    if not stripped or stripped[-1] in '.!?"' or "\n" in before[len(stripped) :]:
        return ""
    return re.split(r"[\s(\"']", stripped)[-1]


def _saint(m: re.Match[str]) -> str:
    if _next_word(m) in _STARTER_SET or _previous_word(m)[:1].isdigit():
        return m.group(0)  # "Main St. The ...", "10 Downing St.": a street, left to _post
    return "Saint"


_STARTER_SET = set(_STARTERS.split("|"))


def _next_word(m: re.Match[str]) -> str:
    found = re.match(r"\.?\s*([\w']+)", m.string[m.end() : m.end() + 30])
    return found.group(1) if found else ""


def _post(m: re.Match[str]) -> str:
    a = m.group("a")
    pre = m.string[max(0, m.start() - 2) : m.start()]
    if len(pre) < 2 or pre[1] != " " or not (pre[0].isalnum() or pre[0] in ",&"):
        return m.group(0)  # only right after a word and one space: "Main St."
    before = _previous_word(m)
    if not (before[:1].isupper() or before[:1].isdigit() or before.endswith(",")
            or before == "&"):
        return m.group(0)
    end = "." if m.groupdict().get("end") else ""
    if a in _STREET and a not in _POST:
        return _STREET[a] + end
    if a == "Sr":
        return "Senior" + end
    return _POST.get(a, _STREET.get(a, a)) + end


def _number_abbr(m: re.Match[str]) -> str:
    if _glued(m, "."):
        return m.group(0)
    word = _NUMBER_ABBR_WORDS[m.group("a").lower()]
    before = m.string[max(0, m.start() - 5) : m.start()].rstrip()
    return (word.capitalize() if not before or before[-1] in ".!?\n\"" else word) + " "


# Two capitals espeak-ng spells; other pairs it may read as words (DE "duh", IN, NO, CA),
# so those stay dotted without the final period, which every espeak-based engine spells.
_SPELLED_PAIRS = {"US", "UK", "EU", "UN", "TV", "AI", "IT", "MP", "PM", "EV", "AP", "OK", "JP",
                  "CN", "FR", "NL", "DK", "PT", "GR", "KR", "SG", "HK", "TW", "NG", "CL", "FM"}


def _initialism(m: re.Match[str]) -> str:
    letters = m.group("i").replace(".", "")
    if len(letters) == 2 and letters not in _SPELLED_PAIRS:
        word = ".".join(letters)
    else:
        word = _SPELL.get(letters, letters)
    return word + ("." if m.group("end") else "")


def _single_initial(m: re.Match[str]) -> str:
    # "George W. Bush", "J. K. Rowling": a middle initial, not the end of a sentence.
    before = _previous_word(m)
    after = m.string[m.end() : m.end() + 4].lstrip()
    initial_before = _INITIAL_BEFORE.search(m.string, max(0, m.start() - 4), m.start())
    if before[:1].isupper() or initial_before or re.match(r"[A-Z]\.", after):
        return m.group("i")
    return m.group(0)


def _spell(m: re.Match[str]) -> str:
    if _glued(m, ".-"):
        return m.group(0)
    # Not in an all-capitals headline, where every word looks like an acronym.
    s, start, end = m.string, m.start(), m.end()
    around = s[max(0, start - 20) : start].split()[-1:] + s[end : end + 20].split()[:1]
    if any(len(w) > 2 and w.isupper() and w.isalpha() for w in around):
        return m.group(0)
    return _SPELL[m.group("w")]


# Roman numerals after a name: regnal ("Elizabeth II" -> "Elizabeth the Second") or
# numbered ("World War II" -> "World War Two").
_REGNAL = {
    "Elizabeth", "Charles", "James", "Henry", "Mary", "George", "William", "Edward",
    "Richard", "John", "Louis", "Napoleon", "Peter", "Catherine", "Alexander", "Nicholas",
    "Frederick", "Philip", "Felipe", "Pius", "Leo", "Benedict", "Gregory", "Paul", "Francis",
    "Clement", "Innocent", "Urban", "Boniface", "Juan", "Carlos", "Harald", "Olav", "Gustaf",
    "Christian", "Willem", "Albert", "Baudouin", "Constantine", "Ivan", "Wilhelm", "Victor",
    "Emmanuel", "Umberto", "Ludwig", "Otto", "Rama", "Akihito", "Abdullah", "Hussein",
    "Mohammed", "Muhammad", "Hassan", "Farouk", "Selim", "Suleiman", "Mehmed", "Ramesses",
    "Ramses", "Cyrus", "Darius", "Xerxes", "Ptolemy", "Cleopatra", "Anne", "Victoria",
    "Stephen", "David", "Robert", "Harold", "Canute", "Edmund", "Alfonso",
    "Ferdinand", "Isabella", "Sancho", "Pedro", "Manuel", "Joseph", "Leopold", "Franz",
    "Karl", "Sixtus", "Julius", "Adrian", "Martin", "Sergius", "Dmitry",
}
_NUMBERED = {
    "war", "bowl", "vatican", "apollo", "title", "part", "phase", "chapter", "volume",
    "act", "type", "class", "category", "stage", "level", "mark", "mk", "episode", "book",
    "section", "article", "schedule", "tier", "grade", "division", "league", "rocky",
    "pillar", "round", "clause", "amendment", "appendix", "annex", "track", "game",
    "olympiad", "legion", "corps", "army",
}
_ROMAN_RE = re.compile(r"(?P<num>[IVXLCDM](?<=\s[IVXLCDM])[IVXLCDM]{0,6})(?![\w-])")
_NAME_BEFORE = re.compile(r"(?<![\w'])([A-Za-z][a-z]+)\s+$")
_ROMAN_VALID = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _roman_value(num: str) -> int:
    if not _ROMAN_VALID.fullmatch(num):
        return 0
    total = 0
    for a, b in zip(num, num[1:] + " ", strict=True):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total


def _roman(m: re.Match[str]) -> str:
    num = m.group("num")
    found = _NAME_BEFORE.search(m.string, max(0, m.start() - 40), m.start())
    value = _roman_value(num) if found else 0
    if not value:
        return num
    name = found.group(1)
    if name.lower() in _NUMBERED:
        return _cardinal_int(value).title()
    if not name[0].isupper():
        return m.group(0)
    regnal = name in _REGNAL
    # "I" is mostly the pronoun, and V, X, L, C, D, M alone are letters ("Malcolm X",
    # "Plan B"): only after a known regnal name. Longer numerals up to 39 after any name.
    if len(num) == 1 and not regnal:
        return m.group(0)
    if not regnal and (set(num) - set("IVX") or value > 39):
        return m.group(0)
    if num == "I" and _looks_like_pronoun(m):
        return num
    return f"the {_ordinal_int(value).title()}"


def _looks_like_pronoun(m: re.Match[str]) -> bool:
    after = m.string[m.end() : m.end() + 12].lstrip()
    return bool(re.match(r"(?:am|was|have|had|will|would|think|said|do|can|could|'m|'ve|'d|'ll)\b",
                         after))


# --------------------------------------------------------------------------- dates

_MONTH = (
    rf"(?P<mon>(?:{'|'.join(_MONTH_NAMES)})(?![a-z])|"
    rf"(?:{'|'.join(sorted(_MONTH_ABBR, key=len, reverse=True))})(?![a-z])\.?)"
)
_DAY_END = r"(?:st|nd|rd|th)?(?![0-9]|[.,:][0-9]|\s?%)"
_YEAR_TAIL = r"(?:(?P<comma>,)?\s+(?P<year>[0-9]{4})(?![0-9]|[.,][0-9]))?"
# Month names start these patterns (no \b: it would disable re's fast first-character
# scan); the callbacks reject a match glued to a word before it.
_MONTH_DAY = re.compile(rf"{_MONTH}\s+(?P<day>[0-9]{{1,2}}){_DAY_END}{_YEAR_TAIL}")
_DAY_MONTH = re.compile(
    rf"(?P<day>{_D_DAY}[0-9]?){_DAY_END}(?:\s+of)?\s+{_MONTH}{_YEAR_TAIL}"
)
_MONTH_YEAR = re.compile(rf"{_MONTH}\s+(?P<year>[0-9]{{4}})(?![0-9]|[.,][0-9])")
_ISO_DATE = re.compile(
    rf"(?P<y>{_Y_ISO}[0-9]{{3}})-(?P<m>0[1-9]|1[0-2])-"
    r"(?P<d>0[1-9]|[12][0-9]|3[01])(?![0-9]|-[0-9])"
)
_NUM_DATE = re.compile(
    rf"(?P<a>{_D_DATE}[0-9]?)(?P<sep>[/.])(?P<b>[0-9]{{1,2}})(?P=sep)"
    r"(?P<y>[0-9]{4}|[0-9]{2})(?![0-9]|[./][0-9])"
)
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")


def _month_number(mon: str) -> int:
    mon = mon.rstrip(".")
    if mon in _MONTH_ABBR:
        return _MONTH_ABBR[mon]
    return _MONTH_NAMES.index(mon) + 1


def _month_day(m: re.Match[str]) -> str:
    day = int(m.group("day"))
    if not 1 <= day <= 31 or _glued(m):
        return m.group(0)
    month = _MONTH_NAMES[_month_number(m.group("mon")) - 1]
    words = f"{month} {_ordinal_int(day)}"
    if m.group("year"):
        words += ", " + _year(int(m.group("year")))
    return words


def _day_month(m: re.Match[str]) -> str:
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return m.group(0)
    month = _MONTH_NAMES[_month_number(m.group("mon")) - 1]
    the = "" if _THE_BEFORE.search(m.string, max(0, m.start() - 8), m.start()) else "the "
    words = f"{the}{_ordinal_int(day)} of {month}"
    if m.group("year"):
        words += " " + _year(int(m.group("year")))
    return words


def _month_year(m: re.Match[str]) -> str:
    if _glued(m):
        return m.group(0)
    month = _MONTH_NAMES[_month_number(m.group("mon")) - 1]
    return f"{month} {_year(int(m.group('year')))}"


def _iso_date(m: re.Match[str]) -> str:
    month = _MONTH_NAMES[int(m.group("m")) - 1]
    return f"{month} {_ordinal_int(int(m.group('d')))}, {_year(int(m.group('y')))}"


def _num_date(m: re.Match[str]) -> str:
    a, b, y = int(m.group("a")), int(m.group("b")), m.group("y")
    if m.group("sep") == "." and len(y) == 2:
        return m.group(0)  # 1.12.25 is more likely a version number than a date
    year = int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 50 else 1900 + int(y))
    year_words = _year(year)
    if a > 12 and 1 <= b <= 12 and a <= 31:
        return f"the {_ordinal_int(a)} of {_MONTH_NAMES[b - 1]} {year_words}"
    if b > 12 and 1 <= a <= 12 and b <= 31:
        return f"{_MONTH_NAMES[a - 1]} {_ordinal_int(b)}, {year_words}"
    if a == b and 1 <= a <= 12:
        return f"{_MONTH_NAMES[a - 1]} {_ordinal_int(b)}, {year_words}"
    # Day and month could be either way round: read it as written, never guess.
    sep = " slash " if m.group("sep") == "/" else " dot "
    return sep.join((_cardinal_int(a), _cardinal_int(b), year_words))


# ------------------------------------------------------------------ times and money

_AMPM = (r"(?P<ampm>[aApP])\.?\s?[mM](?![A-Za-z])"
         rf"(?:(?P<end>\.){_SENT_END}|\.)?")
_TIME = re.compile(
    rf"(?P<h>{_D_TIME}[0-9]?)(?P<sep>[:.])(?P<m>[0-9]{{2}})(?::(?P<s>[0-9]{{2}}))?"
    rf"(?![0-9]|[.:][0-9])(?:\s?{_AMPM})?"
)
_HOUR_AMPM = re.compile(rf"(?P<h>{_D_TIME}[0-9]?)\s?{_AMPM}")
_AMPM_RANGE = re.compile(r"([AP]M)(?<!\w[AP]M)[ \t]?[-–][ \t]?(?=[a-z])")
_RATIO = re.compile(
    rf"(?P<a>{_D_RATIO}[0-9]{{0,5}}):(?P<b>[0-9]{{1,6}})(?![0-9]|:[0-9])"
)


def _clock(h: int, mins: int, ampm: str | None) -> str:
    if ampm:
        words = _cardinal_int(h)
        if mins:
            words += " " + (f"oh {_cardinal_int(mins)}" if mins < 10 else _cardinal_int(mins))
        return f"{words} {ampm.upper()}M"
    if h in (0, 24) and mins == 0:
        return "midnight"
    if mins == 0:
        return f"{_cardinal_int(h)} hundred" if h > 12 else f"{_cardinal_int(h)} o'clock"
    hour = "zero" if h == 0 else _cardinal_int(h)
    return f"{hour} " + (f"oh {_cardinal_int(mins)}" if mins < 10 else _cardinal_int(mins))


def _time(m: re.Match[str]) -> str:
    h, mins = int(m.group("h")), int(m.group("m"))
    ampm = m.group("ampm")
    end = "." if m.group("end") else ""
    if m.group("sep") == "." and not ampm:
        return m.group(0)  # 3.15 is a decimal unless a.m./p.m. follows
    if m.group("s") is not None:
        secs = int(m.group("s"))
        if mins > 59 or secs > 59:
            return m.group(0)
        parts = [f"{_cardinal_int(v)} {unit}{'' if v == 1 else 's'}"
                 for v, unit in ((h, "hour"), (mins, "minute"), (secs, "second")) if v]
        if not parts:
            return "zero seconds" + end
        spoken = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        return spoken + (f" {ampm.upper()}M" if ampm else "") + end
    if mins > 59 or h > 24 or (ampm and not 1 <= h <= 12):
        return m.group(0)
    return _clock(h, mins, ampm) + end


def _hour_ampm(m: re.Match[str]) -> str:
    if not 1 <= int(m.group("h")) <= 12:
        return m.group(0)
    return _clock(int(m.group("h")), 0, m.group("ampm")) + ("." if m.group("end") else "")


def _ratio(m: re.Match[str]) -> str:
    return f"{_cardinal(m.group('a'))} to {_cardinal(m.group('b'))}"


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
_SCALES = {"thousand": "thousand", "million": "million", "billion": "billion",
           "trillion": "trillion", "k": "thousand", "K": "thousand", "m": "million",
           "M": "million", "mn": "million", "mln": "million", "b": "billion", "B": "billion",
           "bn": "billion", "tn": "trillion", "trn": "trillion"}
_CUR_SYMBOLS = sorted((c for c in _CURRENCY if not c.isalpha()), key=len, reverse=True)
_CUR_CODES = sorted((c for c in _CURRENCY if c.isalpha()), key=len, reverse=True)
_CUR_PREFIX = (
    rf"(?:{'|'.join(re.escape(c) for c in _CUR_SYMBOLS)}|"
    rf"(?:{'|'.join(_CUR_CODES)})\s?(?=[0-9]))"
)
_SCALE_RE = rf"(?:\s?(?P<scale>{'|'.join(sorted(_SCALES, key=len, reverse=True))})(?![A-Za-z]))?"
_MONEY = re.compile(
    rf"(?P<cur>{_CUR_PREFIX})(?P<a>{_NUM})"
    rf"(?:{_SCALE_RE.replace('scale', 'scale1')}{_RANGE_SEP}(?:{_CUR_PREFIX})?(?P<b>{_NUM}))?"
    rf"{_SCALE_RE}"
)
_MONEY_SUFFIX = re.compile(
    rf"(?P<a>{_N_MONEY})(?:{_RANGE_SEP}(?P<b>{_NUM}))?{_SCALE_RE}\s?"
    rf"(?P<cur>{'|'.join(_CUR_CODES)}|€|p(?=[\s.,;:!?)]|$)|¢)(?![A-Za-z])"
)


def _money_words(
    cur: str, a: str, b: str | None = None, scale: str | None = None,
    scale1: str | None = None, adjective: bool = False,
) -> str:
    """`a` [to `b`] [scale] in currency `cur`; a minus sign was read before ("minus $5")."""
    one, many, minor_one, minor_many = _CURRENCY[cur]
    if adjective:
        many = one  # "a $5 fine", "a $3bn deal": "a five dollar fine"
    if scale:
        first = _cardinal(a) + (f" {_SCALES[scale1]}" if scale1 and scale1 != scale else "")
        amount = first + (f" to {_cardinal(b)}" if b else "")
        return f"{amount} {_SCALES[scale]} {many}"
    if b:
        return f"{_cardinal(a)} to {_cardinal(b)} {many}"
    whole, _, frac = a.replace(",", "").partition(".")
    if len(frac) == 2 and minor_many and len(whole) <= _MAX_DIGITS:
        major, minor = int(whole or "0"), int(frac)
        minor_words = f"{_cardinal_int(minor)} {minor_one if minor == 1 else minor_many}"
        major_words = f"{_cardinal_int(major)} {one if major == 1 else many}"
        if major == 0:
            return minor_words
        if minor == 0:
            return major_words
        if cur in ("£", "GBP"):
            return f"{major_words} {_cardinal_int(minor)}"  # "three pounds fifty"
        return f"{major_words} and {minor_words}"
    return f"{_cardinal(a)} {one if a == '1' else many}"


def _money(m: re.Match[str]) -> str:
    if _glued(m):
        return m.group(0)
    cur = m.group("cur").strip()
    adjective = _previous_word(m).lower() in ("a", "an")
    return _money_words(cur, m.group("a"), m.group("b"), m.group("scale"), m.group("scale1"),
                        adjective)


def _money_suffix(m: re.Match[str]) -> str:
    cur, a, b = m.group("cur"), m.group("a"), m.group("b")
    to_b = f" to {_cardinal(b)}" if b else ""
    if cur == "p":
        if len(a) <= 2 and not b:
            return _money_words("£", "0." + a.zfill(2))  # "50p": "fifty pence"
        return f"{_cardinal(a)}{to_b} pence"
    if cur == "¢":
        return f"{_cardinal(a)}{to_b} {'cent' if a == '1' and not b else 'cents'}"
    return _money_words(cur, a, b, m.group("scale"))


# ---------------------------------------------------------------- percent and units

_PERCENT = re.compile(
    rf"(?P<a>{_N_W})(?:{_RANGE_SEP}(?P<b>{_NUM}))?\s?"
    r"(?:%|pc\b|pct\b|per\s?cent\b|percent\b)"
)


def _percent(m: re.Match[str]) -> str:
    b = m.group("b")
    return _cardinal(m.group("a")) + (f" to {_cardinal(b)}" if b else "") + " percent"


# unit -> (singular, plural); American spelling (engines say both the same way)
_UNITS: dict[str, tuple[str, str]] = {
    "km": ("kilometer", "kilometers"), "m": ("meter", "meters"),
    "cm": ("centimeter", "centimeters"), "mm": ("millimeter", "millimeters"),
    "kg": ("kilogram", "kilograms"), "g": ("gram", "grams"), "mg": ("milligram", "milligrams"),
    "lb": ("pound", "pounds"), "lbs": ("pounds", "pounds"), "oz": ("ounce", "ounces"),
    "ft": ("foot", "feet"), "mi": ("mile", "miles"), "yd": ("yard", "yards"),
    "mph": ("mile per hour", "miles per hour"),
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "kmh": ("kilometer per hour", "kilometers per hour"),
    "km/hr": ("kilometer per hour", "kilometers per hour"),
    "m/s": ("meter per second", "meters per second"),
    "km2": ("square kilometer", "square kilometers"), "m2": ("square meter", "square meters"),
    "ft2": ("square foot", "square feet"), "mi2": ("square mile", "square miles"),
    "sq km": ("square kilometer", "square kilometers"), "sq m": ("square meter", "square meters"),
    "sq ft": ("square foot", "square feet"), "sq mi": ("square mile", "square miles"),
    "m3": ("cubic meter", "cubic meters"), "ha": ("hectare", "hectares"),
    "l": ("liter", "liters"), "L": ("liter", "liters"), "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"), "cl": ("centiliter", "centiliters"),
    "KB": ("kilobyte", "kilobytes"), "kB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"), "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"), "Mbps": ("megabit per second", "megabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second"),
    "Hz": ("hertz", "hertz"), "kHz": ("kilohertz", "kilohertz"), "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"), "W": ("watt", "watts"), "kW": ("kilowatt", "kilowatts"),
    "MW": ("megawatt", "megawatts"), "GW": ("gigawatt", "gigawatts"),
    "kWh": ("kilowatt hour", "kilowatt hours"), "MWh": ("megawatt hour", "megawatt hours"),
    "GWh": ("gigawatt hour", "gigawatt hours"), "TWh": ("terawatt hour", "terawatt hours"),
    "kV": ("kilovolt", "kilovolts"), "mAh": ("milliamp hour", "milliamp hours"),
    "dB": ("decibel", "decibels"), "hr": ("hour", "hours"), "hrs": ("hours", "hours"),
    "min": ("minute", "minutes"), "mins": ("minutes", "minutes"),
    "sec": ("second", "seconds"), "secs": ("seconds", "seconds"),
    "ms": ("millisecond", "milliseconds"), "yr": ("year", "years"), "yrs": ("years", "years"),
    "bpd": ("barrel per day", "barrels per day"), "mpg": ("mile per gallon", "miles per gallon"),
    "psi": ("psi", "psi"), "ppm": ("part per million", "parts per million"),
    "°C": ("degree Celsius", "degrees Celsius"), "° C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "° F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"), "C": ("degree Celsius", "degrees Celsius"),
    "F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "x": ("times", "times"), "×": ("times", "times"), "pts": ("points", "points"),
    "bn": ("billion", "billion"), "tn": ("trillion", "trillion"), "mn": ("million", "million"),
    "k": ("thousand", "thousand"),
}
# "C", "F" and "x" count as units only written right after the number (30C, 10x).
_TIGHT_UNITS = {"C", "F", "x", "L", "W"}
_UNIT = re.compile(
    rf"(?P<a>{_N_W})(?:{_RANGE_SEP}(?P<b>{_NUM}))?"
    r"(?:\s(?P<scale>thousand|million|billion))?(?P<sep>\s?-?)"
    rf"(?P<u>{'|'.join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))})"
    r"(?![A-Za-z0-9/²³])"
)
_FEET_INCHES = re.compile(
    rf"(?P<ft>{_D_W})\s?(?:ft|')\s?(?P<in>1[01]|[0-9])\s?(?P<unit>in\b|\"|'')?"
)
_BY = re.compile(rf"(?P<a>{_N_W})\s?[x×]\s?(?P<b>{_NUM})(?![\w.])")
# "3m people" is three million, "100m sprint" one hundred meters.
_MILLION_NOUNS = re.compile(
    r"\s{1,3}(?:people|users|customers|voters|viewers|jobs|homes|households|cases|doses|"
    r"barrels|tonnes|tons|visitors|residents|children|deaths|subscribers|passengers|"
    r"workers|members|copies|downloads|followers|refugees|migrants|patients|animals|"
    r"trees|years|pounds|dollars|euros|shares|votes|acres|hectares)\b"
)


def _unit(m: re.Match[str]) -> str:
    u, a, b, sep = m.group("u"), m.group("a"), m.group("b"), m.group("sep")
    if u in _TIGHT_UNITS and sep:
        return m.group(0)
    if u == "m" and _MILLION_NOUNS.match(m.string, m.end()):
        u = "mn"
    one, many = _UNITS[u]
    amount = _cardinal(a) + (f" to {_cardinal(b)}" if b else "")
    if m.group("scale"):
        return f"{amount} {m.group('scale')} {many}"
    singular = b is None and a == "1"
    if sep.endswith("-") or _previous_word(m).lower() in ("a", "an"):
        singular = True  # "a 5-km race", "a 100m sprint": an adjective, singular
    return f"{amount} {one if singular else many}"


def _feet_inches(m: re.Match[str]) -> str:
    feet, inches = int(m.group("ft")), int(m.group("in"))
    return (f"{_cardinal_int(feet)} {'foot' if feet == 1 else 'feet'} {_cardinal_int(inches)}"
            + (f" {'inch' if inches == 1 else 'inches'}" if m.group("unit") else ""))


def _by(m: re.Match[str]) -> str:
    return f"{_cardinal(m.group('a'))} by {_cardinal(m.group('b'))}"


# ------------------------------------------------------- ordinals, decades, years, ...

_ORDINAL = re.compile(
    rf"(?P<n>{_D_W}(?:[0-9]{{0,2}}(?:,[0-9]{{3}})+|[0-9]*))"
    r"(?:st|nd|rd|th|ST|ND|RD|TH)(?![A-Za-z0-9])"
)
_DECADE_SHORT = re.compile(r"'(?<![\w.,']')(?P<d>[0-9]0)'?s(?![\w'])")
_DECADE = re.compile(rf"(?P<d>{_D1_WQ}[0-9]{{1,3}})'?s(?![\w'])")
_ROUND_PLURAL = re.compile(
    rf"(?P<n>{_D1_W}(?:0{{0,2}}(?:,000)+|00))'?s(?![\w'])"
)
_YEAR_RANGE = re.compile(
    rf"(?P<a>{_Y_W}[0-9]{{3}})\s?[-–/]\s?(?P<b>[12][0-9]{{3}}|[0-9]{{2}})"
    r"(?![0-9]|[.,][0-9]|\s?%)"
)
_YEAR = re.compile(rf"(?P<y>{_Y_W}[0-9]{{3}})(?![0-9]|[.,][0-9]|\s?%)")
_STRONG_YEAR_CUES = {
    "in", "since", "by", "until", "till", "through", "during", "before", "after", "circa",
    "early", "late", "mid", "spring", "summer", "autumn", "fall", "winter", "year", "ad",
    "ce", "from", "between", "election", "season", "class",
    *(name.lower() for name in _MONTH_NAMES), *(a.lower() for a in _MONTH_ABBR),
}
_YEAR_AFTER = {"bc", "bce", "ad", "ce", "election", "elections", "season", "census",
               "budget", "olympics", "games", "model", "vintage", "edition", "campaign",
               "midterms", "war", "crisis", "and", "to", "or", "when", "as", "that", "after",
               "before", "until", "through", "was", "is", "had", "saw", "brought", "marked",
               "the", "a", "an", "it", "he", "she", "they", "we", "i", "there", "this",
               "however", "but"}
_DETERMINERS = {"the", "a", "its", "his", "her", "their", "our", "this", "that", "whose", "your"}
_COUNT_NOUNS = {"people", "men", "women", "children", "police", "staff", "personnel", "cattle",
                "sheep", "fish", "feet", "teeth", "mice", "geese", "more", "new", "other", "of"}
_FRACTION = re.compile(
    rf"(?P<first>{_D_FRAC}[0-9]{{0,5}})(?:\s(?P<n>[0-9]{{1,4}}))?/"
    r"(?P<d>[0-9]{1,4})(?![0-9/]|\.[0-9])"
)
_FRACTION_SPECIAL = {"24/7": "twenty-four seven", "9/11": "nine eleven",
                     "50/50": "fifty-fifty", "20/20": "twenty-twenty", "7/7": "seven seven"}
_DENOMINATORS = {2: ("half", "halves"), 4: ("quarter", "quarters")}
_DOTTED_NUMBER = re.compile(
    rf"{_D_DOT}[0-9]{{0,3}}(?:\.[0-9]{{1,4}}){{2,}}(?![\w.]|\.[0-9])"
)
_PHONE_GATE = re.compile(r"[0-9]{2}[ .-][0-9]{2}")
_PHONE = re.compile(
    r"(?<![\w+.,/:-])(?P<plus>\+\s?[0-9]{1,3}[ .-]?)?(?P<area>\(0?[0-9]{1,4}\)\s?)?"
    r"(?P<body>[0-9]{2,5}(?:[ .-][0-9]{2,5}){1,4})(?![\w]|[.-][0-9])"
)
_NUM_RANGE = re.compile(
    rf"(?P<a>{_N_RANGE})\s?[-–]\s?(?P<b>{_NUM})(?![\w]|[.,][0-9]|\s?[-–]\s?[0-9])"
)
_HASH_NUMBER = re.compile(r"#(?<![\w&]#)\s?(?=[0-9])")
_MINUS = re.compile(r"-(?<![\w.,)\]/-]-)(?=\.?[0-9]|[$£€¥]\s?[0-9])")
# "G7", "F-35", "COVID-19", "4G": letters and digits apart; a lower-case word keeps its
# hyphen ("9-to-5", "20-fold").
_CAPS_HYPHEN_DIGIT = re.compile(r"-(?<=[A-Z]-)(?=[0-9])")
_LETTER_DIGIT = re.compile(r"([0-9])(?<=[^\W\d_][0-9])")
_DIGIT_LETTER = re.compile(r"([0-9])(?=[^\W\d_])")
_POINT_NUMBER = re.compile(r"\.(?<![\w.]\.)([0-9]+)")
_NUMBER = re.compile(
    r"[0-9](?<![0-9][0-9])(?:[0-9]{0,2}(?:,[0-9]{3})+(?![0-9])|[0-9]*)(?:\.[0-9]+)?"
)
_HAS_DIGIT = re.compile("[0-9]")


def _ordinal_sub(m: re.Match[str]) -> str:
    return _ordinal(m.group("n"))


def _decade(m: re.Match[str]) -> str:
    d = m.group("d")
    n = int(d)
    if len(d) == 4 and d.endswith("0") and 1000 <= n <= 2099:
        return _plural(_year(n))  # the 1990s
    if len(d) == 2 and d.endswith("0"):
        return _plural(_cardinal_int(n))  # in her 30s
    if d in ("100", "1000"):
        return _plural(_cardinal_int(n).removeprefix("one "))  # 100s of people
    return m.group(0)


def _decade_short(m: re.Match[str]) -> str:
    return _plural(_cardinal_int(int(m.group("d"))))  # the '80s


def _round_plural(m: re.Match[str]) -> str:
    return _plural(_cardinal(m.group("n")).removeprefix("one "))


def _year_range(m: re.Match[str]) -> str:
    a, b = int(m.group("a")), m.group("b")
    second = int(b) if len(b) == 4 else (a // 100) * 100 + int(b)
    if not 1000 <= a < second <= min(a + 200, 2099):
        return m.group(0)
    return f"{_year(a)} to {_year(second)}"


def _year_sub(m: re.Match[str]) -> str:
    y = int(m.group("y"))
    if y > 2099:
        return m.group(0)
    before = m.string[max(0, m.start() - 30) : m.start()]
    prev = re.findall(r"[A-Za-z]+(?=[\s-]*$)", before)
    prev_word = prev[-1].lower() if prev else ""
    after = m.string[m.end() : m.end() + 30]
    nxt = re.match(r"\s*(?:'s\b|[-–]?([A-Za-z]+))?", after)
    next_word = (nxt.group(1) or "") if nxt else ""
    if prev_word in _STRONG_YEAR_CUES or after.startswith("'s"):
        return _year(y)
    if not next_word or not next_word[0].islower() or next_word in _YEAR_AFTER:
        return _year(y)
    if prev_word in _DETERMINERS:
        return _year(y)  # "the 2030 target", "a 2019 study"
    if next_word in _COUNT_NOUNS or (next_word.endswith("s") and not next_word.endswith("ss")):
        return _cardinal_int(y)  # "1500 troops", "2000 people"
    return _year(y)


def _fraction(m: re.Match[str]) -> str:
    whole, n_s, d_s = m.group("first"), m.group("n"), m.group("d")
    if n_s is None:
        whole, n_s = None, whole
    if len(n_s) > 4:
        return m.group(0)
    key = f"{n_s}/{d_s}"
    prefix = f"{_cardinal(whole)} " if whole else ""
    if key in _FRACTION_SPECIAL:
        return prefix + _FRACTION_SPECIAL[key]
    n, d = int(n_s), int(d_s)
    if d == 0:
        return f"{prefix}{_cardinal(n_s)} slash zero"
    proper = 0 < n < d and (d < 10 or d in (12, 16, 32, 64) or (n == 1 and d in (10, 100)))
    if whole and proper:
        if n == 1:
            name = "a half" if d == 2 else "a quarter" if d == 4 else f"one {_ordinal_int(d)}"
            return f"{_cardinal(whole)} and {name}"
        return f"{_cardinal(whole)} and {_fraction_words(n, d)}"
    if proper:
        return prefix + _fraction_words(n, d)
    if n <= d:
        return f"{prefix}{_cardinal_int(n)} out of {_cardinal_int(d)}"
    return f"{prefix}{_cardinal_int(n)} slash {_cardinal_int(d)}"


def _fraction_words(n: int, d: int) -> str:
    one, many = _DENOMINATORS.get(d, (_ordinal_int(d), _plural(_ordinal_int(d))))
    return f"{_cardinal_int(n)} {one if n == 1 else many}"


def _dotted_number(m: re.Match[str]) -> str:
    parts = m.group(0).split(".")
    joiner = " dot " if len(parts) >= 4 else " point "
    return joiner.join(_cardinal(p) for p in parts)


def _phone(m: re.Match[str]) -> str:
    body = m.group("body")
    groups = re.split(r"[ .-]", body)
    digits = sum(len(g) for g in groups) + len(re.sub(r"[^0-9]", "", m.group("plus") or ""))
    digits += len(re.sub(r"[^0-9]", "", m.group("area") or ""))
    plus, area = m.group("plus"), m.group("area")
    seps = set(re.findall(r"[ .-]", body))
    if not (plus or area):
        if digits < 7:
            return m.group(0)
        if seps == {" "} and len(groups[0]) <= 3 and not groups[0].startswith("0") and all(
            len(g) == 3 for g in groups[1:]
        ):
            return _cardinal("".join(groups))  # "10 000 000": spaced thousands
        if len(groups) < 3 and not groups[0].startswith("0"):
            return m.group(0)  # "2010 2012", "100-1000": not a phone number
        if seps == {"."} and len(groups) <= 3:
            return m.group(0)
    spoken = []
    if plus:
        spoken.append("plus " + _digits(plus))
    if area:
        spoken.append(_digits(area))
    spoken += [_digits(g) for g in groups]
    return ", ".join(spoken)


def _num_range(m: re.Match[str]) -> str:
    if m.group("a") == m.group("b") == "50":
        return "fifty-fifty"
    return f"{_cardinal(m.group('a'))} to {_cardinal(m.group('b'))}"


def _number(m: re.Match[str]) -> str:
    return _cardinal(m.group(0))


# ------------------------------------------------------------ symbols and punctuation

# Symbols read as words. The number passes need "%", "°", "#", "+", "×", "/" and the
# currency signs, so those are read after them (LATE); the others before the
# abbreviation passes (EARLY), so a second run sees the same words: "Mr. & Mrs." must be
# "Mr. and Mrs." before titles are expanded.
_SYMBOL_WORDS = {
    "&": " and ", "+": " plus ", "=": " equals ", "±": " plus or minus ", "×": " times ",
    "÷": " divided by ", "≈": " about ", "≤": " at most ", "≥": " at least ",
    "≠": " not equal to ", "→": " to ", "§": " section ", "°": " degrees ", "%": " percent ",
    "‰": " per mille ", "@": " at ", "$": " dollars ", "£": " pounds ", "€": " euros ",
    "¥": " yen ", "~": " about ",
}
_LATE = "+×°%$£€¥#/"
_SYMBOL_DROP = "*^`{}\\#[]<>¦¬"
_SYMBOL_PAUSE = "|•·▪●◦‣⁃"
_AMPERSAND_CAPS = re.compile(r"[A-Z]&[A-Z]")
_TILDE_DOUBLE = re.compile(r"~{2,}")
_LESS_MORE = re.compile(r"([<>])(?<=\s[<>])(?=\s)")
_SLASH_WORDS = re.compile(r"/(?<=[^\W\d_]/)(?=[^\W\d_])")
_EARLY_CHARS = "".join(c for c in (*_SYMBOL_WORDS, *_SYMBOL_DROP, *_SYMBOL_PAUSE, "_")
                       if c not in _LATE)
_SYMBOLS_EARLY = re.compile(f"[{re.escape(_EARLY_CHARS)}]")
_SYMBOLS_LATE = re.compile(f"[{re.escape(_LATE)}]")
_SYMBOLS_ANY = re.compile(f"[{re.escape(_SYMBOL_DROP + _SYMBOL_PAUSE + '_')}]")

_ELLIPSIS = re.compile(r"(?:\.[ \t]?){2,}\.|…")
# Patterns that start with a run of blanks begin only where the run begins
# ((?<![ \t])): tried at every blank of a long run, they would backtrack quadratically.
_DASH = re.compile(
    r"(?<![ \t])[ \t]*(?:—|―|-{2,})|(?<![ \t])[ \t]+[-–][ \t]+|(?<=[^\W\d_])–(?=[^\W\d_])"
)
_PARENS = re.compile(r"\(([^()\n]{0,1000})\)")
_AREA_CODE = re.compile(r"\+?[0-9]{1,5}")
_BRACKETS = re.compile(r"[\[\]{}]")
_STRAY_PARENS = re.compile(r"[()]")
_REPEATED = [
    (re.compile(r"'{2,}"), '"'),  # ’’ or `` '' quoting: one double quote
    (re.compile(r"([!?])[!?]+"), r"\1"),
    (re.compile(r"[ \t][-–][ \t]"), ", "),  # a spaced dash is a pause, wherever it came from
    (re.compile(r"[ \t](?<![ \t][ \t])[ \t]*([,.;:!?])"), r"\1"),
    (re.compile(r",(?:[ \t]*,)+"), ","),
    (re.compile(r";(?:[ \t]*[;,])+"), ";"),
    (re.compile(r"\.(?:[ \t]*\.)+"), "."),
    (re.compile(r"[,;:](?<![,;:][,;:])[,;:]*[ \t]*([.!?])"), r"\1"),
    (re.compile(r"([.!?])[ \t]*[,;:]+"), r"\1"),
    (re.compile(r"([,;])(?=[^\s\d\"',;.!?])"), r"\1 "),
    (re.compile(r"(?m)^[ \t,;:.!?]+"), ""),
    (re.compile(r"(?m)^[-*+][ \t]+"), ""),  # what the markup pass would take for a bullet
    (re.compile(r"(?m)[,;][ \t]*$"), ""),
    (re.compile(r"\"[ \t]*,[ \t]*\""), ", "),
    (re.compile(r"([\"'])(?<![^\s][\"'])[ \t]*,[ \t]*"), r"\1"),
]
_SPACES = re.compile(r"[ \t]{2,}")
_LINE_EDGES = re.compile(r"[ \t](?<![ \t][ \t])[ \t]*\n|\n[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _ellipsis(m: re.Match[str]) -> str:
    s = m.string
    before = s[max(0, m.start() - 1) : m.start()]
    after = s[m.end() : m.end() + 3].lstrip(" \t")
    if not before.strip() or before in "\"'(,;:.!?":
        return ""
    if after[:1].islower() or after[:1].isdigit():
        return ", "
    return ". " if after else "."


def _parens_early(m: re.Match[str]) -> str:
    return m.group(0) if _AREA_CODE.fullmatch(m.group(1)) else _parens(m)


def _parens(m: re.Match[str]) -> str:
    inner = m.group(1).strip(" \t,;")
    return f", {inner}, " if inner else " "


def _symbol_en(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch == "&" and _AMPERSAND_CAPS.match(m.string, max(0, m.start() - 1)):
        return ch  # engines read AT&T and R&D as letters and "and"
    if ch in _SYMBOL_WORDS:
        return _SYMBOL_WORDS[ch]
    if ch in _SYMBOL_PAUSE:
        return ", "
    return " " if ch in "_/" else ""


def _symbol_any(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch in _SYMBOL_PAUSE:
        return ", "
    return " " if ch == "_" else ""


def _punctuation(text: str) -> str:
    if ".." in text or ". ." in text or "…" in text:
        text = _ELLIPSIS.sub(_ellipsis, text)
    if "--" in text or "—" in text or "―" in text or "–" in text or " - " in text:
        text = _DASH.sub(lambda m: "-" if m.group(0) == "–" else ", ", text)
    for _ in range(3):  # nested parentheses, innermost first
        text, n = _PARENS.subn(_parens, text)
        if not n:
            break
    text = _STRAY_PARENS.sub(" ", text)
    text = _BRACKETS.sub("", text)
    text = _SPACES.sub(" ", text)
    for _ in range(5):  # one rule's output can feed an earlier one: ", ." -> "." ...
        before = text
        for pattern, repl in _REPEATED:
            text = pattern.sub(repl, text)
        text = _SPACES.sub(" ", text)
        if text == before:
            break
    if "\n" in text:
        text = _BLANK_LINES.sub("\n\n", _LINE_EDGES.sub("\n", text))
    return text.strip()


# ------------------------------------------------------------------------ the passes

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
        from briefing.summarize.language import detect  # only when asked to guess

        return detect(text).code == "en"
    return code == "en" or code.startswith("en-")


def normalize_for_speech(text: str, lang: str = "en") -> str:
    """Rewrite `text` as words a speech engine reads the way a newsreader would.

    `lang` is a language code ("en", "en-GB", "de", ...) or "auto" to detect it. English
    gets every rule; other languages only markup, invisible characters, emoji, URLs and
    punctuation cleanup, with numbers left to the engine's own language rules.
    Paragraph breaks (newlines) are kept; any string in gives a string out.
    """
    if not text:
        return ""
    english = _is_english(lang, text)
    text = _strip_markup(text)
    text = _clean_chars(text)
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
