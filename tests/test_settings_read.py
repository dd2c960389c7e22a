"""Every setting in the table is read by the code it configures (issue 19: `[speech]
piper_voices` was accepted and documented, and read by nothing). A static scan, and
behavioural checks where a setting was once dead."""

from __future__ import annotations

import ast
import dataclasses
import functools
from collections import defaultdict
from pathlib import Path

import pytest

import briefing
from briefing.settings import SECTIONS, Entry, Settings, SpeechSettings, table

PACKAGE = Path(briefing.__file__).parent
# The table itself, and the code that turns it into options, file checks and docs.
TABLE_CODE = {"settings.py", "configfile.py", "docgen.py"}


@functools.cache
def _reads() -> dict[tuple[str, str], list[str]]:
    """{(section, name): ["module:line", ...]}: where a section's setting is read outside
    the table's own code, as `<x>.name` where <x> is the section (`settings.speech`,
    `self.speech`, `audio`) or a name annotated with the section's class in that module."""
    classes = {kind.__name__: section for section, kind in SECTIONS.items()}
    classes["Settings"] = ""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in TABLE_CODE and path.parent == PACKAGE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typed: dict[str, str] = {}  # a variable's name -> the section it holds
        for node in ast.walk(tree):
            if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
                name = node.arg if isinstance(node, ast.arg) else ast.unparse(node.target)
                hint = ast.unparse(node.annotation).replace("None", "").strip(" |")
                if hint in classes:
                    typed[name.split(".")[-1]] = classes[hint]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            holder = ast.unparse(node.value).split(".")[-1]
            section = typed.get(holder, holder if holder in SECTIONS else None)
            if section is not None:
                found[section, node.attr].append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def _methods_reading(entry: Entry) -> list[str]:
    """Methods of the setting's own section that read it (`SourceSettings.directory`)."""
    kind = Settings if not entry.section else SECTIONS[entry.section]
    return [
        name
        for name, member in vars(kind).items()
        if callable(member)
        and not name.startswith("_")
        and f"self.{entry.name}" in ast.unparse(ast.parse(_source(kind, name)))
    ]


def _source(kind: type, method: str) -> str:
    import inspect
    import textwrap

    return textwrap.dedent(inspect.getsource(getattr(kind, method)))


@pytest.mark.parametrize("entry", list(table()), ids=lambda e: e.key)
def test_every_setting_is_read_by_the_code_it_configures(entry: Entry) -> None:
    reads = _reads()
    where = list(reads.get((entry.section, entry.name), []))
    # Or read by a method of its own section, which the code calls.
    for method in _methods_reading(entry):
        where += reads.get((entry.section, method), [])
    assert where, (
        f"{entry.key} is declared in briefing/settings.py but no code reads it: wire it "
        "to the stage it configures, or remove it"
    )


def test_the_scan_would_see_a_dead_setting() -> None:
    # The scan itself: a setting of the table that nothing reads is reported.
    assert ("speech", "no_such_setting") not in _reads()
    assert ("speech", "piper_voices") in _reads()


def test_piper_looks_for_voices_in_the_configured_folder_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.speak.piper_engine import VOICES_ENV, PiperEngine

    folder = tmp_path / "voices"
    model = folder / "de_DE-test-medium.onnx"
    folder.mkdir()
    model.write_bytes(b"onnx")
    monkeypatch.setenv(VOICES_ENV, str(tmp_path / "elsewhere"))
    speech = SpeechSettings(engine="piper", piper_voices=folder)
    engine = PiperEngine.from_settings(speech, "de_DE-test-medium")
    assert engine.voice_dirs == (folder, tmp_path / "elsewhere")
    assert engine.model_path() == model
    # Unset, the environment's folders are the ones searched, as before.
    plain = PiperEngine.from_settings(dataclasses.replace(speech, piper_voices=None), None)
    assert plain.voice_dirs == (tmp_path / "elsewhere",)


def test_make_engine_passes_the_piper_folder(tmp_path: Path) -> None:
    from briefing.speak import make_engine

    engine = make_engine(SpeechSettings(engine="piper", piper_voices=tmp_path))
    assert engine.voice_dirs[0] == tmp_path  # type: ignore[attr-defined]
