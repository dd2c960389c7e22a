"""Docs generated from the code, so they cannot drift from it (a test checks they are
current): docs/configuration.md from the settings table, docs/cli.md from `--help`,
and the engines' table (docs/engines.md) and order (README.md, docs/engines.md) from the
engine classes, between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`.

    python -m briefing.docgen          # rewrite them
    python -m briefing.docgen --check  # exit 1 if either is out of date
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import click

from briefing.cli import cli
from briefing.configfile import reference_markdown

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


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


def regions() -> dict[str, str]:
    """The generated parts of hand-written docs, by name."""
    from briefing.speak import SETUP_INSTALLS, auto_order_text, engines_markdown

    return {
        "engines-table": engines_markdown(),
        "auto-order": f"The engine `auto` (the default) speaks with the most natural voice "
        f"installed, in this order: {auto_order_text()}; `./setup.sh` installs "
        f"{' and '.join(SETUP_INSTALLS)}, `./setup.sh --light` neither.\n",
    }


def fill_regions(text: str) -> str:
    """`text` with each `<!-- generated:NAME -->` region holding what it should."""
    for name, body in regions().items():
        pattern = re.compile(
            rf"(<!-- generated:{name} -->\n).*?(<!-- /generated:{name} -->)", re.DOTALL
        )
        text = pattern.sub(_keep_marks(body), text)
    return text


def _keep_marks(body: str) -> Callable[[re.Match[str]], str]:
    return lambda m: m.group(1) + body + m.group(2)


def generated() -> dict[Path, str]:
    docs = {DOCS / "configuration.md": reference_markdown(), DOCS / "cli.md": cli_reference()}
    for path in (ROOT / "README.md", DOCS / "engines.md"):
        docs[path] = fill_regions(_read(path))
    return docs


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
