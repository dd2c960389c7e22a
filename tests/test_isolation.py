"""Isolation by design: an error nobody foresaw, at any stage, costs one input.

Every stage that handles one input at a time (reading a file, parsing a feed, extracting
a page, summarizing an article, speaking a story) is made to raise for one input, all
in one run: each is one `warning:` line naming that input, the traceback goes to the
log file, and the episode is made from the rest (briefing/isolation.py).
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import briefing.sources
import briefing.sources.files
import briefing.speak.segments
import briefing.summarize.plan
from briefing.cli import cli
from briefing.errors import (
    DeadlineError,
    ExitCode,
    InputError,
    MissingDependencyError,
    OutputError,
    UsageError,
)
from briefing.isolation import isolated
from briefing.models import Problem
from briefing.runtime import Interrupted
from tests.helpers import write_article
from tests.webserver import DATE, Site, serve

site = pytest.fixture(serve)


class Injected(RuntimeError):
    """The error a stage raises for its chosen input: no stage expects it."""


def _fail_for(real: Callable[..., Any], marker: str, of: Callable[..., str]) -> Callable[..., Any]:
    def stage(*args: Any, **kwargs: Any) -> Any:
        if marker in of(*args, **kwargs):
            raise Injected(f"injected at {marker}")
        return real(*args, **kwargs)

    return stage


def test_an_error_at_every_stage_costs_one_input_and_the_episode_is_made(
    site: Site, tmp_path: Path, fake_engine: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_article(tmp_path / "in", "budget.txt", "Council passes budget")
    write_article(tmp_path / "in", "broken.txt", "A file that breaks the reader")
    files, sources = briefing.sources.files, briefing.sources
    plan, segments = briefing.summarize.plan, briefing.speak.segments
    injections: dict[str, tuple[object, str, str, Callable[..., str]]] = {
        # stage: (module, function, the input it fails for, how the input is named)
        "read file": (files, "_load", "broken.txt", lambda path, *_: str(path)),
        "parse feed": (sources, "parse_feed", "/atom.xml", lambda response: response.url),
        "extract page": (sources, "extract_article", "storm.html", lambda body, url, *_: url),
        "summarize": (plan, "analyse", "Library opens late", lambda article: article.headline),
        "speak": (segments, "speak_segment", "Old bridge", lambda seg, *_: seg.title),
    }
    for module, name, marker, of in injections.values():
        monkeypatch.setattr(module, name, _fail_for(getattr(module, name), marker, of))
    out = tmp_path / "out"
    args = ["run", "--engine", "fake", "--input", str(tmp_path / "in"), "--output", str(out)]
    args += ["--date", str(DATE), "--feed", site.url("/rss.xml"), "--feed", site.url("/atom.xml")]
    args += ["--url", site.url("/articles/bridge.html")]
    result = CliRunner().invoke(cli, args)

    assert result.exit_code == ExitCode.OK, result.output
    assert (out / f"briefing-{DATE}.mp3").stat().st_size > 10_000
    assert "Council passes budget" in (out / f"briefing-{DATE}.txt").read_text()
    unexpected = [line for line in result.stderr.splitlines() if "unexpected error" in line]
    expected_where = {
        "read file": f"warning: {tmp_path / 'in' / 'broken.txt'}: ",
        "parse feed": f"warning: feed {site.url('/atom.xml')}: ",
        "extract page": f"warning: feed {site.url('/rss.xml')}: {site.url('/articles/storm.html')}",
        "summarize": "warning: Library opens late: ",
        "speak": "warning: story 'Old bridge reopens': ",
    }
    assert len(unexpected) == len(injections), result.stderr
    for stage, prefix in expected_where.items():
        [line] = [x for x in unexpected if x.startswith(prefix)]
        marker = injections[stage][2]
        assert f"(Injected: injected at {marker})" in line, (stage, line)
        assert line.endswith("the log file has the details, please report it")
    assert "Traceback" not in result.output
    log = (out / ".briefing" / "briefing.log").read_text()
    assert log.count("Traceback (most recent call last)") >= len(injections)
    assert all(f"Injected: injected at {m}" in log for _, _, m, _ in injections.values())


def test_a_whole_source_that_fails_costs_that_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article(tmp_path / "in", "budget.txt", "Council passes budget")

    def broken(self: object, ctx: object) -> None:
        raise Injected("the pages source broke")

    monkeypatch.setattr(briefing.sources.PageSource, "gather", broken)
    args = ["script", "--input", str(tmp_path / "in"), "--url", "https://x.test/a"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == ExitCode.OK, result.output
    assert "Council passes budget" in result.stdout
    [line] = result.stderr.splitlines()
    assert line.startswith("warning: [sources] pages: skipped after an unexpected error")


@pytest.mark.parametrize(
    "fault",
    [
        DeadlineError("past the deadline"),
        MissingDependencyError("install ffmpeg"),
        UsageError("bad setting"),
        OutputError("disk full"),
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EROFS, "Read-only file system"),
        Interrupted(15),
        KeyboardInterrupt(),
    ],
)
def test_faults_of_the_run_are_never_turned_into_one_inputs_problem(fault: BaseException) -> None:
    def work() -> None:
        raise fault

    with pytest.raises(type(fault)):
        isolated("input", work)


def test_an_inputs_own_error_keeps_its_message() -> None:
    def work() -> None:
        raise InputError("is not a briefing; check the file")

    assert isolated("a.txt", work) == Problem("a.txt", "is not a briefing; check the file")

    def missing() -> None:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")

    problem = isolated("b.txt", missing)
    assert isinstance(problem, Problem) and problem.where == "b.txt"
    assert problem.message.startswith("skipped after an unexpected error (FileNotFoundError: ")
    assert "\n" not in problem.message
    assert isolated("c.txt", lambda: 42) == 42
