"""Summarizer quality and speed: ours vs Lead-3 vs sumy's LexRank, TextRank, LSA, Luhn.

    python -m bench.summarize [--quick] [--data PATH] [--limit N]

Quality: ROUGE-1/2/L F1 (rouge-score, Porter-stemmed) against human reference summaries,
at 3 sentences and at a budget of 75 words (whole sentences only, for every method), plus
median milliseconds per article. Every method sees the same sentences: briefing's Punkt
splitter, handed to sumy as a prebuilt document (sumy's own tokenizer would need NLTK
data that cannot be downloaded offline).

The data set is found at --data, $BRIEFING_EVAL_DATA, ../shared/eval/ next to the
checkout, or else the one that ships with the repository: bench/data/
cnndm_frank_test.jsonl.gz, 100 CNN/DailyMail test articles with their highlights (see
bench/data/PROVENANCE.md). Any of JSON lines, a JSON list or CSV (optionally gzipped)
with an article column (article, document, text) and a reference column (highlights,
summary, abstract), or a folder of CNN/DailyMail .story files, will do.

Articles are scored one by one and the means reported three ways: all of them, the
even-numbered ones (0, 2, 4, ...: the half the summarizer's weights were tuned on) and
the odd-numbered ones (held out: the fair comparison). ROUGE-L is the summary-level
rougeLsum (sentences on their own lines), as the CNN/DailyMail literature reports it.

Speed: ours on synthetic text of 800 to 50,000 words (sizes, not content, matter there),
median of several runs, with the time per 1,000 words to show how cost grows.

Same event: the planner's score for real Wikinews follow-up pairs and for different
stories that share a place or a topic (seeds/ and tests/data/), each pair alone and in
days padded with CNN/DailyMail articles, and what it merges among those 100 articles.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench._results import machine, median_ms, table, write_section
from briefing import nlp
from briefing.models import Article
from briefing.sources.files import load_file
from briefing.summarize import Budget, analyse, event

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "eval"
BUNDLED_DATA = ROOT / "bench" / "data" / "cnndm_frank_test.jsonl.gz"
BUDGET_WORDS = 75
ARTICLE_KEYS = ("article", "document", "text", "story", "body")
SUMMARY_KEYS = ("highlights", "summary", "abstract", "reference", "summaries")
TITLE_KEYS = ("title", "headline")
SEEDS = ROOT / "seeds"
TEST_DATA = ROOT / "tests" / "data"
_PR = "wikinews-2019-07-28-puerto-rico-governor-announces-resignation.txt"
_PR2 = "wikinews-2019-08-04-puerto-rico-governor-rossello-resigns.txt"
_NH = "wikinews/2019-06-24-new-hampshire-crash-kills-seven.txt"
_NH2 = "wikinews/2019-06-28-new-hampshire-driver-pleads-not-guilty.txt"
_DORIAN = "wikinews/2019-09-01-hurricane-dorian-category-5-bahamas.txt"
# (first, second, same event?): paths under seeds/ or tests/data/.
EVENT_PAIRS = (
    (_PR, _PR2, True),
    (_NH, _NH2, True),
    (_DORIAN, "wikinews/2019-09-05-hurricane-dorian-destruction-bahamas.txt", True),
    (_PR, "written/puerto-rico-blackout.txt", False),
    (_PR, "written/puerto-rico-teachers-strike.txt", False),
    (_PR2, "written/puerto-rico-blackout.txt", False),
    ("written/puerto-rico-blackout.txt", "written/puerto-rico-teachers-strike.txt", False),
    ("written/government-fuel-duty.txt", "written/government-housing-vote.txt", False),
    (
        "written/football-club-delays-stadium-leeds.txt",
        "written/football-club-delays-stadium-bristol.txt",
        False,
    ),
    ("wikinews-2019-07-12-tropical-storm-barry-louisiana.txt", _DORIAN, False),
    (_NH2, "wikinews/2019-07-01-charlottesville-killer-sentenced.txt", False),
)


@dataclass(frozen=True)
class Example:
    headline: str
    article: str
    reference: str


# --- data ------------------------------------------------------------------------------


def find_data(explicit: str | None) -> Path | None:
    candidates = (
        explicit,
        os.environ.get("BRIEFING_EVAL_DATA"),
        str(SHARED_DATA),
        str(BUNDLED_DATA),
    )
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            path = Path(candidate)
            if path.is_file() or any(_data_files(path)):
                return path
    return None


def _data_files(folder: Path) -> Iterator[Path]:
    for pattern in ("*.jsonl", "*.json", "*.csv", "*.jsonl.gz", "*.json.gz", "*.csv.gz", "*.story"):
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
    raw = file.read_bytes()
    suffix = file.suffix
    if suffix == ".gz":
        raw, suffix = gzip.decompress(raw), Path(file.stem).suffix
    text = raw.decode("utf-8")
    if suffix == ".csv":
        csv.field_size_limit(sys.maxsize)
        yield from csv.DictReader(text.splitlines(keepends=True))
    elif suffix == ".jsonl" or not text.lstrip().startswith("["):
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


METRICS = ("rouge1", "rouge2", "rougeLsum")
SETTINGS = ((3, None), (None, BUDGET_WORDS))  # 3 sentences; at most 75 words


def _lines(text: str) -> str:
    """One sentence per line, as rougeLsum wants: references keep their own line breaks,
    and "sentence . sentence" (CNN/DailyMail's tokenised highlights) is split as well."""
    return "\n".join(s for line in text.splitlines() for s in nlp.split_sentences(line))


@dataclass
class Scores:
    """Per-article F1 (0-1) of one method: scores[setting][metric][article]."""

    name: str
    scores: list[dict[str, list[float]]]
    words: list[float]  # summary length in words at 3 sentences, per article
    ms: list[float]


def score_methods(examples: list[Example]) -> tuple[list[Scores], list[str]]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
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
    references = [_lines(e.reference) for e in examples]
    results = []
    for name, method in methods.items():
        result = Scores(name, [], [], [])
        for k, words in SETTINGS:
            per_metric: dict[str, list[float]] = {m: [] for m in METRICS}
            for example, reference in zip(examples, references, strict=True):
                start = time.perf_counter()
                summary = method(example, k, words)
                result.ms.append((time.perf_counter() - start) * 1000)
                if k is not None:
                    result.words.append(_words(summary))
                got = scorer.score(reference, "\n".join(summary))
                for metric in METRICS:
                    per_metric[metric].append(got[metric].fmeasure)
            result.scores.append(per_metric)
        results.append(result)
        print(f"  {name}: done", file=sys.stderr)
    return results, notes


def rouge_markdown(results: list[Scores], subset: list[int]) -> str:
    rows = []
    for r in results:
        row: list[object] = [r.name]
        for per_metric in r.scores:
            row += [
                f"{100 * statistics.fmean(per_metric[m][i] for i in subset):.2f}" for m in METRICS
            ]
        row.append(f"{statistics.median(r.ms):.2f}")
        row.append(f"{statistics.fmean(r.words[i] for i in subset):.0f}")
        rows.append(row)
    headers = [
        "method",
        "R-1 @3 sent",
        "R-2 @3 sent",
        "R-L @3 sent",
        f"R-1 @{BUDGET_WORDS} w",
        f"R-2 @{BUDGET_WORDS} w",
        f"R-L @{BUDGET_WORDS} w",
        "median ms/article",
        "words @3 sent",
    ]
    return table(headers, rows)


def paired_gain(a: Scores, b: Scores, subset: list[int], setting: int, metric: str) -> str:
    """Mean of a - b (x100) with a 95% paired bootstrap interval, and a's wins/losses."""
    diffs = [a.scores[setting][metric][i] - b.scores[setting][metric][i] for i in subset]
    rng = random.Random(1)
    means = sorted(statistics.fmean(rng.choices(diffs, k=len(diffs))) for _ in range(2000))
    low, high = means[50], means[1949]
    wins = sum(d > 1e-9 for d in diffs)
    losses = sum(d < -1e-9 for d in diffs)
    return (
        f"{100 * statistics.fmean(diffs):+.2f} [{100 * low:+.2f}, {100 * high:+.2f}], "
        f"better on {wins}, worse on {losses} of {len(diffs)}"
    )


def rouge_table(examples: list[Example]) -> tuple[str, list[str]]:
    """All articles' means (the table the tests and a --data run look at)."""
    results, notes = score_methods(examples)
    return rouge_markdown(results, list(range(len(examples)))), notes


def rouge_report(examples: list[Example]) -> tuple[str, list[str]]:
    results, notes = score_methods(examples)
    n = len(examples)
    held_out = list(range(1, n, 2))
    subsets = [
        (
            f"Held out: the {len(held_out)} odd-numbered articles (the weights were "
            "chosen on the other half)",
            held_out,
        ),
        (f"All {n} articles", list(range(n))),
        (f"Tuning half: the {len(range(0, n, 2))} even-numbered articles", list(range(0, n, 2))),
    ]
    parts = []
    for title, subset in subsets:
        if not subset:
            continue
        parts.append(f"{title}:\n\n{rouge_markdown(results, subset)}")
        ours_r, lead_r = results[0], results[1]
        gains = [
            f"R-{m[5:].replace('Lsum', 'L')} @{'3 sent' if s == 0 else f'{BUDGET_WORDS} w'}: "
            + paired_gain(ours_r, lead_r, subset, s, m)
            for s in (0, 1)
            for m in METRICS
        ]
        parts.append(
            "Ours minus Lead-3 (x100, mean [95% paired bootstrap interval]):\n\n"
            + "\n".join(f"- {g}" for g in gains)
        )
    return "\n\n".join(parts), notes


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


def _cpu_ms(fn: Callable[[], object], repeat: int) -> float:
    """Median CPU time of `fn` in this process: unlike wall time, it does not count the
    time other programs on a busy machine take from us."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


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
        cpu = _cpu_ms(lambda a=article: analyse(a).select(Budget(3)), repeat=repeat)
        lexrank = "not run (O(n^2))"
        if lexrank_run is not None and n <= 5_000:
            example = Example(article.headline, body, "")
            lexrank_ms = median_ms(lambda e=example: lexrank_run(e, 3, None), repeat=repeat)
            lexrank = f"{lexrank_ms:.1f}"
        rows.append(
            [
                f"{words:,}",
                f"{sentences:,}",
                f"{ms:.1f}",
                f"{cpu:.1f}",
                f"{cpu / words * 1000:.2f}",
                lexrank,
            ]
        )
    headers = [
        "words",
        "sentences",
        "ours: median ms",
        "ours: median CPU ms",
        "ours: CPU ms per 1,000 words",
        "sumy LexRank: median ms",
    ]
    return table(headers, rows)


def _slug_headline(url: str) -> str:
    """A headline from a Daily Mail/CNN address ("...-Manchester-City-hand-refunds.html")."""
    parts = [p for p in url.rstrip("/").split("/") if p and not p.startswith("index")]
    return parts[-1].removesuffix(".html").replace("-", " ") if parts else ""


def event_report(data: Path | None) -> str:
    """Same-event scores of the known pairs, alone and in padded days, and the groups
    formed among the CNN/DailyMail articles (all different stories, headlines from URLs)."""
    padding = []
    if data is not None and data.is_file():  # a JSON/CSV file: records may have a url
        padding = [
            analyse(Article(_slug_headline(str(r.get("url", ""))), str(r["article"])))
            for r in _records(data)
            if r.get("article")
        ]
    rng = random.Random(3)
    rows = []
    for first, second, same in EVENT_PAIRS:
        pair = [analyse(load_file(_event_path(p))) for p in (first, second)]
        scores, merged = [], 0
        days = [0] + [m for m in (2, 6, 14, 30) for _ in range(4) if m <= len(padding)]
        for m in days:
            day = pair + rng.sample(padding, m)
            scores.append(event.similarity(day, 0, 1)[0])
            merged += any(0 in g and 1 in g for g in event.group(day))
        rows.append(
            [
                f"{_label(first)} / {_label(second)}",
                "same" if same else "different",
                f"{event.similarity(pair, 0, 1)[1]}",
                f"{min(scores):.3f}-{max(scores):.3f}",
                f"{merged} of {len(days)}",
            ]
        )
    headers = ["pair", "event", "shared headline terms", "score", "merged (days)"]
    parts = [
        f"Same event (`briefing/summarize/event.py`: merged at score >= {event.SAME_EVENT} "
        f"with >= {event.HEADLINE_TERMS} rare headline terms shared, one of them a name, "
        "or score >= "
        f"{event.SAME_COPY}). Each pair alone and in days padded with 2 to 30 of the "
        f"{len(padding)} CNN/DailyMail articles:\n\n" + table(headers, rows)
    ]
    if padding:
        start = time.process_time()
        groups = event.group(padding)
        cpu = (time.process_time() - start) * 1000
        merged_groups = [
            " + ".join(f'"{padding[i].article.headline[:45]}"' for i in g)
            for g in groups
            if len(g) > 1
        ]
        parts.append(
            f"The {len(padding)} CNN/DailyMail articles as one day ({cpu:.0f} ms CPU to "
            f"group): {len(merged_groups)} merged groups"
            + ("".join(f"\n- {g}" for g in merged_groups) if merged_groups else ".")
        )
    return "\n\n".join(parts)


def _label(name: str) -> str:
    return re.sub(r"^(?:wikinews-)?(?:\d{4}-\d\d-\d\d-)?", "", Path(name).stem)[:32]


def _event_path(name: str) -> Path:
    return SEEDS / name if (SEEDS / name).exists() else TEST_DATA / name


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
            "**No ROUGE comparison**: no data set found (not even the bundled "
            f"`{BUNDLED_DATA.relative_to(ROOT)}`). Pass `--data` (see bench/README.md)."
        )
    else:
        examples = load_examples(data, limit)
        print(f"scoring {len(examples)} articles from {data}", file=sys.stderr)
        rouge, notes = rouge_report(examples)
        parts.append(
            f"ROUGE F1 x100 (rouge-score 0.1.2, Porter-stemmed; R-L is summary-level "
            f"rougeLsum) against the human highlights of {len(examples)} articles from "
            f"`{data.name}` (sha256 {fingerprint(data)}...), at 3 sentences and at "
            f'<= {BUDGET_WORDS} words of whole sentences. "words @3 sent" is the mean '
            f"summary length at 3 sentences; ms are per article, both settings.\n\n{rouge}"
        )
        parts.extend(notes)
    parts.append(
        "Speed on one core, 3 sentences, synthetic text (split, clean, score, select), "
        "side by side with sumy LexRank on the same sentences. Wall-clock medians swing "
        "with the machine's load; the CPU-time median (this process only) is the "
        "steadier figure:\n\n" + speed_table(sizes, repeat)
    )
    parts.append(event_report(data))
    write_section("summarize", "## Summarizer\n\n" + "\n\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
