"""[interests]: topics matched as a listener means them; muted stories left out and
reported, favoured ones first, kept when time is short, and saying why they lead."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.configfile import load_settings
from briefing.errors import UsageError
from briefing.models import Article, Story
from briefing.script import render_script
from briefing.settings import InterestSettings, Settings
from briefing.summarize.interests import Matcher, topics
from briefing.summarize.plan import plan_briefing
from tests.helpers import write_article
from tests.test_plan import STORIES, estimate_seconds

DATE = dt.date(2026, 11, 24)


def about(topic: str, headline: str, *sentences: str) -> float:
    """How much a story is about `topic` (0 when it is not)."""
    found = Matcher(topics([topic])).about(headline, list(sentences))
    return found[0].weight if found else 0.0


# --- matching --------------------------------------------------------------------------


def test_a_lower_case_word_matches_in_any_case_by_its_stem() -> None:
    assert about("climate", "Climatic shifts worry farmers")
    assert about("election", "ELECTIONS called for March")
    assert about("flood", "Town flooded overnight")
    assert not about("flood", "Floor prices rise")


def test_a_capitalised_word_is_a_name_matched_whole_where_the_text_capitalises_it() -> None:
    assert about("Reading", "Reading sign a new striker")
    assert not about("Reading", "Readers are reading more", "She read a book on reading.")
    assert about("Apple", "Apple unveils a phone")
    assert not about("Apple", "Apples are cheap this autumn")
    assert about("iPhone", "New iPhone goes on sale")


def test_accents_and_possessives_do_not_matter() -> None:
    assert about("Rossello", "Puerto Rico's governor Rosselló resigns")
    assert about("Arsenal", "Arsenal's manager signs a new contract")


def test_a_phrase_matches_its_words_in_a_row_hyphenated_or_not() -> None:
    assert about("Bank of England", "Rates held", "The Bank of England held rates on Thursday.")
    assert not about("Bank of England", "Rates held", "England's bank held rates on Thursday.")
    assert about("climate change", "The cost of climate-change adaptation")
    assert not about("climate change", "Change of climate at the club")


def test_once_a_person_is_named_in_full_their_surname_counts_too() -> None:
    lead = ("Boris Johnson visited a school.", "Johnson said the plan was working.")
    assert about("Boris Johnson", "School visit", *lead) > about(
        "Boris Johnson", "School visit", lead[0]
    )
    # A surname alone, with no full name before it, is someone else's.
    assert not about("Boris Johnson", "Vote", "Dustin Johnson won the golf.", "a", "b")


def test_the_headline_or_the_lead_makes_a_story_about_a_topic_a_passing_mention_does_not() -> None:
    filler = ("The vote was close.", "The mayor spoke.", "The council met.")
    assert about("celebrity", "Celebrity chef opens a restaurant")
    assert about("celebrity", "Budget passes", "A celebrity chef praised the budget.")
    assert not about("celebrity", "Budget passes", *filler, "A celebrity chef praised it.")
    later = ("Celebrity guests came.", "One celebrity spoke.", "The celebrity left.")
    assert about("celebrity", "Budget passes", *filler, *later)


# --- planning --------------------------------------------------------------------------


def _articles(*names: str) -> list[Article]:
    return [Article(*STORIES[n], source=n.title()) for n in names]


def plan(articles: list[Article], minutes: float | None = None, **interests: tuple[str, ...]):
    return plan_briefing(
        articles,
        sentences=3,
        minutes=minutes,
        seconds_of=estimate_seconds,
        interests=InterestSettings(**interests),
    )


def test_a_muted_story_is_left_out_and_reported_with_the_topic() -> None:
    stories, problems = plan(_articles("budget", "ferry", "school"), mute=("ferries",))
    assert [s.headline for s in stories] == [
        "Council passes budget",
        "New school opens in the east end",
    ]
    assert [str(p) for p in problems] == [
        "briefing: left out (muted: ferries): Storms cancel island ferries"
    ]


def test_a_favoured_story_comes_first_and_says_for_which_topic() -> None:
    plain, _ = plan(_articles("budget", "ferry", "school", "rail"))
    assert plain[0].headline != "New school opens in the east end"
    stories, problems = plan(_articles("budget", "ferry", "school", "rail"), favour=("pupils",))
    assert problems == []
    assert stories[0].headline == "New school opens in the east end"
    assert stories[0].interest == "pupils"
    assert [s.interest for s in stories[1:]] == ["", "", ""]
    # The rest keep their order.
    assert [s.headline for s in stories[1:]] == [
        s.headline for s in plain if s.headline != stories[0].headline
    ]


def test_favoured_stories_are_kept_first_when_the_time_is_short() -> None:
    articles = _articles("budget", "ferry", "school", "rail")
    plain, dropped = plan(articles, minutes=0.9)
    left_out = [p.message.rsplit(": ", 1)[1] for p in dropped]
    assert left_out, "the limit must leave some story out for this test to mean anything"
    favoured = left_out[-1]  # the lowest-ranked story
    word = {h: b for h, b in STORIES.values()}[favoured].split()[1].lower()
    stories, problems = plan(articles, minutes=0.9, favour=(word,))
    assert stories[0].headline == favoured and stories[0].interest == word
    assert favoured not in " ".join(p.message for p in problems)
    assert len(stories) == len(plain)


def test_a_story_with_several_reports_is_muted_when_any_report_is_about_the_topic() -> None:
    body = STORIES["ferry"][1]
    articles = [
        Article("Storms cancel island ferries", body, source="Wire"),
        Article("Weekend misery for islanders", body + " A celebrity chef was stranded.", "Radio"),
        *_articles("budget"),
    ]
    stories, problems = plan(articles, mute=("misery",))
    assert [s.headline for s in stories] == ["Council passes budget"]
    assert "muted: misery" in problems[0].message


def test_without_interests_the_plan_is_unchanged() -> None:
    articles = _articles("budget", "ferry", "school", "rail")
    assert plan(articles) == plan_briefing(
        articles, sentences=3, minutes=None, seconds_of=estimate_seconds
    )


# --- the script ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "count", "expected"),
    [
        ("briefing", 2, "First, on climate, which you follow: Talks end."),
        ("briefing", 1, "On climate, which you follow: Talks end."),
        ("short", 2, "On climate, which you follow: Talks end. They ended."),
    ],
)
def test_the_built_in_templates_say_why_a_favoured_story_leads(
    template: str, count: int, expected: str
) -> None:
    stories = [
        Story("Talks end", ("They ended.",), interest="climate"),
        Story("Budget passes", ("It passed.",)),
    ][:count]
    script = render_script(stories, DATE, template)
    assert script.segments[1].text.splitlines()[0] == expected
    if count == 2:
        assert "which you follow" not in script.segments[2].text


# --- settings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"favour": ("",)}, "has no words"),
        ({"mute": ("  ?! ",)}, "has no words"),
        ({"favour": ("Climate",), "mute": ("climate",)}, "both favoured and muted"),
    ],
)
def test_unusable_topics_are_refused_with_how_to_fix_them(values: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        InterestSettings(**values)


def test_interests_come_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text('[interests]\nfavour = ["climate", "Arsenal"]\nmute = ["celebrity"]\n')
    settings = load_settings(config)
    assert settings.interests == InterestSettings(("climate", "Arsenal"), ("celebrity",))
    assert Settings.build(favour=("x",)).interests.favour == ("x",)


def test_script_command_favours_and_mutes_and_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    news = tmp_path / "news"
    for name, (headline, body) in STORIES.items():
        write_article(news, f"{name}.txt", headline, body)
    args = ["script", "--input", str(news), "--favour", "strike", "--mute", "ferries"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "First, on strike, which you follow: Rail strike called off" in result.stdout
    assert "Storms cancel island ferries" not in result.stdout
    assert "warning: briefing: left out (muted: ferries): Storms cancel island ferries" in (
        result.stderr
    )
