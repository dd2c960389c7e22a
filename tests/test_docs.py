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


def test_generated_docs_are_current() -> None:
    from briefing.docgen import generated

    for path, text in generated().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is out of date: run python -m briefing.docgen"
        )


def test_readme_is_short_and_its_links_resolve() -> None:
    import re

    assert len(README.encode()) < 10_000
    root = Path(__file__).resolve().parent.parent
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if "://" not in target:
            assert (root / target).exists(), target


def test_links_between_docs_resolve() -> None:
    import re

    root = Path(__file__).resolve().parent.parent
    for doc in (root / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", doc.read_text()):
            if "://" not in target:
                assert (doc.parent / target).exists(), f"{doc.name} links to {target}"


def test_config_examples_in_the_docs_are_valid(tmp_path: Path) -> None:
    import re

    from briefing.configfile import read_config

    root = Path(__file__).resolve().parent.parent
    blocks = [
        block
        for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]
        for block in re.findall(r"```toml\n(.*?)```", doc.read_text(), re.S)
    ]
    assert len(blocks) >= 3
    for i, block in enumerate(blocks):
        path = tmp_path / f"example{i}.toml"
        path.write_text(block, encoding="utf-8")
        assert read_config(path), block  # every key known, every value of its type
