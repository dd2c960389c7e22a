"""Tokenizing, stemming and stopwords with NLTK, needing no NLTK data download.

NLTK's Punkt normally loads a trained model from nltk_data; offline cron boxes do not
have it, so we build Punkt with built-in abbreviation parameters instead.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

from nltk.stem.porter import PorterStemmer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

# Lower-case, without the final period: Punkt's convention.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "mt",
    "ft",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "cmdr",
    "adm",
    "sgt",
    "cpl",
    "pvt",
    "gov",
    "sen",
    "rep",
    "rev",
    "hon",
    "pres",
    "supt",
    "insp",
    "det",
    "no",
    "nos",
    "vol",
    "vols",
    "fig",
    "figs",
    "p",
    "pp",
    "inc",
    "ltd",
    "co",
    "corp",
    "plc",
    "llc",
    "bros",
    "dept",
    "univ",
    "assn",
    "est",
    "approx",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "cf",
    "al",
    "ca",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "u.s.a",
    "d.c",
    "a.m",
    "p.m",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "ave",
    "blvd",
    "rd",
    "hwy",
    "mph",
    "km",
    "kg",
    "lb",
    "lbs",
    "oz",
    "min",
    "max",
    "ph.d",
    "b.a",
    "m.a",
    "a.d",
    "b.c",
}

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


class _Tokenizer(PunktSentenceTokenizer):
    """Punkt, remembering its verdict on each context ("Mr. Smith", "said. The"): the
    verdict depends on the context alone (the parameters never change), and reaching
    it costs about 50 µs, so a page of "Mr. Mr. Mr. ..." took 7 s a megabyte."""

    @lru_cache(maxsize=4096)  # noqa: B019 (one tokenizer for the process, see below)
    def text_contains_sentbreak(self, text: str) -> bool:
        return super().text_contains_sentbreak(text)


@cache
def _sentence_tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS)
    return _Tokenizer(params)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; paragraph breaks always end a sentence."""
    tokenizer = _sentence_tokenizer()
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\r?\n(?=\s*[-*•]\s)", text):
        flat = " ".join(paragraph.split())
        if flat:
            sentences.extend(s.strip() for s in tokenizer.tokenize(flat) if s.strip())
    return sentences


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, inner apostrophes kept)."""
    return [w.lower().replace("’", "'") for w in _WORD_RE.findall(text)]


@cache
def stopwords(language: str = "en") -> frozenset[str]:
    data = resources.files("briefing") / "data" / f"stopwords-{language}.txt"
    lines = data.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


_stemmer = PorterStemmer()


@cache
def stem(word: str) -> str:
    return _stemmer.stem(word)


def content_terms(text: str, language: str = "en") -> list[str]:
    """Stemmed words without stopwords: the unit of similarity in the summarizer."""
    stop = stopwords(language)
    terms = []
    for w in words(text):
        if w.endswith("'s"):
            w = w[:-2]
        if w not in stop and len(w) > 1:
            terms.append(stem(w))
    return terms
