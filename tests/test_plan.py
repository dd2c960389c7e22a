import datetime as dt
from pathlib import Path

from briefing.config import Settings
from briefing.models import Article
from briefing.summarize.plan import estimate_seconds, plan_briefing
from tests.helpers import BODY

DATE = dt.date(2026, 11, 24)

STORIES = {
    "budget": ("Council passes budget", BODY),
    "ferry": (
        "Storms cancel island ferries",
        "Ferry services to the western islands were cancelled on Tuesday because of storms. "
        "Harbour officials expect the weather to ease by the weekend. "
        "Islanders were told to stock up on food and fuel before Thursday. "
        "The ferry company will refund every ticket for the cancelled crossings. "
        "A relief boat carrying medicine is due to sail as soon as the wind drops.",
    ),
    "school": (
        "New school opens in the east end",
        "A new primary school opened in the east end of the city on Wednesday. "
        "The school has places for four hundred pupils and a public library. "
        "Parents had campaigned for a local school for more than ten years. "
        "The building is heated by ground source heat pumps and solar panels. "
        "Teachers said the first week had gone smoothly despite the builders.",
    ),
    "rail": (
        "Rail strike called off after pay deal",
        "A national rail strike planned for next week was called off on Thursday. "
        "Union leaders accepted a pay offer of five percent over two years. "
        "Train operators said services would run normally from Monday morning. "
        "Passengers who bought refunds for strike days can rebook at no cost. "
        "The deal still has to be approved by a vote of union members.",
    ),
}


def _articles(*names: str, source: str = "") -> list[Article]:
    return [Article(*STORIES[n], source=source or n.title()) for n in names]


def _settings(**kw) -> Settings:
    return Settings(input_dir=Path("."), date=DATE, **kw)


def test_without_a_time_limit_every_story_is_kept_with_its_sentences() -> None:
    stories, problems = plan_briefing(_articles("budget", "ferry", "school"), _settings())
    assert problems == []
    assert {s.headline for s in stories} == {h for h, _ in STORIES.values()} - {STORIES["rail"][0]}
    assert all(len(s.sentences) == 3 for s in stories)


def test_reports_of_the_same_event_merge_into_one_story_citing_every_source() -> None:
    other_ferry = Article(
        "Island ferries cancelled as storms hit",
        "Storms forced the cancellation of ferry services to the western islands on "
        "Tuesday. Harbour officials said the weather should ease by the weekend. "
        "The ferry company promised refunds for the cancelled crossings.",
        source="Island Radio",
    )
    articles = [*_articles("budget", "ferry"), other_ferry, *_articles("school")]
    stories, _ = plan_briefing(articles, _settings())
    assert len(stories) == 3
    ferry = next(s for s in stories if "ferr" in s.headline.lower())
    assert set(ferry.sources) == {"Ferry", "Island Radio"}
    # Covered by two outlets: it leads the briefing.
    assert stories[0] is ferry


def test_minutes_limit_shrinks_then_leaves_out_lowest_ranked_and_says_so() -> None:
    articles = _articles("budget", "ferry", "school", "rail")
    full, _ = plan_briefing(articles, _settings())
    full_seconds = estimate_seconds(full, _settings())
    minutes = full_seconds * 0.55 / 60
    settings = _settings(minutes=minutes)
    stories, problems = plan_briefing(articles, settings)
    assert estimate_seconds(stories, settings) <= minutes * 60
    assert 1 <= len(stories) < 4
    assert all(len(s.sentences) >= 1 for s in stories)
    left_out = [p.message for p in problems if "left out to fit" in p.message]
    kept = {s.headline for s in stories}
    assert len(left_out) == 4 - len(stories)
    for message in left_out:
        assert message.split(": ", 1)[1] not in kept
    # The stories kept are the highest-ranked ones, in the same order.
    assert [s.headline for s in stories] == [s.headline for s in full[: len(stories)]]


def test_a_generous_limit_changes_nothing() -> None:
    articles = _articles("budget", "ferry")
    free, _ = plan_briefing(articles, _settings())
    fitted, problems = plan_briefing(articles, _settings(minutes=30))
    assert fitted == free
    assert problems == []


def test_an_impossible_limit_keeps_one_sentence_of_the_top_story_and_says_so() -> None:
    stories, problems = plan_briefing(_articles("budget", "ferry"), _settings(minutes=0.1))
    assert len(stories) == 1 and len(stories[0].sentences) == 1
    assert any("even with one story" in p.message for p in problems)


def test_estimate_counts_template_text_and_pauses() -> None:
    stories, _ = plan_briefing(_articles("budget"), _settings())
    words_only = sum(len(s.split()) for s in stories[0].sentences) * 60 / 175
    assert estimate_seconds(stories, _settings()) > words_only + 2


def test_unusable_articles_become_problems_and_the_rest_is_planned() -> None:
    articles = [
        *_articles("budget"),
        Article("Leer", "   ", path=Path("empty.txt")),
        Article("中文", "市议会周一批准了新的预算。" * 10, path=Path("zh.txt")),
    ]
    stories, problems = plan_briefing(articles, _settings())
    assert [s.headline for s in stories] == ["Council passes budget"]
    assert {p.where for p in problems} == {"empty.txt", "zh.txt"}
    assert all("not summarized" in p.message for p in problems)
