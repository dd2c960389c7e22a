"""Wrong and odd values for every setting, and what the CLI must do with them: shared by
the default tier (tests/test_config_values.py, every setting x every value) and the fuzz
tier (tests/test_fuzz_config.py, hypothesis)."""

from __future__ import annotations

import datetime as dt
import math
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from briefing.cli import cli
from briefing.errors import ExitCode
from briefing.settings import Entry, table

DATE = "2026-11-24"


@dataclass(frozen=True)
class TomlValue:
    label: str
    toml: str  # as written in briefing.toml
    value: Any  # what tomllib reads


# Every kind of TOML value, and the awkward ones of each kind.
HUGE = int("9" * 400)
WRONG_VALUES = (
    TomlValue("string", '"abc"', "abc"),
    TomlValue("int", "7", 7),
    TomlValue("negative int", "-5", -5),
    TomlValue("zero", "0", 0),
    TomlValue("huge int", "9" * 400, HUGE),
    TomlValue("negative huge int", "-" + "9" * 400, -HUGE),
    TomlValue("float", "2.5", 2.5),
    TomlValue("huge float", "1e308", 1e308),
    TomlValue("nan", "nan", math.nan),
    TomlValue("inf", "inf", math.inf),
    TomlValue("-inf", "-inf", -math.inf),
    TomlValue("bool", "true", True),
    TomlValue("date", "1979-05-27", dt.date(1979, 5, 27)),
    TomlValue(
        "datetime",
        "1979-05-27T07:32:00Z",
        dt.datetime(1979, 5, 27, 7, 32, tzinfo=dt.UTC),
    ),
    TomlValue("local datetime", "1979-05-27T07:32:00", dt.datetime(1979, 5, 27, 7, 32)),
    TomlValue("time", "07:32:00", dt.time(7, 32)),
    TomlValue("array", '[1, "a"]', [1, "a"]),
    TomlValue("array of strings", '["a", "b"]', ["a", "b"]),
    TomlValue("empty array", "[]", []),
    TomlValue("table", "{ a = 1 }", {"a": 1}),
    TomlValue("table of strings", '{ de = "de" }', {"de": "de"}),
    TomlValue("empty string", '""', ""),
    TomlValue("long string", '"' + "a" * 5000 + '"', "a" * 5000),
    TomlValue("control character", '"a\\u0001b"', "a\x01b"),
    TomlValue("NUL", '"a\\u0000b"', "a\x00b"),
    TomlValue("long file name", '"x/' + "b" * 300 + '"', "x/" + "b" * 300),
)


def base(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, __import__("types").UnionType):
        return next(a for a in typing.get_args(hint) if a is not type(None))
    return hint


def _number_in_bounds(entry: Entry, value: Any) -> bool:
    if isinstance(value, float) and not math.isfinite(value):
        return False
    low, high = entry.spec.min, entry.spec.max
    return (low is None or value >= low) and (high is None or value <= high)


def _usable_text(value: str) -> bool:
    names = value.split("/") if " " not in value else []
    return (
        len(value) <= 10_000
        and not any(ord(c) < 32 and c not in "\t\n\r" for c in value)
        and all(len(n.encode()) <= 255 for n in names)
    )


def type_fits(entry: Entry, value: Any) -> bool:
    """Whether `value` is of the setting's type and within its bounds, as its docs say
    (docs/configuration.md): then the run may still refuse it for what it says (exit 2,
    e.g. no such template), but it must not be refused for its type."""
    hint = base(entry.type)
    origin = typing.get_origin(hint)
    if origin is tuple:
        return isinstance(value, list) and all(
            isinstance(v, str) and _usable_text(v) for v in value
        )
    if origin is dict:
        return isinstance(value, dict) and all(
            isinstance(v, str) and _usable_text(v) for v in value.values()
        )
    if origin is typing.Literal:
        return type(value) is int and value in typing.get_args(hint)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return type(value) is int and _number_in_bounds(entry, value)
    if hint is float:
        return type(value) in (int, float) and _number_in_bounds(entry, value)
    if hint is Path:
        return isinstance(value, str) and value != "" and _usable_text(value)
    if hint is str:
        return isinstance(value, str) and _usable_text(value)
    raise AssertionError(f"no expectation for {entry.key}: {hint!r}")


def file_settings() -> list[Entry]:
    return [e for e in table() if e.spec.in_file]


def run_script(project: Path, *args: str) -> Result:
    """`briefing script` in `project` (its seeds/), with the fake engine registered."""
    return CliRunner().invoke(cli, ["script", "--input", str(project / "seeds"), *args])


def with_config(project: Path, entry: Entry, toml: str) -> Result:
    config = project / "briefing.toml"
    config.write_text(f"[{entry.section}]\n{entry.name} = {toml}\n", encoding="utf-8")
    return run_script(project, "--date", DATE, "--config", str(config))


def assert_no_traceback(result: Result, what: str) -> None:
    """No exception escaped (click's own SystemExit is how every exit code is made)."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        trace = "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
        raise AssertionError(f"{what}: a traceback\n{trace}")
    assert "Traceback" not in result.output, what


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.lower().startswith("error:")]


def assert_refused(result: Result, what: str, naming: str | None = None) -> str:
    """Exit 2 and exactly one `error:` line (click's own usage errors say `Error:`)."""
    assert_no_traceback(result, what)
    assert result.exit_code == ExitCode.USAGE, f"{what}: exit {result.exit_code}\n{result.stderr}"
    lines = error_lines(result)
    assert len(lines) == 1, f"{what}: {result.stderr}"
    if naming is not None:
        assert naming in lines[0], f"{what}: {lines[0]}"
    assert len(lines[0]) < 400, f"{what}: a message of {len(lines[0])} characters"
    return lines[0]


def assert_accepted_or_refused(result: Result, what: str) -> None:
    """A value of the right type: made the script (0), refused for what it says (2, one
    line), or found nothing to brief with it (3, e.g. an input folder that is not there)."""
    assert_no_traceback(result, what)
    assert result.exit_code in (ExitCode.OK, ExitCode.USAGE, ExitCode.NOTHING_TO_BRIEF), (
        f"{what}: exit {result.exit_code}\n{result.stderr}"
    )
    if result.exit_code == ExitCode.USAGE:
        assert len(error_lines(result)) == 1, f"{what}: {result.stderr}"


def check_config_value(project: Path, entry: Entry, value: TomlValue) -> None:
    what = f"{entry.key} = {value.label}"
    result = with_config(project, entry, value.toml)
    if type_fits(entry, value.value):
        assert_accepted_or_refused(result, what)
    else:
        assert_refused(result, what, naming=entry.key)


# Odd command-line values: each option that takes a value gets every one of these.
ODD_ARGUMENTS = (
    "",
    "0",
    "-1",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "9" * 400,
    "2.5",
    "abc",
    "a" * 5000,
    "x/" + "b" * 300,
    "a\x01b",
    "0001-01-01",
    "9999-12-31",
    "1979-05-27",
    "\udcff",  # an undecodable byte on the command line
)
