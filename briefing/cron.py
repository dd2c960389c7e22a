"""The crontab line for the daily run, and installing it without duplicates.

Cron runs jobs with PATH=/usr/bin:/bin, often no HOME, no terminal and /bin/sh, so the
line uses absolute paths for everything: the project directory, the briefing program,
the config file and the log.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from briefing.errors import BriefingError, MissingDependencyError, UsageError

CRON_PATH = ("/usr/bin", "/bin")
_TOOLS = ("espeak-ng", "ffmpeg", "ffprobe", "rclone")


def parse_time(at: str) -> tuple[int, int]:
    """'06:30' -> (6, 30)."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", at.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise UsageError(f"--at {at[:20]!r} is not a time of day; use HH:MM, like 06:30")
    return int(match.group(1)), int(match.group(2))


def briefing_command() -> list[str]:
    """The absolute command for this installation's briefing (the venv's, not PATH's)."""
    exe = Path(sys.executable).absolute().parent / "briefing"
    if exe.is_file():
        return [str(exe)]
    return [str(Path(sys.executable).absolute()), "-m", "briefing"]


def marker(project_dir: Path, config: Path | None) -> str:
    """A trailing shell comment that identifies this project's job in the crontab."""
    return f"# briefing-job {config or project_dir}"


def cron_line(
    at: str,
    *,
    project_dir: Path,
    config: Path | None,
    log_file: Path,
    command: list[str] | None = None,
) -> str:
    hour, minute = parse_time(at)
    # --timestamps: cron.log collects every run, so each line says when it was written.
    run = [*(command or briefing_command()), "run", "--timestamps"]
    if config is not None:
        run += ["--config", str(config)]
    # Tools outside /usr/bin:/bin (Homebrew, /usr/local) would be missing under cron.
    extra: list[str] = []
    for tool in _TOOLS:
        found = shutil.which(tool)
        if found and str(Path(found).parent) not in (*CRON_PATH, *extra):
            extra.append(str(Path(found).parent))
    env = f"PATH={shlex.quote(':'.join([*extra, *CRON_PATH]))} " if extra else ""
    shell = (
        f"cd {shlex.quote(str(project_dir))} && {env}{shlex.join(run)}"
        f" >> {shlex.quote(str(log_file))} 2>&1 {marker(project_dir, config)}"
    )
    # In a crontab, an unescaped % ends the command and starts its standard input.
    return f"{minute} {hour} * * * " + shell.replace("%", r"\%")


def install(line: str, job_marker: str) -> bool:
    """Add `line` to the user's crontab, replacing this project's old line; False if
    it was already there."""
    lines = _read_crontab()
    if line in lines:
        return False
    _write_crontab([*_without(lines, job_marker), line])
    return True


def remove(job_marker: str) -> bool:
    """Remove the line ending in `job_marker` from the user's crontab; False if none."""
    lines = _read_crontab()
    kept = _without(lines, job_marker)
    if kept == lines:
        return False
    _write_crontab(kept)
    return True


def other_jobs(job_marker: str) -> list[str]:
    """The crontab's briefing lines that are not this project's (another directory or
    config file), for `briefing cron --remove` to point at when it finds none of ours."""
    return [line for line in _without(_read_crontab(), job_marker) if "# briefing-job " in line]


def _without(lines: list[str], job_marker: str) -> list[str]:
    escaped = job_marker.replace("%", r"\%")
    return [old for old in lines if not old.rstrip().endswith(escaped)]


def _crontab() -> str:
    crontab = shutil.which("crontab")
    if crontab is None:
        raise MissingDependencyError(
            "crontab is not installed; install cron (sudo apt-get install cron) or add "
            "the line printed by `briefing cron` to your scheduler yourself"
        )
    return crontab


def _read_crontab() -> list[str]:
    current = subprocess.run([_crontab(), "-l"], capture_output=True, text=True, timeout=30)
    if current.returncode == 0:
        return current.stdout.splitlines()
    if "no crontab" in current.stderr.lower():
        return []
    raise BriefingError(f"`crontab -l` failed: {current.stderr.strip()}")


def _write_crontab(lines: list[str]) -> None:
    new = "\n".join(lines) + "\n" if lines else ""
    done = subprocess.run([_crontab(), "-"], input=new, capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise BriefingError(f"`crontab -` refused the new crontab: {done.stderr.strip()}")
