"""Summarizer quality and speed: ours vs Lead-3 vs sumy's LexRank, TextRank, LSA, Luhn.

    python -m bench.summarize [--quick] [--data PATH] [--limit N]

Quality: ROUGE-1/2/L F1 (rouge-score, Porter-stemmed) against human reference summaries,
at 3 sentences and at a budget of 75 words (whole sentences only, for every method), plus
median milliseconds per article. Every method sees the same sentences: briefing's Punkt
splitter, handed to sumy as a prebuilt document (sumy's own tokenizer would need NLTK
data that cannot be downloaded offline).

The data set is found at --data, $BRIEFING_EVAL_DATA or ../shared/eval/ next to the
checkout: JSON lines, a JSON list or CSV with an article column (article, document, text)
and a reference column (highlights, summary, abstract), or a folder of CNN/DailyMail
.story files. See bench/README.md for which data sets fit and where to get them. Without
one the ROUGE table says it is blocked, and the speed table still runs.

Speed: ours on synthetic text of 800 to 50,000 words (sizes, not content, matter there),
median of several runs, with the time per 1,000 words to show how cost grows.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench._results import machine, median_ms, table, write_section
from briefing import nlp
from briefing.models import Article
from briefing.summarize import Budget, analyse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval"
BUDGET_WORDS = 75
ARTICLE_KEYS = ("article", "document", "text", "story", "body")
SUMMARY_KEYS = ("highlights", "summary", "abstract", "reference", "summaries")
TITLE_KEYS = ("title", "headline")


@dataclass(frozen=True)
class Example:
    headline: str
    article: str
    reference: str


# --- data ------------------------------------------------------------------------------


def find_data(explicit: str | None) -> Path | None:
    for candidate in (explicit, os.environ.get("BRIEFING_EVAL_DATA"), str(DEFAULT_DATA)):
        if candidate and Path(candidate).exists():
            path = Path(candidate)
            if path.is_file() or any(_data_files(path)):
                return path
    return None


def _data_files(folder: Path) -> Iterator[Path]:
    for pattern in ("*.jsonl", "*.json", "*.csv", "*.story"):
        yield from sorted(folder.rglob(pattern))


def load_examples(path: Path, limit: int) -> list[Example]:
    files = [path] if path.is_file() else list(_data_files(path))
    examples: list[Example] = []
    for file in files:
        if len(examples) >= limit:
            break
        if file.suffix == ".story":
            examples.extend(_story(file))
            continue
        for record in _records(file):
            example = _from_record(record)
            if example:
                examples.append(example)
            if len(examples) >= limit:
                break
    return examples[:limit]


def _records(file: Path) -> Iterator[dict]:
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".csv":
        csv.field_size_limit(sys.maxsize)
        yield from csv.DictReader(text.splitlines(keepends=True))
    elif file.suffix == ".jsonl" or not text.lstrip().startswith("["):
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)
    else:
        yield from json.loads(text)


def _from_record(record: dict) -> Example | None:
    def first(keys: tuple[str, ...]) -> str:
        for key in keys:
            value = record.get(key)
            if isinstance(value, list):
                value = "\n".join(map(str, value))
            if value:
                return str(value)
        return ""

    article, reference = first(ARTICLE_KEYS), first(SUMMARY_KEYS)
    return Example(first(TITLE_KEYS), article, reference) if article and reference else None


def _story(file: Path) -> list[Example]:
    # CNN/DailyMail raw format: the article, then "@highlight" paragraphs.
    parts = file.read_text(encoding="utf-8").split("@highlight")
    highlights = [" ".join(p.split()) for p in parts[1:] if p.strip()]
    if not parts[0].strip() or not highlights:
        return []
    return [Example("", parts[0], "\n".join(highlights))]


def fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    for file in [path] if path.is_file() else list(_data_files(path)):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


# --- methods ---------------------------------------------------------------------------


def _words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def ours(example: Example, k: int | None, words: int | None) -> list[str]:
    article = Article(example.headline, example.article)
    return list(analyse(article).select(Budget(sentences=k, words=words)))


def lead(example: Example, k: int | None, words: int | None) -> list[str]:
    picked: list[str] = []
    for sentence in nlp.split_sentences(example.article):
        if k is not None and len(picked) == k:
            break
        if words is not None and _words([*picked, sentence]) > words:
            break
        picked.append(sentence)
    return picked


class _Tokenizer:
    """sumy's tokenizer interface over briefing's splitter: no NLTK data needed."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return nlp.split_sentences(paragraph)

    def to_words(self, sentence: str) -> list[str]:
        return nlp.words(sentence)


def sumy_method(name: str) -> Callable[[Example, int | None, int | None], list[str]]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    classes = {
        "LexRank": LexRankSummarizer,
        "TextRank": TextRankSummarizer,
        "LSA": LsaSummarizer,
        "Luhn": LuhnSummarizer,
    }
    summarizer = classes[name](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = _Tokenizer()

    def run(example: Example, k: int | None, words: int | None) -> list[str]:
        sentences = [Sentence(s, tokenizer) for s in nlp.split_sentences(example.article)]
        if not sentences:
            return []
        document = ObjectDocumentModel([Paragraph(sentences)])
        if words is None:
            return [str(s) for s in summarizer(document, k)]
        # sumy returns its top-k in document order; the largest top-k that fits the
        # budget is its summary at that length (top-k sets are nested).
        best: list[str] = []
        for count in range(1, len(sentences) + 1):
            chosen = [str(s) for s in summarizer(document, count)]
            if _words(chosen) > words:
                break
            best = chosen
        return best

    return run


# --- runs ------------------------------------------------------------------------------


def rouge_table(examples: list[Example]) -> tuple[str, list[str]]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    methods: dict[str, Callable[[Example, int | None, int | None], list[str]]] = {
        "briefing (ours)": ours,
        "Lead-3 / Lead": lead,
    }
    notes = []
    for name in ("LexRank", "TextRank", "LSA", "Luhn"):
        try:
            methods[f"sumy {name}"] = sumy_method(name)
        except ImportError as exc:  # sumy is a dev dependency: say so, keep the rest
            notes.append(f"sumy {name} skipped: {exc}")
    rows = []
    for name, method in methods.items():
        row: list[object] = [name]
        times: list[float] = []
        for k, words in ((3, None), (None, BUDGET_WORDS)):
            scores = {"rouge1": [], "rouge2": [], "rougeL": []}
            for example in examples:
                start = time.perf_counter()
                summary = method(example, k, words)
                times.append((time.perf_counter() - start) * 1000)
                result = scorer.score(example.reference, "\n".join(summary))
                for key in scores:
                    scores[key].append(result[key].fmeasure)
            row += [f"{100 * statistics.fmean(scores[key]):.2f}" for key in scores]
        row.append(f"{statistics.median(times):.2f}")
        rows.append(row)
        print(f"  {name}: done", file=sys.stderr)
    headers = [
        "method",
        "R-1 @3 sent",
        "R-2 @3 sent",
        "R-L @3 sent",
        f"R-1 @{BUDGET_WORDS} w",
        f"R-2 @{BUDGET_WORDS} w",
        f"R-L @{BUDGET_WORDS} w",
        "median ms/article",
    ]
    return table(headers, rows), notes


_STOP = sorted(nlp.stopwords("en"))


def synthetic_article(n_words: int, seed: int = 7) -> str:
    """News-shaped text: sentences of 8-35 words, Zipf-like content words, stopwords."""
    rng = random.Random(seed)
    vocab = [
        "".join(rng.choice("bcdfghklmnprstvwz") + rng.choice("aeiou") for _ in range(3))
        for _ in range(6000)
    ]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    out: list[str] = []
    paragraph: list[str] = []
    total = 0
    while total < n_words:
        length = rng.randint(8, 35)
        picks = rng.choices(vocab, weights, k=length)
        words = [w if rng.random() > 0.45 else rng.choice(_STOP) for w in picks]
        paragraph.append(" ".join(words).capitalize() + ".")
        total += length
        if len(paragraph) == 3:
            out.append(" ".join(paragraph))
            paragraph = []
    out.append(" ".join(paragraph))
    return "\n\n".join(p for p in out if p)


def speed_table(sizes: list[int], repeat: int) -> str:
    try:
        lexrank_run: Callable[[Example, int | None, int | None], list[str]] | None
        lexrank_run = sumy_method("LexRank")
    except ImportError:
        lexrank_run = None
    rows = []
    for n in sizes:
        body = synthetic_article(n)
        words = len(body.split())
        article = Article("Synthetic headline words", body)
        sentences = len(nlp.split_sentences(body))
        ms = median_ms(lambda a=article: analyse(a).select(Budget(3)), repeat=repeat)
        lexrank = "not run (O(n^2))"
        if lexrank_run is not None and n <= 5_000:
            example = Example(article.headline, body, "")
            lexrank_ms = median_ms(lambda e=example: lexrank_run(e, 3, None), repeat=repeat)
            lexrank = f"{lexrank_ms:.1f}"
        rows.append(
            [f"{words:,}", f"{sentences:,}", f"{ms:.1f}", f"{ms / words * 1000:.2f}", lexrank]
        )
    headers = ["words", "sentences", "ours: median ms", "ours: ms per 1,000 words"]
    return table([*headers, "sumy LexRank: median ms"], rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small, fast run")
    parser.add_argument("--data", help="data set file or folder (see bench/README.md)")
    parser.add_argument("--limit", type=int, help="articles to score (default 1000; 50 quick)")
    args = parser.parse_args(argv)
    limit = args.limit or (50 if args.quick else 1000)
    sizes = [800, 5_000, 20_000, 50_000] if not args.quick else [800, 5_000, 50_000]
    repeat = 3 if args.quick else 11

    parts = [f"Machine: {machine()}. {'Quick run. ' if args.quick else ''}"]
    data = find_data(args.data)
    if data is None:
        parts.append(
            "**ROUGE comparison blocked**: no public English news data set with human "
            "reference summaries could be obtained on this machine (no internet except "
            "package registries; no PyPI package found that ships one; nothing at "
            "`../shared/eval/`). Put one there or pass `--data` (see bench/README.md) "
            "and re-run."
        )
    else:
        examples = load_examples(data, limit)
        print(f"scoring {len(examples)} articles from {data}", file=sys.stderr)
        rouge, notes = rouge_table(examples)
        parts.append(
            f"ROUGE F1 x100 (rouge-score, stemmed) on {len(examples)} articles from "
            f"`{data.name}` (sha256 {fingerprint(data)}...), at 3 sentences and at "
            f"<= {BUDGET_WORDS} words of whole sentences:\n\n{rouge}"
        )
        parts.extend(notes)
    parts.append(
        "Speed on one core, 3 sentences, synthetic text (split, clean, score, select), "
        "side by side with sumy LexRank on the same sentences:\n\n" + speed_table(sizes, repeat)
    )
    write_section("summarize", "## Summarizer\n\n" + "\n\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
