"""Listen-ability: what a listener trips over in a summary, per 100 summaries, ours vs Lead-3.

    python -m bench.listen [--data PATH] [--limit N] [--show KIND] [--no-write]

ROUGE says whether a summary holds the reference's words, not whether it can be followed
by ear. This checker flags, per summary, five kinds of defect a listener hears:

- reference: the opening sentence refers to something not yet said (a pronoun or a
  connective such as "As a consequence,"; "the 52-year-old lawmaker" or a bare surname
  for someone the article named earlier), or a later sentence opens with a pronoun or
  connective without the sentence it leans on just before it;
- caption: a photo caption (a "Label: ..." line, "pictured", a caption run into the
  next sentence with no full stop between, a long sentence that tells a photo in the
  present tense, or a sentence the article does not end);
- credit: a credit or dateline fragment ("(The Hollywood Reporter)Stan", "LONDON
  (Reuters) -", "Scroll down for video", "PUBLISHED: ...");
- repeat: two sentences that state the same fact (most of their content words shared,
  or the same number with a name or some of the words);
- cut: a sentence cut mid-way (starts in lower case, ends on "the" or "and", or leaves
  a bracket or a quote open);
- widget: page furniture that is not a sentence of the story: a shop list or a price
  with a shop ("Topshop striped zip through skirt Earn your style stripes!"), a fixture
  or sign-up box ("Team news", "all you need to know"), or a sentence that points at
  the page ("the plot above", "video below", "scroll down", "click here").

The opening sentence also counts as a reference defect when it describes a place,
group or person it never named ("The quaint capital city...") or says "his" or "they"
before anyone has been named ("It's hard to believe that his..."); a sentence whose
opening words come again inside it, run on without a full stop, is a headline glued to
its lead (a caption defect).

The rules are written here on their own, not imported from the summarizer, so that the
summarizer cannot pass by agreeing with itself. They are heuristics: `--show KIND`
prints what each flags, to check them by eye. The data and the held-out split are the
ROUGE bench's (`bench/summarize.py`): odd-numbered articles are held out.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from bench._results import machine, table, write_section
from bench.summarize import BUDGET_WORDS, Example, find_data, lead, load_examples, ours
from briefing import nlp

KINDS = ("reference", "caption", "credit", "repeat", "cut", "widget")


@dataclass(frozen=True)
class Defect:
    kind: str
    sentence: str
    why: str


# --- reference -------------------------------------------------------------------------

_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "him",
        "her",
        "his",
        "their",
        "them",
        "its",
        "it",
        "this",
        "these",
        "those",
    ]
)
_CONNECTIVES = re.compile(
    r"(?i)^(?:but|and|so|yet|also|however|meanwhile|moreover|furthermore|instead|then|"
    r"still|thus|therefore|likewise|similarly|besides|nevertheless|nonetheless|otherwise|"
    r"now,|as a (?:consequence|result),|in (?:addition|response|turn|contrast),|"
    r"by contrast|on the other hand|even so|after that|since then|despite (?:this|that)|"
    r"because of (?:this|that)|the (?:move|decision|incident|attack|news|revelation|"
    r"announcement|comments?|remarks?|claims?|row|case|pair|couple|duo|trio)\b(?!\s+(?:to|"
    r"of|by|that|on|in|for|from)\b))(?![\w'’-])"
)
# A person described, not named: "the 52-year-old libertarian lawmaker", "The Aussie".
_DESCRIBED = re.compile(
    r"(?i)^(?:(?:on|in|at|by|earlier|last|later|this|after|before|during)\b[^,]{0,40},\s+)?"
    r"the\s+(?:\d+-year-old|former|ex-\w+|[\w-]+-year-old|man|woman|boy|girl|teenager|"
    r"star|actor|actress|singer|player|mother|father|victim|suspect|aussie|brit|briton|"
    r"lawmaker|politician|officer|driver|pilot|captain|striker|midfielder|defender|"
    r"goalkeeper|manager|coach|boss|reporter|presenter|model|blogger|student|pensioner|"
    r"grandmother|grandfather|mum|dad|businessman|businesswoman|billionaire|millionaire|"
    r"chef|doctor|nurse|teacher|gunman|attacker|killer|thief|robber|fighter|veteran|"
    r"soldier|dog|cat|animal)\b(?!\s*,\s*[A-Z])"
)
_PHRASE_THEN_PRONOUN = re.compile(
    r"(?i)^(?!(?:when|after|as|while|although|though|because|if|once|since|before|until|"
    r"unless|whereas)\b)(?:[\w'’-]+\s+){0,5}[\w'’-]+\s*,\s*(?:he|she|they|his|her|their)\b"
)
_EXPLETIVE_IT = re.compile(r"(?i)^it(?:'s|’s| is| was| has been| will be| seems)\b")
_TITLES = frozenset(
    ["mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "dame", "prof", "rev", "st"]
)
_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"


def _first_word(sentence: str) -> str:
    words = nlp.words(sentence.lstrip("\"'“‘( "))
    return words[0] if words else ""


def _opener_problem(sentence: str, article: str, where: int) -> str | None:
    text = sentence.lstrip("\"'“‘ ")
    first = _first_word(text)
    expletive = first == "it" and _EXPLETIVE_IT.match(text)
    if (
        first in _PRONOUNS
        and not expletive
        and not (first in ("this", "these") and _time_word(text))
    ):
        return f"opens with {first!r}"
    if m := _CONNECTIVES.match(text):
        return f"opens with {m.group(0)!r}"
    if m := _DESCRIBED.match(text):
        return f"describes someone not yet named: {m.group(0)!r}"
    if m := _PHRASE_THEN_PRONOUN.match(text):
        return f"a pronoun after an opening phrase: {m.group(0)!r}"
    if m := _UNNAMED_THING.match(text):
        return f"describes a place or group not yet named: {m.group(0)!r}"
    if why := _pronoun_before_anyone(text):
        return why
    return _bare_surname(text, article, where)


# "The quaint capital city", "The Premier League side": a thing described, not named.
_UNNAMED_THING = re.compile(
    r"^The\s+(?:[a-z][\w'’-]*\s+){0,3}(?:city|capital|town|village|country|nation|"
    r"island|resort|club|side|team|outfit|firm|company|band|group)\b"
    r"(?!['’]s\b|\s*(?:,\s*[A-Z]|of\b|in\b|at\b|from\b|that\b|which\b|called\b|named\b))"
)
_PERSONAL = frozenset(["he", "she", "his", "her", "him", "they", "their", "them"])
_INTRODUCES = frozenset(["a", "an", "the", "one", "two", "this", "some", "many"])


def _pronoun_before_anyone(text: str) -> str | None:
    """'It's hard to believe that his allegory...': a person referred to before anyone
    (a name, "a man", "the council") is said."""
    tokens = re.findall(r"[\w'’-]+", text)[:12]
    if not tokens or tokens[0].lower().replace("’", "'") not in _STOP:
        return None  # opens with a noun or a name: that is who "they" are
    for i, token in enumerate(tokens):
        low = token.lower()
        if low in _INTRODUCES or (i and token[0].isupper()):
            return None
        if i and low in _PERSONAL:
            return f"{token!r} before anyone is named"
    return None


def _time_word(text: str) -> bool:
    words = nlp.words(text)
    return len(words) > 1 and words[1].removesuffix("'s") in _TIME_WORDS


_TIME_WORDS = frozenset(
    [
        "morning",
        "afternoon",
        "evening",
        "night",
        "weekend",
        "week",
        "month",
        "year",
        "season",
        "spring",
        "summer",
        "autumn",
        "winter",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "days",
        "weeks",
        "months",
        "years",
    ]
)


def _bare_surname(text: str, article: str, where: int) -> str | None:
    """A sentence that opens with a surname alone ("Mangala joined...") where the article
    gave the full name ("Eliaquim Mangala") before this sentence."""
    m = re.match(rf"({_NAME})(?![\w'’-])\s*(?!\s*[A-Z])", text)
    if not m or m.group(1).lower() in _STOP:
        return None
    word = m.group(1)
    before = article[:where] if where >= 0 else ""
    full = re.search(rf"(?<![\w'’-])({_NAME}) {re.escape(word)}(?![\w'’-])", before)
    if full and full.group(1).lower() not in _STOP and full.group(1) not in _NOT_FIRST:
        return f"{word!r} alone; the article named {full.group(0)!r} before"
    return None


_STOP = nlp.stopwords("en")
# Capitalised words that come before a surname without being a first name.
_NOT_FIRST = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "By",
        "Of",
        "For",
        "From",
        "With",
        "Manchester",
        "United",
        "City",
        "Real",
        "New",
        "North",
        "South",
        "East",
        "West",
        "Old",
        "Great",
        "Saint",
        "San",
        "Los",
        "Las",
        "Le",
        "La",
        "De",
        "Del",
        "Van",
        "Von",
    ]
)


def reference_defects(summary: list[str], article: str, spans: list[int]) -> list[Defect]:
    found = []
    if summary and (why := _opener_problem(summary[0], article, spans[0])):
        found.append(Defect("reference", summary[0], why))
    for i in range(1, len(summary)):
        text = summary[i].lstrip("\"'“‘ ")
        first = _first_word(text)
        leans = (first in _PRONOUNS and not _EXPLETIVE_IT.match(text)) or bool(
            _CONNECTIVES.match(text)
        )
        if leans and not _follows(spans[i - 1], summary[i - 1], spans[i], article):
            found.append(Defect("reference", summary[i], f"opens with {first!r} out of place"))
    return found


def _follows(prev_at: int, prev: str, at: int, article: str) -> bool:
    """Whether the sentence at `at` comes right after `prev` in the article."""
    if prev_at < 0 or at < 0:
        return False
    gap = article[prev_at + len(_core(prev)) : at].lstrip(".!?\"'”’) ")
    # Between them: nothing, or a caption or credit (no sentence ends there).
    return not re.search(r"[.!?][\"'”’)]*\s", gap)


# --- caption ---------------------------------------------------------------------------

_LABEL = re.compile(r"^(?P<label>[A-Z][\w'’.-]*(?:\s+[\w'’.-]+){0,2})\s*[:!]\s+(?=[A-Z\"'‘“])")
_SAYS = re.compile(
    r"(?i)\b(?:said|says|say|told|tells|added|adds|explained|warned|wrote|writes|asked|"
    r"revealed|stated|claimed|insisted|continued|admitted|tweeted|reads?|announced|"
    r"statement|quote|update|note|warning|question|answer)$"
)
_PICTURED = re.compile(
    r"(?i)(?<!was )(?<!were )(?<!been )(?<!being )(?<!be )\bpictured\b|"
    r"\((?:left|right|centre|center|above|below|top|bottom|inset|"
    r"second (?:left|right)|far (?:left|right)|in \w+)\)"
)
_GLUE = re.compile(
    r"(?:(?<=[a-z0-9%)])|(?<=[a-z0-9][’']))\s+(?=(?:The|A|An|He|She|They|It|His|Her|Their|However|But|After|"
    r"When|This|These|There|Police|Another|Scroll|Now|Meanwhile|Last|Earlier|Here|Pictured)"
    r"\s+[a-z0-9£$€])"
)
# Captions say what a photo shows, in the present: "Bouchard shows her frustrations".
_PRESENT = re.compile(
    r"[A-Z][\w'’-]+(?:\s+\([^()]*\))?\s+(?:poses|leaves|arrives|celebrates|reacts|smiles|"
    r"walks|waves|shows (?:his|her|their|off)|looks on|holds|sits|watches|wears|"
    r"attends|performs|talks to|gestures|kisses|hugs|runs|jumps|is seen|are seen)\b"
)
GLUED_WORDS = 40  # a sentence this long that tells a photo in the present is a glued caption
_GLUE_LEFT_OK = frozenset(
    [
        "of",
        "the",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "said",
        "told",
        "than",
    ]
)


def caption_defects(summary: list[str], article: str, spans: list[int]) -> list[Defect]:
    found = []
    for sentence, at in zip(summary, spans, strict=True):
        why = _caption(sentence, article, at)
        if why:
            found.append(Defect("caption", sentence, why))
    return found


def _caption(sentence: str, article: str, at: int) -> str | None:
    m = _LABEL.match(sentence)
    if m and not _SAYS.search(m.group("label")) and _first_word(sentence) not in _STOP:
        return f"a caption label {m.group('label')!r}"
    if m := _PICTURED.search(sentence):
        return f"caption word {m.group(0)!r}"
    for m in _GLUE.finditer(sentence):
        left = sentence[: m.start()].split()[-1].lower()
        if left not in _GLUE_LEFT_OK:
            return f"two sentences glued at {sentence[max(0, m.start() - 20) : m.end() + 15]!r}"
    words = sentence.split()
    if len(words) >= 8 and words[0][:1].isupper():
        again = sentence.find(" " + " ".join(words[:3]) + " ", 1)
        if again > 0 and sentence[again - 1].isalnum():
            return f"a headline glued to its lead: {' '.join(words[:3])!r} comes again"
    if len(sentence.split()) >= GLUED_WORDS and (m := _PRESENT.search(sentence)):
        return f"a caption in the present tense run into the text: {m.group(0)!r}"
    if at >= 0:
        core = _core(sentence)
        end = at + len(core)
        after = article[end : end + 3]
        if core and core[-1] not in ".!?…\"'”’)" and re.match(r"\s?[A-Z\"'‘“]", after):
            return "no full stop where the article runs on into the next sentence"
    return None


# --- credit ----------------------------------------------------------------------------

_CREDIT = re.compile(
    r"^(?:[A-Z][\w.,' -]{0,40})?\([A-Z][\w .&'/-]{0,40}\)\s*(?:--|[-—–:])?\s*(?=\S)"
    r"|^[A-Z][A-Z.' -]{2,30}(?:,\s*[\w. ]{2,30})?\s*(?:\([^)]{1,30}\))?\s*(?:--|[—–-])\s"
    r"|\)(?=[A-Z][a-z])"
    r"|(?i:\bscroll down for\b|\bpublished:|\bupdated:|\bdaily mail reporter\b|"
    r"\bgetty images\b|\b(?:ap|afp|reuters|epa) photo\b|\bclick here\b|\bfollow @|"
    r"\bphoto(?:graph)?:|\bcredit:|\bimage copyright\b|\blast updated\b|"
    r"\baccepting comments\b|\bcomments (?:are|have been) (?:closed|disabled)\b)"
)


def credit_defects(summary: list[str]) -> list[Defect]:
    found = []
    for sentence in summary:
        if m := _CREDIT.search(sentence):
            found.append(Defect("credit", sentence, f"credit or dateline {m.group(0)!r}"))
    return found


# --- widget ----------------------------------------------------------------------------

_WIDGET = re.compile(
    r"(?i)\b(?:buy\s+(?:it\s+)?now|shop\s+(?:now|the\s+look|online)|click\s+(?:here|to\s+buy)|"
    r"get\s+the\s+look|style\s+stripes|team\s+news|all\s+you\s+need\s+to\s+know|"
    r"here\s+is\s+all\s+the|betting\s+odds|scroll\s+(?:down|up)|sign\s+up\s+(?:here|now)|"
    r"(?:plot|map|chart|graphic|video|clip|photo|picture|image|footage|gallery|table|"
    r"pictured|shown|seen)\s+(?:above|below))\b"
)
_SHOPS = re.compile(
    r"(?i)\b(?:topshop|asos|zara|net-a-porter|river island|selfridges|intermix|nordstrom|"
    r"boden|mango|reiss|uniqlo|primark|boohoo|shopbop|farfetch)\b"
)


def widget_defects(summary: list[str]) -> list[Defect]:
    found = []
    for sentence in summary:
        if m := _WIDGET.search(sentence):
            found.append(Defect("widget", sentence, f"page furniture {m.group(0)!r}"))
        elif (m := _SHOPS.search(sentence)) and re.search(
            r"[£$€]\d|\b[A-Z][a-z]+ [a-z]+ [a-z]+ [A-Z][a-z]+ your\b", sentence
        ):
            found.append(Defect("widget", sentence, f"a shop list {m.group(0)!r}"))
    return found


# --- repeat ----------------------------------------------------------------------------

REPEAT_SHARE = 0.5  # content words of the shorter sentence that the other also says
REPEAT_SHARE_WITH_NUMBER = 0.25  # ... when both also give the same number
REPEAT_WORDS = 3  # and at least this many content words in common (not "it", "said")


def _numbers(sentence: str) -> set[str]:
    found = set()
    for token in re.findall(r"[£$€]?\d[\d,.:-]*\d?%?(?:m|bn|k)?", sentence):
        token = token.rstrip(".,:-")
        if re.fullmatch(r"(?:19|20)\d\d|\d", token):
            continue  # a year or a single digit says little on its own
        found.add(token)
    return found


def _names(sentence: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Z][\w'’-]+", sentence)} - _STOP


def repeat_defects(summary: list[str]) -> list[Defect]:
    terms = [set(nlp.content_terms(s)) for s in summary]
    numbers = [_numbers(s) for s in summary]
    names = [_names(s) for s in summary]
    found = []
    for j in range(len(summary)):
        for i in range(j):
            if not terms[i] or not terms[j]:
                continue
            shared = len(terms[i] & terms[j])
            share = shared / min(len(terms[i]), len(terms[j]))
            same_number = numbers[i] & numbers[j]
            same_words = shared >= REPEAT_WORDS and share >= REPEAT_SHARE
            # The same number about the same name or with some of the same words.
            same_fact = same_number and (
                bool(names[i] & names[j]) or (shared >= 2 and share >= REPEAT_SHARE_WITH_NUMBER)
            )
            if same_words or same_fact:
                extra = f" and {sorted(same_number)}" if same_number else ""
                found.append(
                    Defect(
                        "repeat",
                        summary[j],
                        f"{share:.0%} of its words{extra} already said in {summary[i][:60]!r}",
                    )
                )
                break
    return found


# --- cut -------------------------------------------------------------------------------

# Words a sentence never ends on ("on" and "to" can: "turning the music on").
_ENDS_ON = frozenset(["the", "a", "an", "and", "or", "but", "of", "which", "whose"])


def cut_defects(summary: list[str]) -> list[Defect]:
    found = []
    for sentence in summary:
        why = _cut(sentence)
        if why:
            found.append(Defect("cut", sentence, why))
    return found


def _cut(sentence: str) -> str | None:
    text = sentence.strip()
    start = text.lstrip("\"'“‘([ ")
    if start[:1].islower():
        return "starts in lower case"
    words = nlp.words(text)
    if words and words[-1] in _ENDS_ON:
        return f"ends on {words[-1]!r}"
    if text.rstrip().endswith((",", ":", ";")):
        return "ends on a comma or colon"
    if text.count("(") != text.count(")"):
        return "a bracket left open"
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return "a quote left open"
    return None


# --- whole summaries -------------------------------------------------------------------


def _core(sentence: str) -> str:
    # The sentence as the article has it: the summarizer adds a full stop to a line
    # that had none ("...in Liverpool" -> "...in Liverpool.").
    core = " ".join(sentence.split())
    return core[:-1] if core.endswith(".") and not core.endswith("..") else core


def locate(summary: list[str], article: str) -> list[int]:
    """Where each sentence starts in `article` (whitespace collapsed), or -1."""
    spans = []
    start = 0
    for sentence in summary:
        core = _core(sentence)
        at = article.find(core, start)
        if at < 0:
            at = article.find(core)
        if at < 0:  # cleaned: a prefix was stripped; find the sentence's tail
            tail = core[len(core) // 3 :]
            found = article.find(tail)
            at = max(-1, found - len(core) // 3) if found >= 0 else -1
        spans.append(at)
        if at >= 0:
            start = at + 1
    return spans


def check(summary: list[str], article: str) -> list[Defect]:
    """Every defect a listener would hear in `summary` of `article`."""
    flat = " ".join(article.split())
    spans = locate(summary, flat)
    return [
        *reference_defects(summary, flat, spans),
        *caption_defects(summary, flat, spans),
        *credit_defects(summary),
        *repeat_defects(summary),
        *cut_defects(summary),
        *widget_defects(summary),
    ]


Method = Callable[[Example, int | None, int | None], list[str]]
METHODS: dict[str, Method] = {"briefing (ours)": ours, "Lead-3 / Lead": lead}
SETTINGS = ((3, None, "3 sent"), (None, BUDGET_WORDS, f"{BUDGET_WORDS} w"))


def run(examples: list[Example]) -> dict[tuple[str, str], list[list[Defect]]]:
    """Defects per summary, keyed by (method, setting label)."""
    out = {}
    for name, method in METHODS.items():
        for k, words, label in SETTINGS:
            out[name, label] = [check(method(e, k, words), e.article) for e in examples]
    return out


def report(results: dict[tuple[str, str], list[list[Defect]]], subset: list[int]) -> str:
    columns = list(results)
    headers = ["defects per 100 summaries", *(f"{m.split(' ')[0]} @{s}" for m, s in columns)]
    rows = []
    for kind in KINDS:
        row: list[object] = [kind]
        for key in columns:
            row.append(_per100(sum(d.kind == kind for d in results[key][i]) for i in subset))
        rows.append(row)
    rows.append(
        ["**all defects**", *(_per100(len(results[k][i]) for i in subset) for k in columns)]
    )
    rows.append(
        [
            "summaries with any defect (%)",
            *(_per100(bool(results[k][i]) for i in subset) for k in columns),
        ]
    )
    return table(headers, rows).replace(f"({len(subset)})", "")


def _per100(counts: object) -> str:
    values = list(counts)  # type: ignore[call-overload]
    return f"{100 * sum(values) / max(1, len(values)):.0f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="data set file or folder (see bench/README.md)")
    parser.add_argument("--limit", type=int, default=1000, help="articles to check")
    parser.add_argument("--show", choices=KINDS, help="print every defect of this kind")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    data = find_data(args.data)
    if data is None:
        sys.exit("no data set found; pass --data (see bench/README.md)")
    examples = load_examples(data, args.limit)
    results = run(examples)
    if args.show:
        for (name, label), per_summary in results.items():
            for i, defects in enumerate(per_summary):
                for d in defects:
                    if d.kind == args.show:
                        print(f"[{name} @{label} #{i}] {d.why}\n    {d.sentence[:200]}")
    n = len(examples)
    held_out, tuning = list(range(1, n, 2)), list(range(0, n, 2))
    parts = [
        f"Machine: {machine()}. Defects a listener hears (`bench/listen.py`: reference, "
        "caption, credit, repeat, cut, widget; see its docstring), counted per 100 summaries of "
        f"the {n} articles of `{data.name}`, ours beside Lead-3 (the first sentences "
        "as the splitter gives them), at 3 sentences and at "
        f"<= {BUDGET_WORDS} words. A summary can have several.",
        f"Held out: the {len(held_out)} odd-numbered articles:\n\n{report(results, held_out)}",
        f"Tuning half: the {len(tuning)} even-numbered articles:\n\n{report(results, tuning)}",
    ]
    write_section("listen", "## Listen-ability\n\n" + "\n\n".join(parts) + "\n", not args.no_write)


if __name__ == "__main__":
    main()
