"""briefing.toml: where it is found, what it may contain, and how the CLI overrides it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.configfile import (
    example_config,
    find_config,
    load_settings,
    read_config,
    user_config_dir,
)
from briefing.errors import ConfigError, ExitCode
from briefing.settings import SECTIONS, Settings, table
from tests.helpers import write_article


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_setting_in_the_file_has_a_supported_type_and_round_trips(tmp_path: Path) -> None:
    # The example file sets every key to its default, so reading it checks each type.
    values = read_config(write(tmp_path / "briefing.toml", example_config()))
    entries = [e for e in table() if e.spec.in_file]
    keys = [(e.section, e.name) for e in entries]
    assert len(keys) == len(set(keys))
    for entry in entries:
        key = (entry.section, entry.name)
        if entry.default is dataclasses.MISSING or entry.default is None:
            assert key not in values, f"{entry.key} is worked out at run time or unset"
        else:
            assert values[key] == _resolved(entry.default, entry.type, tmp_path), entry.key


def test_every_setting_has_help_and_options_only_for_known_commands() -> None:
    known = set(cli.commands)
    for entry in table():
        assert entry.spec.help, entry.key
        assert set(entry.spec.commands) <= known, entry.key
        assert bool(entry.spec.flag) == bool(entry.spec.commands), entry.key


def _resolved(default: object, hint: object, base: Path) -> object:
    return base / default if hint is Path and isinstance(default, Path) else default


def test_example_config_loads_to_the_defaults(tmp_path: Path) -> None:
    path = write(tmp_path / "briefing.toml", example_config())
    settings = load_settings(path)
    assert settings.output.output_dir == tmp_path / "output"
    assert settings.but(output_dir=Path("output"), date=Settings().date) == Settings().but(
        workers=settings.speech.workers
    )
    assert all(f"[{section}]" in example_config() for section in SECTIONS)


def test_values_are_read_and_relative_paths_follow_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "conf" / "briefing.toml",
        """
[sources]
input_dir = "../news"
feeds = ["https://a.example/feed.xml", "https://b.example/rss"]
fetch_timeout = 5
[speech]
engine = "espeak-ng"
voice = "en-gb"
rate = 190
[output]
output_dir = "/srv/briefing"
retention_days = 14
""",
    )
    s = load_settings(path)
    assert s.sources.input_dir == tmp_path / "conf" / ".." / "news"
    assert s.output.output_dir == Path("/srv/briefing")
    assert s.sources.feeds == ("https://a.example/feed.xml", "https://b.example/rss")
    assert s.sources.fetch_timeout == 5.0 and isinstance(s.sources.fetch_timeout, float)
    speech = s.speech
    assert (speech.engine, speech.voice, speech.rate) == ("espeak-ng", "en-gb", 190)
    assert s.output.retention_days == 14


def test_settings_build_and_but_take_flat_names() -> None:
    s = Settings.build(rate=200, feed_cover=Path("c.png"), date=dt.date(2026, 1, 2))
    assert (s.speech.rate, s.feed.cover, s.date) == (200, Path("c.png"), dt.date(2026, 1, 2))
    with pytest.raises(TypeError, match="ambiguous"):
        Settings.build(cover=Path("c.png"))
    assert s.but(feed_title="X").feed.title == "X" and s.feed.title == "Daily briefing"
    with pytest.raises(TypeError, match="no setting"):
        Settings.build(volume=11)


def test_a_bad_combination_of_values_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    # Each key is valid alone; 320k is too much at 22,050 Hz.
    path = write(tmp_path / "b.toml", '[audio]\nbitrate = "320k"\nsample_rate = 22050\n')
    with pytest.raises(ConfigError, match=r"b.toml: bitrate must be like 64k, from 8k to 160k"):
        load_settings(path)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[speech]\nrat = 200\n", "unknown key speech.rat; [speech] has: engine, voice, rate"),
        ("[sound]\nrate = 1\n", "unknown table [sound]; the tables are: sources, script"),
        ("rate = 200\n", "key rate belongs in the [speech] table"),
        ("[speech]\nrate = '200'\n", 'speech.rate must be an integer, not "200"'),
        ("[speech]\nrate = 200.5\n", "speech.rate must be an integer, not 200.5"),
        ("[speech]\nrate = true\n", "speech.rate must be an integer, not true"),
        ("[speech]\nrate = 20\n", "speech.rate must be at least 80, not 20"),
        ("[sources]\nfull_text = 1\n", "sources.full_text must be true or false, not 1"),
        ("[sources]\nfeeds = 'https://a/feed'\n", "sources.feeds must be a list"),
        ("[sources]\nfeeds = ['https://a', 3]\n", "sources.feeds[1] must be a string, not 3"),
        ("[output]\noutput_dir = ''\n", "output.output_dir must be a path"),
        ("[output]\nretention_days = 0\n", "output.retention_days must be at least 1, not 0"),
        ("speech = 3\n", "speech must be a [speech] table"),
        ("[speech\nrate = 1\n", "not valid TOML"),
    ],
)
def test_bad_files_are_config_errors_naming_file_and_key(
    tmp_path: Path, toml: str, message: str
) -> None:
    path = write(tmp_path / "briefing.toml", toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    assert caught.value.exit_code == ExitCode.USAGE


def test_search_order(tmp_path: Path) -> None:
    cwd, xdg, home = tmp_path / "project", tmp_path / "xdg", tmp_path / "home"
    cwd.mkdir()
    env = {"HOME": str(home)}
    assert find_config(env=env, cwd=cwd) is None
    in_home = write(home / ".config" / "briefing" / "briefing.toml", "")
    assert find_config(env=env, cwd=cwd) == in_home
    in_xdg = write(xdg / "briefing" / "briefing.toml", "")
    assert find_config(env=env | {"XDG_CONFIG_HOME": str(xdg)}, cwd=cwd) == in_xdg
    here = write(cwd / "briefing.toml", "")
    assert find_config(env=env, cwd=cwd) == here
    named = write(tmp_path / "elsewhere.toml", "")
    assert find_config(env=env | {"BRIEFING_CONFIG": str(named)}, cwd=cwd) == named
    explicit = write(tmp_path / "explicit.toml", "")
    assert find_config(explicit, env=env | {"BRIEFING_CONFIG": str(named)}, cwd=cwd) == explicit


def test_a_named_config_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"from --config\) does not exist"):
        find_config(tmp_path / "nope.toml", env={}, cwd=tmp_path)
    with pytest.raises(ConfigError, match=r"from \$BRIEFING_CONFIG\) does not exist"):
        find_config(env={"BRIEFING_CONFIG": str(tmp_path / "nope.toml")}, cwd=tmp_path)


def test_no_home_is_no_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Cron may run with no HOME, for a user the password database does not know.
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert user_config_dir({}) is None
    assert find_config(env={}, cwd=tmp_path) is None
    assert user_config_dir({"HOME": "/h"}) == Path("/h/.config/briefing")


# --- through the CLI -------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    write_article(tmp_path / "news", "a.txt", "Council passes budget")
    return tmp_path


def test_the_config_in_the_working_directory_is_used(project: Path) -> None:
    write(
        project / "briefing.toml", '[sources]\ninput_dir = "news"\n[script]\ntemplate = "short"\n'
    )
    short = CliRunner().invoke(cli, ["script", "--date", "2026-11-24"])
    assert short.exit_code == 0, short.output
    default = CliRunner().invoke(cli, ["script", "--date", "2026-11-24", "--template", "briefing"])
    assert default.exit_code == 0, default.output
    assert "Council passes budget" in short.stdout
    assert short.stdout != default.stdout  # the option beat the file


def test_cli_options_override_the_file(project: Path) -> None:
    write(project / "briefing.toml", '[sources]\ninput_dir = "nowhere"\n[script]\nsentences = 1\n')
    one = CliRunner().invoke(cli, ["script", "--input", "news"])
    three = CliRunner().invoke(cli, ["script", "--input", "news", "--sentences", "3"])
    assert one.exit_code == three.exit_code == 0, one.output + three.output
    assert len(three.stdout) > len(one.stdout)


def test_a_bad_config_exits_2_with_one_line(project: Path) -> None:
    path = write(project / "elsewhere.toml", "[speech]\nvolume = 11\n")
    result = CliRunner().invoke(cli, ["script", "--config", str(path)])
    assert result.exit_code == ExitCode.USAGE
    keys = [e.name for e in table() if e.section == "speech"]
    assert result.stderr == f"error: {path}: unknown key speech.volume; [speech] has: " + (
        ", ".join(keys) + "\n"
    )


def test_init_writes_the_example_and_will_not_overwrite(project: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(cli, ["init"])
    assert made.exit_code == 0 and made.stdout.strip() == "briefing.toml"
    written = (project / "briefing.toml").read_text()
    # It offers a fresh random token, commented out; everything else is the example.
    [offered] = re.findall(r'^# token = "([A-Za-z0-9_-]{32})"$', written, re.M)
    assert written == example_config({"serve.token": offered})
    assert load_settings(project / "briefing.toml").serve.token == ""
    uncommented = written.replace(f'# token = "{offered}"', f'token = "{offered}"')
    (project / "briefing.toml").write_text(uncommented)
    assert load_settings(project / "briefing.toml").serve.token == offered
    (project / "briefing.toml").write_text("# mine\n")
    refused = runner.invoke(cli, ["init"])
    assert refused.exit_code == ExitCode.USAGE
    assert "already exists; pass --force" in refused.stderr
    assert (project / "briefing.toml").read_text() == "# mine\n"
    forced = runner.invoke(cli, ["init", "--force"])
    assert forced.exit_code == 0
    rewritten = (project / "briefing.toml").read_text()
    assert "# mine" not in rewritten and offered not in rewritten  # a new secret each time
    elsewhere = runner.invoke(cli, ["init", str(project / "conf" / "b.toml")])
    assert elsewhere.exit_code == 0
    made_elsewhere = load_settings(project / "conf" / "b.toml")
    assert made_elsewhere.output.output_dir == project / "conf" / "output"
