"""Thin command-line interface: parse options, call the library, report errors once.

The options that are settings are generated from the settings table
(briefing/settings.py): each command takes the settings whose `commands` name it, with
the same flag, type, bounds and help everywhere, and reads the config file under them.
Only the library is imported lazily, inside each command, so `--help` stays fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from click.core import ParameterSource

from briefing import __version__
from briefing.errors import BriefingError, DeadlineError, ExitCode
from briefing.settings import (
    DOCTOR,
    PUBLISH,
    RUN,
    SAY,
    SCRIPT,
    SERVE,
    SUMMARIZE,
    VOICES,
    Entry,
    Settings,
    table,
)

if TYPE_CHECKING:
    from briefing.daily import DailyResult


class _Group(click.Group):
    """Turns every `BriefingError` into one line on stderr and its documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefingError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(int(ExitCode.ERROR))


def _fail(exc: BriefingError) -> NoReturn:
    """One line on stderr (`note:` for news such as nothing new to brief), then exit."""
    click.echo(f"{'error' if exc.failure else 'note'}: {exc}", err=True)
    if isinstance(exc, DeadlineError):
        # Out of time: leave now, without waiting for threads still in an engine call
        # (the lock is already released; the next run clears what is left).
        sys.stderr.flush()
        os._exit(int(exc.exit_code))
    sys.exit(int(exc.exit_code))


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        from briefing.configfile import cut

        raise click.BadParameter(f"{cut(repr(value))} is not a date; use YYYY-MM-DD") from None


class CheckedPath(click.Path):
    """A path the file system can take (configfile.check_path), else a usage error."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from briefing.configfile import check_path
        from briefing.errors import ConfigError

        path = super().convert(value, param, ctx)
        try:
            check_path("the path", os.fsdecode(path))
        except ConfigError as exc:
            self.fail(str(exc), param, ctx)
        return path


_config_option = click.option(
    "--config",
    type=CheckedPath(path_type=Path, dir_okay=False),
    default=None,
    help="Config file (default: $BRIEFING_CONFIG, ./briefing.toml, ~/.config/briefing/).",
)


class FiniteFloat(click.FloatRange):
    """A number in a range; nan and inf are refused (click's FloatRange lets nan through)."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


def _param(entry: Entry) -> str:
    """The click parameter name of a setting: SECTION__NAME (the date: date)."""
    return f"{entry.section}__{entry.name}" if entry.section else entry.name


def _engine_names() -> str:
    from briefing.speak import engine_names

    return ", ".join(engine_names())


# Help that lists what the registry holds, so it cannot drift from it.
_CHOICES: dict[str, Callable[[], str]] = {"speech.engine": _engine_names}


def _option(entry: Entry) -> Callable[[Any], Any]:
    """A click option for one setting, from its table entry."""
    from briefing.configfile import base_type, toml_literal

    spec = entry.spec
    assert spec.flag is not None
    hint = base_type(entry.type)
    help_text = spec.help[0].upper() + spec.help[1:] + "."
    if entry.key in _CHOICES:
        help_text += f" One of: {_CHOICES[entry.key]()}."
    if spec.default_text:
        help_text += f" [default: {spec.default_text}]"
    elif entry.default not in (None, (), False) and hint is not bool:
        help_text += f" [default: {toml_literal(entry.default).strip(chr(34))}]"
    kwargs: dict[str, Any] = {"default": None, "help": help_text, "metavar": spec.metavar}
    decls = [spec.flag]
    if hint is bool:
        decls = [f"{spec.flag}/--no-{spec.flag[2:]}"]
        del kwargs["metavar"]
    elif typing.get_origin(hint) is tuple:
        kwargs.update(multiple=True, default=())
        kwargs["help"] += " Repeatable; replaces the config's list."
    elif hint is int:
        kwargs["type"] = click.IntRange(_bound(spec.min), _bound(spec.max))
    elif hint is float:
        kwargs["type"] = FiniteFloat(spec.min, spec.max)
    elif hint is Path:
        kwargs["type"] = CheckedPath(path_type=Path)
    elif hint is dt.date:
        kwargs["callback"] = _parse_date
    return click.option(*decls, _param(entry), **kwargs)


def _bound(value: float | None) -> int | None:
    return None if value is None else int(value)


def settings_options(command: str) -> Callable[[Any], Any]:
    """Decorate a command with every setting it takes, and --config."""

    def decorate(func: Any) -> Any:
        for entry in reversed([e for e in table() if command in e.spec.commands]):
            func = _option(entry)(func)
        return _config_option(func)

    return decorate


def _settings(options: dict[str, Any]) -> Settings:
    """Settings from the config file, overridden by the settings given on the command line.

    Pops the settings' parameters (and --config) out of `options`.
    """
    from briefing.configfile import check_option, load_settings

    ctx = click.get_current_context()
    config = options.pop("config", None)
    given: dict[tuple[str, str], Any] = {}
    for entry in table():
        name = _param(entry)
        if name not in options:
            continue
        value = options.pop(name)
        if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT):
            given[entry.section, entry.name] = check_option(entry, value)
    return load_settings(config, given)


def _warn(problems: Any) -> None:
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="briefing")
def cli() -> None:
    """Turn news articles into a spoken daily briefing (MP3), offline."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")


@cli.command()
@settings_options(RUN)
@click.option("--force", is_flag=True, help="Remake the briefing even if its MP3 exists.")
@click.option(
    "--timestamps",
    is_flag=True,
    help="Begin each line of output with the date and time, and say when the run started "
    "and how it ended: for a log (the `briefing cron` line uses it).",
)
def run(force: bool, timestamps: bool, **options: Any) -> None:
    """Make the briefing: MP3 and script for the date, into the output directory."""
    from briefing.report import timestamped

    with timestamped("briefing run") if timestamps else contextlib.nullcontext():
        try:
            _run(force, options)
        except BriefingError as exc:
            _fail(exc)


def _run(force: bool, options: dict[str, Any]) -> None:
    from briefing import report
    from briefing.daily import run_daily

    settings = _settings(options)  # unreadable settings: no [notify] to tell
    show = sys.stderr.isatty()

    def progress(stage: str, done: int, total: int) -> None:
        if show:
            click.echo(f"\r{stage}: {done}/{total}", err=True, nl=done == total)

    started = dt.datetime.now()
    try:
        result = run_daily(settings, force=force, progress=progress)
        _show_result(settings, result)
    except Exception as exc:
        _warn(report.notify(settings.notify, report.outcome(settings, started, error=exc)))
        raise
    _warn(report.notify(settings.notify, report.outcome(settings, started, result)))


def _show_result(settings: Settings, result: DailyResult) -> None:
    if result.published is not None:
        _warn(result.published.problems)
    if result.upload is not None and result.upload.error is not None:
        _warn([result.upload.error])
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if result.episode is None:
        click.echo(f"{result.mp3} already exists; nothing to do (--force remakes it)", err=True)
        result.check_published()
        return
    _warn(result.episode.problems)
    _warn(result.problems)
    for path in result.removed:
        days = settings.output.retention_days
        click.echo(f"deleted {path} (older than {days} days)", err=True)
    click.echo(str(result.episode.mp3))
    click.echo(str(result.episode.script_path))
    result.check_published()


@cli.command()
@settings_options(SCRIPT)
def script(**options: Any) -> None:
    """Print the briefing script only (no audio)."""
    from briefing import pipeline

    prepared = pipeline.prepare(_settings(options))
    _warn(prepared.problems)
    click.echo(prepared.script.text, nl=False)


@cli.command()
@settings_options(VOICES)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def voices(as_json: bool, **options: Any) -> None:
    """List the voices an engine offers."""
    from briefing.speak import choose_engine, engine_class, make_engine

    speech = _settings(options).speech
    choice = choose_engine(speech)
    click.echo(f"engine: {choice.engine} ({choice.reason})", err=True)
    if engine_class(choice.engine).description:
        click.echo(f"  {engine_class(choice.engine).description}", err=True)
    with make_engine(speech) as eng:
        found = eng.voices()
    if as_json:
        click.echo(json.dumps([v.__dict__ | {"languages": list(v.languages)} for v in found]))
        return
    for v in found:
        click.echo(f"{v.id:28} {v.name:40} {','.join(v.languages)}")


@cli.command()
@settings_options(DOCTOR)
def doctor(**options: Any) -> None:
    """Check espeak-ng, ffmpeg and write access, and say how to fix problems."""
    from briefing.doctor import run_checks

    settings = _settings(options)
    checks = run_checks(
        settings.output.output_dir, settings.speech, settings.publish, settings.feed
    )
    for check in checks:
        mark = "ok  " if check.ok else "FAIL"
        click.echo(f"[{mark}] {check.name}: {check.detail}")
        if not check.ok and check.fix:
            click.echo(f"       fix: {check.fix}")
    if not all(c.ok for c in checks):
        sys.exit(int(ExitCode.MISSING_DEPENDENCY))


@cli.command()
@click.argument("path", type=CheckedPath(path_type=Path, dir_okay=False), default="briefing.toml")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: Path, force: bool) -> None:
    """Write a commented example config file (default ./briefing.toml)."""
    import secrets

    from briefing.configfile import example_config
    from briefing.errors import UsageError
    from briefing.fsutil import atomic_write_text

    if path.exists() and not force:
        raise UsageError(f"{path} already exists; pass --force to overwrite it")
    # A fresh secret, commented out: uncomment it to keep the feed to those given its URL.
    atomic_write_text(path, example_config({"serve.token": secrets.token_urlsafe(24)}))
    click.echo(str(path))


@cli.command()
@click.option("--at", "at", default="06:30", show_default=True, metavar="HH:MM")
@click.option("--install", is_flag=True, help="Add the line to your crontab (idempotent).")
@click.option(
    "--remove", is_flag=True, help="Remove this project's line from your crontab (idempotent)."
)
@_config_option
def cron(at: str, install: bool, remove: bool, config: Path | None) -> None:
    """Print the daily crontab line for `briefing run`, or --install or --remove it."""
    from briefing import cron as cronjob
    from briefing.configfile import find_config, load_settings
    from briefing.errors import UsageError
    from briefing.layout import Layout

    if install and remove:
        raise UsageError("--install and --remove do opposite things; give one of them")
    cronjob.parse_time(at)
    project = Path.cwd()
    found = find_config(config)
    found = found.absolute() if found is not None else None
    job = cronjob.marker(project, found)
    if remove:
        if cronjob.remove(job):
            click.echo(f"removed the briefing job for {found or project} from your crontab")
            return
        click.echo(f"no briefing job for {found or project} in your crontab; nothing removed")
        for line in cronjob.other_jobs(job):
            click.echo(f"another briefing job (run --remove where it was installed): {line}")
        return
    settings = load_settings(found)
    layout = Layout(project / settings.output.output_dir, settings.output.state_dir)
    log_file = layout.cron_log.absolute()
    # The `>>` target's directory must exist before the first run opens it.
    log_file.parent.mkdir(parents=True, exist_ok=True)
    line = cronjob.cron_line(at, project_dir=project, config=found, log_file=log_file)
    if not install:
        click.echo(line)
        return
    changed = cronjob.install(line, job)
    click.echo(("installed: " if changed else "already installed: ") + line)


@cli.command()
@settings_options(PUBLISH)
def publish(**options: Any) -> None:
    """Rebuild feed.xml and index.html from the episodes in the output directory, and
    upload them with the episodes when [publish] remote is set."""
    from briefing.daily import publish_now
    from briefing.publish.remote import shown

    settings = _settings(options)
    published = publish_now(settings)
    _warn(published.problems)
    click.echo(str(published.feed))
    click.echo(str(published.page))
    if settings.publish.remote is not None:
        click.echo(f"uploaded to {shown(settings.publish.remote)}", err=True)


@cli.command()
@settings_options(SERVE)
@click.option(
    "--install",
    is_flag=True,
    help="Keep serving from boot: a systemd service (an @reboot crontab line where "
    "systemd does not run), started now.",
)
@click.option("--uninstall", is_flag=True, help="Stop and remove what --install set up.")
def serve(install: bool, uninstall: bool, **options: Any) -> None:
    """Serve the output directory (feed, web page, MP3s) over HTTP until Ctrl-C."""
    from briefing.publish.serve import make_server, serve_forever

    config = options.get("config")
    settings = _settings(options)
    if install or uninstall:
        _service(settings, config, install)
        return
    # Feed and page links: base_url, else the address bound (never a request's Host).
    server = make_server(
        settings.output.output_dir,
        settings.serve.host,
        settings.serve.port,
        token=settings.serve.token or None,
        base_url=settings.feed.base_url,
    )
    serve_forever(server, lambda line: click.echo(line, err=True))


def _service(settings: Settings, config: Path | None, install: bool) -> None:
    """`serve --install/--uninstall`: this project's server as a service."""
    from briefing import service
    from briefing.configfile import find_config
    from briefing.layout import Layout

    found = find_config(config)
    layout = Layout.of(settings.output)
    serve = settings.serve
    arguments = [
        "--output",
        str(layout.output_dir.absolute()),
        "--host",
        serve.host,
        "--port",
        str(serve.port),
    ]
    if found is not None:
        arguments = ["--config", str(found.absolute()), *arguments]
    spec = service.Service(
        Path.cwd(),
        tuple(arguments),
        layout.state_dir.absolute() / "serve.log",
        (serve.host, serve.port),
    )
    for line in service.install(spec) if install else service.uninstall(spec):
        click.echo(line)
    if install and serve.host in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            "note: it listens on this computer only; add --host 0.0.0.0 (or [serve] host) "
            "for a phone on your network",
            err=True,
        )


@cli.command()
@click.argument("text")
@settings_options(SAY)
@click.option(
    "--to",
    "out",
    type=CheckedPath(path_type=Path, dir_okay=False),
    default="say.wav",
    show_default=True,
    help="The WAV file to write.",
)
def say(text: str, out: Path, **options: Any) -> None:
    """Speak TEXT to a WAV file, as a briefing would say it: to try a voice, or a
    respelling for the lexicon. Prints what the engine was given."""
    from briefing.speak.segments import say_to_wav

    said, problems = say_to_wav(text, out, _settings(options).speech)
    _warn(problems)
    click.echo(f"said: {said}", err=True)
    click.echo(str(out))


@cli.command("summarize")
@click.argument("file", type=CheckedPath(path_type=Path))
@settings_options(SUMMARIZE)
@click.option(
    "--seconds",
    type=FiniteFloat(1, 36000),
    default=None,
    help="At most this many seconds of speech at --rate (and at most --sentences, if given).",
)
@click.option("--json", "as_json", is_flag=True, help='Print {"headline", "sentences"} JSON.')
def summarize_cmd(file: Path, seconds: float | None, as_json: bool, **options: Any) -> None:
    """Print the sentences briefing would say about one article FILE."""
    from briefing.summarize import Budget, summarize_file

    cap_given = options.get("script__sentences") is not None
    settings = _settings(options)
    sentences = settings.script.sentences
    if seconds is None:
        budget = Budget(sentences=sentences)
    else:
        budget = Budget.spoken(seconds, settings.speech.rate, sentences if cap_given else None)
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
