"""US state abbreviations in news style: "Springfield, Mass.", "Sen. Smith, D-Calif.".

An abbreviation is expanded where it surely is a state: after a place and a comma
("Springfield, Ill." - "Ill." alone is just as likely the word ill), after a party
letter ("D-Calif." is "Democrat of California"; the postal code too: "R-TX"), or, for
the abbreviations that are no English word ("Calif.", "Okla."), anywhere. Runs with
the abbreviations, before initialisms ("N.Y.") and titles, so their periods are whole.
"""

from __future__ import annotations

import re

from briefing.normalize.matching import glued

_STATES = {
    "Ala": "Alabama",
    "Ariz": "Arizona",
    "Ark": "Arkansas",
    "Calif": "California",
    "Colo": "Colorado",
    "Conn": "Connecticut",
    "Del": "Delaware",
    "Fla": "Florida",
    "Ga": "Georgia",
    "Ill": "Illinois",
    "Ind": "Indiana",
    "Kan": "Kansas",
    "Kans": "Kansas",
    "Ky": "Kentucky",
    "La": "Louisiana",
    "Md": "Maryland",
    "Mass": "Massachusetts",
    "Mich": "Michigan",
    "Minn": "Minnesota",
    "Miss": "Mississippi",
    "Mo": "Missouri",
    "Mont": "Montana",
    "Neb": "Nebraska",
    "Nebr": "Nebraska",
    "Nev": "Nevada",
    "N.H": "New Hampshire",
    "N.J": "New Jersey",
    "N.M": "New Mexico",
    "N.Y": "New York",
    "N.C": "North Carolina",
    "N.D": "North Dakota",
    "Okla": "Oklahoma",
    "Ore": "Oregon",
    "Oreg": "Oregon",
    "Pa": "Pennsylvania",
    "Penn": "Pennsylvania",
    "R.I": "Rhode Island",
    "S.C": "South Carolina",
    "S.D": "South Dakota",
    "Tenn": "Tennessee",
    "Tex": "Texas",
    "Vt": "Vermont",
    "Va": "Virginia",
    "Wash": "Washington",
    "W.Va": "West Virginia",
    "Wis": "Wisconsin",
    "Wisc": "Wisconsin",
    "Wyo": "Wyoming",
}
# No English word and no common name: a state wherever it stands with its period.
_ALWAYS = {
    "Ala",
    "Ariz",
    "Calif",
    "Colo",
    "Conn",
    "Fla",
    "Mich",
    "Minn",
    "Okla",
    "Tenn",
    "Wyo",
    "Nebr",
    "Wisc",
    "Oreg",
}
_POSTAL = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming",
}  # fmt: skip
_PARTY = {"D": "Democrat", "R": "Republican", "I": "independent"}
_ABBR = "|".join(re.escape(k) for k in sorted(_STATES, key=len, reverse=True))
# The period stays where it also ends the sentence: a capital or a quote follows, or
# the line ends (a place is rarely followed by a capitalized word in one sentence).
STATE_RE = re.compile(
    rf"(?:(?P<party>[DRI])-)?(?P<st>{_ABBR})\.(?P<end>(?=[ \t]*(?:\n|\Z)|\s+[A-Z\"'(“]))?"
    rf"|(?P<party2>[DRI])-(?P<postal>{'|'.join(_POSTAL)})(?![\w-]|\.\w)"
)
_PLACE_COMMA = re.compile(r"[A-Z][\w.'’-]*, $")


def state(m: re.Match[str]) -> str:
    if glued(m, "-"):
        return m.group(0)
    if m.group("postal"):
        return f"{_PARTY[m.group('party2')]} of {_POSTAL[m.group('postal')]}"
    st, party = m.group("st"), m.group("party")
    name = _STATES[st] + ("." if m.group("end") is not None else "")
    if party:
        return f"{_PARTY[party]} of {name}"
    if st in _ALWAYS or _PLACE_COMMA.search(m.string, max(0, m.start() - 40), m.start()):
        return name
    return m.group(0)
