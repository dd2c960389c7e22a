"""Roman numerals after a name: "Elizabeth II" -> "Elizabeth the Second",
"World War II" -> "World War Two".

Runs after the number passes, because splitting letters from digits ("C0" -> "C
zero") can leave a numeral that must still be read, and before `_spell`. Only
after a known regnal name or a word such as "war" or "phase", because "I", "C" and
"X" alone are mostly a pronoun or letters.
"""

from __future__ import annotations

import re

from briefing.normalize.numbers import cardinal_int, ordinal_int

# Roman numerals after a name: regnal ("Elizabeth II" -> "Elizabeth the Second") or
# numbered ("World War II" -> "World War Two").
_REGNAL = {
    "Elizabeth",
    "Charles",
    "James",
    "Henry",
    "Mary",
    "George",
    "William",
    "Edward",
    "Richard",
    "John",
    "Louis",
    "Napoleon",
    "Peter",
    "Catherine",
    "Alexander",
    "Nicholas",
    "Frederick",
    "Philip",
    "Felipe",
    "Pius",
    "Leo",
    "Benedict",
    "Gregory",
    "Paul",
    "Francis",
    "Clement",
    "Innocent",
    "Urban",
    "Boniface",
    "Juan",
    "Carlos",
    "Harald",
    "Olav",
    "Gustaf",
    "Christian",
    "Willem",
    "Albert",
    "Baudouin",
    "Constantine",
    "Ivan",
    "Wilhelm",
    "Victor",
    "Emmanuel",
    "Umberto",
    "Ludwig",
    "Otto",
    "Rama",
    "Akihito",
    "Abdullah",
    "Hussein",
    "Mohammed",
    "Muhammad",
    "Hassan",
    "Farouk",
    "Selim",
    "Suleiman",
    "Mehmed",
    "Ramesses",
    "Ramses",
    "Cyrus",
    "Darius",
    "Xerxes",
    "Ptolemy",
    "Cleopatra",
    "Anne",
    "Victoria",
    "Stephen",
    "David",
    "Robert",
    "Harold",
    "Canute",
    "Edmund",
    "Alfonso",
    "Ferdinand",
    "Isabella",
    "Sancho",
    "Pedro",
    "Manuel",
    "Joseph",
    "Leopold",
    "Franz",
    "Karl",
    "Sixtus",
    "Julius",
    "Adrian",
    "Martin",
    "Sergius",
    "Dmitry",
}
_NUMBERED = {
    "war",
    "bowl",
    "vatican",
    "apollo",
    "title",
    "part",
    "phase",
    "chapter",
    "volume",
    "act",
    "type",
    "class",
    "category",
    "stage",
    "level",
    "mark",
    "mk",
    "episode",
    "book",
    "section",
    "article",
    "schedule",
    "tier",
    "grade",
    "division",
    "league",
    "rocky",
    "pillar",
    "round",
    "clause",
    "amendment",
    "appendix",
    "annex",
    "track",
    "game",
    "olympiad",
    "legion",
    "corps",
    "army",
}
ROMAN_RE = re.compile(r"(?P<num>[IVXLCDM](?<=\s[IVXLCDM])[IVXLCDM]{0,6})(?![\w-])")
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


# A team's "XI" is its eleven players ("Palace's XI", "the starting XI"); espeak-ng, and
# the voices that take its phonemes, say "roman eleven".
_TEAM_BEFORE = re.compile(
    r"(?:['’]s|\b(?:starting|strongest|strong|best|first|second|combined|unchanged|dream|"
    r"greatest|ideal|weakened|full-strength))\s+$",
    re.IGNORECASE,
)


def roman(m: re.Match[str]) -> str:
    num = m.group("num")
    if num == "XI" and _TEAM_BEFORE.search(m.string, max(0, m.start() - 20), m.start()):
        return "eleven"
    found = _NAME_BEFORE.search(m.string, max(0, m.start() - 40), m.start())
    value = _roman_value(num) if found else 0
    if not value or found is None:
        return num
    name = found.group(1)
    if name.lower() in _NUMBERED:
        return cardinal_int(value).title()
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
    return f"the {ordinal_int(value).title()}"


def _looks_like_pronoun(m: re.Match[str]) -> bool:
    after = m.string[m.end() : m.end() + 12].lstrip()
    return bool(
        re.match(r"(?:am|was|have|had|will|would|think|said|do|can|could|'m|'ve|'d|'ll)\b", after)
    )
