import datetime as dt
from dataclasses import replace
from pathlib import Path

from briefing import nlp
from briefing.models import Article, Problem, Story
from briefing.script import load_template, seconds_of
from briefing.sources.files import load_articles, load_file
from briefing.summarize import analyse, event
from briefing.summarize.plan import plan_briefing
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


RATE = 175
estimate_seconds = seconds_of(load_template("briefing"), DATE, RATE)


def plan(
    articles: list[Article], minutes: float | None = None
) -> tuple[list[Story], list[Problem]]:
    return plan_briefing(articles, sentences=3, minutes=minutes, seconds_of=estimate_seconds)


def test_without_a_time_limit_every_story_is_kept_with_its_sentences() -> None:
    stories, problems = plan(_articles("budget", "ferry", "school"))
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
    stories, _ = plan(articles)
    assert len(stories) == 3
    ferry = next(s for s in stories if "ferr" in s.headline.lower())
    assert set(ferry.sources) == {"Ferry", "Island Radio"}
    # Covered by two outlets: it leads the briefing.
    assert stories[0] is ferry


def test_minutes_limit_shrinks_then_leaves_out_lowest_ranked_and_says_so() -> None:
    articles = _articles("budget", "ferry", "school", "rail")
    full, _ = plan(articles)
    full_seconds = estimate_seconds(full)
    minutes = full_seconds * 0.55 / 60
    stories, problems = plan(articles, minutes=minutes)
    assert estimate_seconds(stories) <= minutes * 60
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
    free, _ = plan(articles)
    fitted, problems = plan(articles, minutes=30)
    assert fitted == free
    assert problems == []


def test_an_impossible_limit_keeps_one_sentence_of_the_top_story_and_says_so() -> None:
    stories, problems = plan(_articles("budget", "ferry"), minutes=0.1)
    assert len(stories) == 1 and len(stories[0].sentences) == 1
    assert any("even with one story" in p.message for p in problems)


def test_estimate_counts_template_text_and_pauses() -> None:
    stories, _ = plan(_articles("budget"))
    words_only = sum(len(s.split()) for s in stories[0].sentences) * 60 / RATE
    assert estimate_seconds(stories) > words_only + 2


def test_unusable_articles_become_problems_and_the_rest_is_planned() -> None:
    articles = [
        *_articles("budget"),
        Article("Leer", "   ", path=Path("empty.txt")),
        Article("中文", "市议会周一批准了新的预算。" * 10, path=Path("zh.txt")),
    ]
    stories, problems = plan(articles)
    assert [s.headline for s in stories] == ["Council passes budget"]
    assert {p.where for p in problems} == {"empty.txt", "zh.txt"}
    assert all("not summarized" in p.message for p in problems)


# --- same event or not: real follow-up reports, and different stories sharing words ---

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
WRITTEN = DATA / "written"  # written for these tests: realistic, not real
PUERTO_RICO = (
    SEEDS / "wikinews-2019-07-28-puerto-rico-governor-announces-resignation.txt",
    SEEDS / "wikinews-2019-08-04-puerto-rico-governor-rossello-resigns.txt",
)
# Real Wikinews reports of one event, days apart (tests/data/wikinews/SOURCES.md).
FOLLOW_UPS = (
    PUERTO_RICO,
    (
        DATA / "wikinews" / "2019-06-24-new-hampshire-crash-kills-seven.txt",
        DATA / "wikinews" / "2019-06-28-new-hampshire-driver-pleads-not-guilty.txt",
    ),
    (
        DATA / "wikinews" / "2019-09-01-hurricane-dorian-category-5-bahamas.txt",
        DATA / "wikinews" / "2019-09-05-hurricane-dorian-destruction-bahamas.txt",
    ),
)
# Different stories that share a place, a kind of event or a topic word.
DIFFERENT = (
    (PUERTO_RICO[0], WRITTEN / "puerto-rico-blackout.txt"),
    (PUERTO_RICO[0], WRITTEN / "puerto-rico-teachers-strike.txt"),
    (PUERTO_RICO[1], WRITTEN / "puerto-rico-blackout.txt"),
    (WRITTEN / "puerto-rico-blackout.txt", WRITTEN / "puerto-rico-teachers-strike.txt"),
    (WRITTEN / "government-fuel-duty.txt", WRITTEN / "government-housing-vote.txt"),
    # One kind of event in two towns: the headlines share "football club delays stadium
    # plan" but no name.
    (
        WRITTEN / "football-club-delays-stadium-leeds.txt",
        WRITTEN / "football-club-delays-stadium-bristol.txt",
    ),
    (
        SEEDS / "wikinews-2019-07-12-tropical-storm-barry-louisiana.txt",
        DATA / "wikinews" / "2019-09-01-hurricane-dorian-category-5-bahamas.txt",
    ),
    (
        DATA / "wikinews" / "2019-06-28-new-hampshire-driver-pleads-not-guilty.txt",
        DATA / "wikinews" / "2019-07-01-charlottesville-killer-sentenced.txt",
    ),
)


def _analyses(paths) -> list:
    return [analyse(load_file(p)) for p in paths]


def _together(analyses: list, i: int, j: int) -> bool:
    return any(i in g and j in g for g in event.group(analyses))


def _days(pair: tuple[Path, Path]) -> list[list[Path]]:
    """The pair alone, with three other articles, and with every test article."""
    others = sorted(SEEDS.glob("*.txt")) + sorted(DATA.glob("*/*.txt"))
    rest = [p for p in others if p not in pair]
    return [list(pair), [*pair, *rest[:3]], [*pair, *rest]]


def test_real_follow_up_reports_of_one_event_are_one_story() -> None:
    for pair in FOLLOW_UPS:
        for day in _days(pair):
            assert _together(_analyses(day), 0, 1), (pair[0].name, len(day))


def test_different_stories_sharing_a_place_or_a_topic_stay_apart() -> None:
    for pair in DIFFERENT:
        for day in _days(pair):
            assert not _together(_analyses(day), 0, 1), (pair[0].name, pair[1].name, len(day))


def test_all_test_articles_in_one_day_group_only_the_real_follow_ups() -> None:
    paths = sorted(SEEDS.glob("*.txt")) + sorted(DATA.glob("*/*.txt"))
    groups = event.group(_analyses(paths))
    merged = {frozenset(paths[i].name for i in g) for g in groups if len(g) > 1}
    assert merged == {frozenset(p.name for p in pair) for pair in FOLLOW_UPS}


def test_seeds_speak_the_puerto_rico_story_once_from_both_reports() -> None:
    articles = list(load_articles(SEEDS).articles)
    stories, _ = plan(articles)
    assert len(stories) == len(articles) - 1
    rico = [s for s in stories if "Puerto Rico" in s.headline]
    assert len(rico) == 1
    bodies = [load_file(p).body for p in PUERTO_RICO]
    # Sentences from both reports, each said once, and none saying what another said.
    for body in bodies:
        assert any(s.rstrip(".") in body for s in rico[0].sentences)
    terms = [set(nlp.content_terms(s)) for s in rico[0].sentences]
    for x in range(len(terms)):
        for y in range(x + 1, len(terms)):
            assert len(terms[x] & terms[y]) < 0.5 * min(len(terms[x]), len(terms[y]))


def test_a_merged_story_cites_every_source_and_fits_its_sentence_budget() -> None:
    first, second = (load_file(p) for p in PUERTO_RICO)
    articles = [first, replace(second, source="Island Radio"), *_articles("budget")]
    for sentences in (1, 2, 3, 5):
        stories, _ = plan_briefing(articles, sentences=sentences)
        rico = next(s for s in stories if "Puerto Rico" in s.headline)
        assert rico.sources == ("Wikinews", "Island Radio")
        assert len(rico.sentences) == sentences
        assert len(set(rico.sentences)) == sentences


def test_a_follow_up_adds_its_own_lead_where_people_are_named_in_full() -> None:
    # Its best-scored sentence says "Zhukovskyy was driving..." to a listener who has
    # not heard who he is; its lead introduces him and says what is new.
    stories, _ = plan([load_file(p) for p in FOLLOW_UPS[1]])
    assert len(stories) == 1
    added = [s for s in stories[0].sentences if "Zhukovskyy" in s]
    assert len(added) == 1
    assert added[0].startswith("Acting via his lawyers, Volodoymyr Zhukovskyy, 23, pleaded")


def test_one_wire_story_under_two_unlike_headlines_is_one_story() -> None:
    body = STORIES["ferry"][1]
    articles = [
        Article("Storms cancel island ferries", body, source="Wire"),
        Article("Weekend misery for islanders", body, source="Island Radio"),
        *_articles("budget", "school"),
    ]
    stories, _ = plan(articles)
    assert len(stories) == 3
    assert stories[0].sources == ("Wire", "Island Radio")
