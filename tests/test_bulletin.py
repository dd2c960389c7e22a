"""A script that sounds like a bulletin: transitions chosen by how stories relate,
speakable headlines, outlets credited, sections by topic."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from briefing import bulletin
from briefing.models import Article, Story
from briefing.script import render_script
from briefing.sources.headline import acronym, speakable
from briefing.summarize import topic
from briefing.summarize.plan import SECTIONS_ABOVE, plan_briefing

DATE = dt.date(2026, 11, 24)
LABELS = ["", "sport", "business", "world news"]


def _story(label: str, update: bool = False, section: str = "") -> Story:
    return Story(
        f"A {label or 'plain'} story",
        ("It happened.",),
        topic=label,
        update_of="An older story" if update else "",
        section=section,
    )


# --- transitions -----------------------------------------------------------------------


def test_meanwhile_and_staying_with_join_only_stories_of_one_topic() -> None:
    stories = [_story("sport"), _story("sport"), _story("business"), _story(""), _story("")]
    turns = bulletin.turns(stories)
    assert turns[0] == "First" and turns[-1] == "And finally"
    assert turns[1] == "Staying with sport"
    assert turns[2] == "Next"  # another topic
    assert turns[3] == "In other news"  # no topic: never "Turning to ..." or "Meanwhile"


@given(
    st.lists(
        st.tuples(st.sampled_from(LABELS), st.booleans()),
        min_size=2,
        max_size=40,
    )
)
def test_no_phrase_comes_again_before_its_kind_is_used_up(spec: list[tuple[str, bool]]) -> None:
    stories = [_story(label, update) for label, update in spec]
    turns = bulletin.turns(stories)
    assert len(turns) == len(stories)
    middle = turns[1:-1]
    for a, b in itertools.pairwise(middle):
        assert a != b  # never twice running
    same_topic = {p.format(topic=t) for p in bulletin.SAME for t in LABELS if t}
    for i, turn in enumerate(turns[1:-1], start=1):
        if turn in same_topic or turn == "Meanwhile":
            assert stories[i].topic and stories[i].topic == stories[i - 1].topic
    # Within each kind, a phrase comes back only once all of that kind have been said.
    for kind, phrases in (("update", bulletin.UPDATE), ("other", bulletin.OTHER)):
        said = [
            t
            for i, t in enumerate(middle, start=1)
            if (kind == "update") == bool(stories[i].update_of)
            and (kind == "update" or (t not in same_topic and t != "Meanwhile"))
        ]
        run: list[str] = []
        for t in said:
            if t in run:
                assert len(run) >= len([p for p in phrases if "{topic}" not in p]), (
                    f"{t!r} again after only {run}"
                )
                run = []
            run.append(t)


def test_an_update_is_led_into_by_what_it_follows() -> None:
    stories = [_story("sport"), _story("sport", update=True), _story("", update=True)]
    script = render_script(stories, DATE)
    assert script.segments[2].text.startswith("Now, an update on An older story.")
    assert script.segments[3].text.startswith("And finally, an update on An older story.")


def test_sections_are_announced_once_each() -> None:
    stories = [
        _story("sport", section="sport"),
        _story("sport", section="sport"),
        _story("business", section="business"),
        _story("business", section="business"),
        _story("", section="other news"),
    ]
    turns = bulletin.turns(stories)
    assert turns == [
        "First, in sport",
        "Staying with sport",
        "Now to business",
        "Also in business",
        "And finally, in other news",
    ]


def _template(tmp_path: Path, story_macro: str) -> str:
    """A template of one's own with this `story` macro (its `{% macro %}` line included)."""
    path = tmp_path / "old.j2"
    path.write_text(
        "{% macro intro(date, count, headlines) %}Hi.{% endmacro %}"
        f"{story_macro}{{% endmacro %}}{{% macro outro(date) %}}Bye.{{% endmacro %}}"
    )
    return str(path)


def test_a_template_without_turn_is_called_as_before(tmp_path: Path) -> None:
    path = _template(
        tmp_path,
        "{% macro story(story, index, count, first, last) %}{{ index }} {{ story.headline }}",
    )
    script = render_script([_story("sport"), _story("sport")], DATE, path)
    assert [s.text for s in script.segments[1:3]] == ["0 A sport story", "1 A sport story"]


# --- outlets ---------------------------------------------------------------------------


def test_outlets_are_credited_by_the_name_listeners_know() -> None:
    assert bulletin.outlet("bbc.co.uk") == "the BBC"
    assert bulletin.outlet("BBC News") == "the BBC"
    assert bulletin.outlet("www.reuters.com") == "Reuters"
    assert bulletin.outlet("edition.cnn.com") == "CNN"
    assert bulletin.outlet("The Hollywood Reporter") == "the Hollywood Reporter"
    assert bulletin.outlet("example.org") == "example.org"
    assert bulletin.outlet("City Daily") == "City Daily"
    assert bulletin.credit(["bbc.co.uk", "BBC News", "Reuters", "VOA"]) == (
        "the BBC, Reuters and VOA"
    )
    assert bulletin.credit([]) == ""
    story = Story("Storm hits coast", ("Rain fell.",), ("bbc.co.uk",))
    text = render_script([story], DATE).segments[1].text
    assert text.startswith("From the BBC: Storm hits coast.")


def _from(*sources: str) -> Story:
    return Story("Storm hits coast", ("It happened.",), sources)


def test_a_run_of_stories_from_one_outlet_credits_it_once() -> None:
    stories = [
        _from("en.wikinews.org"),
        _from("en.wikinews.org"),
        _from(),
        _from("en.wikinews.org"),
        _from("bbc.co.uk"),
        _from("BBC News"),
        _from("bbc.co.uk", "Reuters"),
    ]
    assert bulletin.credits(stories) == [
        "Wikinews",
        "",
        "",
        "Wikinews",
        "the BBC",
        "",
        "the BBC and Reuters",
    ]
    texts = [s.text for s in render_script(stories, DATE).segments[1:-1]]
    assert [t.count("Wikinews") for t in texts[:4]] == [1, 0, 0, 1]
    assert "from the BBC:" in texts[4] and "from" not in texts[5].lower()
    assert "from the BBC and Reuters:" in texts[6]


@given(st.lists(st.sampled_from(["", "bbc.co.uk", "BBC News", "Reuters", "City Daily"])))
def test_credits_name_an_outlet_exactly_where_it_changes(sources: list[str]) -> None:
    stories = [_from(*([s] if s else [])) for s in sources]
    said = bulletin.credits(stories)
    full = [bulletin.credit(s.sources) for s in stories]
    assert len(said) == len(stories)
    for i, (credited, outlets) in enumerate(zip(said, full, strict=True)):
        changed = i == 0 or full[i - 1] != outlets
        assert credited == (outlets if changed else "")


def test_a_template_without_outlets_credits_every_story(tmp_path: Path) -> None:
    path = _template(
        tmp_path,
        "{% macro story(story, index, count, first, last, turn='') %}{{ turn }}, from "
        "{{ story.sources | credit }}.",
    )
    script = render_script([_from("bbc.co.uk"), _from("bbc.co.uk")], DATE, path)
    assert [s.text for s in script.segments[1:3]] == [
        "First, from the BBC.",
        "And finally, from the BBC.",
    ]


# --- headlines -------------------------------------------------------------------------


def test_headlines_are_made_speakable() -> None:
    assert speakable("Woman of the YEAR named") == "Woman of the year named"
    assert speakable("man-bites-dog-in-london") == "Man bites dog in london"
    assert speakable("man_bites_dog_in_london-20140512") == "Man bites dog in london"
    assert speakable("ManBitesDog") == "Man Bites Dog"
    assert speakable("(pictured posed by model) A taxi driver was robbed") == (
        "A taxi driver was robbed"
    )
    assert speakable("Prince (left) meets fans") == "Prince meets fans"
    assert speakable("VIDEO: Man rescued from river") == "Man rescued from river"
    assert speakable("Storm hits the coast – in pictures") == "Storm hits the coast"
    assert speakable("BREAKING: NHS STRIKE CALLED OFF") == "Breaking: NHS strike called off"
    # Acronyms, initials and brackets that are not captions stay.
    assert speakable("NATO chief warns US and UK") == "NATO chief warns US and UK"
    assert speakable("RSPCA and HSBC back FIFA plan") == "RSPCA and HSBC back FIFA plan"
    assert speakable("Attack in Paris (CNN)") == "Attack in Paris (CNN)"
    assert speakable("A state-of-the-art hospital opens") == "A state-of-the-art hospital opens"
    assert speakable("McDonald's and PlayStation sales rise") == (
        "McDonald's and PlayStation sales rise"
    )


def test_acronyms_are_told_from_words_in_capitals() -> None:
    assert all(acronym(w) for w in ["BBC", "NHS", "NATO", "FBI", "HSBC", "NSPCC", "US"])
    assert not any(acronym(w) for w in ["YEAR", "REVEALED", "STRIKE", "THE", "NEW", "WIN"])


@given(st.text(max_size=200))
def test_speakable_never_loses_a_whole_headline(headline: str) -> None:
    said = speakable(headline)
    if any(c.isalnum() for c in headline):
        assert any(c.isalnum() for c in said)
    assert "pictured" not in said.casefold() or "pictured" in headline.casefold()


# --- topics and sections ---------------------------------------------------------------


def test_topics_are_told_from_keywords() -> None:
    cases = {
        "sport": ("Rovers win the cup", ["The striker scored twice in the final match."]),
        "business": ("Shares fall as inflation rises", ["Investors sold bank stocks."]),
        "politics": ("Minister resigns", ["The government faces a vote in parliament."]),
        "world": ("Ceasefire agreed", ["Troops will leave the border, the UN said."]),
        "health": ("Hospital waits grow", ["Patients wait months for cancer treatment."]),
        "science": ("Telescope finds planet", ["Astronomers said the planet may hold water."]),
        "crime": ("Man jailed for murder", ["The judge sentenced him after a trial."]),
        "culture": ("Actor wins Oscar", ["The film was a Hollywood hit."]),
    }
    for key, (headline, sentences) in cases.items():
        assert topic.classify(headline, sentences) == key, headline
    assert topic.classify("Rovers win the cup", ["..."], language="de") == ""
    assert topic.classify("A day out", ["It was sunny."]) == ""


SPORT = "The striker scored twice as the club won the league match at the stadium."
MONEY = "Shares in the bank fell as investors worried about inflation and profits."


def _articles(n: int) -> list[Article]:
    out = []
    for i in range(n):
        text = SPORT if i % 2 else MONEY
        out.append(
            Article(
                f"Report {i} {'on the league' if i % 2 else 'on the markets'}",
                f"{text} Report number {i} was filed on day {i + 1} of the month. "
                f"Officials said item {i} would be reviewed again next week.",
                source=f"Outlet {i}",
            )
        )
    return out


def test_a_long_briefing_is_told_in_sections_a_short_one_is_not() -> None:
    many, _ = plan_briefing(_articles(SECTIONS_ABOVE + 2), sentences=2, sections=True)
    sections = [s.section for s in many]
    assert set(sections) == {"business", "sport"}
    assert sections == sorted(sections, key=sections.index)  # each section together
    assert all(s.topic == s.section for s in many)
    few, _ = plan_briefing(_articles(SECTIONS_ABOVE), sentences=2, sections=True)
    assert all(s.section == "" for s in few) and {s.topic for s in few} == {"business", "sport"}
    off, _ = plan_briefing(_articles(SECTIONS_ABOVE + 2), sentences=2, sections=False)
    assert all(s.section == "" for s in off)
    turns = bulletin.turns(many)
    starts = [i for i, s in enumerate(many) if i == 0 or many[i - 1].section != s.section]
    assert len(starts) == 2
    for i in starts:  # "First, in business", then "Now to sport"
        assert turns[i].endswith(many[i].section)
    text = render_script(many, DATE).text
    assert text.count(turns[starts[1]] + ", from") == 1
