"""Every configuration and command-line value is checked: a wrong one exits 2 with one
`error:` line naming it, never a traceback (issue 17). Every setting x every kind of TOML
value, and every option of `briefing script` x odd values; hypothesis explores further in
tests/test_fuzz_config.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import ExitCode
from briefing.settings import SCRIPT, Entry, table
from tests.config_cases import (
    DATE,
    ODD_ARGUMENTS,
    WRONG_VALUES,
    assert_accepted_or_refused,
    assert_refused,
    check_config_value,
    file_settings,
    run_script,
    with_config,
)
from tests.conftest import FakeEngine


@pytest.mark.parametrize("entry", file_settings(), ids=lambda e: e.key)
def test_every_kind_of_toml_value_for_every_setting_is_taken_or_refused_in_one_line(
    project: Path, fake_engine: type[FakeEngine], entry: Entry
) -> None:
    for value in WRONG_VALUES:
        check_config_value(project, entry, value)


def _script_options() -> list[Entry]:
    return [e for e in table() if SCRIPT in e.spec.commands and e.type is not bool]


@pytest.mark.parametrize("entry", _script_options(), ids=lambda e: e.spec.flag or e.key)
def test_every_option_of_script_with_odd_values_is_taken_or_refused_in_one_line(
    project: Path, fake_engine: type[FakeEngine], entry: Entry
) -> None:
    assert entry.spec.flag is not None
    for odd in ODD_ARGUMENTS:
        args = [entry.spec.flag, odd] if entry.name == "date" else ["--date", DATE]
        if entry.name != "date":
            args += [entry.spec.flag, odd]
        assert_accepted_or_refused(run_script(project, *args), f"{entry.spec.flag} {odd[:20]!r}")


# --- the crashers of issue 17, each its own regression case -------------------------------


def test_a_toml_date_where_a_string_is_expected(project: Path) -> None:
    entry = next(e for e in table() if e.key == "script.template")
    line = assert_refused(with_config(project, entry, "1979-05-27"), "date", "script.template")
    assert "must be a string, not the date 1979-05-27" in line


def test_a_400_digit_integer_for_a_number(project: Path) -> None:
    entry = next(e for e in table() if e.key == "sources.fetch_timeout")
    line = assert_refused(with_config(project, entry, "9" * 400), "huge", entry.key)
    assert "must be at most 300, not a 400-digit number" in line


@pytest.mark.parametrize("toml", ["nan", "inf", "-inf"])
def test_nan_and_inf_in_toml_are_refused(project: Path, toml: str) -> None:
    entry = next(e for e in table() if e.key == "script.minutes")
    line = assert_refused(with_config(project, entry, toml), toml, entry.key)
    assert "finite number" in line


@pytest.mark.parametrize("seconds", ["nan", "inf", "-inf", "-5", "0"])
def test_summarize_seconds_must_be_a_finite_positive_number(project: Path, seconds: str) -> None:
    result = CliRunner().invoke(
        cli, ["summarize", "--seconds", seconds, str(project / "seeds" / "a.txt")]
    )
    assert_refused(result, f"--seconds {seconds}", "--seconds")


def test_a_5000_character_config_path_is_refused(project: Path) -> None:
    result = run_script(project, "--config", "c" * 5000)
    line = assert_refused(result, "--config", "--config")
    assert "longer than a file name may be (255 bytes)" in line


def test_a_config_path_the_file_system_refuses_from_the_environment(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CONFIG", "c" * 5000)
    line = assert_refused(run_script(project), "$BRIEFING_CONFIG", "$BRIEFING_CONFIG")
    assert "longer than a file name may be" in line


def test_a_5000_character_voice_is_refused(project: Path, fake_engine: type[FakeEngine]) -> None:
    result = CliRunner().invoke(
        cli, ["say", "hello", "--engine", "fake", "--voice", "v" * 5000, "--to", "x.wav"]
    )
    assert_refused(result, "--voice", "--voice")
    assert not (project / "x.wav").exists()


def test_a_date_outside_the_years_a_briefing_is_made_for(project: Path) -> None:
    line = assert_refused(run_script(project, "--date", "0001-01-01"), "date", "--date")
    assert "from 1970-01-01" in line


def test_a_value_that_fits_is_still_taken(project: Path, fake_engine: type[FakeEngine]) -> None:
    # The checks refuse what cannot work, not what merely looks unusual.
    result = run_script(project, "--date", DATE, "--sentences", "2", "--minutes", "0.5")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Council passes budget" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["summarize", "f" * 5000],
        ["say", "hello", "--to", "w" * 5000],
        ["init", "i" * 5000],
        ["script", "--output", "o" * 5000],
        ["script", "--input", "x/" + "i" * 300],
        ["cron", "--at", "a" * 5000],
    ],
    ids=lambda args: args[0] + " " + args[-2],
)
def test_paths_and_times_the_system_cannot_take_are_refused_in_one_line(
    project: Path, args: list[str]
) -> None:
    assert_refused(CliRunner().invoke(cli, args), " ".join(args)[:40])
