"""Article text is untrusted: it is spoken, never run as template code, read as a shell
argument, used as a path, or obeyed as speech-engine markup."""

from __future__ import annotations

import os
import shutil
import subprocess
import wave
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import ExitCode
from briefing.speak import get_engine
from tests.fakes import fake_espeak, logged_calls, real_ffmpeg
from tests.helpers import needs_espeak, needs_ffmpeg, write_article
from tests.webserver import DATE

TEMPLATE_TEXT = (
    "The city council presented a plan called {{ 7*7 }} to residents on Monday evening. "
    "Members said the {% for x in range(3) %}loop{% endfor %} section of the plan is still "
    "a draft. A leaked memo marked {# secret #} described the costs in some detail. The "
    "mayor said the plan would be put to a public vote next spring."
)
TEMPLATE_PIECES = ("{{ 7*7 }}", "{% for x in range(3) %}loop{% endfor %}", "{# secret #}")

SHELL_TEXT = (
    "-rf --help -w /etc/passwd was the command the accused typed, prosecutors said on "
    "Monday. The string $(touch PWNED) was found in a script on his laptop, the court "
    "heard. Another file held `touch PWNED2` inside a comment, according to the police "
    "report. One message read ; rm -rf / ; and was sent to a newspaper, investigators said."
)
SHELL_PIECES = ("-rf --help -w /etc/passwd", "$(touch PWNED)", "`touch PWNED2`", "; rm -rf / ;")

MARKUP_TEXT = (
    "Phonetic notes such as [[h@l'oU]] were found on the machine, the court heard on Monday. "
    "A file holding <speak><audio src='file:///etc/passwd'/>hello</speak> was found too."
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    headline = "Council reveals {{ 7*7 }} plan {% raw %}"
    write_article(tmp_path / "seeds", "a.txt", headline, TEMPLATE_TEXT)
    write_article(tmp_path / "seeds", "b.txt", "Hacker trial opens $(reboot)", SHELL_TEXT)
    write_article(tmp_path / "seeds", "c.txt", "../../etc/passwd", MARKUP_TEXT, source="../../x")
    return tmp_path


def script(*args: str) -> str:
    result = CliRunner().invoke(
        cli, ["script", "--date", DATE.isoformat(), "--sentences", "5", *args]
    )
    assert result.exit_code == ExitCode.OK, result.output
    return result.stdout


@pytest.mark.parametrize("template", ["briefing", "short"])
def test_template_code_in_an_article_is_text(project: Path, template: str) -> None:
    text = script("--template", template)
    # The short template says one sentence per story; the default says them all.
    for piece in TEMPLATE_PIECES if template == "briefing" else TEMPLATE_PIECES[:1]:
        assert piece in text
    assert "{% raw %}" in text  # in the headline
    assert "49" not in text and "looplooploop" not in text


def test_template_code_in_a_users_own_template_is_text_too(project: Path) -> None:
    (project / "mine.j2").write_text(
        "{% macro intro(date, count, headlines) %}Hello. {{ headlines | join('. ') }}{% endmacro %}"
        "{% macro story(story, index, count, first, last) %}{{ story.headline }}. "
        "{{ story.text }}{% endmacro %}{% macro outro(date) %}Bye.{% endmacro %}"
    )
    text = script("--template", str(project / "mine.j2"))
    assert text.count("{{ 7*7 }}") == 3  # intro headline, story headline, story text
    assert "49" not in text


def speech_normalization(project: Path, on: bool) -> None:
    """Speech normalization rewrites symbols for the ear; off, the engine gets the script."""
    (project / "briefing.toml").write_text(f"[speech]\nnormalize = {str(on).lower()}\n")


@needs_ffmpeg
@pytest.mark.parametrize("normalize", [False, True])
def test_what_is_spoken_is_the_literal_text(project: Path, fake_engine, normalize: bool) -> None:
    speech_normalization(project, normalize)
    result = CliRunner().invoke(
        cli, ["run", "--engine", "fake", "--date", DATE.isoformat(), "--sentences", "5"]
    )
    assert result.exit_code == ExitCode.OK, result.output
    spoken = " ".join(fake_engine.calls)
    if not normalize:
        for piece in TEMPLATE_PIECES + SHELL_PIECES:
            assert piece in spoken
    # Normalized or not, the template code was never evaluated.
    assert "49" not in spoken and "forty-nine" not in spoken
    assert "looplooploop" not in spoken and "loop loop loop" not in spoken


@needs_ffmpeg
def test_text_never_reaches_espeak_as_an_argument(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fakebin = tmp_path / "fakebin"
    fakebin.mkdir()
    fake_espeak(fakebin)
    real_ffmpeg(fakebin)
    monkeypatch.setenv("PATH", f"{fakebin}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "calls.jsonl"))
    speech_normalization(project, False)  # so the engine's text can be compared to the article
    result = CliRunner().invoke(
        cli,
        ["run", "--engine", "espeak-ng", "--date", DATE.isoformat(), "--sentences", "5"],
    )
    assert result.exit_code == ExitCode.OK, result.output
    calls = logged_calls(tmp_path / "calls.jsonl")
    assert len(calls) >= 5  # greeting, three stories, sign-off
    for call in calls:
        argv = call["argv"]
        assert isinstance(argv, list)
        # Options, the WAV path and --stdin: never -m (SSML), never a word of the article.
        assert argv[:2] == ["-s", "175"] and argv[2] == "-w" and argv[4:] == ["--stdin"]
        assert Path(argv[3]).name.startswith("segment-")
    said = " ".join(str(c["text"]) for c in calls)
    for piece in SHELL_PIECES:
        assert piece in said
    assert "[[" not in said  # espeak-ng's phoneme-input brackets are broken up
    assert "<speak><audio src='file:///etc/passwd'/>hello</speak>" in said  # read, not parsed


@needs_espeak
def test_real_espeak_runs_no_shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with get_engine("espeak-ng") as engine:
        engine.render(SHELL_TEXT, tmp_path / "x.wav")
    assert seconds(tmp_path / "x.wav") > 10
    assert not list(tmp_path.glob("PWNED*"))


@needs_ffmpeg
def test_headlines_and_sources_are_never_paths(project: Path, fake_engine) -> None:
    before = files_under(project.parent)
    result = CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", DATE.isoformat()])
    assert result.exit_code == ExitCode.OK, result.output
    created = files_under(project.parent) - before
    # The episode's files are named by the date; the feed, page and cover by nothing else.
    assert {p.relative_to(project) for p in created if ".briefing" not in p.parts} == {
        Path(f"output/briefing-{DATE}.mp3"),
        Path(f"output/briefing-{DATE}.txt"),
        Path(f"output/briefing-{DATE}.json"),
        Path(f"output/briefing-{DATE}.chapters.json"),
        Path(f"output/briefing-{DATE}.vtt"),
        Path("output/.briefing.lock"),
        Path("output/feed.xml"),
        Path("output/index.html"),
        Path("output/cover.png"),
    }
    assert "../../etc/passwd." in (project / "output" / f"briefing-{DATE}.txt").read_text()


def test_the_date_is_the_only_name_and_it_must_be_a_date(project: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", "2026-11-24/../../x"])
    assert result.exit_code == ExitCode.USAGE
    assert "is not a date; use YYYY-MM-DD" in result.output


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


# --- speech-engine markup --------------------------------------------------------------


REAL_ESPEAK = shutil.which("espeak-ng")  # found before any test puts a fake first on PATH


def phonemes(text: str) -> str:
    """What espeak-ng would say for `text` given as plain input, as phoneme codes."""
    assert REAL_ESPEAK is not None
    return subprocess.run(
        [REAL_ESPEAK, "-q", "-x", "--stdin"], input=text, capture_output=True, text=True, check=True
    ).stdout


@needs_espeak
def test_phoneme_brackets_are_read_as_text_not_phonemes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The trap is real: espeak-ng's command line reads [[...]] as phoneme codes.
    assert phonemes("Say [[h@l'oU]] now.").split() == phonemes("Say hello now.").split()
    fakebin = tmp_path / "fakebin"
    fakebin.mkdir()
    fake_espeak(fakebin)
    monkeypatch.setenv("PATH", f"{fakebin}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "calls.jsonl"))
    with get_engine("espeak-ng") as engine:
        engine.render("Say [[h@l'oU]] now. Wiki [[[[Category:News]]]] too.", tmp_path / "a.wav")
    [call] = logged_calls(tmp_path / "calls.jsonl")
    sent = str(call["text"])
    assert "[[" not in sent and "h@l'oU" in sent and "Category:News" in sent
    assert phonemes(sent).split()[:3] != phonemes("Say hello now.").split()[:3]


@needs_espeak
@pytest.mark.parametrize("name", ["espeak-ng", "pyttsx3"])
def test_embedded_command_characters_are_not_obeyed(tmp_path: Path, name: str) -> None:
    # CTRL-A starts an espeak embedded command: "\x0180S" would halve the speed.
    plain = "Hello there my friend, this is a test of the speaking speed."
    with get_engine(name) as engine:
        engine.render(plain, tmp_path / "plain.wav")
        engine.render(plain.replace("there", "\x0180S there"), tmp_path / "ctrl.wav")
    assert seconds(tmp_path / "ctrl.wav") == pytest.approx(seconds(tmp_path / "plain.wav"), rel=0.2)


def test_plain_text_keeps_every_word() -> None:
    from briefing.speak.plaintext import plain_text

    text = "a [[[[b]] \x0180S c\ud800d\te\nf <speak>g</speak>"
    assert plain_text(text) == "a [ [ [ [b]]  80S cd\te\nf <speak>g</speak>"
