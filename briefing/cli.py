"""Thin command-line interface: parse options, call the library, report errors once."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from briefing import __version__, pipeline
from briefing.config import DEFAULT_RATE, Settings
from briefing.errors import BriefingError, ExitCode
from briefing.speak import DEFAULT_ENGINE, ENGINES, get_engine


class _Group(click.Group):
    """Turns every `BriefingError` into one line on stderr and its documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefingError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(int(ExitCode.ERROR))


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


_config_option = click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Config file (default: $BRIEFING_CONFIG, ./briefing.toml, ~/.config/briefing/).",
)


def _settings(options: dict[str, Any]) -> Settings:
    """Settings from the config file, overridden by the options given on the command line."""
    from briefing.configfile import load_settings

    ctx = click.get_current_context()
    config = options.pop("config", None)
    given = {
        name: value
        for name, value in options.items()
        if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)
    }
    return load_settings(config, given)


def _common(func: Any) -> Any:
    options = [
        click.option(
            "--input",
            "input_dir",
            type=click.Path(path_type=Path),
            default="seeds",
            show_default=True,
            help="Directory of articles (.txt, .md, .html).",
        ),
        click.option(
            "--date",
            callback=_parse_date,
            metavar="YYYY-MM-DD",
            help="Date of the briefing (default: today).",
        ),
        click.option(
            "--template",
            default="briefing",
            show_default=True,
            metavar="NAME|PATH",
            help="Built-in template name or path to a .j2 file.",
        ),
        click.option(
            "--sentences",
            type=click.IntRange(1, 20),
            default=3,
            show_default=True,
            help="Sentences per story.",
        ),
        click.option(
            "--feed",
            "feeds",
            multiple=True,
            metavar="URL",
            help="RSS or Atom feed to brief (repeatable; replaces the config's feeds).",
        ),
        click.option(
            "--url",
            "urls",
            multiple=True,
            metavar="URL",
            help="Article page to brief (repeatable; replaces the config's urls).",
        ),
        _config_option,
        click.option(
            "--minutes",
            type=click.FloatRange(0.1, 600),
            default=None,
            help="Fit the briefing to this spoken length; says which stories were left out.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _warn(problems: Any) -> None:
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="briefing")
def cli() -> None:
    """Turn news articles into a spoken daily briefing (MP3), offline."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")


@cli.command()
@_common
@click.option(
    "--output",
    "output_dir",
    type=click.Path(path_type=Path),
    default="output",
    show_default=True,
    help="Directory for the MP3 and script.",
)
@click.option(
    "--engine",
    default=DEFAULT_ENGINE,
    show_default=True,
    help=f"Text-to-speech engine: {', '.join(sorted(ENGINES))}.",
)
@click.option(
    "--voice",
    default=None,
    help="Voice id (see `briefing voices`); for piper, a path to a .onnx voice model.",
)
@click.option(
    "--rate",
    type=click.IntRange(80, 450),
    default=DEFAULT_RATE,
    show_default=True,
    help="Speaking rate in words per minute.",
)
@click.option("--bitrate", default="64k", show_default=True, help="MP3 bitrate.")
@click.option(
    "--intro-sound",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Audio file played before the greeting.",
)
@click.option(
    "--outro-sound",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Audio file played after the sign-off.",
)
@click.option(
    "--chime/--no-chime",
    default=False,
    help="A generated chime at start and end where no sound file is given.",
)
@click.option("--force", is_flag=True, help="Remake the briefing even if its MP3 exists.")
def run(force: bool, **options: Any) -> None:
    """Make the briefing: MP3 and script for the date, into the output directory."""
    from briefing.daily import run_daily

    settings = _settings(options)
    show = sys.stderr.isatty()

    def progress(stage: str, done: int, total: int) -> None:
        if show:
            click.echo(f"\r{stage}: {done}/{total}", err=True, nl=done == total)

    result = run_daily(settings, force=force, progress=progress)
    if result.episode is None:
        click.echo(f"{result.mp3} already exists; nothing to do (--force remakes it)", err=True)
        return
    episode = result.episode
    _warn(episode.problems)
    if result.published is not None:
        _warn(result.published.problems)
    for path in result.removed:
        click.echo(f"deleted {path} (older than {settings.retention_days} days)", err=True)
    click.echo(str(episode.mp3))
    click.echo(str(episode.script_path))


@cli.command()
@_common
def script(**options: Any) -> None:
    """Print the briefing script only (no audio)."""
    prepared = pipeline.prepare(_settings(options))
    _warn(prepared.problems)
    click.echo(prepared.script.text, nl=False)


@cli.command()
@click.option(
    "--engine",
    default=DEFAULT_ENGINE,
    show_default=True,
    help=f"Text-to-speech engine: {', '.join(sorted(ENGINES))}.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def voices(engine: str, as_json: bool) -> None:
    """List the voices an engine offers."""
    with get_engine(engine) as eng:
        found = eng.voices()
    if as_json:
        click.echo(json.dumps([v.__dict__ | {"languages": list(v.languages)} for v in found]))
        return
    for v in found:
        click.echo(f"{v.id:28} {v.name:40} {','.join(v.languages)}")


@cli.command()
@click.option(
    "--output", "output_dir", type=click.Path(path_type=Path), default="output", show_default=True
)
@click.option(
    "--engine",
    default=DEFAULT_ENGINE,
    show_default=True,
    help=f"Text-to-speech engine: {', '.join(sorted(ENGINES))}.",
)
def doctor(output_dir: Path, engine: str) -> None:
    """Check espeak-ng, ffmpeg and write access, and say how to fix problems."""
    from briefing.doctor import run_checks

    checks = run_checks(output_dir, engine)
    for check in checks:
        mark = "ok  " if check.ok else "FAIL"
        click.echo(f"[{mark}] {check.name}: {check.detail}")
        if not check.ok and check.fix:
            click.echo(f"       fix: {check.fix}")
    if not all(c.ok for c in checks):
        sys.exit(int(ExitCode.MISSING_DEPENDENCY))


@cli.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False), default="briefing.toml")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: Path, force: bool) -> None:
    """Write a commented example config file (default ./briefing.toml)."""
    from briefing.configfile import example_config
    from briefing.errors import UsageError
    from briefing.fsutil import atomic_write_text

    if path.exists() and not force:
        raise UsageError(f"{path} already exists; pass --force to overwrite it")
    atomic_write_text(path, example_config())
    click.echo(str(path))


@cli.command()
@click.option("--at", "at", default="06:30", show_default=True, metavar="HH:MM")
@click.option("--install", is_flag=True, help="Add the line to your crontab (idempotent).")
@_config_option
def cron(at: str, install: bool, config: Path | None) -> None:
    """Print the crontab line for a daily `briefing run`, or --install it."""
    from briefing import cron as cronjob
    from briefing.configfile import find_config, load_settings

    cronjob.parse_time(at)
    project = Path.cwd()
    found = find_config(config)
    settings = load_settings(found)
    found = found.absolute() if found is not None else None
    state = (project / settings.state_path()).absolute()
    # The `>>` target's directory must exist before the first run opens it.
    state.mkdir(parents=True, exist_ok=True)
    line = cronjob.cron_line(at, project_dir=project, config=found, log_file=state / "cron.log")
    if not install:
        click.echo(line)
        return
    changed = cronjob.install(line, cronjob.marker(project, found))
    click.echo(("installed: " if changed else "already installed: ") + line)


_output_option = click.option(
    "--output",
    "output_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="output",
    show_default=True,
    help="The output directory (default: the config file's output_dir).",
)


@cli.command()
@_output_option
@_config_option
def publish(**options: Any) -> None:
    """Rebuild feed.xml and index.html from the episodes in the output directory."""
    from briefing.daily import publish_now

    published = publish_now(_settings(options))
    _warn(published.problems)
    click.echo(str(published.feed))
    click.echo(str(published.page))


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets a phone on your network connect.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@_output_option
@_config_option
def serve(host: str, port: int, **options: Any) -> None:
    """Serve the output directory (feed, web page, MP3s) over HTTP until Ctrl-C."""
    from briefing.publish.serve import make_server, serve_forever

    settings = _settings(options)
    # Feed and page links: base_url, else the address bound (never a request's Host).
    server = make_server(settings.output_dir, host, port, base_url=settings.base_url)
    serve_forever(server, lambda line: click.echo(line, err=True))


@cli.command("summarize")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--sentences",
    type=click.IntRange(1, 100),
    default=None,
    help="At most this many sentences (default 3 unless --seconds is given).",
)
@click.option(
    "--seconds",
    type=click.FloatRange(1, 36000),
    default=None,
    help="At most this many seconds of speech at --rate.",
)
@click.option(
    "--rate",
    type=click.IntRange(80, 450),
    default=DEFAULT_RATE,
    show_default=True,
    help="Speaking rate in words per minute, for --seconds.",
)
@click.option("--json", "as_json", is_flag=True, help='Print {"headline", "sentences"} JSON.')
def summarize_cmd(
    file: Path, sentences: int | None, seconds: float | None, rate: int, as_json: bool
) -> None:
    """Print the sentences briefing would say about one article FILE."""
    from briefing.summarize import Budget, summarize_file

    if seconds is None:
        budget = Budget(sentences=sentences or 3)
    else:
        budget = Budget.spoken(seconds, rate, sentences)
    summary = summarize_file(file, budget)
    _warn(summary.notes)
    if as_json:
        story = summary.story
        click.echo(json.dumps({"headline": story.headline, "sentences": list(story.sentences)}))
    else:
        for sentence in summary.story.sentences:
            click.echo(sentence)
    if not summary.story.sentences:
        sys.exit(int(ExitCode.NOTHING_TO_BRIEF))


def main() -> None:
    cli()
