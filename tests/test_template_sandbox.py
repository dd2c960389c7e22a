"""User templates run in a sandbox with limits, and every error they make is one line
naming the template's file and line, exit 2 (issue 17). Random templates are in the fuzz
tier (tests/test_fuzz_config.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import ExitCode, TemplateError
from briefing.models import Story
from briefing.script import load_template, render_script
from tests.config_cases import DATE, assert_refused, run_script
from tests.conftest import FakeEngine

HEAD = "{% macro intro(date, count, headlines) %}"
TAIL = (
    "{% endmacro %}{% macro story(story, index, count, first, last) %}{{ story.headline }}"
    "{% endmacro %}{% macro outro(date) %}Bye.{% endmacro %}\n"
)


def template(project: Path, intro: str, before: str = "") -> Path:
    path = project / "mine.j2"
    path.write_text(before + HEAD + intro + TAIL, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("intro", "says"),
    [
        # Escaping the sandbox: attributes starting with _ are refused, so no os.system.
        ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' of 'str' object is unsafe"),
        (
            "{{ cycler.__init__.__globals__.os.system('touch pwned') }}",
            "access to attribute '__init__'",
        ),
        ("{{ headlines.append('x') }}", "is unsafe"),  # immutable: lists are not changed
        # Runtime errors of the template's own code.
        ("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
        ("{{ 1 + 'a' }}", "TypeError: unsupported operand"),
        ("{{ nothere }}", "'nothere' is undefined"),
        ("{% include 'nope.j2' %}", "it includes or imports nope.j2"),
        ("{{ 1 + }}", "unexpected 'end of print statement'"),
        # Runaway templates: stopped by a limit, not by the machine.
        ("{% for i in range(10**9) %}x{% endfor %}", "Range too big"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "more than 100,000 loop steps",
        ),
        ("{{ 'x' * 10**10 }}", "more than 1,000,000 characters"),
        ("{{ 9 ** (9 ** 9) }}", "too large to make"),
        ("{{ 'x'|center(10**9) }}", "the filter center was given 1000000000"),
        ("{{ '%0999999999d' % 1 }}", "width of a million"),
        ("{{ '{:>999999999}'.format(1) }}", "width of a million"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "more than 1,000,000 characters",
        ),
        ("{{ lipsum(10**6) }}", "'lipsum' is undefined"),
    ],
)
def test_a_template_error_is_one_line_naming_its_file_and_line(
    project: Path, fake_engine: type[FakeEngine], intro: str, says: str
) -> None:
    path = template(project, "\n" + intro)  # on the template's second line
    result = run_script(project, "--date", DATE, "--template", str(path))
    line = assert_refused(result, intro, says)
    assert f"template {path} line 2: " in line
    assert not (project / "pwned").exists()


def test_an_error_in_the_top_level_code_names_its_line(project: Path) -> None:
    path = template(project, "", before="Hello\n\n{{ 1/0 }}\n")
    with pytest.raises(TemplateError, match=f"template {path} line 3: ZeroDivisionError"):
        load_template(path)


def test_recursion_is_an_error_not_a_crash(project: Path) -> None:
    path = template(project, "{{ f(1) }}", before="{% macro f(n) %}{{ f(n) }}{% endmacro %}")
    loaded = load_template(path)
    with pytest.raises(TemplateError, match="line 1: macros call each other without end"):
        render_script([], dt.date(2026, 11, 24), loaded)


def test_an_error_in_an_included_template_names_that_template(project: Path) -> None:
    (project / "part.j2").write_text("fine\n{{ 1/0 }}\n", encoding="utf-8")
    path = template(project, "{% include 'part.j2' %}")
    with pytest.raises(TemplateError, match=f"template {project / 'part.j2'} line 2"):
        render_script([], dt.date(2026, 11, 24), load_template(path))


def test_a_missing_include_in_run_names_the_template_not_a_file_write(
    project: Path, fake_engine: type[FakeEngine]
) -> None:
    # It said "cannot write a file": TemplateNotFound is an OSError.
    path = template(project, "{% include 'nope.j2' %}")
    result = CliRunner().invoke(
        cli, ["run", "--engine", "fake", "--date", DATE, "--template", str(path)]
    )
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert "includes or imports nope.j2" in result.stderr
    assert "cannot write" not in result.stderr


def test_a_template_within_the_limits_renders_as_before(project: Path) -> None:
    # Filters, loops, formatting and arithmetic a real template uses all still work.
    path = template(
        project,
        "{% for h in headlines %}{{ loop.index }}. {{ h|upper }} {% endfor %}"
        "{{ '%02d' % count }} {{ '{:>3}'.format(count) }} {{ 2 ** 10 }} {{ 'ab' * 2 }}"
        "{{ 'x'|center(5) }}|{{ range(3)|join(',') }}",
    )
    script = render_script(
        [Story("Council passes budget", ("It did.",))], dt.date(2026, 11, 24), load_template(path)
    )
    assert script.segments[0].text == "1. COUNCIL PASSES BUDGET 01 1 1024 abab x |0,1,2"
