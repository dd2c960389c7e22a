"""briefing.toml: find it, check every key and type, and merge it under the CLI's options.

The file's layout is the settings table (briefing/settings.py): one [section] per
settings section, one key per setting, checked against the setting's type and bounds,
so this module never needs editing when a setting is added.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import re
import textwrap
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefing.errors import ConfigError, UsageError
from briefing.settings import SECTIONS, Entry, Settings, table

FILE_NAME = "briefing.toml"
ENV_VAR = "BRIEFING_CONFIG"


def find_config(
    explicit: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Path | None:
    """`--config`, else $BRIEFING_CONFIG, else ./briefing.toml, else the user config dir.

    A path named explicitly (option or variable) must exist; the searched ones may not.
    """
    env = os.environ if env is None else env
    named = explicit or (Path(env[ENV_VAR]) if env.get(ENV_VAR) else None)
    if named is not None:
        how = "--config" if explicit else f"${ENV_VAR}"
        try:
            _check_path(f"config file (from {how})", named, None)
            found = named.is_file()
        except OSError as exc:  # a name the file system refuses
            raise ConfigError(
                f"config file {cut(str(named))} (from {how}) cannot be used ({exc.strerror})"
            ) from None
        if not found:
            raise ConfigError(
                f"config file {cut(str(named))} (from {how}) does not exist; "
                "create it with `briefing init PATH` or fix the path"
            )
        return named
    here = (cwd or Path.cwd()) / FILE_NAME
    if here.is_file():
        return here
    user = user_config_dir(env)
    if user is not None and (user / FILE_NAME).is_file():
        return user / FILE_NAME
    return None


def user_config_dir(env: Mapping[str, str] | None = None) -> Path | None:
    """$XDG_CONFIG_HOME/briefing, else ~/.config/briefing; None when there is no home
    (cron may run with no HOME and a user without a passwd entry)."""
    env = os.environ if env is None else env
    if env.get("XDG_CONFIG_HOME"):
        return Path(env["XDG_CONFIG_HOME"]) / "briefing"
    home = env.get("HOME")
    if not home:
        try:
            home = str(Path.home())
        except (RuntimeError, KeyError):
            return None
    return Path(home) / ".config" / "briefing"


def read_config(path: Path) -> dict[tuple[str, str], Any]:
    """Parse and check `path`; return {(section, name): value} for the keys it sets."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix that line") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    entries = _file_entries()
    values: dict[tuple[str, str], Any] = {}
    for section, values_in in data.items():
        if section not in entries:
            raise ConfigError(f"{path}: {_unknown_section(section, values_in)}")
        if not isinstance(values_in, dict):
            raise ConfigError(f"{path}: {section} must be a [{section}] table")
        keys = entries[section]
        for key, value in values_in.items():
            if key not in keys:
                raise ConfigError(
                    f"{path}: unknown key {section}.{key}; [{section}] has: {', '.join(keys)}"
                )
            entry = keys[key]
            values[section, key] = check_value(
                f"{path}: {section}.{key}", value, entry, path.absolute().parent
            )
    return values


def load_settings(
    config: Path | None = None,
    overrides: Mapping[tuple[str, str], Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Settings from defaults, then the config file (if any), then `overrides` (CLI)."""
    path = find_config(config, env=env, cwd=cwd)
    values = read_config(path) if path is not None else {}
    values.update(overrides or {})
    try:
        return Settings.from_values(values)
    except UsageError as exc:  # a value each key allows, but not together (bitrate vs rate)
        where = f"{path}: " if path is not None else ""
        raise ConfigError(f"{where}{exc}") from None


def _file_entries() -> dict[str, dict[str, Entry]]:
    """[section] -> key -> its table entry, for the settings a file may set."""
    entries: dict[str, dict[str, Entry]] = {section: {} for section in SECTIONS}
    for entry in table():
        if entry.spec.in_file:
            entries[entry.section][entry.name] = entry
    return entries


def _unknown_section(section: str, value: object) -> str:
    entries = _file_entries()
    owner = next((s for s, keys in entries.items() if section in keys), None)
    if owner is not None and not isinstance(value, dict):
        return f"key {section} belongs in the [{owner}] table; move it under [{owner}]"
    return f"unknown table [{section}]; the tables are: {', '.join(entries)}"


_NAMES = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}

# Limits every text and path value is checked against, so that no value reaches the
# file system, a subprocess or the feed in a form they refuse with a traceback.
MAX_TEXT = 10_000  # characters in one string setting (a feed description is far shorter)
MAX_NAME_BYTES = 255  # one file or folder name (the Linux and macOS limit)
MAX_PATH_BYTES = 4096  # a whole path (PATH_MAX on Linux)
# Control characters other than tab and newline cannot be in a path, an argument or XML;
# lone surrogates (undecodable bytes on the command line) cannot be printed or encoded.
_UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# In a path, a lone surrogate is an undecodable byte of a real name (os.fsdecode): kept.
_UNUSABLE_IN_PATH = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The dates a briefing may be made for: date arithmetic (feed ages, history) stays in range.
FIRST_DATE, LAST_DATE = dt.date(1970, 1, 1), dt.date(9998, 12, 31)


def check_value(where: str, value: Any, entry: Entry, base: Path | None) -> Any:
    """Coerce one value to the setting's type, or raise ConfigError naming it.

    `base` is the config file's directory, which relative paths are resolved against;
    None for a command-line value, which is already typed by click (paths as given)."""
    return _check(where, value, entry.type, entry, base)


def check_option(entry: Entry, value: Any) -> Any:
    """A value given on the command line for `entry`, checked as the file's would be."""
    return check_value(entry.spec.flag or entry.key, value, entry, None)


def _check(where: str, value: Any, hint: Any, entry: Entry, base: Path | None) -> Any:
    # TOML has no null: an optional setting is unset by leaving its key out.
    hint = base_type(hint)
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise ConfigError(f'{where} must be a list, like ["a", "b"], not {shown(value)}')
        return tuple(_check(f"{where}[{i}]", v, args[0], entry, base) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f'{where} must be a table, like {{ de = "de" }}, not {shown(value)}')
        return {
            _check_text(f"{where} key", str(k)): _check(f"{where}.{k}", v, args[1], entry, base)
            for k, v in value.items()
        }
    if origin is typing.Literal:
        if not any(type(value) is type(a) and value == a for a in args):
            raise ConfigError(
                f"{where} must be one of {', '.join(map(repr, args))}, not {shown(value)}"
            )
        return value
    if hint is Path:
        return _check_path(where, value, base)
    if hint is dt.date:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ConfigError(f"{where} must be a date like 2026-05-27, not {shown(value)}")
        if not FIRST_DATE <= value <= LAST_DATE:
            raise ConfigError(f"{where} must be from {FIRST_DATE} to {LAST_DATE}, not {value}")
        return value
    if hint not in _NAMES:
        raise TypeError(f"the setting {entry.key} has an unsupported type {hint!r}")
    # TOML integers are Python ints and true/false are bools, which are ints too.
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint in (int, float):
        ok = isinstance(value, int | hint) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ConfigError(f"{where} must be {_NAMES[hint]}, not {shown(value)}")
    if hint is str:
        return _check_text(where, value)
    if hint in (int, float):
        return _check_number(where, value, hint, entry.spec.min, entry.spec.max)
    return value


def _check_number(
    where: str, value: int | float, hint: type, low: float | None, high: float | None
) -> int | float:
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{where} must be a finite number, not {shown(value)}")
    # Compared before any conversion: a 400-digit integer is too large, not an overflow.
    if low is not None and value < low:
        raise ConfigError(f"{where} must be at least {low:g}, not {shown(value)}")
    if high is not None and value > high:
        raise ConfigError(f"{where} must be at most {high:g}, not {shown(value)}")
    return float(value) if hint is float else value


def _check_text(where: str, value: str, unusable: re.Pattern[str] = _UNUSABLE) -> str:
    bad = unusable.search(value)
    if bad:
        raise ConfigError(
            f"{where} holds the control character {bad.group()!r} at position "
            f"{bad.start() + 1}; remove it"
        )
    if len(value) > MAX_TEXT:
        raise ConfigError(f"{where} is {len(value):,} characters long; at most {MAX_TEXT:,}")
    if "://" not in value and not any(c.isspace() for c in value):
        _check_names(where, value)  # a name or a path (a voice, a template)
    return value


def _check_names(where: str, text: str) -> None:
    for name in text.split(os.sep):
        if len(os.fsencode(name)) > MAX_NAME_BYTES:
            raise ConfigError(
                f"{where}: the name {shown(name)} is longer than a file name may be "
                f"({MAX_NAME_BYTES} bytes)"
            )


def check_path(where: str, value: str | Path) -> Path:
    """A path given on the command line, refused (ConfigError) where no file system
    would take it: empty, a control character, a name over 255 bytes, over 4,096 bytes."""
    return _check_path(where, value, None)


def _check_path(where: str, value: Any, base: Path | None) -> Path:
    if not isinstance(value, str | Path) or not str(value):
        raise ConfigError(f"{where} must be a path (a non-empty string), not {shown(value)}")
    text = _check_text(where, str(value), _UNUSABLE_IN_PATH)
    _check_names(where, text)
    if len(os.fsencode(text)) > MAX_PATH_BYTES:
        raise ConfigError(f"{where} is longer than a path may be ({MAX_PATH_BYTES} bytes)")
    if base is None:  # the command line's: relative to the working directory
        return Path(value)
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # ~nosuchuser/...
        raise ConfigError(
            f"{where}: {shown(text)} names a home directory that does not exist"
        ) from None
    # Relative to the file, so a cron run finds the same directories from any cwd.
    return base / path


def shown(value: Any, limit: int = 60) -> str:
    """A value as a message shows it: TOML-like, and cut short when long."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        kind = {dt.datetime: "date-time", dt.date: "date", dt.time: "time"}[type(value)]
        return f"the {kind} {value.isoformat()}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple) and not all(isinstance(v, str) for v in value):
        return "a list"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**limit:
        return f"a {len(str(abs(value)))}-digit number"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return cut(toml_literal(value), limit)


def cut(text: str, limit: int = 100) -> str:
    """`text`, or its start and end with how long it is, for a one-line message."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 20]}...{text[-8:]} ({len(text):,} characters)"


def base_type(hint: Any) -> Any:
    """A setting's type without its `| None`: `X | None` -> X."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(hint) if a is not type(None))
    return hint


def example_config(suggestions: Mapping[str, Any] | None = None) -> str:
    """A commented briefing.toml listing every key with its default; `suggestions`
    ({"section.key": value}) are offered as commented-out lines instead of the default
    (`briefing init` offers a random [serve] token this way)."""
    suggestions = suggestions or {}
    lines = [
        "# briefing configuration. Written by `briefing init`; every key is optional.",
        "# Command-line options override these values. Relative paths are relative to this",
        "# file's directory. Lines starting with # are ignored.",
    ]
    section = None
    for entry in table():
        if not entry.spec.in_file:
            continue
        if entry.section != section:
            section = entry.section
            lines += ["", f"[{section}]"]
        lines += textwrap.wrap(entry.spec.help, 88, initial_indent="# ", subsequent_indent="# ")
        if entry.key in suggestions:
            lines.append(f"# {entry.name} = {toml_literal(suggestions[entry.key])}")
        elif entry.default is dataclasses.MISSING:  # depends on the machine: worked out there
            lines.append(f"# {entry.name} =   # default: {entry.spec.default_text}")
        elif entry.default is None:
            lines.append(f"# {entry.name} = {toml_literal(_placeholder(entry.type))}")
        else:
            lines.append(f"{entry.name} = {toml_literal(entry.default)}")
    return "\n".join(lines) + "\n"


def _placeholder(hint: Any) -> Any:
    return {int: 30, float: 1.0, bool: False}.get(base_type(hint), "")


def toml_literal(value: Any) -> str:
    """`value` written as TOML (the example file, --help's defaults, messages)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(toml_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_literal(v)}" for k, v in value.items()) + "}"
    # A JSON string is a valid TOML basic string (same escapes).
    return json.dumps(str(value), ensure_ascii=False)


def type_name(entry: Entry) -> str:
    """How the docs name a setting's type."""
    hint = base_type(entry.type)
    if typing.get_origin(hint) is tuple:
        return "list of strings"
    if typing.get_origin(hint) is dict:
        return "table of strings"
    if typing.get_origin(hint) is typing.Literal:
        return "one of " + ", ".join(map(str, typing.get_args(hint)))
    names = {Path: "path", bool: "true/false", int: "integer", float: "number", str: "string"}
    return names.get(hint, "date (YYYY-MM-DD)" if hint is dt.date else str(hint))


def reference_markdown() -> str:
    """docs/configuration.md: every setting, generated from the settings table."""
    out = [
        "# Configuration reference",
        "",
        "<!-- Generated from briefing/settings.py by `python -m briefing.docgen`; a test "
        "checks it is current. Do not edit by hand. -->",
        "",
        "Settings come from built-in defaults, then the config file, then the command line.",
        "The config file is `--config PATH`, else `$BRIEFING_CONFIG`, else `./briefing.toml`,",
        "else `~/.config/briefing/briefing.toml` (`$XDG_CONFIG_HOME` is honoured).",
        "`briefing init` writes a commented file with every key. Relative paths in the file",
        "are relative to the file's directory.",
    ]
    section = None
    for entry in table():
        if entry.section != section:
            section = entry.section
            title = f"[{section}]" if section else "Command line only"
            out += ["", f"## {title}", "", "| key | type | default | option | what it does |"]
            out.append("|---|---|---|---|---|")
        spec = entry.spec
        if entry.default is dataclasses.MISSING:
            default = spec.default_text or ""
        elif entry.default is None or entry.default in ((), {}):
            default = "unset"
        else:
            default = f"`{toml_literal(entry.default)}`"
        bounds = ""
        if spec.min is not None or spec.max is not None:
            low = f"{spec.min:g}" if spec.min is not None else ""
            high = f"{spec.max:g}" if spec.max is not None else ""
            bounds = f" ({low}..{high})"
        option = ""
        if spec.flag:
            option = f"`{spec.flag}`" + (f" ({', '.join(spec.commands)})" if spec.commands else "")
        key = entry.name if spec.in_file else "-"
        out.append(
            f"| `{key}` | {type_name(entry)}{bounds} | {default} | {option} | "
            f"{spec.help.replace('|', '/')} |"
        )
    return "\n".join(out) + "\n"
