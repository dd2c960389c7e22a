"""Continuity: a story that follows one told on an earlier day is an update, with one
sentence of what is new; the history of told stories is small, bounded and safe."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefing.cli import cli
from briefing.layout import Layout
from briefing.models import Story
from briefing.script import render_script
from briefing.settings import ScriptSettings
from briefing.sources.files import load_file
from briefing.summarize import history as history_module
from briefing.summarize.history import Briefed, History, recent_stories, record_stories
from briefing.summarize.plan import plan_briefing
from tests.test_plan import DIFFERENT, FOLLOW_UPS, PUERTO_RICO, STORIES, _articles

DAY1 = dt.date(2019, 7, 28)
DAY2 = dt.date(2019, 8, 4)


def told(path: Path, date: dt.date = DAY1) -> list[Briefed]:
    """The story of `path` as a briefing on `date` told it."""
    stories, _ = plan_briefing([load_file(path)], sentences=3)
    history = History(Path("unused"))
    history.record(stories, date)
    return history.stories


def plan_after(path: Path, earlier: list[Briefed]) -> tuple[list[Story], list[str]]:
    stories, problems = plan_briefing([load_file(path)], sentences=3, earlier=earlier)
    return stories, [str(p) for p in problems]


# --- real follow-up reports ------------------------------------------------------------


# What each real follow-up's update says: its lead, which tells what happened since.
NEWS = (
    "On Friday, Ricardo Rosselló Nevares resigned as the governor",
    "Acting via his lawyers, Volodoymyr Zhukovskyy, 23, pleaded not guilty",
    "As the slow-moving tropical cyclone known as Hurricane Dorian finally cleared",
)


@pytest.mark.parametrize(("pair", "news"), list(zip(FOLLOW_UPS, NEWS, strict=True)))
def test_a_real_follow_up_is_an_update_with_one_sentence_of_what_is_new(
    pair: tuple[Path, Path], news: str
) -> None:
    earlier = told(pair[0])
    stories, problems = plan_after(pair[1], earlier)
    assert problems == []
    (story,) = stories
    assert story.update_of == earlier[0].headline == load_file(pair[0]).headline
    assert story.update_of_date == DAY1
    assert len(story.sentences) == 1 and story.sentences[0].startswith(news)
    # Not a retelling: most of what it says was not said before.
    said = " ".join([earlier[0].headline, *earlier[0].sentences]).lower()
    assert story.sentences[0] not in said


def test_different_stories_sharing_a_place_or_a_topic_are_not_updates() -> None:
    for first, second in DIFFERENT:
        for a, b in ((first, second), (second, first)):
            stories, _ = plan_after(b, told(a))
            assert stories and not stories[0].update_of, (a.name, b.name)
            assert len(stories[0].sentences) == 3


def test_a_story_told_today_is_not_an_update_of_itself() -> None:
    # `--force` re-makes a day whose stories are already in the history.
    history = History(Path("unused"), told(PUERTO_RICO[0], DAY1))
    assert history.recent(DAY1, 7) == []
    assert history.recent(DAY1 + dt.timedelta(days=7), 7) == history.stories
    assert history.recent(DAY1 + dt.timedelta(days=8), 7) == []


def test_a_follow_up_with_nothing_new_is_left_out_and_said_why() -> None:
    first = load_file(PUERTO_RICO[0])
    earlier = [Briefed(DAY1, first.headline, tuple(first.body.split("\n")))]
    stories, problems = plan_briefing([first], sentences=3, earlier=earlier)
    assert stories == []
    assert [str(p) for p in problems] == [
        f"briefing: left out (nothing new since {DAY1.isoformat()}): {first.headline}"
    ]


def test_an_update_of_an_update_names_the_event_as_first_told() -> None:
    history = History(Path("unused"), told(PUERTO_RICO[0], DAY1))
    update, _ = plan_after(PUERTO_RICO[1], history.stories)
    history.record(update, DAY2)
    assert history.stories[-1].first_headline == load_file(PUERTO_RICO[0]).headline
    # A third report, the second re-sent with a new lead, days later.
    third = load_file(PUERTO_RICO[1])
    lead = "Wanda Vázquez Garced was sworn in as governor of Puerto Rico on Wednesday."
    third = type(third)("Puerto Rico has a third governor", f"{lead}\n\n{third.body}")
    stories, problems = plan_briefing([third], sentences=3, earlier=history.stories)
    assert problems == []
    assert stories[0].update_of == load_file(PUERTO_RICO[0]).headline
    assert stories[0].update_of_date == DAY1
    assert stories[0].sentences == (lead,)


def test_updates_in_a_day_with_other_stories_and_favoured_topics() -> None:
    articles = [*_articles("budget", "ferry"), load_file(PUERTO_RICO[1])]
    stories, problems = plan_briefing(articles, sentences=3, earlier=told(PUERTO_RICO[0]))
    assert problems == []
    updates = [s for s in stories if s.update_of]
    assert len(updates) == 1 and len(updates[0].sentences) == 1
    assert all(len(s.sentences) == 3 for s in stories if not s.update_of)
    assert len(stories) == 3


# --- the script ------------------------------------------------------------------------


def test_the_built_in_templates_introduce_an_update_by_the_headline_of_then() -> None:
    update = Story(
        "Rosselló resigns",
        ("He resigned on Friday.",),
        ("Wikinews",),
        update_of="Puerto Rico governor announces resignation",
        update_of_date=DAY1,
    )
    other = Story("Budget passes", ("It passed.",))
    full = render_script([other, update], DAY2, "briefing").segments[2].text
    assert full == (
        "And finally, an update on Puerto Rico governor announces resignation.\n"
        "From Wikinews: He resigned on Friday."
    )
    alone = render_script([update], DAY2, "briefing").segments[1].text
    assert alone.startswith("An update on Puerto Rico governor announces resignation.\n")
    short = render_script([update], DAY2, "short").segments[1].text
    assert short == "Update on Puerto Rico governor announces resignation. He resigned on Friday."


# --- the history file ------------------------------------------------------------------


def test_the_history_round_trips_and_a_day_remade_replaces_its_stories(tmp_path: Path) -> None:
    path = tmp_path / "state" / "history.json"
    stories = [Story("A", ("One.", "Two.")), Story("B", ("Three.",), update_of="Z")]
    assert record_stories(stories, DAY1, path) is None
    assert record_stories(stories[:1], DAY1, path) is None  # --force: today's again
    record_stories([Story("C", ("Four.",))], DAY2, path)
    loaded = History.load(path)
    assert loaded.problem is None
    assert [(s.date, s.headline, s.sentences) for s in loaded.stories] == [
        (DAY1, "A", ("One.", "Two.")),
        (DAY2, "C", ("Four.",)),
    ]
    assert [p.name for p in path.parent.iterdir()] == ["history.json"]  # no temp file left


def test_the_history_is_bounded_in_age_and_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.json"
    record_stories([Story("Old", ("Old news.",))], DAY1, path)
    later = DAY1 + dt.timedelta(days=history_module.KEEP_DAYS + 1)
    record_stories([Story("New", ("New news.",))], later, path)
    assert [s.headline for s in History.load(path).stories] == ["New"]
    monkeypatch.setattr(history_module, "KEEP_STORIES", 3)
    record_stories([Story(f"S{i}", ("x.",)) for i in range(5)], later, path)
    assert [s.headline for s in History.load(path).stories] == ["S2", "S3", "S4"]


def test_it_keeps_as_many_days_as_update_days_may_ask_for() -> None:
    bound = next(
        f.metadata["spec"].max
        for f in ScriptSettings.__dataclass_fields__.values()
        if f.name == "update_days"
    )
    assert bound == history_module.KEEP_DAYS


@pytest.mark.parametrize(
    "content",
    ["{not json", '{"version": 1, "stories": [{"date": "yesterday"}]}', '{"version": 9}', "[]"],
)
def test_a_damaged_history_is_moved_aside_with_one_warning(tmp_path: Path, content: str) -> None:
    path = tmp_path / "history.json"
    path.write_text(content, encoding="utf-8")
    recent = recent_stories(path, DAY2, 7)
    assert recent.stories == ()
    (problem,) = recent.problems
    assert "history of briefed stories is unreadable" in problem.message
    assert "moved to" in problem.message
    assert not path.exists() and len(list(tmp_path.glob("history.json.damaged-*"))) == 1
    # Once moved aside, it is not reported again.
    assert recent_stories(path, DAY2, 7).problems == ()


def test_update_days_zero_reads_no_history(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    path.write_text("{not json", encoding="utf-8")
    assert recent_stories(path, DAY2, 0).problems == ()
    assert path.exists()


# --- the daily run ---------------------------------------------------------------------


def _run(date: dt.date, *args: str) -> Result:
    return CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", str(date), *args])


def test_the_daily_run_records_what_it_told_and_tells_a_follow_up_as_an_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_engine: object
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    day1, day2 = tmp_path / "day1", tmp_path / "day2"
    day1.mkdir()
    day2.mkdir()
    (day1 / "a.txt").write_bytes(PUERTO_RICO[0].read_bytes())
    (day2 / "b.txt").write_bytes(PUERTO_RICO[1].read_bytes())
    budget = STORIES["budget"]
    (day2 / "c.txt").write_text(f"{budget[0]}\n\n{budget[1]}\n", encoding="utf-8")
    first = _run(DAY1, "--input", str(day1))
    assert first.exit_code == 0, first.output
    history = Layout(Path("output")).history
    saved = json.loads(history.read_text(encoding="utf-8"))
    assert [s["headline"] for s in saved["stories"]] == [load_file(PUERTO_RICO[0]).headline]
    second = _run(DAY2, "--input", str(day2))
    assert second.exit_code == 0, second.output
    script = Layout(Path("output")).episode(DAY2).script.read_text(encoding="utf-8")
    assert f"an update on {load_file(PUERTO_RICO[0]).headline}." in script
    assert "On Friday, Ricardo Rosselló Nevares resigned" in script
    assert len(History.load(history).stories) == 3
    # With update_days 0, the same day is told in full.
    config = tmp_path / "briefing.toml"
    config.write_text("[script]\nupdate_days = 0\n", encoding="utf-8")
    again = _run(DAY2, "--input", str(day2), "--force", "--config", str(config))
    assert again.exit_code == 0, again.output
    script = Layout(Path("output")).episode(DAY2).script.read_text(encoding="utf-8")
    assert "an update on" not in script
