"""Which of the day's articles report the same event.

Follow-up reports of one event (the resignation announced, then the resignation done)
share the event's actors and action, but days apart they share few words: the old
IDF-weighted overlap of real follow-ups was 0.15-0.18, and two different stories from
one place ("Puerto Rico", "San Juan", "the oversight board") scored about as high. What
tells them apart:

- a capitalised name of several words ("Puerto Rico", "Ricardo Rosselló Nevares") is one
  term, not two or three, so a shared place weighs what one shared rare word weighs;
- a term counts once per sentence of the lead it is in (twice in the headline), so the
  event's actor and action, which recur, outweigh a place mentioned once;
- IDF is taken over the day's articles plus BACKGROUND unrelated ones that lack every
  term, so that in a day of two or three articles a shared term is not worth less than
  one only a single article has; words that every report uses ("said", "Monday",
  "government", "officials") count for nothing;
- the headlines must share HEADLINE_TERMS rare terms: the actor and the action
  ("Puerto Rico" + "governor" + "resign"), not only the place, and one of them a name
  (a name of several words, or a word the leads capitalise mid-sentence): two towns'
  football clubs delaying two plans share "football club" but no one; unless the leads
  are nearly one text (SAME_COPY: a wire story under two outlets' headlines).

Measured on three real Wikinews follow-up pairs (the Puerto Rico pair in seeds/, a New
Hampshire crash and the driver's plea, Hurricane Dorian's landfall and its aftermath)
and different stories sharing a place, a kind of event or a topic word, each alone and
in days of up to 32 articles: follow-ups score 0.205 or more, different stories up to
0.19 but their headlines share at most one rare term (tests/test_plan.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing import nlp
from briefing.nlp import language
from briefing.summarize import rank

if TYPE_CHECKING:
    from briefing.summarize import Analysis

SAME_EVENT = 0.17  # cosine of event profiles at which two reports may be one event
SAME_COPY = 0.5  # ... at which they are, whatever their headlines (one wire story, retitled)
LEAD_SENTENCES = 5  # the lead: where a report says who did what
HEADLINE_WEIGHT = 2  # a headline term counts as two lead sentences
BACKGROUND = 10  # unrelated articles assumed besides the day's, for IDF
HEADLINE_TERMS = 2  # rare terms two headlines must share (a name of several words is one)

# A run of capitalised words, with the small words names have inside ("Secretary of
# State", "Luis Rivera de la Cruz"); a possessive "'s" is not part of the name.
# Tried only where a word starts, the letters before its first capital skipped (group
# "name"), so a run of 40,000 capitals is read once, not once per capital (issue 17).
_WORD = r"[A-Z][\w\-]*(?:['’](?!s\b)\w+)?"
_NAME_RE = re.compile(
    r"(?<![\w\-])(?:[^\WA-Z]|-)*(?P<name>"
    + _WORD
    + r"(?:\s+(?:(?:of|de|del|la|le|da|van|von|al|bin|the|for)\s+)*"
    + _WORD
    + ")+)"
)
_CAPITALISED_RE = re.compile(r"\b[A-Z][\w\-]+")
# Words in nearly every news report, whatever it is about: they say nothing of the event.
_NEWS_WORDS = frozenset(
    re.findall(
        r"\w+",
        "said says told say year years week weeks month months day days today yesterday "
        "tomorrow monday tuesday wednesday thursday friday saturday sunday january "
        "february march april may june july august september october november december "
        "morning night time people government official officials state country percent "
        "report reports reported according including announced new first last one two "
        "three four five",
    )
)


@dataclass(frozen=True)
class Profile:
    """What a report says of its event: its headline's terms, and the terms of its
    headline and lead, each counted once per sentence it is in (the headline's count
    HEADLINE_WEIGHT times). A name of several words is one term."""

    headline: frozenset[str]
    counts: Counter[str]
    proper: frozenset[str] = frozenset()  # terms written as names in the lead


def profile(analysis: Analysis) -> Profile:
    code = analysis.language or "en"
    stop = nlp.stopwords(code)
    stem = language.stemmer(code)
    common = frozenset(stem(w) for w in _NEWS_WORDS) if code == "en" else frozenset()
    lead = [c.text for c in analysis.candidates[:LEAD_SENTENCES]]
    names = sorted({n for s in lead for n in _names(s)}, key=len, reverse=True)

    def terms(text: str) -> frozenset[str]:
        low = text.lower().replace("’", "'")
        found = set()
        for name in names:
            if name in low:
                found.add("name:" + name)
                low = low.replace(name, " ")
        found.update(t for t in rank.terms_of(low, stop, stem) if t not in common)
        return frozenset(found)

    headline = terms(analysis.article.headline)
    counts: Counter[str] = Counter()
    for t in headline:
        counts[t] += HEADLINE_WEIGHT
    for sentence in lead:
        counts.update(terms(sentence))
    proper = {"name:" + n for n in names}
    for sentence in lead:
        # Capitalised after the first word: a name, not a sentence start.
        caps = " ".join(_CAPITALISED_RE.findall(sentence.split(None, 1)[-1]))
        proper.update(rank.terms_of(caps.lower(), stop, stem))
    return Profile(headline, counts, frozenset(proper))


def group(analyses: Sequence[Analysis]) -> list[list[int]]:
    """Indexes of `analyses` in groups of one event, each in input order, groups in the
    order of their first member."""
    n = len(analyses)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in same_event_pairs(analyses):
        parent[find(j)] = find(i)

    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(find(i), []).append(i)
    return list(members.values())


def follow_ups(today: Sequence[Analysis], earlier: Sequence[Analysis]) -> dict[int, list[int]]:
    """For each of `today`'s reports that follows one or more `earlier` ones (stories
    told on other days), the indexes of those, in order. IDF is over both together, as
    if they were one day: what the earlier days were all about is no evidence either."""
    found: dict[int, list[int]] = {}
    split = len(today)
    for i, j in same_event_pairs([*today, *earlier]):
        if i < split <= j:
            found.setdefault(i, []).append(j - split)
    return {i: sorted(js) for i, js in found.items()}


def same_event_pairs(analyses: Sequence[Analysis]) -> list[tuple[int, int]]:
    """Every pair (i < j) of `analyses` that reports one event."""
    profiles = [profile(a) for a in analyses]
    vectors, norms = _weighted(profiles)
    # Only pairs sharing a term can match: an inverted index avoids comparing the rest.
    postings: dict[str, list[int]] = {}
    for i, v in enumerate(vectors):
        for t in v:
            postings.setdefault(t, []).append(i)
    # Sums of weight products (floats): a Counter would claim to count integers.
    shared: dict[tuple[int, int], float] = defaultdict(float)
    for t, ids in postings.items():
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                i, j = ids[x], ids[y]
                shared[i, j] += vectors[i][t] * vectors[j][t]
    pairs = []
    for (i, j), dot in shared.items():
        score = dot / (norms[i] * norms[j])
        if score >= SAME_COPY or (
            score >= SAME_EVENT and _headlines_agree(profiles[i], profiles[j], vectors[i])
        ):
            pairs.append((i, j))
    return sorted(pairs)


def similarity(analyses: Sequence[Analysis], i: int, j: int) -> tuple[float, int]:
    """For one pair: the score `group` compares with SAME_EVENT, and how many terms that
    are not the day's topic the headlines share (for tests and tuning)."""
    profiles = [profile(a) for a in analyses]
    vectors, norms = _weighted(profiles)
    a, b = vectors[i], vectors[j]
    score = sum(w * b.get(t, 0.0) for t, w in a.items()) / (norms[i] * norms[j])
    return score, _shared_headline_terms(profiles[i], profiles[j], a)


def _headlines_agree(a: Profile, b: Profile, weights: dict[str, float]) -> bool:
    # Two stories from one place share its name; reports of one event share more of
    # their headlines: the actor, the action ("Puerto Rico", "governor", "resign"). Two
    # events of one kind share the action but no actor ("football club delays plan").
    if _shared_headline_terms(a, b, weights) < HEADLINE_TERMS:
        return False
    return any(t in weights and t in a.proper and t in b.proper for t in a.headline & b.headline)


def _shared_headline_terms(a: Profile, b: Profile, weights: dict[str, float]) -> int:
    # `weights` (a's vector) holds only terms that are not the day's topic.
    return sum(1 for t in a.headline & b.headline if t in weights)


def _weighted(profiles: list[Profile]) -> tuple[list[dict[str, float]], list[float]]:
    n = len(profiles)
    df = Counter(t for p in profiles for t in p.counts)
    # A term in over a quarter of a big day's articles is the day's topic, not an event.
    widest = max(3, n // 4)
    idf = {
        t: math.log((1 + n + BACKGROUND) / (1 + c)) if c <= widest else 0.0 for t, c in df.items()
    }
    vectors = [
        {t: (1 + math.log(c)) * idf[t] for t, c in p.counts.items() if idf[t]} for p in profiles
    ]
    norms = [math.sqrt(sum(w * w for w in v.values())) or 1.0 for v in vectors]
    return vectors, norms


def _names(sentence: str) -> set[str]:
    out = set()
    for m in _NAME_RE.finditer(sentence):
        words = m.group("name").replace("’", "'").split()
        while words and words[0].lower() in nlp.stopwords("en"):
            words.pop(0)  # "The Puerto Rico ...", "On Friday"
        if len(words) >= 2:
            out.add(" ".join(words).lower())
    return out
