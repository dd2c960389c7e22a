"""`briefing cron`: the crontab line, installing it once, and running it as cron would."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.cron import cron_line, parse_time
from briefing.errors import ExitCode, UsageError
from tests.helpers import needs_espeak, needs_ffmpeg, write_article
from tests.webserver import Site, serve

site = pytest.fixture(serve)
STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"  # cron.log's timestamps
VENV_BRIEFING = Path(sys.executable).absolute().parent / "briefing"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "my project"  # a space, to prove the quoting
    root.mkdir()
    monkeypatch.chdir(root)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return root


@pytest.fixture
def crontab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake `crontab` on PATH that keeps the table in a file."""
    table = tmp_path / "crontab.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "crontab"
    fake.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        f"  -l) [ -f {shlex.quote(str(table))} ] && exec cat {shlex.quote(str(table))}\n"
        '      echo "no crontab for tester" >&2; exit 1 ;;\n'
        f"  -) exec cat > {shlex.quote(str(table))} ;;\n"
        "esac\nexit 2\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return table


def cron_command(line: str) -> str:
    """What cron hands to /bin/sh for `line`: the part after the five time fields."""
    return line.split(None, 5)[5].replace(r"\%", "%")


def test_the_line_runs_this_installation_from_the_project_directory(project: Path) -> None:
    (project / "briefing.toml").write_text("")
    result = CliRunner().invoke(cli, ["cron", "--at", "06:30"])
    assert result.exit_code == 0, result.output
    line = result.stdout.strip()
    config = project / "briefing.toml"
    log = project / "output" / ".briefing" / "cron.log"
    assert line.startswith(f"30 6 * * * cd {shlex.quote(str(project))} && ")
    assert f"{VENV_BRIEFING} run --timestamps --config {shlex.quote(str(config))}" in line
    assert line.endswith(f" >> {shlex.quote(str(log))} 2>&1 # briefing-job {config}")
    assert log.parent.is_dir()  # `>>` needs the directory before the first run


def test_the_line_without_a_config_file(project: Path) -> None:
    result = CliRunner().invoke(cli, ["cron", "--at", "7:05"])
    assert result.exit_code == 0
    assert result.stdout.startswith("5 7 * * * ")
    assert "--config" not in result.stdout
    assert result.stdout.strip().endswith(f"# briefing-job {project}")


def test_percent_signs_are_escaped_for_cron(tmp_path: Path) -> None:
    line = cron_line(
        "06:30", project_dir=tmp_path / "100%", config=None, log_file=tmp_path / "l", command=["b"]
    )
    assert "100\\%" in line and "100%" not in line.replace("100\\%", "")


@pytest.mark.parametrize("at", ["6.30", "24:00", "06:60", "noon", ""])
def test_bad_times_are_usage_errors(at: str, project: Path) -> None:
    with pytest.raises(UsageError, match="use HH:MM"):
        parse_time(at)
    result = CliRunner().invoke(cli, ["cron", "--at", at])
    assert result.exit_code == ExitCode.USAGE


def test_install_adds_the_line_once_and_replaces_it_when_the_time_changes(
    project: Path, crontab: Path
) -> None:
    crontab.write_text("MAILTO=me@example.org\n0 * * * * /usr/bin/backup\n")
    runner = CliRunner()
    first = runner.invoke(cli, ["cron", "--at", "06:30", "--install"])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("installed: 30 6 * * * ")
    again = runner.invoke(cli, ["cron", "--at", "06:30", "--install"])
    assert again.stdout.startswith("already installed: ")
    later = runner.invoke(cli, ["cron", "--at", "07:15", "--install"])
    assert later.exit_code == 0
    lines = crontab.read_text().splitlines()
    assert lines[:2] == ["MAILTO=me@example.org", "0 * * * * /usr/bin/backup"]
    assert len(lines) == 3 and lines[2].startswith("15 7 * * * ")


def test_install_into_an_empty_crontab(project: Path, crontab: Path) -> None:
    result = CliRunner().invoke(cli, ["cron", "--install"])
    assert result.exit_code == 0, result.output
    assert crontab.read_text().startswith("30 6 * * * cd ")


def test_install_without_crontab_is_a_missing_dependency(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    result = CliRunner().invoke(cli, ["cron", "--install"])
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY
    assert "crontab is not installed; install cron" in result.stderr


@pytest.mark.slow
@needs_espeak
@needs_ffmpeg
def test_the_installed_line_works_in_crons_bare_environment(project: Path, site: Site) -> None:
    write_article(project / "seeds", "a.txt", "Council passes budget")
    (project / "briefing.toml").write_text(
        f'[sources]\ninput_dir = "seeds"\nurls = ["{site.url("/articles/bridge.html")}"]\n'
        '[speech]\nengine = "espeak-ng"\nrate = 260\n[script]\nsentences = 1\n'
        # The notify command runs in cron's environment too.
        "[notify]\non_success = true\n"
        'command = \'printf "%s %s\\n" "$BRIEFING_STATUS" "$BRIEFING_EXIT_CODE" >> notified\'\n'
    )
    line = CliRunner().invoke(cli, ["cron", "--at", "06:30"]).stdout.strip()
    # No HOME, cron's PATH, no terminal, started in / as cron does for a user without HOME.
    bare = {"PATH": "/usr/bin:/bin"}
    for attempt in ("made", "skipped"):
        proc = subprocess.run(
            ["/bin/sh", "-c", cron_command(line)],
            cwd="/",
            env=bare,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, (attempt, (project / "output/.briefing/cron.log").read_text())
        assert proc.stdout == proc.stderr == ""  # everything went to the log
    episodes = sorted(p.name for p in (project / "output").glob("briefing-*"))
    # chapters and the timed transcript (vtt): publish's Podcasting 2.0 files
    kinds = ["chapters.json", "json", "mp3", "txt", "vtt"]
    assert [name.split(".", 1)[1] for name in episodes] == kinds
    script = (project / "output" / episodes[3]).read_text()
    assert "Council passes budget" in script and "Old bridge reopens" in script
    assert "Old bridge reopens" in (project / "output" / "feed.xml").read_text()
    cron_log = (project / "output" / ".briefing" / "cron.log").read_text().splitlines()
    # Every line stamped; each run says when it started and how it ended.
    assert all(re.match(rf"{STAMP} ", line) for line in cron_log), cron_log
    # The owner_email note comes once in the log, not every morning.
    [note] = [line for line in cron_log if " note: " in line]
    assert "owner_email" in note
    cron_log.remove(note)
    assert re.fullmatch(rf"{STAMP} briefing run started \(pid \d+\)", cron_log[0])
    assert cron_log[1].endswith(f" output/{episodes[2]}")  # relative to the cd
    ended = [line for line in cron_log if " briefing run ended: " in line]
    assert [line.split(": ", 1)[1] for line in ended] == ["exit 0 (ok)", "exit 0 (ok)"]
    assert "already exists; nothing to do" in cron_log[-2]
    assert "made " in (project / "output" / ".briefing" / "briefing.log").read_text()
    assert (project / "notified").read_text() == "made 0\nalready-made 0\n"


def test_remove_takes_out_this_projects_line_only_and_is_idempotent(
    project: Path, crontab: Path
) -> None:
    (project / "briefing.toml").write_text("")
    runner = CliRunner()
    assert runner.invoke(cli, ["cron", "--install"]).exit_code == 0
    mine = crontab.read_text().splitlines()[0]
    other = "15 7 * * * cd /elsewhere && briefing run >> /x 2>&1 # briefing-job /elsewhere/b.toml"
    crontab.write_text(f"MAILTO=me@example.org\n{mine}\n{other}\n")
    removed = runner.invoke(cli, ["cron", "--remove"])
    assert removed.exit_code == 0, removed.output
    assert removed.stdout == (
        f"removed the briefing job for {project / 'briefing.toml'} from your crontab\n"
    )
    assert crontab.read_text() == f"MAILTO=me@example.org\n{other}\n"
    again = runner.invoke(cli, ["cron", "--remove"])
    assert again.exit_code == 0
    assert again.stdout.splitlines() == [
        f"no briefing job for {project / 'briefing.toml'} in your crontab; nothing removed",
        f"another briefing job (run --remove where it was installed): {other}",
    ]
    assert crontab.read_text() == f"MAILTO=me@example.org\n{other}\n"


def test_remove_from_no_crontab_at_all(project: Path, crontab: Path) -> None:
    result = CliRunner().invoke(cli, ["cron", "--remove"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"no briefing job for {project} in your crontab")
    assert not crontab.exists()  # nothing to write, nothing written


def test_install_and_remove_together_is_a_usage_error(project: Path, crontab: Path) -> None:
    result = CliRunner().invoke(cli, ["cron", "--install", "--remove"])
    assert result.exit_code == ExitCode.USAGE
    assert "give one of them" in result.stderr
