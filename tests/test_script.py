import datetime as dt
from pathlib import Path

import pytest

from briefing.errors import TemplateError
from briefing.models import Story
from briefing.script import available_templates, load_template, render_script, spoken_date

GOLDEN = Path(__file__).parent / "golden"
DATE = dt.date(2026, 11, 24)
STORIES = [
    Story(
        "Council passes budget",
        ("The council approved the budget.", "Buses get more money."),
        ("City Daily",),
    ),
    Story("Storm hits coast", ("A storm brought heavy rain.",), ("Wikinews", "VOA")),
    Story("Team wins cup", ("The home team won the cup final.",)),
]


def test_spoken_date() -> None:
    assert spoken_date(DATE) == "Tuesday, November the twenty-fourth, 2026"
    assert spoken_date(dt.date(2026, 1, 1)) == "Thursday, January the first, 2026"
    assert spoken_date(dt.date(2026, 3, 31)) == "Tuesday, March the thirty-first, 2026"


@pytest.mark.parametrize("name", ["briefing", "short"])
def test_builtin_templates_match_golden_files(name: str) -> None:
    script = render_script(STORIES, DATE, name)
    golden = GOLDEN / f"{name}.txt"
    assert script.text == golden.read_text(encoding="utf-8")


def test_segments_have_kinds_titles_and_pauses() -> None:
    script = render_script(STORIES, DATE)
    assert [s.kind for s in script.segments] == ["intro", "story", "story", "story", "outro"]
    assert [s.title for s in script.segments[1:4]] == [s.headline for s in STORIES]
    assert script.segments[1].pause_after_ms > script.segments[0].pause_after_ms
    assert script.segments[-2].pause_after_ms < script.segments[1].pause_after_ms
    # Three distinct pauses: after the greeting, between stories, before the sign-off.
    pauses = [s.pause_after_ms for s in script.segments]
    assert len({pauses[0], pauses[1], pauses[-2]}) == 3
    assert pauses[1] == pauses[2] and pauses[-1] == 0
    assert script.segments[2].text.startswith("Next, from Wikinews and VOA: Storm hits coast.")


@pytest.mark.parametrize("name", ["briefing", "short"])
def test_a_title_made_from_the_lead_is_not_read_before_the_lead(name: str) -> None:
    lead = "A powerful storm hit the northern coast on Sunday night, cutting power."
    titled = Story("A powerful storm hit the northern coast on Sunday night", (lead,), (), True)
    script = render_script([STORIES[0], titled, STORIES[1]], DATE, name)
    story = script.segments[2]
    assert story.text.count("A powerful storm hit") == 1
    assert story.title == titled.headline  # still the chapter title and the feed's list
    if name == "briefing":
        assert story.text == "Next: " + lead
        assert "Council passes budget." in script.segments[1].text  # real headlines are read


def test_article_text_is_never_template_code() -> None:
    evil = Story("{{ 7*7 }} headline", ("Text with {% if true %}code{% endif %} {{ x }}.",))
    script = render_script([evil], DATE)
    assert "{{ 7*7 }} headline" in script.text
    assert "{% if true %}code{% endif %} {{ x }}" in script.text


def test_user_template_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.j2"
    path.write_text(
        "{% macro intro(date, count, headlines) %}Hi {{ count }}.{% endmacro %}"
        "{% macro story(story, index, count, first, last) %}{{ story.headline }}{% endmacro %}"
        "{% macro outro(date) %}Bye.{% endmacro %}"
    )
    script = render_script(STORIES[:1], DATE, str(path))
    assert script.text == "Hi 1.\n\nCouncil passes budget\n\nBye.\n"


def test_undefined_variable_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.j2"
    path.write_text(
        "{% macro intro(date, count, headlines) %}{{ nope }}{% endmacro %}"
        "{% macro story(story, index, count, first, last) %}x{% endmacro %}"
        "{% macro outro(date) %}y{% endmacro %}"
    )
    with pytest.raises(TemplateError, match="'nope' is undefined"):
        render_script(STORIES, DATE, str(path))


def test_missing_macro_and_unknown_name_and_syntax_errors(tmp_path: Path) -> None:
    path = tmp_path / "half.j2"
    path.write_text("{% macro intro(date, count, headlines) %}x{% endmacro %}")
    with pytest.raises(TemplateError, match="missing: story, outro"):
        load_template(str(path))
    with pytest.raises(TemplateError, match="choose one of briefing"):
        load_template("no-such-template")
    broken = tmp_path / "broken.j2"
    broken.write_text("{% macro intro( %}")
    with pytest.raises(TemplateError, match="line 1"):
        load_template(str(broken))
    with pytest.raises(TemplateError, match="does not exist"):
        load_template(str(tmp_path / "absent.j2"))


def test_templates_are_listed() -> None:
    assert {"briefing", "short"} <= set(available_templates())
