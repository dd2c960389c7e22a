"""Summarize stage: pick the sentences that carry the news, in document order.

`analyse` does the work that does not depend on the length wanted (splitting, cleaning,
scoring); `Analysis.select` then picks for a budget in sentences or words, so the
briefing planner can try several lengths per story cheaply. `summarize` is the one-call
entry point. Bad text never raises: it gives an empty story and a note saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefing import nlp
from briefing.errors import InputError
from briefing.models import Article, Story
from briefing.nlp import language
from briefing.sources.files import ArticleError, load_file
from briefing.sources.headline import speakable
from briefing.summarize import rank, text
from briefing.summarize.rank import SENTENCES, Budget, Vector

# Past this a "story" is a book or a dump (a long read is 60 kB); lead bias says the
# news is at the start. It also bounds the time one article costs: about 0.3 s.
MAX_CHARS = 250_000

__all__ = [
    "Analysis",
    "Budget",
    "Summary",
    "analyse",
    "summarize",
    "summarize_article",
    "summarize_file",
]


@dataclass(frozen=True)
class Analysis:
    """An article's candidate sentences, scored; `notes` say what was not summarized."""

    article: Article
    candidates: tuple[text.Candidate, ...] = ()
    scores: tuple[float, ...] = ()
    vectors: tuple[Vector, ...] = ()
    lengths: tuple[int, ...] = ()
    language: str | None = "en"
    notes: tuple[str, ...] = ()

    def select(self, budget: Budget) -> tuple[str, ...]:
        picked = rank.select(
            list(self.candidates), list(self.scores), list(self.vectors), list(self.lengths),
            budget,
        )  # fmt: skip
        return tuple(self.candidates[p].text for p in picked)

    def words(self, sentences: tuple[str, ...]) -> int:
        return sum(len(s.split()) for s in sentences)


@dataclass(frozen=True)
class Summary:
    story: Story
    notes: tuple[str, ...] = ()  # why sentences are missing, or what was not read


def analyse(article: Article) -> Analysis:
    body = article.body
    notes: list[str] = []
    if not body.strip():
        return Analysis(article, notes=("not summarized: the article has no text",))
    if len(body) > MAX_CHARS:
        cut = max(body.rfind("\n", 0, MAX_CHARS), body.rfind(". ", 0, MAX_CHARS) + 1)
        body = body[: cut if cut > MAX_CHARS // 2 else MAX_CHARS]
        notes.append(
            f"only the first {len(body):,} of {len(article.body):,} characters were "
            "summarized; is this really one article?"
        )
    detected = language.detect(body)
    if detected.code is None:
        return Analysis(article, language=None, notes=(*notes, detected.reason))
    code = detected.code
    cands = text.candidates(body, english=code == "en")
    if not cands:
        return Analysis(article, language=code, notes=(*notes, _why_no_sentences(body)))
    stop = nlp.stopwords(code)
    stem = language.stemmer(code)
    terms = [rank.terms_of(c.text, stop, stem) for c in cands]
    headline_terms = set(rank.terms_of(article.headline, stop, stem))
    scores, vectors, lengths = rank.score(cands, terms, headline_terms)
    return Analysis(
        article,
        tuple(cands),
        tuple(scores),
        tuple(vectors),
        tuple(lengths),
        code,
        tuple(notes),
    )


def summarize_article(article: Article, budget: Budget) -> Summary:
    analysis = analyse(article)
    sentences = analysis.select(budget)
    notes = analysis.notes
    if analysis.candidates and not sentences:
        notes = (*notes, "no sentence fits in the time given; allow more time")
    source = (article.source,) if article.source else ()
    headline = speakable(article.headline)
    return Summary(Story(headline, sentences, source, article.headline_from_text), notes)


def summarize(article: Article, max_sentences: int = SENTENCES) -> Story:
    """Return a `Story` with at most `max_sentences` sentences from `article`."""
    return summarize_article(article, Budget(sentences=max_sentences)).story


def summarize_file(path: Path, budget: Budget) -> Summary:
    """Load one article file and summarize it; an unusable file raises `InputError`."""
    try:
        article = load_file(path)
    except ArticleError as exc:
        raise InputError(f"{path} {exc}") from exc
    return summarize_article(article, budget)


def _why_no_sentences(body: str) -> str:
    units = text.split_units(body)
    if (
        units
        and all(
            len(nlp.words(u)) > text.MAX_SENTENCE_WORDS
            for u in units
            if len(nlp.words(u)) >= text.MIN_SENTENCE_WORDS
        )
        and any(len(nlp.words(u)) > text.MAX_SENTENCE_WORDS for u in units)
    ):
        return (
            "not summarized: the text has no sentence punctuation, so it cannot be split "
            f"into sentences of at most {text.MAX_SENTENCE_WORDS} words; add full stops"
        )
    return (
        "not summarized: no complete sentence of at least "
        f"{text.MIN_SENTENCE_WORDS} words that makes sense on its own was found"
    )
