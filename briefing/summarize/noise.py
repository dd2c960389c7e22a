"""Text on a news page that is not a sentence of the story, found before ranking.

A scraped article carries the page around it: photo captions that point at a picture
("the plot above", "pictured", "scroll down"), shop widgets ("Topshop striped zip
through skirt Earn your style stripes!", "Buy it now"), fixture boxes ("West Bromwich
Albion vs Leicester City (The Hawthorns) Team news"), and a headline run into the lead
without a full stop ("...receive a tax cut David Cameron will say today that...").
Read aloud, none of it makes sense. `noise` says why a sentence is not the story's;
`split_glued` cuts a headline or caption off the sentence it was run into, so that the
splitter's pieces can be judged one by one; `join_initials` mends a sentence the
splitter cut after a name's initials ("Blues legend B.B." / "King was hospitalized").
`no_referent` tells an opening that leans on someone or something the listener has
not heard of ("The quaint capital city...", "It's hard to believe that his..."), so a
later sentence opens the story instead.

Every pattern here runs in time linear in the text: no nested or overlapping
quantifiers, bounded look-arounds only, and no unbounded blank run before a literal
(the splitter gives sentences with their blanks collapsed).
"""

from __future__ import annotations

import re

from briefing import nlp


def _words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A sentence that points at the page: "the plot above", "pictured below", "(above)".
_POINTS_AT_PAGE_RE = re.compile(
    r"(?i)\b(?:pictured|seen|shown|see|watch|featured|illustrated|plot|picture|pictures|"
    r"photo|photos|photograph|image|images|video|videos|clip|map|graphic|chart|table|"
    r"footage|gallery|tweet|post|list|diagram|infographic|slideshow|link|left|right)"
    r"\s+(?:above|below)\b|\((?:above|below)\)|\b(?:above|below)\s*:|"
    r"\bscroll\s+(?:down|up)\b|\bclick\s+(?:here|through|on|to)\b|"
    r"\b(?:watch|see)\s+(?:the\s+)?(?:video|gallery|clip|pictures)\b"
)
# Shop widgets and page boxes: what to buy, where, for how much; fixture previews.
_WIDGET_RE = re.compile(
    r"(?i)\b(?:buy\s+(?:it\s+)?now|shop\s+(?:now|the\s+look|it\s+here|online)|"
    r"click\s+to\s+buy|visit\s+site|get\s+the\s+look|style\s+stripes|"
    r"(?:available|out)\s+now\s+(?:at|from)\b|stockists?\b|rrp\b|"
    r"team\s+news\b|kick-off\s*:|provisional\s+squads?\b|betting\s+odds\b|opta\s+stats\b|"
    r"here\s+is\s+all\s+(?:the\s+information|you\s+need)|all\s+you\s+need\s+to\s+know\s+about|"
    r"follow\s+(?:us|him|her)\s+on\s+(?:twitter|instagram|facebook)|"
    r"share\s+(?:this|or\s+comment)|sign\s+up\s+(?:here|now)|download\s+the\s+app)"
)
# A price with a shop in front of it: "Topshop £29", "at ASOS £45", "was £60 now £30".
_PRICE_RE = re.compile(r"[£$€]\s?\d")
_SHOP_WORDS_RE = re.compile(
    r"(?i)\b(?:topshop|asos|zara|h&m|net-a-porter|mango|river\s+island|selfridges|"
    r"john\s+lewis|boden|intermix|nordstrom|bloomingdale'?s|shopbop|matchesfashion|"
    r"mytheresa|farfetch|reiss|whistles|jigsaw|uniqlo|primark|missguided|boohoo)\b"
)
# Where one unit holds two: a capitalised word that opens a sentence right after a
# lowercase word with no full stop ("...was stolen An eight-year-old boy...").
_GLUE_RE = re.compile(r"(?<=[a-z0-9%)’'])\s(?=An\s[a-z0-9])")
# A closing quote after the sentence's last mark, then a new sentence:
# "...you shouldn't say no.' The early bookies' favourite...".
_QUOTE_END_RE = re.compile(
    r"(?<=[.!?])[’”'\"]\s(?=(?:The|A|An|But|In|This|There|However|Meanwhile|Earlier|Now|"
    r"After|Last)\s+[\w’'-])"
)
# A sentence run into the next without a space ("...a court has heard.Shocking
# allegations..."): one sentence to the splitter, and "heard dot shocking" to a voice.
# (A capitalized word followed by ".com" is a web address: "www.Example.com".)
_GLUED_STOP_RE = re.compile(
    r"(?<![\w.])([A-Za-z]*[a-z]{2})[.!?](?=[A-Z][a-z]+(?:[\s,;:!?'’\"]|\.?(?:\s|$)))"
)
# Abbreviations glued to a name ("Mrs.Smith") are not a sentence's end.
_GLUED_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "prof",
        "gen",
        "sen",
        "rep",
        "gov",
        "lt",
        "col",
        "sgt",
        "capt",
        "rev",
        "jr",
        "sr",
        "vs",
        "messrs",
        "mt",
        "ft",
    }
)
_INITIALS_END_RE = re.compile(r"(?:^|\s)(?:[A-Z]\.){2,3}$")
_NOT_NAME_INITIALS = frozenset(["U.S.", "U.K.", "U.N.", "E.U.", "D.C.", "L.A.", "N.Y."])
_STARTERS = _words_of(
    "The A An He She It They We I You His Her Their Its This That These Those There "
    "Here But And Or So Yet In On At As After Before When While If However Meanwhile "
    "Police Officials Now Then Last Earlier Later"
)

# An opening that leans on what was never said.
_THIRD_PERSON = _words_of("he she him his her hers they them their theirs")
_DETERMINERS = _words_of(
    "a an the one this these those another some many several two three four five six "
    "seven eight nine ten every each"
)
# "The quaint capital city", "The Championship side", "The 46-year-old": a thing or
# person described, never named, at the start of a story (a name or a restriction
# after it names it: "The city of Leeds", "The club, Arsenal,").
_DESCRIBED_NOUNS = (
    "city|capital|town|village|country|nation|island|region|state|resort|club|side|team|"
    "squad|outfit|company|firm|group|band|couple|pair|duo|trio|family|star|singer|actor|"
    "actress|player|striker|midfielder|defender|goalkeeper|manager|coach|boss|pundit|"
    "publican|landlord|pet|animal|dog|cat|officer|driver|pilot|footballer|cricketer|"
    "champion|champions|politician|lawmaker|model|businessman|businesswoman|billionaire|"
    "millionaire|presenter|reporter|victim|suspect|mother|father|youngster|teenager|"
    "pensioner|man|woman|boy|girl|youngsters|hosts|visitors|[\\w-]+-year-old"
)
_DESCRIBED_RE = re.compile(
    rf"^[Tt]he\s+(?:[a-z][\w'’-]*\s+){{0,3}}(?:{_DESCRIBED_NOUNS})\b"
    r"(?!['’]s\b|\s*(?:,\s*[A-Z]|of\b|in\b|at\b|from\b|who\b|that\b|which\b|named\b|called\b))"
    # ...and is the subject: a verb follows ("The city council approved" is a council).
    r"(?=\s(?:[a-z]+(?:ed|s|ly)|has|had|is|was|will|would|can|could|have|are|were|said|"
    r"may|might|must|should|did|does|do|took|made|won|lost|left|got|went|came|saw|told|"
    r"became|began|gave|found|fell|hit|led|met|paid|put|ran|set|sold|spent|stood|wrote)\b)"
)
_WORD_RE = re.compile(r"[\w’'-]+")


# "Smith, pictured with his wife in 2010, said", "Smith (pictured left) said": where the
# photo is, said inside a sentence; the sentence stays without it.
_PICTURED_ASIDE_RE = re.compile(
    r"\s?,\s?pictured\b[^,.;:!?()]{0,80},(?=\s)"
    r"|\s?[(\[](?:pictured|left|right|centre|center|above|below|inset|top|bottom)"
    r"\b[^()\[\]]{0,80}[)\]]",
    re.IGNORECASE,
)
# "pictured" that is not news ("she was pictured leaving"): a caption's word.
_PICTURED_RE = re.compile(r"(?i)(?<!\bwas )(?<!\bwere )(?<!\bbeen )(?<!\bbe )\bpictured\b")


def strip_asides(sentence: str) -> str:
    """`sentence` without the asides that say where a photo is."""
    return _PICTURED_ASIDE_RE.sub("", sentence)


def noise(sentence: str) -> str | None:
    """Why `sentence` is page furniture rather than a sentence of the story, or None."""
    if m := _PICTURED_RE.search(sentence):
        return f"a caption: {m.group(0)!r}"
    if m := _POINTS_AT_PAGE_RE.search(sentence):
        return f"points at the page: {m.group(0)!r}"
    if m := _WIDGET_RE.search(sentence):
        return f"a widget: {m.group(0)!r}"
    if _PRICE_RE.search(sentence) and (m := _SHOP_WORDS_RE.search(sentence)):
        return f"a shop list: {m.group(0)!r}"
    return None


def split_glued(sentence: str) -> list[str]:
    """`sentence` cut where a headline or caption was run into it without a full stop:
    where its opening words come again ("...a tax cut David Cameron will say today"),
    where "An ..." follows a lowercase word, after a quote that ends a sentence, and
    after a full stop with no space after it ("...has heard.Shocking allegations")."""
    pieces: list[str] = []
    for part in _split_stops(sentence):
        start = 0
        for m in _QUOTE_END_RE.finditer(part):
            pieces.append(part[start : m.start() + 1].strip())
            start = m.end()
        pieces.append(part[start:].strip())
    out: list[list[str]] = []
    for piece in pieces:
        out.extend(_split_restated(part) for part in _split_an(piece))
    return [p for group in out for p in group if p]


def _split_stops(sentence: str) -> list[str]:
    """`sentence` cut after a full stop that has no space after it."""
    parts, start = [], 0
    for m in _GLUED_STOP_RE.finditer(sentence):
        if m.group(1).lower() not in _GLUED_ABBREVIATIONS:
            parts.append(sentence[start : m.end()])
            start = m.end()
    parts.append(sentence[start:])
    return parts


def _split_an(sentence: str) -> list[str]:
    cuts = [m.start() for m in _GLUE_RE.finditer(sentence)]
    if not cuts:
        return [sentence]
    parts, start = [], 0
    for at in cuts:
        if len(sentence[start:at].split()) >= 6:
            parts.append(sentence[start:at].strip())
            start = at
    parts.append(sentence[start:].strip())
    return parts


def _split_restated(sentence: str) -> list[str]:
    """A headline run into its lead repeats the lead's first words: split before them."""
    words = sentence.split()
    if len(words) < 8 or not words[0][:1].isupper():
        return [sentence]
    opening = " ".join(words[:2])
    at = sentence.find(" " + opening, len(opening))
    while at != -1:
        before = sentence[:at].rstrip()
        if before and before[-1].isalnum() and len(before.split()) >= 4:
            return [before, sentence[at + 1 :]]
        at = sentence.find(" " + opening, at + 1)
    return [sentence]


def join_initials(sentences: list[str]) -> list[str]:
    """Join a sentence the splitter ended at a name's initials ("...legend B.B.") to
    the name it cut off ("King was hospitalized...")."""
    out: list[str] = []
    for sentence in sentences:
        if out and (m := _INITIALS_END_RE.search(out[-1])):
            first = sentence.split(maxsplit=1)[0] if sentence.split() else ""
            initials = m.group(0).strip()
            if (
                initials not in _NOT_NAME_INITIALS
                and first[:1].isupper()
                and first.strip(",.;:’'s") not in _STARTERS
            ):
                out[-1] = f"{out[-1]} {sentence}"
                continue
        out.append(sentence)
    return out


def no_referent(sentence: str) -> bool:
    """Whether `sentence`, said first, leans on someone or something not yet named: it
    opens with a described person, place or group ("The quaint capital city..."), or
    says "his" or "they" before it has named anyone or said "a man" ("It's hard to
    believe that his allegory...")."""
    text = sentence.lstrip("\"'“‘( ")
    if _DESCRIBED_RE.match(text):
        return True
    stop = nlp.stopwords("en")
    for i, word in enumerate(_WORD_RE.findall(text)[:12]):
        lower = word.casefold()
        if i == 0 and lower.replace("’", "'") not in stop:
            return False  # "Economy passengers wished they were...": they are said first
        if lower in _DETERMINERS or (i > 0 and word[:1].isupper()):
            return False  # someone or something is said first
        if lower in _THIRD_PERSON:
            return i > 0  # (a first-word pronoun is already a dangling start)
    return False
