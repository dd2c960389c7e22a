"""Docs generated from the code, so they cannot drift from it (a test checks they are
current): docs/configuration.md from the settings table, docs/cli.md from `--help`.

    python -m briefing.docgen          # rewrite them
    python -m briefing.docgen --check  # exit 1 if either is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefing.cli import cli
from briefing.configfile import reference_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"


def cli_reference() -> str:
    """Every command's `--help`, as `briefing COMMAND --help` prints it."""
    out = [
        "# Command-line reference",
        "",
        "<!-- Generated from the commands' --help by `python -m briefing.docgen`; a test",
        "checks it is current. Do not edit by hand. -->",
        "",
        "What the commands are for: [commands.md](commands.md). The options that are settings",
        "can be set in the config file too: [configuration.md](configuration.md).",
    ]
    for name, command in [("", cli), *sorted(cli.commands.items())]:
        path = f"briefing {name}".strip()
        ctx = click.Context(command, info_name=path, terminal_width=88, max_content_width=88)
        out += ["", f"## `{path}`", "", "```", command.get_help(ctx), "```"]
    return "\n".join(out) + "\n"


def generated() -> dict[Path, str]:
    return {DOCS / "configuration.md": reference_markdown(), DOCS / "cli.md": cli_reference()}


def main(argv: list[str]) -> int:
    stale = [path for path, text in generated().items() if _read(path) != text]
    if argv == ["--check"]:
        for path in stale:
            print(f"{path} is out of date: run python -m briefing.docgen", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(generated()[path], encoding="utf-8")
        print(f"wrote {path}")
    return 0


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
