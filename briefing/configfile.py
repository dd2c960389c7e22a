"""briefing.toml: find it, check every key and type, and merge it under the CLI's options.

The file's layout is the `FILE_KEYS` table in config.py; types come from the `Settings`
annotations, so this module never needs editing when a setting is added.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefing.config import FILE_KEYS, Key, Settings
from briefing.errors import ConfigError

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
        if not named.is_file():
            how = "--config" if explicit else f"${ENV_VAR}"
            raise ConfigError(
                f"config file {named} (from {how}) does not exist; "
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


def read_config(path: Path) -> dict[str, Any]:
    """Parse and check `path`; return {field name: value} for the keys it sets."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix that line") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    hints = typing.get_type_hints(Settings)
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section not in FILE_KEYS:
            raise ConfigError(f"{path}: {_unknown_section(section, table)}")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {section} must be a [{section}] table")
        keys = FILE_KEYS[section]
        for key, value in table.items():
            if key not in keys:
                raise ConfigError(
                    f"{path}: unknown key {section}.{key}; [{section}] has: {', '.join(keys)}"
                )
            name = keys[key].field_name(key)
            values[name] = _check(
                f"{path}: {section}.{key}", value, hints[name], keys[key], path.absolute().parent
            )
    return values


def load_settings(
    config: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Settings from defaults, then the config file (if any), then `overrides` (CLI)."""
    path = find_config(config, env=env, cwd=cwd)
    values = read_config(path) if path is not None else {}
    values.update(overrides or {})
    return Settings(**values)


def _unknown_section(section: str, value: object) -> str:
    owner = next((s for s, keys in FILE_KEYS.items() if section in keys), None)
    if owner is not None and not isinstance(value, dict):
        return f"key {section} belongs in the [{owner}] table; move it under [{owner}]"
    return f"unknown table [{section}]; the tables are: {', '.join(FILE_KEYS)}"


_NAMES = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}


def _check(where: str, value: Any, hint: Any, key: Key, base: Path) -> Any:
    """Coerce one TOML value to the field type `hint`, or raise ConfigError naming it."""
    # TOML has no null: an optional setting is unset by leaving its key out.
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next(a for a in args if a is not type(None))
        args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f'{where} must be a list, like ["a", "b"]')
        return tuple(_check(f"{where}[{i}]", v, args[0], key, base) for i, v in enumerate(value))
    if origin is typing.Literal:
        if value not in args:
            raise ConfigError(f"{where} must be one of {', '.join(map(repr, args))}")
        return value
    if hint is Path:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where} must be a path (a non-empty string)")
        # Relative to the file, so a cron run finds the same directories from any cwd.
        return base / Path(value).expanduser()
    if hint not in _NAMES:
        raise TypeError(f"config.FILE_KEYS names {where}, of unsupported type {hint!r}")
    # TOML integers are Python ints and true/false are bools, which are ints too.
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint in (int, float):
        ok = isinstance(value, int | hint) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ConfigError(f"{where} must be {_NAMES[hint]}, not {json.dumps(value)}")
    if hint is float:
        value = float(value)
    if hint in (int, float):
        if key.min is not None and value < key.min:
            raise ConfigError(f"{where} must be at least {key.min:g}, not {value}")
        if key.max is not None and value > key.max:
            raise ConfigError(f"{where} must be at most {key.max:g}, not {value}")
    return value


def example_config() -> str:
    """A commented briefing.toml listing every key with its default."""
    defaults = Settings()
    hints = typing.get_type_hints(Settings)
    computed = {
        f.name for f in dataclasses.fields(Settings) if f.default_factory is not dataclasses.MISSING
    }
    lines = [
        "# briefing configuration. Written by `briefing init`; every key is optional.",
        "# Command-line options override these values. Relative paths are relative to this",
        "# file's directory. Lines starting with # are ignored.",
    ]
    for section, keys in FILE_KEYS.items():
        lines += ["", f"[{section}]"]
        for name, key in keys.items():
            field = key.field_name(name)
            default = getattr(defaults, field)
            lines.append(f"# {key.help}")
            if field in computed:  # depends on the machine: leave it to be worked out there
                lines.append(f"# {name} = {_toml(default)}  # default: worked out at run time")
            elif default is None:
                lines.append(f"# {name} = {_toml(_placeholder(hints[field]))}")
            else:
                lines.append(f"{name} = {_toml(default)}")
    return "\n".join(lines) + "\n"


def _placeholder(hint: Any) -> Any:
    inner = next(a for a in typing.get_args(hint) if a is not type(None))
    return {int: 30, float: 1.0, bool: False}.get(inner, "")


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    # A JSON string is a valid TOML basic string (same escapes).
    return json.dumps(str(value), ensure_ascii=False)
