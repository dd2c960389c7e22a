"""The shape of the package: settings declared once, stages that point one way, and the
bugs that came from settings declared several times."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import pipeline
from briefing.cli import cli
from briefing.script import load_template
from briefing.settings import Settings
from tests.conftest import FakeEngine
from tests.helpers import needs_ffmpeg, write_article
from tests.test_plan import STORIES

ROOT = Path(__file__).resolve().parent.parent


# One fresh interpreter answers for every module: it forks a child per module, so each
# import starts from the same state. The checks that name only briefing's own modules fork
# after NLTK (and the SciPy it pulls in: a second of imports) is loaded once, which cannot
# load a briefing module; the others fork before.
_FORKED_IMPORTS = """
import json, os, sys, traceback

def loaded(module):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(read)
            __import__(module)
            with os.fdopen(write, "w") as out:
                json.dump(sorted(sys.modules), out)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as answer:
        text = answer.read()
    if os.waitpid(pid, 0)[1] != 0:
        sys.exit(f"importing {module} failed")
    return json.loads(text)

clean, shared = json.loads(sys.argv[1]), json.loads(sys.argv[2])
found = {module: loaded(module) for module in clean}
import nltk
found.update({module: loaded(module) for module in shared})
print(json.dumps(found))
"""


def _imported_by_each(modules: dict[str, set[str]], cwd: Path) -> dict[str, set[str]]:
    """The modules that importing each of `modules` loads, each in a fresh interpreter's
    state, in `cwd` with a config file that does not parse named by $BRIEFING_CONFIG;
    `modules` maps each to the modules it must not load."""
    clean = [m for m, never in modules.items() if any(not n.startswith("briefing") for n in never)]
    shared = [m for m in modules if m not in clean]
    out = subprocess.run(
        [sys.executable, "-c", _FORKED_IMPORTS, json.dumps(clean), json.dumps(shared)],
        cwd=cwd,
        env={
            "PATH": os.environ["PATH"],
            "PYTHONPATH": str(ROOT),
            "BRIEFING_CONFIG": str(cwd / "briefing.toml"),
        },
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    return {module: set(names) for module, names in json.loads(out.stdout).items()}


NEVER_LOADS = {
    # Reading the settings, or listing the engines, loads no engine and no stage.
    "briefing.settings": {"briefing.speak", "briefing.sources", "briefing.summarize"},
    "briefing.speak": {"briefing.speak.piper_engine", "briefing.speak.pyttsx3_engine"},
    "briefing.layout": {"briefing.assemble", "briefing.publish", "briefing.pipeline"},
    # Stages point one way: sources -> summarize -> script -> speak -> assemble -> publish.
    "briefing.summarize.plan": {"briefing.script", "briefing.speak", "briefing.publish"},
    "briefing.normalize": {"briefing.summarize", "briefing.speak"},
    "briefing.sources": {"briefing.summarize", "briefing.pipeline", "briefing.publish"},
    "briefing.pipeline": {"briefing.publish", "briefing.daily"},
    # `briefing --help` imports the CLI only.
    "briefing.cli": {"briefing.pipeline", "briefing.sources", "briefing.assemble"},
    # A cron run that finds the day made loads neither NLTK nor the engines.
    "briefing.daily": {"nltk", "pydub", "briefing.pipeline", "briefing.summarize"},
}


def test_stages_import_only_what_comes_before_them(tmp_path: Path) -> None:
    # Importing reads no config either: a broken one is no error, and nothing is written.
    (tmp_path / "briefing.toml").write_text("this is [not toml", encoding="utf-8")
    loaded = _imported_by_each(NEVER_LOADS | {"briefing.configfile": set()}, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.toml"]
    assert all(module in loaded[module] for module in NEVER_LOADS)
    wrong = {m: sorted(loaded[m] & never) for m, never in NEVER_LOADS.items() if loaded[m] & never}
    assert not wrong, f"modules that load what they must not: {wrong}"


HEADLINES = tuple(headline for headline, _ in STORIES.values())


@pytest.fixture
def news(tmp_path: Path) -> Path:
    for name, (headline, body) in STORIES.items():
        write_article(tmp_path / "news", f"{name}.txt", headline, body)
    return tmp_path / "news"


def test_script_fits_the_briefing_at_the_rate_given(news: Path) -> None:
    # `script` used to refuse --rate, so it fitted --minutes at a rate `run` did not use.
    def stories(rate: int) -> int:
        args = ["script", "--input", str(news), "--minutes", "0.9", "--rate", str(rate)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        return sum(h in result.stdout for h in HEADLINES)

    fast, slow = stories(300), stories(100)
    assert fast > slow >= 1


@needs_ffmpeg  # doctor runs `ffmpeg -version`
def test_voices_and_doctor_read_the_config_file(
    tmp_path: Path, fake_engine: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFING_CONFIG", str(tmp_path / "b.toml"))
    (tmp_path / "b.toml").write_text('[speech]\nengine = "fake"\n', encoding="utf-8")
    voices = CliRunner().invoke(cli, ["voices", "--json"])
    assert voices.exit_code == 0, voices.output
    assert json.loads(voices.stdout)[0]["id"] == "fake/one"
    doctor = CliRunner().invoke(cli, ["doctor", "--output", str(tmp_path / "o")])
    assert "[ok  ] speech (fake): rendered a test phrase" in doctor.stdout


def test_a_run_builds_one_engine_and_loads_the_template_once(
    news: Path, tmp_path: Path, fake_engine: type[FakeEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[object] = []
    original_init = fake_engine.__init__

    def counting_init(self: FakeEngine, voice: str | None, rate: int, **kw: float | None) -> None:
        made.append(self)
        original_init(self, voice, rate, **kw)

    loads: list[object] = []
    original_load = load_template  # what briefing.pipeline imports

    def counting_load(name: str) -> object:
        loads.append(name)
        return original_load(name)

    monkeypatch.setattr(fake_engine, "__init__", counting_init)
    monkeypatch.setattr(pipeline, "load_template", counting_load)
    args = ["run", "--input", str(news), "--output", str(tmp_path / "o"), "--engine", "fake"]
    result = CliRunner().invoke(cli, [*args, "--minutes", "0.5"])
    assert result.exit_code == 0, result.output
    assert len(made) == 1  # the daily run checks the engine's name without building one
    assert len(loads) == 1  # the planner times stories with the template loaded once


def test_rate_reaches_the_engine_from_the_command_line_and_the_file(
    news: Path, tmp_path: Path, fake_engine: type[FakeEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    rates: list[int] = []
    original = fake_engine.synthesize

    def record(self: FakeEngine, text: str, out_wav: Path, voice: str | None = None) -> None:
        rates.append(self.rate)
        original(self, text, out_wav, voice)

    monkeypatch.setattr(fake_engine, "synthesize", record)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "briefing.toml").write_text("[speech]\nrate = 210\n", encoding="utf-8")
    base = ["run", "--input", str(news), "--engine", "fake", "--date"]
    assert CliRunner().invoke(cli, [*base, "2026-11-24", "--output", "a"]).exit_code == 0
    assert set(rates) == {210}
    rates.clear()
    args = [*base, "2026-11-25", "--output", "b", "--rate", "150"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert set(rates) == {150}


def test_settings_sections_are_what_stages_take() -> None:
    s = Settings.build(rate=200, sentences=2, output_dir=Path("x"))
    assert (s.speech.rate, s.script.sentences, s.output.output_dir) == (200, 2, Path("x"))


# Left to another change (issue 19): the CLI's use of the config file's TOML helpers.
_PRIVATE_IMPORTS_ALLOWED = {("briefing.cli", "briefing.configfile", "_toml"),
                            ("briefing.cli", "briefing.configfile", "_unwrap")}  # fmt: skip


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _private_uses(source: str, modules: set[str]) -> set[tuple[str, str]]:
    """(module, name) for each `from M import _name` and `M._name` in `source`, where M
    is one of `modules` (an alias `from briefing import nlp` counts as its module)."""
    import ast

    tree = ast.parse(source)
    aliases: dict[str, str] = {}
    found: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                elif (
                    node.module in modules
                    and alias.name.startswith("_")
                    and not alias.name.startswith("__")
                ):
                    found.add((node.module, alias.name))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    aliases[alias.asname or alias.name.split(".")[0]] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.add((aliases[node.value.id], node.attr))
    return found


def test_no_module_uses_another_modules_private_names() -> None:
    paths = sorted((ROOT / "briefing").rglob("*.py"))
    modules = {_module_name(p) for p in paths}
    crossing = sorted(
        (_module_name(path), module, name)
        for path in paths
        for module, name in _private_uses(path.read_text(encoding="utf-8"), modules)
        if module != _module_name(path)
    )
    assert [c for c in crossing if c not in _PRIVATE_IMPORTS_ALLOWED] == []


def test_the_private_name_check_sees_both_forms() -> None:
    modules = {"briefing.nlp", "briefing.normalize.numbers", "briefing.normalize"}
    source = (
        "from briefing.normalize.numbers import _digits, cardinal\n"
        "from briefing import nlp\n"
        "from briefing.normalize import numbers as n\n"
        "nlp._sentence_tokenizer()\nn._year(1990)\nnlp.words('a')\n"
    )
    assert _private_uses(source, modules) == {
        ("briefing.normalize.numbers", "_digits"),
        ("briefing.nlp", "_sentence_tokenizer"),
        ("briefing.normalize.numbers", "_year"),
    }
