"""Summarize stage: pick the sentences that carry the news, in document order.

First extractive version: lead bias + TF-IDF centroid + headline overlap, with
redundancy removal. The `Summarizer` issue deepens this stage.
"""

from __future__ import annotations

import math
from collections import Counter

from briefing import nlp
from briefing.models import Article, Story

MIN_WORDS, MAX_WORDS = 6, 60


def summarize(article: Article, max_sentences: int = 3) -> Story:
    """Return a `Story` with at most `max_sentences` sentences from `article`."""
    sentences = [s for s in nlp.split_sentences(article.body) if s]
    chosen = select_sentences(sentences, article.headline, max_sentences)
    source = (article.source,) if article.source else ()
    return Story(headline=article.headline, sentences=tuple(chosen), sources=source)


def select_sentences(sentences: list[str], headline: str, k: int) -> list[str]:
    if k <= 0 or not sentences:
        return []
    terms = [nlp.content_terms(s) for s in sentences]
    df = Counter(t for ts in terms for t in set(ts))
    n = len(sentences)
    idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}
    vectors = [_tfidf(ts, idf) for ts in terms]
    centroid: Counter[str] = Counter()
    for v in vectors:
        centroid.update(v)
    head = set(nlp.content_terms(headline))

    scores = []
    for i, (s, v, ts) in enumerate(zip(sentences, vectors, terms, strict=True)):
        n_words = len(s.split())
        length_ok = MIN_WORDS <= n_words <= MAX_WORDS
        position = 1.0 / math.sqrt(i + 1)
        overlap = len(head & set(ts)) / len(head) if head else 0.0
        score = 0.5 * position + 0.35 * _cosine(v, centroid) + 0.25 * overlap
        scores.append(score if length_ok else score * 0.3)

    order = sorted(range(n), key=lambda i: -scores[i])
    picked: list[int] = []
    for i in order:
        if len(picked) == k:
            break
        if all(_cosine(vectors[i], vectors[j]) < 0.6 for j in picked):
            picked.append(i)
    return [sentences[i] for i in sorted(picked)]


def _tfidf(terms: list[str], idf: dict[str, float]) -> Counter[str]:
    tf = Counter(terms)
    return Counter({t: c * idf[t] for t, c in tf.items()})


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0
