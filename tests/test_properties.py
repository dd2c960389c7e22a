"""Property-based tests: whatever text comes in, each stage gives its documented result
and never an unexpected exception.

Example counts are modest so the suite stays fast; `--hypothesis-seed` reproduces a run.
(`briefing/normalize/`, the speech-text normaliser, gets its properties where it lands.)
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.models import Article, Story
from briefing.script import render_script
from briefing.sources.files import SUFFIXES, ArticleError, load_articles, load_file
from briefing.speak.plaintext import plain_text
from briefing.summarize import Budget, Summary, summarize_article
from tests.helpers import examples

FAST = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
DATE = dt.date(2026, 11, 24)

WORDS = (  # noqa: SIM905  (a sentence is easier to read than 44 quoted words)
    "the council budget storm coast bridge on Monday said would new city mayor and "
    "residents power homes schools closed plan vote spring Mr. Dr. U.S. 3.5 percent "
    "“quoted” — (aside) 'single' {{ x }} {% if %} $(cmd) ; [[ph]] <b> ü 海 Ж"
).split()

# Text that looks like news (words, sentence ends, paragraphs) mixed with anything at all.
newsy = st.lists(
    st.tuples(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=30),
        st.sampled_from([". ", "! ", "? ", "\n\n", ", ", " ", ".\n"]),
    ),
    max_size=25,
).map(lambda parts: "".join(" ".join(words) + end for words, end in parts))
any_text = st.one_of(newsy, st.text(max_size=1500), st.text(alphabet=st.characters(), max_size=300))


def squash(text: str) -> str:
    return " ".join(text.split())


# --- load ------------------------------------------------------------------------------


@FAST
@given(
    data=st.one_of(
        st.binary(max_size=3000), any_text.map(lambda t: t.encode("utf-8", "surrogatepass"))
    ),
    suffix=st.sampled_from(SUFFIXES),
)
def test_any_bytes_in_a_file_load_as_an_article_or_a_reason(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"article{suffix}"
        path.write_bytes(data)
        try:
            article = load_file(path)
        except ArticleError as exc:
            assert str(exc) and "\n" not in str(exc) and ";" in str(exc)  # why; what to do
        else:
            assert article.headline.strip() and article.body.strip()
            (article.headline + article.body).encode("utf-8")  # printable and speakable
        result = load_articles(Path(tmp))
        assert len(result.articles) + len(result.problems) >= 1
        for problem in result.problems:
            assert "\n" not in problem.message


# --- summarize -------------------------------------------------------------------------


@FAST
@given(headline=st.text(max_size=80), body=any_text, sentences=st.integers(1, 6))
def test_any_text_summarizes_to_a_summary(headline: str, body: str, sentences: int) -> None:
    summary = summarize_article(Article(headline, body), Budget(sentences=sentences))
    assert isinstance(summary, Summary)
    assert len(summary.story.sentences) <= sentences
    assert all(s.strip() for s in summary.story.sentences)
    if not summary.story.sentences:
        assert summary.notes  # an empty summary always says why


@FAST
@given(body=newsy, seconds=st.floats(1, 120))
def test_a_time_budget_is_respected(body: str, seconds: float) -> None:
    # At 60 words a minute a word takes a second: the summary has no more words than seconds.
    summary = summarize_article(Article("Headline", body), Budget.spoken(seconds, 60))
    words = sum(len(s.split()) for s in summary.story.sentences)
    assert words <= seconds


# --- script ----------------------------------------------------------------------------

stories = st.lists(
    st.builds(
        Story,
        headline=st.text(min_size=1, max_size=60).filter(str.strip),
        sentences=st.lists(any_text.filter(str.strip), min_size=1, max_size=4).map(tuple),
        sources=st.lists(st.text(max_size=20), max_size=2).map(tuple),
    ),
    max_size=5,
)


@FAST
@given(stories=stories, template=st.sampled_from(["briefing", "short"]))
def test_any_stories_render_a_script_that_says_their_text(
    stories: list[Story], template: str
) -> None:
    script = render_script(stories, DATE, template)
    text = squash(script.text)
    assert script.segments[0].kind == "intro" and script.segments[-1].kind == "outro"
    assert [s.title for s in script.segments if s.kind == "story"] == [s.headline for s in stories]
    for story in stories:
        assert squash(story.headline) in text  # literally, template syntax and all
        if template == "briefing":
            assert squash(story.text) in text
        else:
            assert squash(story.sentences[0]) in text


# --- text for the speech engine --------------------------------------------------------


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


@FAST
@given(text=st.text(alphabet=st.characters(), max_size=400) | any_text)
def test_plain_text_keeps_the_words_and_drops_only_commands(text: str) -> None:
    out = plain_text(text)
    out.encode("utf-8")
    assert "[[" not in out
    assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in out)
    # Every letter and digit is still there (lone surrogates cannot be spoken at all).
    assert _letters(out) == _letters("".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF))
    assert plain_text(out) == out  # already safe text is left alone


# --- the whole text side of the pipeline -----------------------------------------------


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.binary(max_size=2000) | any_text.map(str.encode), name=st.text(min_size=1, max_size=20)
)
def test_any_file_beside_a_good_article_still_gives_a_script(data: bytes, name: str) -> None:
    from briefing.pipeline import prepare
    from briefing.settings import Settings
    from tests.helpers import write_article
    from tests.webserver import LIBRARY_TEXT

    safe = "".join(c for c in name if c.isalnum() or c in " -_") or "x"
    with tempfile.TemporaryDirectory() as tmp:
        write_article(Path(tmp), "good.txt", "Library opens late", LIBRARY_TEXT)
        (Path(tmp) / f"x-{safe}.txt").write_bytes(data)
        prepared = prepare(Settings.build(input_dir=Path(tmp), date=DATE))
    assert "Library opens late" in prepared.script.text
    assert prepared.script.segments[-1].kind == "outro"
    assert all("\n" not in p.message for p in prepared.problems)
