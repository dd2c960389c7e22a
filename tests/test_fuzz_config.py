"""The fuzz tier for configuration, the command line and templates (issue 17): hypothesis
draws values of every TOML kind for every setting, odd command-line values for every
option, and random templates built from Jinja fragments. Never a traceback; a value is
taken, or refused with exit 2 and one `error:` line. The deterministic sweep of every
setting x every kind of value is in the default tier (tests/test_config_values.py)."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.settings import RUN, SCRIPT, Entry, table
from tests.config_cases import (
    DATE,
    ODD_ARGUMENTS,
    TomlValue,
    assert_accepted_or_refused,
    assert_no_traceback,
    check_config_value,
    error_lines,
    file_settings,
    run_script,
)

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def to_toml(value: Any) -> str:
    """`value` as a TOML value (what tomllib reads back as `value`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(to_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{to_toml(k)} = {to_toml(v)}" for k, v in value.items()) + " }"
    # A JSON string is a TOML basic string, but for characters past U+FFFF (JSON writes
    # surrogate pairs, TOML refuses them) and DEL (TOML wants it escaped).
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40) | st.sampled_from(
    ["", "a" * 5000, "x/" + "b" * 300, "~nosuchuser/x", "../..", "/", "64k", "briefing"]
)
_scalars = (
    _text
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.dates()
    | st.datetimes(timezones=st.none() | st.just(dt.UTC))
    | st.times()
)
toml_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(st.characters(codec="ascii"), min_size=1, max_size=8), inner, max_size=3
        )
    ),
    max_leaves=6,
)


@FUZZ
@given(entry=st.sampled_from(file_settings()), value=toml_values)
def test_any_toml_value_for_any_setting_is_taken_or_refused_in_one_line(
    project: Path, fake_engine: object, entry: Entry, value: Any
) -> None:
    check_config_value(project, entry, TomlValue("drawn", to_toml(value), value))


def _options(command: str) -> list[Entry]:
    return [e for e in table() if command in e.spec.commands and e.type is not bool]


_arguments = (
    st.text(st.characters(exclude_characters="\x00"), max_size=30)
    | st.sampled_from(ODD_ARGUMENTS)
    | st.integers().map(str)
    | st.floats().map(str)
    | st.dates().map(str)
)


@FUZZ
@given(chosen=st.lists(st.tuples(st.sampled_from(_options(SCRIPT)), _arguments), max_size=3))
def test_any_values_of_script_options_are_taken_or_refused_in_one_line(
    project: Path, fake_engine: object, chosen: list[tuple[Entry, str]]
) -> None:
    args = ["--date", DATE]
    for entry, value in chosen:
        assert entry.spec.flag is not None
        args += [entry.spec.flag, value]
    assert_accepted_or_refused(run_script(project, *args), " ".join(args)[:200])


@settings(FUZZ, max_examples=25)
@given(entry=st.sampled_from(_options(RUN)), value=_arguments)
def test_any_value_of_a_run_option_is_taken_or_refused_in_one_line(
    project: Path, fake_engine: object, entry: Entry, value: str
) -> None:
    from click.testing import CliRunner

    from briefing.cli import cli

    assert entry.spec.flag is not None
    args = ["run", "--engine", "fake", "--date", DATE, "--input", str(project / "seeds")]
    result = CliRunner().invoke(cli, [*args, entry.spec.flag, value])
    what = f"run {entry.spec.flag} {value[:40]!r}"
    assert_no_traceback(result, what)
    # 4: a value naming a program that is not here (an engine's), 1: a run that failed
    # for what the value says (a voice the engine does not have), always in one line.
    assert result.exit_code in (0, 1, 2, 3, 4), f"{what}: {result.exit_code} {result.stderr}"
    if result.exit_code not in (0, 3):
        assert len(error_lines(result)) == 1, f"{what}: {result.stderr}"


# --- templates ------------------------------------------------------------------------

_names = ["date", "count", "headlines", "story", "index", "first", "last", "nothere", "loop"]
_literals = ["1", "0", "-1", "'a'", "''", "[1, 2]", "{}", "none", "10**6", "9**99", "'x' * 50"]
_attributes = [
    ".headline", ".sentences", ".text", ".sources", ".__class__", ".__mro__", ".upper()",
    ".mro()", "[0]", "['a']", ".year", ".append(1)", ".__globals__", "()",
]  # fmt: skip
_filters = [
    "|upper", "|length", "|join(', ')", "|center(12)", "|center(10**9)", "|int", "|first",
    "|sentence", "|spoken_date", "|weekday", "|default('x')", "|attr('__class__')",
    "|list", "|sum", "|batch(3)|list", "|format(1)", "|indent(4)", "|truncate(5)",
]  # fmt: skip
# Mostly code that parses, so most templates get as far as running; some broken syntax.
_KINDS = ["text", "out", "out", "out", "for", "for", "if", "include", "set", "call", "junk"]
_operators = [" + ", " - ", " * ", " / ", " // ", " % ", " ** ", " ~ ", " and ", " in "]


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    expr = draw(st.sampled_from(_names + _literals))
    for _ in range(draw(st.integers(0, 2))):
        expr += draw(st.sampled_from(_attributes))
    if draw(st.booleans()):
        expr += draw(st.sampled_from(_filters))
    if depth < 2 and draw(st.booleans()):
        expr = f"({expr}){draw(st.sampled_from(_operators))}{draw(expressions(depth + 1))}"
    return expr


@st.composite
def bodies(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(_KINDS))
        if kind == "text":
            parts.append(draw(st.sampled_from(["Hello. ", "\n", "News: ", "{ % }"])))
        elif kind == "out":
            parts.append("{{ " + draw(expressions()) + " }}")
        elif kind == "for" and depth < 2:
            inner = draw(bodies(depth + 1))
            source = draw(st.sampled_from(["range(100000)", "headlines", "story.sentences"]))
            source = draw(st.sampled_from([source, draw(expressions())]))
            parts.append(f"{{% for x in {source} %}}{inner}{{% endfor %}}")
        elif kind == "if" and depth < 2:
            parts.append(f"{{% if {draw(expressions())} %}}{draw(bodies(depth + 1))}{{% endif %}}")
        elif kind == "include":
            name = draw(st.sampled_from(["briefing.j2", "nope.j2", "t.j2", "short.j2"]))
            parts.append(f"{{% include '{name}' %}}")
        elif kind == "set":
            parts.append(f"{{% set y = {draw(expressions())} %}}{{{{ y }}}}")
        elif kind == "call":
            parts.append("{{ helper(1) }}")
        else:
            junk = ["{% endfor %}", "{% if %}", "{{ }}", "{# x", "{{", "{%", "}}"]
            parts.append(draw(st.sampled_from(junk)))
    return "".join(parts)


@st.composite
def templates(draw: st.DrawFn) -> str:
    helper = draw(st.sampled_from(["", "{{ helper(n) }}", "{{ helper(n - 1) if n > 0 }}"]))
    return (
        f"{{% macro helper(n) %}}{helper}{draw(bodies())}{{% endmacro %}}\n"
        "{% macro intro(date, count, headlines) %}" + draw(bodies()) + "{% endmacro %}\n"
        "{% macro story(story, index, count, first, last) %}"
        + draw(bodies())
        + "{% endmacro %}\n{% macro outro(date) %}"
        + draw(bodies())
        + "{% endmacro %}\n"
        + draw(bodies())
    )


@settings(FUZZ, max_examples=300)
@given(source=templates())
def test_any_template_makes_the_script_or_one_error_line_naming_it(
    project: Path, source: str
) -> None:
    (project / "t.j2").write_text(source, encoding="utf-8")
    result = run_script(project, "--date", DATE, "--template", str(project / "t.j2"))
    assert_no_traceback(result, source)
    assert result.exit_code in (0, 2), f"{source}\n{result.exit_code}: {result.stderr}"
    if result.exit_code == 2:
        lines = error_lines(result)
        assert len(lines) == 1, f"{source}\n{result.stderr}"
        assert "template" in lines[0], lines[0]
