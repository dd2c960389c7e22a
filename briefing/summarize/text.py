"""Candidate sentences: split the body, strip news furniture, flag what cannot stand alone.

A briefing is heard, not read: a listener cannot glance back to find who "he" is, and
"Click here" or "(AP Photo/Jane Doe)" is noise. Every candidate keeps its index in the
body so the chosen ones can be put back in document order, and we only ever remove a
prefix (a dateline) or a bracketed credit, never cut a sentence in the middle.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from briefing import nlp
from briefing.summarize import noise

# Longer than this is a run-on paragraph without sentence punctuation, not a sentence
# anyone can follow by ear; it is never spoken (and never cut).
MAX_SENTENCE_WORDS = 80
MIN_SENTENCE_WORDS = 5
# ...and longer than this in characters (80 words of 18 letters; news runs at 5 to 7) is
# a table, a URL dump or a run of letters: never spoken, and never read by the rules.
MAX_SENTENCE_CHARS = 1500
# A line whose words are this share figures is a table or a statistics line.
MAX_FIGURES = 0.5
# A unit this long that tells a photo in the present tense holds a caption run into it.
GLUED_CAPTION_WORDS = 40

_PUNCT_END = ".!?…\"'”’)]"
_BULLET_RE = re.compile(r"^\s*(?:[-*•·–—]|\d{1,3}[.)])\s+")

# "LONDON (Reuters) -", "NEW YORK, March 3 (AP) —", "(CNN) --", "WASHINGTON —".
_DATELINE_RE = re.compile(
    r"""^(?:
        [A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,2}    # CITY in capitals
        (?:,\s*[A-Z][\w.'’\-]*(?:\s+[\w.'’\-]+){0,3})?   # , State / , March 3
        \s*(?:\([^()]{1,40}\))?                          # (Reuters)
      | \([^()]{1,40}\)                                  # (CNN)
    )\s*(?:--|[-—–:])\s+""",
    re.VERBOSE,
)
# The same with the place in ordinary case and no dash: "Kathmandu, Nepal (CNN)Rescuers";
# and any outlet's credit run into the first word: "(The Hollywood Reporter)Stan Freberg".
_AGENCY_RE = re.compile(
    r"^(?:[A-Z][\w.'’\-]*(?:,?\s+[A-Z][\w.'’\-]*){0,4}\s*)?"
    r"(?:\((?:CNN|AP|AFP|Reuters|Bloomberg|UPI|dpa|EW\.com|Mashable)\)\s*(?:--|[-—–:])?\s*"
    r"(?=[\"“‘'A-Z0-9])|\([A-Z][^()]{1,40}\)(?:\s*(?:--|[-—–:])\s*|(?=[\"“‘'A-Z0-9])))"
)
# Wire and photo credits in brackets: "(AP Photo/Jane Doe)", "(Getty Images)".
_CREDIT_RE = re.compile(
    r"(?<!\s)\s*[(\[](?:[^()\[\]]*\b(?:Photo|Photograph|Image|Picture|Getty|Reuters|AFP|AP|EPA|"
    r"Shutterstock|Credit|File)\b[^()\[\]]*)[)\]](?=\W*$)"
)
# A photo caption's label: "Haul: The cherry picker...", "Fighter ace: Douglas Bader's...".
_LABEL_RE = re.compile(r"^([A-Z][\w'’.-]*(?:\s+[\w'’.-]+){0,2})\s*:\s+(?=[A-Z\"'‘“])")
# ...but not a quote introduced by its speaker ("Dr Kujala said: 'On average...'").
_SAYS_RE = re.compile(
    r"(?i)\b(?:said|says|say|told|tells|added|adds|explained|warned|wrote|writes|asked|"
    r"revealed|stated|claimed|insisted|continued|admitted|tweeted|reads?|announced)$"
)
# A name (perhaps with "(left)"), then a verb captions use in the present tense. The
# name starts at the first capital of its word: tried only where a word starts, the
# letters before that capital skipped, so a 40,000-letter "word" is read once, not
# once per letter (issue 17).
_CAPTION_VERB_RE = re.compile(
    r"(?<![\w'’-])(?:[^\WA-Z]|['’-])*(?P<name>[A-Z][\w'’-]+(?:\s+\([^()]{1,20}\))?\s+(?:poses|leaves|arrives|celebrates|reacts|"
    r"smiles|walks|waves|shows\s+(?:his|her|their|off)|looks\s+on|holds|sits|"
    r"prepares|watches|wears|attends|performs|talks\s+to|gestures|kisses|hugs|is\s+seen|"
    r"are\s+seen|is\s+pictured|are\s+pictured)\b)"
)
# "Nauru guards pictured with Pauline Hanson at the rally": no verb but "pictured".
_PICTURED_CAPTION_RE = re.compile(
    r"^[^.!?]*?(?<!\b(?:is|be|as) )(?<!\b(?:are|was) )(?<!\b(?:were|been) )(?<!being )"
    r"(?<![(,] )(?<![(,])\bpictured\b(?![,)])"
)
# ", pictured," and "(pictured left)": where the photo is, said inside a sentence.
_PICTURED_RE = re.compile(
    r"(?<!\s)(?:\s*,\s*pictured(?:\s+(?:left|right|centre|center|above|below))?\s*,(?=\s)|"
    r"\s*\((?:pictured|left|right|centre|center|above|below|inset)\))",
    re.I,
)

# Sentences that are page furniture, not news.
_BOILERPLATE_RE = re.compile(
    r"""(?ix)^(?:image\s+(?:copyright|caption|source)|media\s+caption|photo(?:graph)?\s*:|
        caption\s*:|click\s+here|read\s+more|subscribe\b|sign\s+up\b|follow\s+us\b|
        share\s+this|scroll\s+down|advertisement\b|related\s*:|more\s*:|watch\s*:|
        listen\s*:|copyright\b|all\s+rights\s+reserved|published\s*:|updated\s*:|
        last\s+(?:updated|modified)\b|editing\s+by\b|reporting\s+by\b|writing\s+by\b|
        additional\s+reporting\b|contact\s+the\s+author|email\s+us\b|
        this\s+(?:article|story)\s+(?:was|has\s+been|is)\b)"""
)
_BOILERPLATE_ANYWHERE_RE = re.compile(
    r"(?i)\b(?:click\s+here|read\s+more\s*(?:here|:)|subscribe\s+(?:now|to\s+our)|"
    r"all\s+rights\s+reserved|©|sign\s+up\s+for\s+our|cookies?\s+policy|javascript|"
    r"accepting\s+comments|comments\s+(?:are|have\s+been)\s+(?:closed|disabled))"
)
# Each name word is taken whole ((?![...])): a word that could be split into up to four
# "words" tried every way is O(n^4) on "By aaaa...", minutes for 400 letters.
_BYLINE_RE = re.compile(
    r"^by\s+(?:[A-Z][\w.'’\-]*(?![\w.'’\-])\s*){1,4}"
    r"(?:(?:and|&)\s+(?:[A-Z][\w.'’\-]*(?![\w.'’\-])\s*){1,4})?"
    r"(?:,\s*[\w\s]{0,40})?\.?$",
    re.IGNORECASE,
)

# First words that point back at something the listener has not heard.
_DANGLING_STARTS = frozenset(
    [
        "he",
        "she",
        "it",
        "they",
        "them",
        "him",
        "her",
        "his",
        "hers",
        "its",
        "their",
        "theirs",
        "this",
        "that",
        "these",
        "those",
        "but",
        "and",
        "or",
        "nor",
        "so",
        "yet",
        "still",
        "also",
        "however",
        "meanwhile",
        "moreover",
        "furthermore",
        "additionally",
        "nevertheless",
        "nonetheless",
        "instead",
        "otherwise",
        "thus",
        "therefore",
        "hence",
        "consequently",
        "accordingly",
        "likewise",
        "similarly",
        "besides",
        "then",
        "later",
        "afterwards",
        "there",
        "here",
        "such",
        "both",
        "another",
    ]
)
# A word, then a capitalised word that (almost) only ever starts a sentence: after a
# lowercase word, any of them; after a capitalised one ("in Liverpool The amount"), only
# those that are never part of a title ("Made In Chelsea"), followed by a lowercase word.
# The word is the run of letters, digits and ’'%- before the blanks, from its first part
# (a part starts after one of ’'%-) that begins in the case the starter wants.
_AFTER_LOWER_RE = re.compile(
    r"(?:He|She|They|It|His|Her|Their|When|But|After|In|This|These|There|Police|Another)\s|"
    r"The\s+[a-z0-9]|However,"
)
_AFTER_CAPITAL_RE = re.compile(
    r"(?:The|He|She|They|His|Her|Their|When|But|After|This|These|There|Another)\s+[a-z0-9]"
)
_WORD_GAP_RE = re.compile(r"(?<=[\w’'%\-])\s+")
_LOWER_OR_DIGIT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_CAPITAL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# "This Sunday", "these days", "this year's": time words make "this" point at now, not
# back at a sentence the listener has not heard ("That night" does point back).
_TIME_WORDS = frozenset(
    re.findall(
        r"\w+",
        "morning afternoon evening night weekend week month year season spring summer autumn "
        "fall winter monday tuesday wednesday thursday friday saturday sunday january february "
        "march april may june july august september october november december days weeks "
        "months years century decade",
    )
)
_TIME_AFTER = r"(?!\s+(?:" + "|".join(sorted(_TIME_WORDS)) + r")\b)"
# Opening phrases that point back as surely as "He" or "This" does. "As a result" and "In
# response" point back only when they stand alone ("As a result of the storm" does not);
_POINTS_BACK_RE = re.compile(
    r"(?:in|by|despite|because\s+of|for|after|following|with|unlike|like|besides|before|"
    r"since|given|beyond|apart\s+from|other\s+than|instead\s+of|in\s+spite\s+of|as\s+with|"
    r"on\s+top\s+of|as\s+part\s+of|along\s+with)\s+(?:this|that|these|those|it|them|which|"
    r"such)\b" + _TIME_AFTER + "|"
    r"(?:as\s+a\s+result|in\s+response|in\s+addition|in\s+turn|in\s+contrast|by\s+contrast|"
    r"on\s+the\s+other\s+hand|even\s+so|after\s+that|since\s+then|at\s+the\s+same\s+time|"
    r"to\s+that\s+end|in\s+the\s+meantime|by\s+then|until\s+then|at\s+the\s+time|"
    r"at\s+that\s+time|even\s+then|if\s+so|if\s+not|as\s+a\s+consequence|now)\s*,",
    re.IGNORECASE,
)
# "The move" and "The decision" refer to the story's news, not to the sentence before:
# they may follow any sentence of the story but never open it ("The move to close the
# plant..." says whose move, and may).
_NOT_AN_OPENER_RE = re.compile(
    r"the\s+(?:move|decision)\b(?!\s+(?:to|by|of|that|on|in|for|from)\b)", re.IGNORECASE
)
# A person described instead of named opens a sentence that leans on an earlier one:
# "On Friday, the 52-year-old libertarian lawmaker from Kentucky shared...". An
# apposition that names them ("The man, Rishi Khanal, was saved") may open.
_DESCRIBED_RE = re.compile(
    r"(?i)(?:(?:on|in|at|earlier|later|last|this|after|before|during)\b[^,]{0,40},\s+)?"
    r"the\s+(?:[\w-]+-year-old|man|woman|boy|girl|couple|pair|teenager|victim|suspect|"
    r"star|player|mother|father)\b(?!\s*,\s*[A-Z])"
)
_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
# Overlapping: "Kenneth Morgan Stancil" names both Morgan and Stancil.
_FULL_NAME_RE = re.compile(rf"(?<![\w'’-])({_NAME}) (?=({_NAME})(?![\w-]))")
# A capitalised first word, not followed by another: "Mangala joined", "Bader – who".
_BARE_NAME_RE = re.compile(rf"({_NAME})(?=,|['’]s\b|\s+(?![A-Z]))")
# "Earlier this week, he warned...": a time or place phrase, then a pronoun. A clause
# ("When the mayor arrived, he said") may name who "he" is, so only phrases count.
_PRONOUN_AFTER_PHRASE_RE = re.compile(
    r"(?!(?:when|after|as|while|although|though|because|if|once|since|before|until|unless|"
    r"whereas)\b)(?<![\w'’\-])(?:[\w'’\-]+\s+){0,5}[\w'’\-]+\s*,\s*"
    r"(?:he|she|they|his|her|their|its|him|them)\b",  # not "it": "it turns out"
    re.IGNORECASE,
)
# A quote of several sentences is one unit: cut inside it, a half opens a quote that
# never closes (or closes one that never opened). Joined up to this many sentences.
MAX_QUOTE_SENTENCES = 4
_EN_STOP = nlp.stopwords("en")
_OPEN_QUOTES = "\"“‘'«"
# The closing quote mark and the first word after it: "...this," he said / '...' said Jo.
# A mark between letters ("it's") is an apostrophe, not the end of the quote.
_QUOTE_TAIL_RE = re.compile(r"(?:(?<=[,.!?…—\-])[”\"’']|[”\"’'](?=,|\s+[a-z]))\s*,?\s*(\w+)")


@dataclass(frozen=True)
class Candidate:
    """One sentence of the body as it would be spoken."""

    index: int  # position among the body's sentences (before filtering)
    text: str
    needs_context: bool  # only speakable right after the sentence before it
    opens: bool = True  # may be the first sentence spoken of the story


@dataclass(frozen=True)
class Unit:
    """One sentence of the body; `caption` when it is a photo caption, not the story."""

    text: str
    caption: bool = False


def split_units(body: str) -> list[str]:
    """Sentences of `body`, captions included (see `units`)."""
    return [u.text for u in units(body)]


def units(body: str) -> list[Unit]:
    """Sentences of `body`. A line break ends a sentence unless the paragraph is
    hard-wrapped prose, so list items, bylines and captions stand alone; so does a
    caption run into the text without a full stop (see `_split_run_ons`).

    A caption is marked, not dropped, so callers can say what they left out: text run
    into the next sentence with no full stop between ("...outside the Old Bailey court
    Former Mirror reporter..."), the same after the last full stop of a line, and a
    "Label: ..." line ("Haul: The cherry picker..."). News ends its sentences; pasted
    captions do not."""
    found: list[Unit] = []
    for paragraph in re.split(r"\n\s*\n", body):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if _hard_wrapped(lines):
            runs = [nlp.split_sentences(" ".join(lines))]
        else:
            runs = [nlp.split_sentences(_BULLET_RE.sub("", line)) for line in lines]
        for sentences in runs:
            joined = _join_open_quotes(_join_fragments(noise.join_initials(sentences)))
            pieces = [q for s in joined for p in _split_run_ons(s) for q in noise.split_glued(p)]
            for piece in pieces:
                unended = not _ends(piece)
                # Unended and not the line's only sentence: a caption (a list item or a
                # subheading is a line of its own).
                caption = (
                    (unended and len(pieces) > 1)
                    or _is_label_caption(piece)
                    or bool(_PICTURED_CAPTION_RE.search(piece))
                    or _glued_caption(piece)
                )
                found.append(Unit(piece, caption))
    return found


def _glued_caption(text: str) -> bool:
    # Captions are told in the present ("Eugenie Bouchard reacts...", "Graham Brough
    # talks to media as he leaves"), news in the past; pasted after a full stop, a
    # caption opens a unit that runs on into the next sentence, longer than a sentence is.
    n = len(text.split())
    if n < GLUED_CAPTION_WORDS:
        return False
    for m in _CAPTION_VERB_RE.finditer(text):
        if n >= 1.5 * GLUED_CAPTION_WORDS or len(text[: m.start("name")].split()) <= 6:
            return True
    return False


def _ends(text: str) -> bool:
    return text.rstrip()[-1:] in ".!?…\"'”’"


def _is_label_caption(text: str) -> bool:
    m = _LABEL_RE.match(text)
    if m is None:
        return False
    return not _SAYS_RE.search(m.group(1)) and nlp.words(m.group(1))[0] not in _EN_STOP


def _join_fragments(sentences: list[str]) -> list[str]:
    """Join a piece that starts in lower case to the sentence before it: the splitter
    ends a sentence at a quoted question ("'Is it real?' an insider told the site.")."""
    out: list[str] = []
    for sentence in sentences:
        first = sentence.split(maxsplit=1)[0]
        if out and first.islower() and first[0].isalpha():
            out[-1] = f"{out[-1]} {sentence}"
        else:
            out.append(sentence)
    return out


def _join_open_quotes(sentences: list[str]) -> list[str]:
    """Join a sentence that opens a double quote with the ones up to where it closes, if
    that is within MAX_QUOTE_SENTENCES and MAX_SENTENCE_WORDS (an unclosed mark is a typo)."""
    out: list[str] = []
    i = 0
    while i < len(sentences):
        unit = sentences[i]
        if _leaves_quote_open(unit):
            for j in range(i + 1, min(i + MAX_QUOTE_SENTENCES, len(sentences))):
                joined = " ".join(sentences[i : j + 1])
                if not _leaves_quote_open(joined):
                    if len(joined.split()) <= MAX_SENTENCE_WORDS:
                        unit, i = joined, j
                    break
        out.append(unit)
        i += 1
    return out


def _leaves_quote_open(text: str) -> bool:
    # The last double quote mark opens a quote: a curly one, or a straight one at the
    # start of a word. Single quotes are left alone: they are also apostrophes.
    for k in range(len(text) - 1, -1, -1):
        c = text[k]
        if c == "“":
            return True
        if c == "”":
            return False
        if c == '"':
            before = text[k - 1] if k else " "
            after = text[k + 1] if k + 1 < len(text) else " "
            return (before.isspace() or before in "([—–-:") and not after.isspace()
    return False


def _split_run_ons(sentence: str) -> list[str]:
    """Split where one sentence plainly ends and the next begins with no full stop between:
    "...in Liverpool The amount of drugs thrown...", the mark of a photo caption pasted
    into the text (common in scraped pages). The word before the break must be a
    content word, so "told The Times" or "of The Last Man" stay whole.

    Linear: each run of blanks is looked at once, and the word before it read back once
    (a regular expression tried at every part of a 1 MB "1-1-1-..." read it to its end
    from each)."""
    pieces: list[str] = []
    start = counted = opened = closed = 0
    for word_start, word_end, gap_end in _run_on_breaks(sentence):
        if sentence[word_start:word_end].lower() in _EN_STOP:
            continue
        opened += sentence.count("(", counted, word_end)
        closed += sentence.count(")", counted, word_end)
        counted = word_end
        if opened > closed:
            continue  # inside a parenthesis: splitting would leave both halves unbalanced
        pieces.append(sentence[start:word_end].strip())
        start = counted = gap_end
        opened = closed = 0
    pieces.append(sentence[start:].strip())
    return [p for p in pieces if p]


def _run_on_breaks(sentence: str) -> Iterator[tuple[int, int, int]]:
    """(start, end) of each word followed by a sentence starter, and where the blanks
    between them end."""
    for gap in _WORD_GAP_RE.finditer(sentence):
        after_lower = _AFTER_LOWER_RE.match(sentence, gap.end()) is not None
        after_capital = _AFTER_CAPITAL_RE.match(sentence, gap.end()) is not None
        if not (after_lower or after_capital):
            continue
        end = run = gap.start()
        while run > 0 and _in_word(sentence[run - 1]):
            run -= 1
        for p in range(run, end):
            if p > run and _is_word_char(sentence[p - 1]):
                continue  # not where a part starts
            c = sentence[p]
            if (after_lower and c in _LOWER_OR_DIGIT) or (after_capital and c in _CAPITAL):
                yield p, end, gap.end()
                break


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what \w matches


def _in_word(c: str) -> bool:
    return _is_word_char(c) or c in "’'%-"


def _hard_wrapped(lines: list[str]) -> bool:
    # Wrapped prose: every line but the last is of similar width, and some end mid-sentence.
    body = lines[:-1]
    return (
        bool(body)
        and all(40 <= len(line) <= 100 for line in body)
        and any(line[-1] not in _PUNCT_END for line in body)
        and not any(_BULLET_RE.match(line) for line in lines)
    )


def clean(sentence: str, english: bool = True) -> tuple[str, bool] | None:
    """The speakable form of one sentence and whether it needs its predecessor, or None
    when it should never be spoken (furniture, a byline, a bare quote, a fragment)."""
    if len(sentence) > MAX_SENTENCE_CHARS:
        return None
    text = _BULLET_RE.sub("", sentence).strip()
    text = _PICTURED_RE.sub("", _CREDIT_RE.sub("", text)).strip()
    if english and (_BOILERPLATE_RE.match(text) or _BOILERPLATE_ANYWHERE_RE.search(text)):
        return None
    if english and not _shouting(text):
        text = _DATELINE_RE.sub("", text, count=1).strip()
        text = _AGENCY_RE.sub("", text, count=1).strip()
    if not text:
        return None
    tokens = nlp.words(text)
    n_words = len(tokens)
    if not MIN_SENTENCE_WORDS <= n_words <= MAX_SENTENCE_WORDS:
        return None
    if sum(1 for w in tokens if sum(c.isalpha() for c in w) >= 2) < MIN_SENTENCE_WORDS - 1:
        return None  # a timestamp, a score line or a table row, not a sentence
    if sum(1 for w in tokens if any(c.isdigit() for c in w)) >= MAX_FIGURES * n_words:
        return None  # a line of statistics ("CPI 3.2% (Feb 3.4%); PPI 1.9%"): read, not heard
    if not english:
        return _terminate(text), False
    if _BOILERPLATE_RE.match(text):
        return None
    if _BYLINE_RE.match(text) and n_words <= 10:
        return None
    if _continues_quote(text):
        return _terminate(text), True  # the quote opened in the sentence before
    if text[0] in _OPEN_QUOTES:
        tail = _QUOTE_TAIL_RE.search(text, 1)
        closing = max(text.rfind("”"), text.rfind('"', 1))
        if tail is None or closing >= len(text) - 2:
            return None  # a bare quote: nobody to attribute it to
        # '"...," he said.' is a quote by someone introduced earlier.
        return _terminate(text), tail.group(1).lower() in _DANGLING_STARTS
    return _terminate(text), _points_back(text)


def candidates(body: str, english: bool = True) -> list[Candidate]:
    """The body's speakable sentences. Captions are left out before ranking and take no
    index, so the sentence after a caption follows the one before it."""
    found = []
    named: set[str] = set()  # surnames the body has given with a first name so far
    index = 0
    for unit in units(body):
        if english:
            named.update(m.group(2) for m in _FULL_NAME_RE.finditer(unit.text)
                         if m.group(1).lower() not in _EN_STOP)  # fmt: skip
        if unit.caption and (english or not _is_label_caption(unit.text)):
            continue
        said = noise.strip_asides(unit.text) if english else unit.text
        if english and noise.noise(said):
            continue  # page furniture: a caption, a widget, "the plot above"
        cleaned = clean(said, english)
        if cleaned is not None:
            opens = not (
                english and (_no_opener(cleaned[0], named) or noise.no_referent(cleaned[0]))
            )
            found.append(Candidate(index, cleaned[0], cleaned[1], opens))
        index += 1
    if found and not any(c.opens for c in found):
        # Nothing may open: better the best of them than no story at all.
        found = [Candidate(c.index, c.text, c.needs_context) for c in found]
    return found


def _no_opener(text: str, named: set[str]) -> bool:
    """Whether the sentence refers back to someone the listener has not heard named, so
    it may follow an earlier sentence but not open the story: "The move...", "The
    52-year-old lawmaker shared...", or a surname alone ("Mangala joined from Porto")
    where the body gave the full name before."""
    if _NOT_AN_OPENER_RE.match(text) or _DESCRIBED_RE.match(text):
        return True
    m = _BARE_NAME_RE.match(text)
    return m is not None and m.group(1) in named and text.find(f" {m.group(1)}") == -1


def _points_back(text: str) -> bool:
    """Whether the sentence opens by referring to something said before it."""
    first = nlp.words(text[:60])
    if not first:
        return False
    time_phrase = (
        first[0] in ("this", "these")
        and len(first) > 1
        and first[1].removesuffix("'s") in _TIME_WORDS
    )
    if first[0] in _DANGLING_STARTS and not time_phrase:
        return True
    if _POINTS_BACK_RE.match(text):
        return True
    m = _PRONOUN_AFTER_PHRASE_RE.match(text)
    if not m:
        return False
    # "Mike Ryan, his spokesman said": a name, then an apposition, is not a phrase.
    phrase = text[: text.index(",")].split()
    return phrase[0].lower() in _EN_STOP or not all(w[:1].isupper() for w in phrase)


def _continues_quote(text: str) -> bool:
    close, open_ = text.find("”"), text.find("“")
    if close != -1 and (open_ == -1 or close < open_):
        return True
    return text.count('"') % 2 == 1 and not text.startswith('"')


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) > 0.8 * len(letters)


def _terminate(text: str) -> str:
    # A list item or headline-like line gets a full stop so the voice pauses after it.
    return text if text[-1] in _PUNCT_END else text + "."
