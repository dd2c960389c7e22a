"""Score candidate sentences, then pick them greedily under a budget with MMR.

Score = lead bias + centrality + headline overlap, scaled for length. Centrality is the
mean cosine similarity of a sentence to all the others, which for unit TF-IDF vectors
equals its dot product with the sum of the other vectors: the degree of a fully
connected similarity graph in O(terms) instead of the O(n^2) pairs TextRank builds.
With a budget in sentences, selection is lazy-greedy Maximal Marginal Relevance: a
sentence's redundancy can only grow as more are picked, so a stale heap entry is an upper
bound and most sentences are never re-scored (O(n log n) in sentences). With a budget in
words, the sentences are taken in the article's order, as the lead would be, and only a
defect is passed over (`in_order`): bench/results.md has both beside Lead-3.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from briefing import nlp
from briefing.settings import ScriptSettings, default
from briefing.summarize.text import Candidate

Vector = dict[str, float]

W_POSITION, W_CENTRALITY, W_HEADLINE = 0.5, 0.3, 0.2
# News puts its lead in the first few sentences, not only the first: the first
# LEAD_SENTENCES candidates share the top position prior, later ones fall off as 1/rank.
LEAD_SENTENCES = 3
SENTENCES: int = default(ScriptSettings, "sentences")  # a budget's default: [script] sentences
MMR_LAMBDA = 0.75  # weight of relevance against redundancy with what is already chosen
NEAR_DUPLICATE = 0.7  # cosine at which a sentence says again what was said
LONG_SENTENCE_WORDS = 55  # longer ones are hard to follow by ear: scaled down
SHORT_SENTENCE_WORDS = 10  # shorter ones rarely carry the news: scaled down
# Two sentences state the same fact when the shorter one's content words are mostly in
# the other, or when both give the same number and share a name or some words ("awarded
# a 3-0 walkover" ... "deemed to have lost the game 3-0"): cosine misses the second.
SAME_FACT_SHARE = 0.5
SAME_FACT_WORDS = 3
SAME_NUMBER_SHARE = 0.25

_NUMBER_RE = re.compile(r"[£$€]?\d(?:[\d,.:/-]*\d)?(?:%|m|bn|k)?")
_NAME_RE = re.compile(r"[A-Z][\w'’-]+")


@dataclass(frozen=True)
class Budget:
    """At most `sentences` sentences and, when `words` is set, at most that many words."""

    sentences: int | None = SENTENCES
    words: int | None = None

    @classmethod
    def spoken(cls, seconds: float, rate: int, sentences: int | None = None) -> Budget:
        """The words that fit in `seconds` at `rate` words per minute."""
        return cls(sentences=sentences, words=max(0, int(seconds * rate / 60)))


@dataclass(frozen=True)
class Facts:
    """What a sentence states, for telling whether another says it again."""

    terms: frozenset[str]  # stemmed content words
    numbers: frozenset[str]  # "3-0", "£17m", "82": not years or single digits
    names: frozenset[str]  # capitalised words, lower-cased


def facts(text: str, terms: Iterable[str], stop: frozenset[str]) -> Facts:
    numbers = {n for n in _NUMBER_RE.findall(text) if not re.fullmatch(r"(?:1[89]|20)\d\d|\d", n)}
    names = {w.lower() for w in _NAME_RE.findall(text)} - stop
    return Facts(frozenset(terms), frozenset(numbers), frozenset(names))


def says_again(a: Facts, b: Facts) -> bool:
    """Whether one of the two sentences states what the other does."""
    if not a.terms or not b.terms:
        return False
    shared = len(a.terms & b.terms)
    share = shared / min(len(a.terms), len(b.terms))
    if shared >= SAME_FACT_WORDS and share >= SAME_FACT_SHARE:
        return True
    return bool(a.numbers & b.numbers) and (share >= SAME_NUMBER_SHARE or bool(a.names & b.names))


def terms_of(text: str, stop: frozenset[str], stem: Callable[[str], str]) -> list[str]:
    out = []
    for w in nlp.words(text):
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) > 1 and w not in stop:
            out.append(stem(w))
    return out


def unit_tfidf(terms: list[str], idf: dict[str, float]) -> Vector:
    tf = Counter(terms)
    vec = {t: (1 + math.log(c)) * idf[t] for t, c in tf.items()}
    norm = math.sqrt(sum(w * w for w in vec.values()))
    return {t: w / norm for t, w in vec.items()} if norm else {}


def dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def score(
    cands: list[Candidate], terms: list[list[str]], headline_terms: set[str]
) -> tuple[list[float], list[Vector], list[int]]:
    """Relevance of each candidate, its unit TF-IDF vector and its word count."""
    n = len(cands)
    df = Counter(t for ts in terms for t in set(ts))
    idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}
    vectors = [unit_tfidf(ts, idf) for ts in terms]
    total: dict[str, float] = defaultdict(float)
    for v in vectors:
        for t, w in v.items():
            total[t] += w
    centrality = []
    for v in vectors:
        # Dot with the sum of the *other* sentences: a sentence is not central to itself.
        own = sum(w * w for w in v.values())
        centrality.append((dot(v, total) - own) / max(1, n - 1))
    top = max(centrality, default=0.0) or 1.0
    lengths = [len(c.text.split()) for c in cands]  # as Script.word_count counts
    scores = []
    for i, cand in enumerate(cands):
        position = 1.0 / max(1, i + 2 - LEAD_SENTENCES)
        head = (
            len(headline_terms.intersection(terms[i])) / len(headline_terms)
            if headline_terms
            else 0.0
        )
        s = W_POSITION * position + W_CENTRALITY * centrality[i] / top + W_HEADLINE * head
        if lengths[i] > LONG_SENTENCE_WORDS:
            s *= LONG_SENTENCE_WORDS / lengths[i]
        elif lengths[i] < SHORT_SENTENCE_WORDS:
            s *= lengths[i] / SHORT_SENTENCE_WORDS
        if cand.text.rstrip("\"'”’").endswith("?"):
            s *= 0.8  # news is told in statements; a question rarely carries it
        scores.append(s)
    return scores, vectors, lengths


def select(
    cands: list[Candidate],
    scores: list[float],
    vectors: list[Vector],
    lengths: list[int],
    budget: Budget,
) -> list[int]:
    """Positions in `cands` of the chosen sentences, in document order."""
    if budget.words is not None:
        return in_order(cands, vectors, lengths, budget)
    limit = budget.sentences if budget.sentences is not None else len(cands)
    if limit <= 0 or not cands:
        return []
    # A sentence that needs its predecessor may only follow it directly.
    predecessor = {
        p: p - 1
        for p, c in enumerate(cands)
        if c.needs_context and p > 0 and cands[p - 1].index == c.index - 1
    }
    # Entries: (-MMR value, position, how many picks it was scored against, redundancy).
    heap = [(-MMR_LAMBDA * s, p, 0, 0.0) for p, s in enumerate(scores)]
    heapq.heapify(heap)
    stop = nlp.stopwords("en")
    known: dict[int, Facts] = {}

    def fact(p: int) -> Facts:
        if p not in known:
            known[p] = facts(cands[p].text, vectors[p], stop)
        return known[p]

    picked: list[int] = []
    chosen: set[int] = set()
    waiting: dict[int, list[tuple[float, int, int, float]]] = {}
    not_yet: list[tuple[float, int, int, float]] = []  # may not open: wait for an earlier pick
    while heap and len(picked) < limit:
        entry = heapq.heappop(heap)
        _, p, seen, redundancy = entry
        if cands[p].needs_context:
            pred = predecessor.get(p)
            if pred is None:
                continue  # its context is not in the text we have: never speakable
            if pred not in chosen:
                waiting.setdefault(pred, []).append(entry)
                continue
        if not cands[p].opens and not any(q < p for q in picked):
            not_yet.append(entry)
            continue
        if seen < len(picked):
            # Stale: add redundancy with the sentences picked since, then compete again.
            redundancy = max(redundancy, *(dot(vectors[p], vectors[q]) for q in picked[seen:]))
            if redundancy >= NEAR_DUPLICATE or any(
                says_again(fact(p), fact(q)) for q in picked[seen:]
            ):
                continue
            value = MMR_LAMBDA * scores[p] - (1 - MMR_LAMBDA) * redundancy
            heapq.heappush(heap, (-value, p, len(picked), redundancy))
            continue
        picked.append(p)
        chosen.add(p)
        for item in waiting.pop(p, []):
            heapq.heappush(heap, item)
        for item in not_yet:
            heapq.heappush(heap, item)
        not_yet.clear()
    return sorted(picked)


def in_order(
    cands: list[Candidate], vectors: list[Vector], lengths: list[int], budget: Budget
) -> list[int]:
    """Positions of the sentences for a budget in words: the article's own, in its order,
    as Lead takes them, stopping at the first that does not fit, as Lead does. A
    sentence is passed over only where it is a defect a listener would hear: it leans
    on a sentence not spoken, it may not open the story, or it says again what one
    already chosen says. Captions, credits and furniture are not candidates at all. So
    the summary departs from the lead only to leave out a defect, and with a word
    budget that rule beat re-ranking on data it was not chosen on (bench/results.md);
    re-ranking spends words the reference summaries spend on the lead. Only when not
    even one sentence is chosen yet is a long one skipped for a shorter: never nothing
    where something fits."""
    limit = budget.sentences if budget.sentences is not None else len(cands)
    words_left = budget.words if budget.words is not None else math.inf
    stop = nlp.stopwords("en")
    picked: list[int] = []
    said: list[Facts] = []
    for p, cand in enumerate(cands):
        if len(picked) >= limit:
            break
        if lengths[p] > words_left:
            if picked:
                break
            continue
        follows = bool(picked) and picked[-1] == p - 1 and cands[p - 1].index == cand.index - 1
        if (cand.needs_context and not follows) or (not cand.opens and not picked):
            continue
        fact = facts(cand.text, vectors[p], stop)
        if any(dot(vectors[p], vectors[q]) >= NEAR_DUPLICATE for q in picked) or any(
            says_again(fact, f) for f in said
        ):
            continue
        picked.append(p)
        said.append(fact)
        words_left -= lengths[p]
    return picked
