"""Every text pass on pathological input: time must grow linearly, 1 MB in under 1 s.

    python -m bench.linear [--quick] [--sizes 250000,500000,1000000] [--patterns] [--no-write]

Article text is written by others: a page of one 300 KB "word", a megabyte of spaces,
"(pictured " ten thousand times. A regular expression that backtracks over such a run
at every position takes quadratic time, and one such article used to cost the whole
morning's episode (issue 17). Each pass that sees article text (loading a file, HTML
extraction, headline cleaning, language detection, sentence splitting, every summarize
step, every normalize pass, the speech engine's plain text, script rendering) is fed
each pathological input at three sizes; the table gives the slowest input's seconds per
pass and size, and the ratio of the largest size's time to the smallest's (linear: the
ratio of the sizes, 4 for 250 KB to 1 MB; quadratic: 16).

`--patterns` also scans every compiled regular expression of the modules that see
article text with `finditer` over each input (the most work any use of it can do) and
lists those whose time grows faster than the input: the way to find the next one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench._results import machine, table, write_section
from briefing import nlp, sanitize
from briefing.models import Article, Story
from briefing.nlp import language
from briefing.normalize import builtin_lexicon, normalize_for_speech
from briefing.normalize import passes as normalize_passes
from briefing.script import Template, load_template, render_script
from briefing.sources import headline
from briefing.sources.files import parse_text, title_from_lead
from briefing.sources.html import extract_html
from briefing.speak.plaintext import plain_text
from briefing.summarize import MAX_CHARS, analyse
from briefing.summarize import text as summarize_text
from briefing.summarize.text import MAX_SENTENCE_CHARS

ROOT = Path(__file__).resolve().parent.parent
SIZES = (250_000, 500_000, 1_000_000)
LIMIT_S = 1.0  # issue 17: every pass on 1 MB of anything in under a second
# Modules whose regular expressions see article text (for --patterns).
TEXT_MODULES = (
    "briefing.sanitize",
    "briefing.nlp",
    "briefing.sources.files",
    "briefing.sources.headline",
    "briefing.sources.html",
    "briefing.summarize.text",
    "briefing.summarize.rank",
    "briefing.summarize.event",
    "briefing.summarize.interests",
    "briefing.speak.plaintext",
    "briefing.speak.segments",
    "briefing.script",
    *(
        f"briefing.normalize.{p.stem}"
        for p in sorted((ROOT / "briefing" / "normalize").glob("*.py"))
        if p.stem != "__init__"
    ),
)

SENTENCE = (
    "The council said on Tuesday that the new bridge across the river would open in "
    "the spring after delays caused by the flooding of the site last winter"
)
# Each a unit repeated to the size wanted; `html` ones go to the HTML passes as they are.
UNITS: dict[str, str] = {
    "letters, no spaces": "a",
    "capitals, no spaces": "A",
    "capitalised word glued": "Abcdefgh",
    "spaces": " ",
    "newlines and spaces": "\n ",
    "tabs and newlines": "\t\n",
    "digits": "1",
    "digits and commas": "1,",
    "digits and points": "1.",
    "digits and hyphens": "1-",
    "full stops": ".",
    "hyphens": "-",
    "quotes": '"',
    "curly quotes": "“",
    "apostrophes": "'",
    "colons": ":",
    "pipes": " | ",
    "'(pictured '": "(pictured ",
    "'Name (left) '": "Smith (left) ",
    "open brackets": "(",
    "open square brackets": "[",
    "'a a a'": "a ",
    "'A A A'": "A ",
    "'Abc Abc'": "Abc ",
    "'Mr. '": "Mr. ",
    "'U.S.'": "U.S.",
    "'$1'": "$1",
    "'a@'": "a@",
    "'#a'": "#a",
    "long URL": "http://example.com/" + "a/" * 50,
    "'www.a'": "www.a",
    "one giant sentence": SENTENCE + ", and ",
    "'<'": "<",
    "'<!--'": "<!--",
    "'&#'": "&#",
    "escape": "\x1b[",
    "'**'": "**",
    "'[a]('": "[a](",
}
NESTED = "<div><span>"


def inputs(size: int) -> Iterator[tuple[str, str]]:
    for name, unit in UNITS.items():
        yield name, (unit * (size // len(unit) + 1))[:size]
    # Brackets opened and closed in one nest, and a news article repeated.
    half = size // 2
    yield "nested brackets", "(" * half + ")" * (size - half)
    article = sorted((ROOT / "seeds").glob("wikinews*.txt"))[0].read_text(encoding="utf-8")
    yield "an article repeated", (article * (size // len(article) + 1))[:size]


def html_inputs(size: int) -> Iterator[tuple[str, str]]:
    depth = min(size // (2 * len(NESTED) + 1), 100_000)
    yield "HTML nested deep", NESTED * depth + "x" + NESTED.replace("<", "</") * depth
    for name in ("letters, no spaces", "one giant sentence", "'(pictured '", "'<'", "'&#'"):
        unit = UNITS[name]
        yield f"HTML <p> of {name}", "<p>" + (unit * (size // len(unit) + 1))[:size] + "</p>"
    paragraph = "<p>" + SENTENCE + ".</p>"
    yield "HTML many paragraphs", paragraph * (size // len(paragraph))


def _story(text: str) -> Story:
    return Story(sanitize.clean_headline(text[:1000]), (text,), ("Bench",))


TEMPLATE_DATE = dt.date(2025, 1, 6)


@functools.cache
def _template() -> Template:
    return load_template()


# (pass, function of the text). Each gets every input; the HTML ones the HTML inputs.
PASSES: list[tuple[str, Callable[[str], object]]] = [
    ("load: parse_text (.txt)", parse_text),
    ("load: parse_text (.md)", lambda t: parse_text(t, markdown=True)),
    ("load: title_from_lead", title_from_lead),
    ("sanitize.clean_text", sanitize.clean_text),
    ("sanitize.clean_headline", sanitize.clean_headline),
    ("headline.clean", lambda t: headline.clean(t, "Site", "site.com")),
    ("headline.same_headline", lambda t: headline.same_headline(t[:2000], t, loose=True)),
    ("language.detect", language.detect),
    ("nlp.split_sentences", nlp.split_sentences),
    ("nlp.words", nlp.words),
    ("summarize: units (split, captions)", summarize_text.units),
    ("summarize: clean (one sentence)", summarize_text.clean),
    ("summarize: candidates", summarize_text.candidates),
    ("summarize: analyse (all steps)", lambda t: analyse(Article("Bench headline", t))),
    ("normalize (English)", normalize_for_speech),
    ("normalize (German)", lambda t: normalize_for_speech(t, "de")),
    ("speak: plain_text", plain_text),
    # With the template loaded once, as a run does: its compiling does not grow with the text.
    ("script: render_script", lambda t: render_script([_story(t)], TEMPLATE_DATE, _template())),
]
# The most the pipeline ever gives a pass, where that is less than 1 MB, and why: the
# 1 s limit is checked at that size (the table still shows the growth up to 1 MB).
BOUNDS: dict[str, tuple[int, str]] = {
    "nlp.split_sentences": (MAX_CHARS, "the summarizer's MAX_CHARS; pages and files: 2,000"),
    "summarize: units (split, captions)": (MAX_CHARS, "MAX_CHARS"),
    "summarize: candidates": (MAX_CHARS, "MAX_CHARS"),
    "normalize (English)": (MAX_SENTENCE_CHARS, "one sentence at a time"),
    "normalize (German)": (MAX_SENTENCE_CHARS, "one sentence at a time"),
}
HTML_PASSES: list[tuple[str, Callable[[str], object]]] = [
    ("HTML: extract_html (page)", lambda t: extract_html(t, metadata=True)),
    ("HTML: extract_html (feed entry)", lambda t: extract_html(t, whole=True)),
]


def normalize_steps() -> list[tuple[str, Callable[[str], object]]]:
    """Each normalize pass on its own, in order (briefing/normalize/passes.py)."""
    english = normalize_passes.passes(True, builtin_lexicon())
    numbers = normalize_passes.NUMBER_PASSES
    return [(f"normalize: {name}", fn) for name, fn in english] + [
        (f"normalize: numbers: {name}", fn) for name, fn in numbers
    ]


def seconds(fn: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    fn(text)
    return time.perf_counter() - start


def bound(name: str) -> tuple[int, str] | None:
    """The most the pipeline gives the pass `name`, and why; each normalize pass runs
    inside `normalize_for_speech`, on one sentence."""
    if name.startswith("normalize: "):
        return BOUNDS["normalize (English)"]
    return BOUNDS.get(name)


Row = tuple[str, list[float], str, float | None]


def measure(
    passes: list[tuple[str, Callable[[str], object]]],
    feed: Callable[[int], Iterator[tuple[str, str]]],
    sizes: tuple[int, ...],
    progress: bool = False,
) -> list[Row]:
    """Per pass: the slowest input's seconds at each size, which input that was, and the
    slowest at the pass's bound in the pipeline (None: no bound below the sizes)."""
    out = []
    for name, fn in passes:
        worst = [0.0] * len(sizes)
        culprit = ""
        for i, size in enumerate(sizes):
            for label, text in feed(size):
                s = seconds(fn, text)
                if s > worst[i]:
                    worst[i] = s
                    if i == len(sizes) - 1:
                        culprit = label
        at_bound = None
        limit = bound(name)
        if limit is not None and limit[0] < sizes[-1]:
            at_bound = max(seconds(fn, text) for _, text in feed(limit[0]))
        out.append((name, worst, culprit, at_bound))
        if progress:
            print(f"{name}: {worst[-1]:.3f} s ({culprit})", file=sys.stderr, flush=True)
    return out


def scan_patterns(sizes: tuple[int, int]) -> list[tuple[str, float, float, str]]:
    """Every compiled pattern of TEXT_MODULES run with finditer over every input; those
    whose time grows more than 3x while the input doubles, worst first."""
    found = []
    seen: set[int] = set()
    for module_name in TEXT_MODULES:
        module = importlib.import_module(module_name)
        for attr, value in vars(module).items():
            if not isinstance(value, re.Pattern) or id(value) in seen:
                continue
            seen.add(id(value))
            for label, small in inputs(sizes[0]):
                big = dict(inputs(sizes[1]))[label]
                a = seconds(lambda t, p=value: sum(1 for _ in p.finditer(t)), small)
                if a < 0.002:
                    continue
                b = seconds(lambda t, p=value: sum(1 for _ in p.finditer(t)), big)
                if b > 3 * a:
                    found.append((f"{module_name}.{attr}", a, b, label))
    return sorted(found, key=lambda f: -f[2])


def report(rows: list[Row], sizes: tuple[int, ...]) -> tuple[str, bool]:
    headers = [
        "pass",
        *(f"{s // 1000} KB s" for s in sizes),
        "ratio",
        "the pipeline gives it at most",
        "s at that",
        "slowest input",
    ]
    ok = True
    body = []
    for name, worst, culprit, at_bound in rows:
        ratio = worst[-1] / worst[0] if worst[0] > 0 else 0.0
        checked = worst[-1] if at_bound is None else at_bound
        over = checked >= LIMIT_S and sizes[-1] >= 1_000_000
        ok = ok and not over
        cells = [f"{w:.3f}" for w in worst]
        limit = bound(name)
        given = "any"
        if limit is not None and at_bound is not None:
            given = f"{limit[0]:,} ({limit[1]})"
        limit_cell = f"{at_bound:.3f}" if at_bound is not None else "-"
        if over:
            if at_bound is None:
                cells[-1] = f"**{cells[-1]}**"
            else:
                limit_cell = f"**{limit_cell}**"
        body.append([name, *cells, f"{ratio:.1f}", given, limit_cell, culprit])
    return table(headers, body), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20, 40 and 80 KB only")
    parser.add_argument("--sizes", help="comma-separated sizes in characters")
    parser.add_argument("--patterns", action="store_true", help="also scan every regex")
    parser.add_argument("--progress", action="store_true", help="each pass on stderr")
    parser.add_argument("--no-write", action="store_true", help="leave bench/results.md alone")
    args = parser.parse_args(argv)
    sizes = SIZES
    if args.quick:
        sizes = (20_000, 40_000, 80_000)
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    rows = measure(PASSES + normalize_steps(), inputs, sizes, args.progress)
    rows += measure(HTML_PASSES, html_inputs, sizes, args.progress)
    text, ok = report(rows, sizes)
    n_inputs = sum(1 for _ in inputs(10)) + sum(1 for _ in html_inputs(10))
    verdict = (
        f"every pass under {LIMIT_S:g} s at {sizes[-1] // 1000} KB, or at the most the "
        "pipeline gives it: " + ("yes" if ok else "NO (bold: over the limit)")
        if sizes[-1] >= 1_000_000
        else f"sizes below 1 MB: the {LIMIT_S:g} s limit is not checked"
    )
    markdown = (
        "## Linear time on pathological input (bench/linear.py)\n\n"
        f"Machine: {machine()}. Each pass fed {n_inputs} pathological inputs "
        f"(runs of letters, capitals, spaces, digits, punctuation, brackets, URLs, "
        f'"(pictured ", one giant sentence, deep HTML...; see `UNITS`); seconds of the '
        f"slowest input at each size, one run each; ratio = largest size / smallest "
        f"(linear: {sizes[-1] / sizes[0]:g}, quadratic: {(sizes[-1] / sizes[0]) ** 2:g}).\n\n"
        + text
        + f"\n\n{verdict}.\n"
    )
    if args.patterns:
        slow = scan_patterns((sizes[0], 2 * sizes[0]))
        markdown += (
            "\nPatterns whose time more than triples when the input doubles:\n\n"
            + (
                table(
                    [
                        "pattern",
                        f"{sizes[0] // 1000} KB s",
                        f"{2 * sizes[0] // 1000} KB s",
                        "input",
                    ],
                    [[n, f"{a:.3f}", f"{b:.3f}", label] for n, a, b, label in slow],
                )
                if slow
                else "none"
            )
            + "\n"
        )
    write_section("linear", markdown, write=not args.no_write)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
