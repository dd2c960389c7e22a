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


# --- names in the docs exist in the code ------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Written like Python names but not the project's: template and system functions, the
# standard library, and a key of Piper's model files.
NOT_SYMBOLS = {"range", "prctl", "os.system", "language.code"}
NOT_COMMANDS = {"briefing tests bench"}  # the directories ruff checks
FILE_SUFFIXES = {"toml", "wav", "log", "xml", "html", "py", "json", "png", "jpg", "md", "mp3"}


def _backticked(text: str) -> list[str]:
    import re

    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    return re.findall(r"`([^`\n]+)`", prose)


def _briefing_modules() -> dict[str, object]:
    import importlib
    import pkgutil

    import briefing

    modules: dict[str, object] = {"briefing": briefing}
    for info in pkgutil.walk_packages(briefing.__path__, "briefing."):
        if info.name.rsplit(".", 1)[-1] not in {"__main__", "_pyttsx3_worker"}:
            modules[info.name] = importlib.import_module(info.name)
    return modules


def _attribute(owner: object, name: str) -> list[object]:
    """`owner.name`, counting a dataclass's fields without defaults, or nothing."""
    if hasattr(owner, name):
        return [getattr(owner, name)]
    if name in getattr(owner, "__dataclass_fields__", {}):
        return [owner]  # a field: no value on the class, but it is there
    return []


def _walk(objs: list[object], parts: list[str]) -> list[object]:
    """The attributes `parts` (a dotted path, split) of each of `objs`."""
    for part in parts:
        objs = [a for o in objs for a in _attribute(o, part)]
    return objs


def _briefing_classes(modules: dict[str, object]) -> list[type]:
    import inspect

    found = {
        cls
        for module in modules.values()
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__.startswith("briefing")
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _resolve(dotted: str, modules: dict[str, object], classes: list[type]) -> list[object]:
    """Everything in briefing that `dotted` may name: a module path from briefing or any
    tail of one (`audio.ffmpeg.step_timeout`, `fetch.fetch`), or a name defined in a
    module or on a class there (`run_ffmpeg`, `Lexicon.for_engine`)."""
    import importlib

    parts = dotted.split(".")
    if parts[0] in ("tests", "bench"):  # the repository's other packages, by their full path
        try:
            return _walk([importlib.import_module(".".join(parts[:2]))], parts[2:])
        except ImportError:
            return []
    found: list[object] = []
    for i in range(len(parts), 0, -1):
        tail = "." + ".".join(parts[:i])
        for name, module in modules.items():
            if ("." + name).endswith(tail):
                found += _walk([module], parts[i:])
    for module in modules.values():
        found += _walk(_attribute(module, parts[0]), parts[1:])
    if len(parts) == 1:
        for cls in classes:
            found += _attribute(cls, parts[0])  # a method named alone: `render(`
    return found


def _accepts(obj: object, keywords: list[str]) -> bool:
    import inspect

    try:
        params = inspect.signature(obj).parameters  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    kinds = {p.kind for p in params.values()}
    return inspect.Parameter.VAR_KEYWORD in kinds or all(k in params for k in keywords)


def test_python_names_in_the_docs_exist_in_the_code() -> None:
    # A renamed function or option must not live on in the docs: every `name(`,
    # `module.name` and `Class(param=)` written in backticks names something real.
    import re

    modules = _briefing_modules()
    classes = _briefing_classes(modules)
    stale = []
    for doc in DOC_FILES:
        for span in _backticked(doc.read_text(encoding="utf-8")):
            call = re.match(r"\**([A-Za-z_][\w.]*)\(([^()]*)\)", span)
            dotted = re.fullmatch(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", span)
            if call:
                name, keywords = call[1], re.findall(r"(\w+)=", call[2])
            elif dotted and span.rsplit(".", 1)[1] not in FILE_SUFFIXES:
                name, keywords = span, []
            else:
                continue
            if name in NOT_SYMBOLS:
                continue
            found = _resolve(name, modules, classes)
            if not found or (keywords and not any(_accepts(o, keywords) for o in found)):
                stale.append(f"{doc.name}: `{span}`")
    assert not stale, "names in the docs that the code does not have:\n" + "\n".join(stale)


def _commands(text: str) -> list[str]:
    """Shell lines in the docs: the lines of code blocks that are not TOML or Python,
    and backticked spans."""
    import re

    lines = list(_backticked(text))
    for lang, block in re.findall(r"```(\w*)\n(.*?)```", text, re.S):
        if lang in ("", "sh", "bash", "console", "shell"):
            lines += block.splitlines()
    return lines


def test_commands_in_the_docs_name_real_modules_and_subcommands() -> None:
    import importlib.util
    import re

    from briefing.cli import cli

    wrong, seen = [], set()
    for doc in DOC_FILES:
        for line in _commands(doc.read_text(encoding="utf-8")):
            code = line.split("#", 1)[0]
            if code in NOT_COMMANDS:
                continue
            for module in re.findall(r"python\S* -m (briefing[\w.]*)", code):
                spec = importlib.util.find_spec(module)
                runnable = spec is not None and (
                    spec.submodule_search_locations is not None  # a package: its __main__
                    or '__name__ == "__main__"' in Path(str(spec.origin)).read_text()
                )
                if not runnable:
                    wrong.append(f"{doc.name}: python -m {module}")
                seen.add(module)
            # A line that runs briefing (`$ `, VAR=value or a path before it), or a pipe
            # or list of commands that does; prose in a --help listing does not count.
            starts = r"(?:^|[;&|(]\s*)(?:\$\s+)?(?:\w+=\S*\s+)*(?:\S*/)?briefing"
            for command in re.findall(starts + r" ([a-z][\w-]*)", code.strip()):
                seen.add(command)
                if command not in cli.commands:
                    wrong.append(f"{doc.name}: briefing {command}")
    assert not wrong, "commands in the docs that do not exist:\n" + "\n".join(wrong)
    assert {"run", "serve", "briefing.docgen"} <= seen  # the patterns still find commands


def test_every_test_tier_is_documented() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = [m.split(":", 1)[0] for m in config["tool"]["pytest"]["ini_options"]["markers"]]
    development = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    assert len(markers) >= 5
    for marker in markers:
        assert f"| `{marker}` |" in development, f"development.md has no row for -m {marker}"
        assert marker in development.split("Run them all with", 1)[1].split("`, one", 1)[0]
