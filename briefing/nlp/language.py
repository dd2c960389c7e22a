"""Cheap language check: the share of words that are a language's stopwords.

Function words make up a third or more of running text in the languages we ship lists
for, and almost none of another language's, so a few hundred words decide it without a
model. Numbers and one-letter tokens are not words here, so a page of statistics is
judged by the prose around its figures. Each shipped language has an NLTK Snowball
stemmer, which needs no data download.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from nltk.stem.snowball import SnowballStemmer

from briefing import nlp

# Code -> Snowball stemmer name; briefing/data/stopwords-CODE.txt ships for each.
LANGUAGES = {
    "en": "english",
    "de": "german",
    "es": "spanish",
    "fr": "french",
    "it": "italian",
    "pt": "portuguese",
    "sv": "swedish",
}
MIN_STOPWORD_SHARE = 0.15  # English news runs at 0.35-0.5; other languages at < 0.1
SAMPLE_WORDS = 2000
MIN_WORDS_TO_JUDGE = 12  # below this, trust that it is English rather than guess
# A scorecard or a table of results is mostly figures, names and abbreviations ("Smith
# c Paine b Cummins 133 (312b, 16x4)"): when this share of its tokens are figures, it
# is judged English unless another language has more of its function words.
FIGURES_SHARE = 0.25


@dataclass(frozen=True)
class Detected:
    code: str | None  # None: not a language we can summarize
    reason: str = ""


def detect(text: str) -> Detected:
    letters = [c for c in text[:20000] if c.isalpha()]
    if sum(ord(c) < 0x250 for c in letters) < 0.5 * len(letters):
        return _unsupported("is mostly in a non-Latin script")
    # Words, not numbers: a page of figures ("CPI 3.2% (Feb 3.4%)") is still English,
    # and its digits and unit letters would dilute the share of function words.
    tokens = nlp.words(text[: SAMPLE_WORDS * 12])
    sample = [w for w in tokens if len(w) > 1 and not any(c.isdigit() for c in w)][:SAMPLE_WORDS]
    figures = sum(1 for w in tokens if any(c.isdigit() for c in w))
    if len(sample) < MIN_WORDS_TO_JUDGE:
        return Detected("en")
    shares = {
        code: sum(1 for w in sample if w in nlp.stopwords(code)) / len(sample) for code in LANGUAGES
    }
    best = max(shares, key=lambda code: shares[code])
    if shares["en"] >= MIN_STOPWORD_SHARE and shares["en"] >= shares[best] * 0.8:
        return Detected("en")  # English also borrows some short words from the others
    if shares[best] >= MIN_STOPWORD_SHARE:
        return Detected(best)
    if figures >= FIGURES_SHARE * len(tokens) and shares["en"] >= shares[best]:
        return Detected("en")  # statistics in English: names, figures, few function words
    return _unsupported(f"has too few common words of {', '.join(sorted(LANGUAGES))}")


def _unsupported(what: str) -> Detected:
    return Detected(
        None,
        f"not summarized: the text {what}, so it does not look like a language "
        "briefing can summarize; translate it or remove it",
    )


@cache
def stemmer(code: str) -> Callable[[str], str]:
    if code == "en":
        return nlp.stem  # Porter, cached: the stemmer the rest of briefing uses
    stem = SnowballStemmer(LANGUAGES[code]).stem
    return cache(stem)
