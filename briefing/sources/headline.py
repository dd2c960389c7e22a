"""Headlines as a listener should hear them: without the site, section and date a page
puts in its <title>, and without the headline said again as the story's first line.

"Uncork the mystery of Germany's Frühburgunder | DW | 10.06.2013" is read out as
"...Frühburgunder, DW, ten dot six dot twenty thirteen"; a page whose headline and date
sit in one element gives "recovery?Monday, 6 January 2014". Only whole parts at either
end of the title are removed, and only when they are a site name, a section, a date or
an outlet's initials: a headline is never cut in its middle.
"""

from __future__ import annotations

import difflib
import re

# Between a headline and the site's furniture: "Story | Site", "Story - Site", "Site: Story".
# Tried only where a run of blanks starts (or at a bar), so blanks are read once.
_SEPARATOR_RE = re.compile(r"(?<!\s)(?:\s+(?:\||–|—|-|::|·|•|//|»)\s+|\s*\|\s*)")
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DATE = (
    rf"(?:(?:{_DAYS}),?\s+)?(?:"
    r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d\d-\d\d|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}|"
    rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
    rf"{_DAYS})"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?"
)
DATE_RE = re.compile(rf"(?i)^\(?(?:updated:?\s+|published:?\s+)?{_DATE}\)?$")
# A date glued to the end: "...recovery?Monday, 6 January 2014", "Story (10.06.2013)".
_DATE_SUFFIX_RE = re.compile(rf"(?i)(?<=[?!.])\s*{_DATE}$|(?<!\s)\s+\(?{_DATE}\)?$")
DATE_SUFFIX_CHARS = 160  # "Wednesday, 30th September, 2024 at 12:30 p.m. BST" is 50
# "BERLIN (Reuters) - ", "LONDON — ": a wire dateline before the headline.
_DATELINE_RE = re.compile(r"^[A-Z][A-Z .'-]{2,30}(?:\s*\([^()]{1,20}\))?\s*(?:--|[-—–:])\s+")
# Sections a site names in its titles.
_SECTIONS = frozenset(
    [
        "news",
        "world",
        "uk",
        "us",
        "europe",
        "politics",
        "business",
        "economy",
        "money",
        "markets",
        "tech",
        "technology",
        "science",
        "health",
        "environment",
        "climate",
        "sport",
        "sports",
        "football",
        "culture",
        "arts",
        "entertainment",
        "lifestyle",
        "travel",
        "opinion",
        "comment",
        "analysis",
        "features",
        "video",
        "videos",
        "live",
        "home",
        "local",
        "national",
        "international",
        "education",
        "media",
        "society",
        "books",
        "music",
        "film",
        "style",
        "latest",
    ]
)
# Share of letters two headlines must have in common to be "the same headline".
NEAR_EQUAL = 0.85
# Longer than this is not a headline (sanitize cuts one at 300 characters): compared
# word for word only.
COMPARED_WORDS = 200
NEAR_EXTRA_WORDS = 5  # or the headline word for word, then a date and a source at most


def clean(title: str, site: str = "", host: str = "") -> str:
    """`title` without the site name, section, dateline and date around the headline."""
    text = " ".join(title.split())
    if not text:
        return text
    text = _DATELINE_RE.sub("", text, count=1)
    if "|" in text:
        # Sites put navigation between bars ("Story | Culture | Arts and lifestyle | DW");
        # headlines do not use them: the headline is the first part that is not furniture.
        bars = [p.strip() for p in text.split("|")]
        found = next((p for p in bars if p and not _furniture(p, site, host)), "")
        return unglue(found) if found else text
    parts = _SEPARATOR_RE.split(text)
    seps = _SEPARATOR_RE.findall(text)
    keep = list(range(len(parts)))
    while len(keep) > 1 and _furniture(parts[keep[-1]], site, host):
        keep.pop()
    while len(keep) > 1 and _furniture(parts[keep[0]], site, host):
        keep.pop(0)
    headline = parts[keep[0]]
    for i in keep[1:]:
        headline += seps[i - 1] + parts[i]
    headline = unglue(headline)
    stripped = _without_date_suffix(headline).strip()
    return stripped or headline or text


def unglue(text: str) -> str:
    """A date run into the end of a headline goes; "?Monday" gets its space back."""
    text = _without_date_suffix(text).strip() or text
    return re.sub(r"([?!])(?=[A-Z])", r"\1 ", text)


def _without_date_suffix(text: str) -> str:
    # Looked for in the last DATE_SUFFIX_CHARS only: tried at every full stop of a
    # megabyte of them, the pattern took 1.5 s (issue 17); no date is that long.
    m = _DATE_SUFFIX_RE.search(text, max(0, len(text) - DATE_SUFFIX_CHARS))
    return text[: m.start()] + text[m.end() :] if m else text


def _furniture(part: str, site: str, host: str) -> bool:
    word = part.strip(" .:|-")
    folded = _fold(word)
    if not folded:
        return True
    if DATE_RE.match(word):
        return True
    names = {_fold(n) for n in (site, host, host.split(".")[0] if host else "") if n}
    if folded in names or any(n and (n in folded or folded in n) for n in names):
        return True
    if re.fullmatch(r"[\w-]+\.(?:com|org|net|de|co\.uk|uk|fr|info|io)", word, re.I):
        return True  # a host name: "Phys.org", "DW.COM"
    if re.fullmatch(r"[A-Z]{2,5}", word):
        return True  # an outlet's initials: "DW", "BBC", "AP"
    words = word.casefold().split()
    return len(words) <= 2 and all(w.strip("&,") in _SECTIONS or w == "&" for w in words)


def _fold(text: str) -> str:
    return re.sub(r"[^\w]", "", text.casefold().removeprefix("www.").removeprefix("the "))


def same_headline(headline: str, sentence: str, loose: bool = False) -> bool:
    """Whether `sentence` says the headline again (equal, or nearly: a word or a mark
    changed), so that it should be heard once. `loose` also takes the headline word for
    word followed by a few words ("...on Monday, officials said"): a lead that carries
    the headline, which is kept, but need not be preceded by it."""
    a, b = _words(headline), _words(sentence)
    if not a or not b:
        return False
    if a == b or (loose and b[: len(a)] == a and len(b) - len(a) <= NEAR_EXTRA_WORDS):
        return True  # "Storm closes every school in the county on Monday, officials said."
    if 2 * min(len(a), len(b)) < NEAR_EQUAL * (len(a) + len(b)):
        return False  # too different in length for the ratio to reach NEAR_EQUAL
    if len(a) > COMPARED_WORDS:
        return False  # no headline; difflib is quadratic in the words (issue 17)
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_EQUAL


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Headlines as they are said: what a page shows for the eye (capitals for emphasis, a
# URL slug, a caption glued in front) is not read out.
# Pronounceable acronyms said as words, kept in capitals when a headline shouts.
ACRONYMS = _words_of(
    "NATO NASA FIFA UEFA OPEC UNESCO UNICEF AIDS ISIS NAFTA SARS MERS ASEAN OFCOM "
    "OFSTED IKEA LEGO FTSE NASDAQ DEFRA FEMA UNHCR UNRWA WHO ICE SWAT NAACP CERN ESA "
    "UNITE GCSE GCSES BAFTA BAFTAS EFL MENA COVID"
)
# Short all-capitals words that are ordinary words, not initials ("IT'S A WIN").
_SHORT_WORDS = _words_of(
    "A I IT IS IN ON TO OF AT BY AN AS BE DO GO HE ME MY NO OR SO UP WE OK THE AND FOR ARE "
    "BUT NOT YOU ALL CAN HER WAS ONE OUR OUT DAY GET HAS HIM HIS HOW MAN NEW NOW OLD SEE "
    "TWO WAY BOY DID ITS LET PUT SAY SHE TOO USE WAR WIN TOP BIG SET RUN WHY YES GOT OFF "
    "HIT SEX MUM DAD SON KID BAN CUT ACT AGE BAD BED CAR DOG EYE FUN GUN HOT JOB LAW LIE "
    "MAD OWN PAY RED SAD SHY TEN SIX WET"
)
# Onsets English words begin with; initials run three consonants that none starts with.
_ONSETS = ("SCR", "SPL", "SPR", "STR", "SHR", "THR", "CHR", "SCH", "PHR", "SPH")
_CAPS_WORD_RE = re.compile(r"\b[A-Z][A-Z'’]*[A-Z]\b|\b[A-Z]\b")
# "man-bites-dog-in-london", "man_bites_dog-123456": a URL slug for a headline.
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+){2,}$")
_SLUG_ID_RE = re.compile(r"[-_]\d{5,}$")
# "ManBitesDog": three or more capitalised words run together.
_CAMEL_RE = re.compile(r"^(?:[A-Z][a-z]+){3,}$")
_HUMP_RE = re.compile(r"[A-Z][a-z]+")
# A label for the eye before or after the headline: "VIDEO:", "PICTURED:", "– in pictures".
_LABEL_BEFORE_RE = re.compile(
    r"^(?:video|watch|pictured|pictures|in pictures|photos|gallery|listen|audio|live)\s*[:|]\s+",
    re.IGNORECASE,
)
_LABEL_AFTER_RE = re.compile(
    r"\s+[-–—|]\s+(?:video|in pictures|photos|pictures|gallery|audio|podcast|live)$"
    r"|\s*[(\[](?:video|photos|pictures|gallery|audio|watch)[)\]]$",
    re.IGNORECASE,
)
_BRACKETED_RE = re.compile(r"\s*[(\[]([^()\[\]]{1,120})[)\]]")
_CAPTION_WORDS_RE = re.compile(
    r"\b(?:pictured|posed by models?|file (?:photo|picture|image)|stock (?:photo|image|picture)"
    r"|library (?:photo|picture|image)|photo|picture|image|inset|illustration)\b",
    re.IGNORECASE,
)
_PLACE_IN_PICTURE = _words_of(
    "left right centre center top bottom above below far second third from middle "
    "and with front back row"
)


def speakable(headline: str) -> str:
    """`headline` as it should be heard: a slug or run-together words spaced, shouted
    words in lower case (real acronyms kept), and no photo caption or media label."""
    text = " ".join(headline.split())
    if not text:
        return text
    text = _deslug(text)
    text = _BRACKETED_RE.sub(_drop_caption, text).strip()
    text = _LABEL_BEFORE_RE.sub("", text)
    text = _LABEL_AFTER_RE.sub("", text).strip()
    text = _unshout(text)
    return text[:1].upper() + text[1:] if text else " ".join(headline.split())


def _deslug(text: str) -> str:
    if " " in text:
        return text
    if _SLUG_RE.match(text) and any(c.isalpha() for c in text):
        words = re.split(r"[-_]", _SLUG_ID_RE.sub("", text))
        return " ".join(words)
    if _CAMEL_RE.match(text):
        return " ".join(_HUMP_RE.findall(text))
    return text


def _drop_caption(m: re.Match[str]) -> str:
    """A bracketed caption ("(pictured posed by model)", "(left)") goes; any other
    bracket ("(CNN)", "(2)") stays."""
    inside = m.group(1)
    words = inside.casefold().replace(",", " ").split()
    if _CAPTION_WORDS_RE.search(inside) or (words and set(words) <= _PLACE_IN_PICTURE):
        return ""
    return m.group(0)


def acronym(word: str) -> bool:
    """Whether an all-capitals word is initials or an acronym rather than an ordinary
    word set in capitals for emphasis ("YEAR", "REVEALED")."""
    bare = word.replace("’", "'").split("'")[0]
    if bare in ACRONYMS:
        return True
    if len(bare) <= 3:
        return bare not in _SHORT_WORDS
    if not any(c in "AEIOUY" for c in bare):
        return True  # "HSBC", "NSPCC"
    head = bare[:3]
    return not any(c in "AEIOUY" for c in head) and head not in _ONSETS


def _unshout(text: str) -> str:
    """Words in capitals for emphasis in lower case. A headline mostly in capitals is
    shouted throughout: short words ("WIN", "WAR") go down with the rest."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 1]
    shouted = bool(words) and sum(w.isupper() for w in words) >= 0.6 * len(words)

    def lower(m: re.Match[str]) -> str:
        word = m.group(0)
        if word == "I":
            return word
        if shouted and len(word) <= 3 and word not in _SHORT_WORDS and word not in ACRONYMS:
            return word  # "US", "BBC" in a shouted headline: still initials
        return word if acronym(word) else word.lower()

    return _CAPS_WORD_RE.sub(lower, text)
