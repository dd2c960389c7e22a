"""Text passes stay linear on hostile input (issue 17), checked by structure, not time.

A regular expression that can start at every character of a long run and read to its
end from each takes quadratic time. The patterns that see article text are guarded so
that they start only where a run starts; these tests check the guards (a pattern tried
inside the run must fail at once), the caps that bound per-sentence work, and that
Punkt's verdicts are reused. bench/linear.py measures the time itself.
"""

from __future__ import annotations

import re

import pytest

from briefing import nlp
from briefing.sources import files, headline
from briefing.summarize import MAX_CHARS, event, text

# (pattern, text, the run inside which no attempt may start, a start that must match)
GUARDED = [
    (text._CAPTION_VERB_RE, "ABCDEFGH poses", range(1, 8), 0),
    (text._CAPTION_VERB_RE, "xyzAbcdef poses", range(1, 9), 0),
    (event._NAME_RE, "ABCDEFGH Jones", range(1, 8), 0),
    (text._CREDIT_RE, "x      (AP Photo)", range(2, 7), 1),
    (text._PICTURED_RE, "x      (pictured)", range(2, 7), 1),
    (text._PRONOUN_AFTER_PHRASE_RE, "Yesterday, he said", range(1, 9), 0),
    (headline._SEPARATOR_RE, "Story       | Site", range(6, 12), 5),
    (headline._DATE_SUFFIX_RE, "Story       Monday", range(6, 12), 5),
]


@pytest.mark.parametrize(("pattern", "sample", "inside", "start"), GUARDED)
def test_a_pattern_is_tried_only_where_a_run_starts(
    pattern: re.Pattern[str], sample: str, inside: range, start: int
) -> None:
    assert pattern.match(sample, start) is not None
    assert all(pattern.match(sample, i) is None for i in inside)


def test_a_byline_word_is_never_split_into_several() -> None:
    # "By aaaa...!" was tried as up to four words every way: O(n^4), hours for 800
    # letters. Each word is now taken whole: a lookahead forbids ending inside a word.
    assert re.search(r"\(\?!\[\\w\.'’\\-\]\)", text._BYLINE_RE.pattern)
    assert text._BYLINE_RE.match("By Jane Doe and John Smith, Reuters")
    assert not text._BYLINE_RE.match("by " + "a" * 100_000 + "!")


def test_run_on_splitting_reads_back_each_word_once() -> None:
    # A run of "1-1-1-..." before a starter: one break is looked at, not one per hyphen.
    breaks = list(text._run_on_breaks("1-" * 50_000 + "x He said"))
    assert breaks == [(0, 100_001, 100_002)]
    assert text._split_run_ons("in Liverpool The amount of drugs") == [
        "in Liverpool",
        "The amount of drugs",
    ]
    # Inside a parenthesis no split, however many starters follow.
    many = "(" + "seen He said " * 1000
    assert text._split_run_ons(many) == [many.strip()]


def test_a_sentence_too_long_to_speak_is_dropped_before_any_rule_reads_it() -> None:
    giant = "The council said " + "a" * text.MAX_SENTENCE_CHARS + " on Monday."
    assert text.clean(giant) is None
    assert text.clean("The council said on Monday that it would build a bridge.")


def test_the_summarizer_reads_at_most_max_chars_of_an_article() -> None:
    assert MAX_CHARS <= 250_000  # the bound bench/linear.py's times rest on


def test_punkt_reuses_its_verdict_on_a_repeated_context() -> None:
    nlp.split_sentences("Warm up.")
    check = nlp._sentence_tokenizer().text_contains_sentbreak
    before = check.cache_info()  # type: ignore[attr-defined]
    nlp.split_sentences("Mr. " * 5_000)
    after = check.cache_info()  # type: ignore[attr-defined]
    assert after.misses - before.misses <= 3
    assert after.hits - before.hits >= 4_990


def test_markdown_links_are_not_read_past_the_next_bracket() -> None:
    assert files._strip_markdown("See [the report](http://x.org/a) and ![pic](p.jpg).") == (
        "See the report and ."
    )
    # A run of "[a](" has no closing bracket: nothing is removed, and no attempt reads
    # past the next "](" (the address stops there).
    run = "[a](" * 10_000
    assert files._strip_markdown(run) == run
    assert files._ADDRESS == r"\((?:(?!\]\()[^)])*\)"


def test_headline_comparison_of_more_than_a_headline_is_word_for_word() -> None:
    # difflib is quadratic in the words: past COMPARED_WORDS only equality counts.
    long = " ".join(f"w{i}" for i in range(headline.COMPARED_WORDS + 1))
    assert headline.same_headline(long, long)
    assert not headline.same_headline(long, long + " more")
    short = "Storm closes every school in the county"
    assert headline.same_headline(short, short.replace("every", "each"))
    # Lengths too far apart for the ratio are told apart without difflib.
    assert not headline.same_headline(short, short + " x" * 20)


def test_a_date_suffix_is_looked_for_at_the_end_only() -> None:
    text = "Storm closes schools. " * 1000 + "Monday, 6 January 2014"
    assert headline.unglue(text) == ("Storm closes schools. " * 1000).strip()
    assert len("Wednesday, 30th September, 2024 at 12:30 p.m. BST") < headline.DATE_SUFFIX_CHARS


def test_blank_lines_before_the_headline_are_skipped() -> None:
    article = files.parse_text("\n \n" * 50_000 + "Headline\nSource: Wire\n\nThe body.")
    assert (article.headline, article.source, article.body) == ("Headline", "Wire", "The body.")
