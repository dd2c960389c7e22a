from pathlib import Path

from briefing.cli import cli
from briefing.errors import ExitCode

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_cli_command_is_documented() -> None:
    for name in cli.commands:
        assert f"briefing {name}" in README, f"README does not document `briefing {name}`"


def test_exit_codes_are_documented() -> None:
    for code in ExitCode:
        assert f"| {int(code)} | `{code.name}`" in README, code


def test_quick_start_has_two_commands() -> None:
    block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert commands[0].split()[0] == "./setup.sh"
