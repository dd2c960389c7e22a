"""One exception hierarchy; the CLI turns these into one-line messages and exit codes."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of the `briefing` command (documented in the README)."""

    OK = 0
    ERROR = 1  # the run failed; the message says why
    USAGE = 2  # bad command line, configuration or template
    NOTHING_TO_BRIEF = 3  # no usable article was found
    MISSING_DEPENDENCY = 4  # a required program or package is not installed
    LOCKED = 5  # another run is writing to the same output directory
    NOT_PUBLISHED = 6  # the episode is made, but the feed could not be updated


class BriefingError(Exception):
    """Base class: the message is shown to the user and should say how to fix it."""

    exit_code: ExitCode = ExitCode.ERROR
    # False for an outcome that is information, not a fault: the CLI says `note:`, the log
    # INFO, and [notify] does not count it as a failure.
    failure: bool = True


class UsageError(BriefingError):
    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """The configuration file is missing, not valid TOML, or has an unknown key or wrong type."""


class TemplateError(UsageError):
    """A template is missing, invalid, or refers to an undefined variable."""


class UnknownEngineError(UsageError):
    """An engine name that is not in the registry."""


class NothingToBriefError(BriefingError):
    """No usable article, or nothing new since the last run: news, not a fault."""

    exit_code = ExitCode.NOTHING_TO_BRIEF
    failure = False


class MissingDependencyError(BriefingError):
    exit_code = ExitCode.MISSING_DEPENDENCY


class SpeechError(BriefingError):
    """Text-to-speech failed, crashed or timed out."""


class AudioError(BriefingError):
    """Joining or encoding audio failed."""


class InputError(BriefingError):
    """One input file could not be used; the run skips it and carries on."""


class LockedError(BriefingError):
    """Another `briefing run` holds the output directory's lock."""

    exit_code = ExitCode.LOCKED


class NotPublishedError(BriefingError):
    """The episode is on disk, but the feed and page do not list it yet."""

    exit_code = ExitCode.NOT_PUBLISHED


class DeadlineError(BriefingError):
    """The run took longer than its deadline and was stopped."""


class UploadError(BriefingError):
    """Copying the published files to [publish] remote failed; the next upload resumes."""


class OutputError(BriefingError):
    """A file could not be written: disk full, read-only file system, or no permission."""
