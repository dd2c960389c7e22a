"""Uploading to [publish] remote with rclone, for real: `rclone serve webdav` and
`rclone serve sftp` on loopback, killed before, between and during the upload's steps."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.daily import apply_retention
from briefing.errors import (
    ConfigError,
    ExitCode,
    MissingDependencyError,
    UploadError,
    UsageError,
)
from briefing.layout import Layout
from briefing.publish import publish
from briefing.publish import remote as remote_module
from briefing.publish.remote import STEPS, _stale, shown, upload, upload_quietly
from briefing.settings import PublishSettings, Settings
from tests.helpers import needs_rclone, write_article
from tests.test_publish import episode, story

PASSWORD = "s3cret pass"  # a space, to prove nothing goes through a shell
DAY1, DAY2 = "2026-11-23", "2026-11-24"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`rclone serve KIND` of a local directory on a loopback port, with a password."""

    def __init__(self, kind: str, root: Path, cache: Path, obscured: str) -> None:
        self.kind, self.root, self.cache = kind, root, cache
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.config = root.parent / f"rclone-{kind}.conf"
        url = f"url = http://127.0.0.1:{self.port}/\nvendor = other"
        where = url if kind == "webdav" else f"host = 127.0.0.1\nport = {self.port}"
        self.config.write_text(f"[box]\ntype = {kind}\n{where}\nuser = tester\npass = {obscured}\n")
        self.remote = "box:briefing/"
        self.dir = root / "briefing"

    def start(self) -> None:
        self.root.mkdir(exist_ok=True)
        command = ["rclone", "serve", self.kind, str(self.root), "--addr"]
        command += [f"127.0.0.1:{self.port}", "--user", "tester", "--pass", PASSWORD]
        command += ["--cache-dir", str(self.cache), "--config", os.devnull]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    said = self.proc.stderr.read().decode() if self.proc.stderr else ""
                    raise RuntimeError(f"rclone serve {self.kind} failed: {said}") from None
                time.sleep(0.05)
        raise RuntimeError(f"rclone serve {self.kind} did not start")

    def kill(self) -> None:
        """Die as a crashed or unplugged server does: no goodbye."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


@pytest.fixture(scope="session")
def obscured() -> str:
    done = subprocess.run(["rclone", "obscure", PASSWORD], capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture(scope="session")
def key_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rclone-cache")  # serve sftp's host keys, made once


def _server(kind: str, tmp_path: Path, key_cache: Path, obscured: str) -> Iterator[Server]:
    server = Server(kind, tmp_path / f"{kind}-root", key_cache, obscured)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture(params=["webdav", "sftp"])
def server(
    request: pytest.FixtureRequest, tmp_path: Path, key_cache: Path, obscured: str
) -> Iterator[Server]:
    yield from _server(request.param, tmp_path, key_cache, obscured)


@pytest.fixture
def webdav(tmp_path: Path, key_cache: Path, obscured: str) -> Iterator[Server]:
    yield from _server("webdav", tmp_path, key_cache, obscured)


def remote_settings(server: Server, **changes: object) -> PublishSettings:
    return PublishSettings(
        remote=server.remote,
        rclone_config=server.config,
        **changes,  # type: ignore[arg-type]
    )


def make_day(out: Path, date: str, headline: str, size: int = 5000) -> None:
    episode(out, date, [story(headline)], size=size)
    publish(Settings.build(output_dir=out))


def listed(feed: Path) -> dict[str, int]:
    """The feed's enclosures: file name -> length in bytes."""
    channel = ET.parse(feed).getroot().find("channel")
    assert channel is not None
    return {
        enc.get("url", "").rsplit("/", 1)[-1]: int(enc.get("length", "-1"))
        for enc in channel.iter("enclosure")
    }


def assert_feed_is_honest(directory: Path) -> dict[str, int]:
    """Every episode the remote feed lists is there, whole."""
    files = listed(directory / "feed.xml")
    for name, length in files.items():
        assert (directory / name).is_file(), f"the remote feed lists {name}, which is not there"
        assert (directory / name).stat().st_size == length, f"{name} is incomplete there"
    return files


@pytest.mark.slow
@needs_rclone
def test_two_days_are_uploaded_and_retention_prunes_the_remote(
    server: Server, tmp_path: Path
) -> None:
    out = tmp_path / "output"
    make_day(out, DAY1, "Old bridge reopens")
    layout = Layout(out)
    first = upload(remote_settings(server), layout)
    assert first.episodes == 1 and first.deleted == ()
    names = {p.name for p in server.dir.iterdir()}
    assert {f"briefing-{DAY1}.mp3", f"briefing-{DAY1}.txt", f"briefing-{DAY1}.json"} <= names
    assert {"feed.xml", "index.html", "cover.png"} <= names
    assert ".briefing" not in names and ".briefing.lock" not in names  # state stays home
    assert assert_feed_is_honest(server.dir) == {f"briefing-{DAY1}.mp3": 5000}

    # Day two; retention deletes day one here, and the remote follows. Others' files stay.
    (server.dir / "notes.txt").write_text("mine")
    make_day(out, DAY2, "Storm hits coast", size=7000)
    day2 = dt.date.fromisoformat(DAY2)
    apply_retention(out, 1, keep=day2, today=day2 + dt.timedelta(days=1))
    publish(Settings.build(output_dir=out))
    second = upload(remote_settings(server), layout)
    assert second.deleted == tuple(
        f"briefing-{DAY1}.{ext}" for ext in ("chapters.json", "json", "mp3", "txt")
    )
    names = {p.name for p in server.dir.iterdir()}
    assert not any(DAY1 in name for name in names)
    assert "notes.txt" in names
    assert assert_feed_is_honest(server.dir) == {f"briefing-{DAY2}.mp3": 7000}
    assert "Storm hits coast" in (server.dir / "index.html").read_text()


@pytest.mark.slow
@needs_rclone
def test_a_server_that_dies_before_the_feed_leaves_the_old_feed_and_the_next_upload_finishes(
    webdav: Server, tmp_path: Path
) -> None:
    out = tmp_path / "output"
    make_day(out, DAY1, "Old bridge reopens")
    upload(remote_settings(webdav), Layout(out))
    make_day(out, DAY2, "Storm hits coast")
    steps: list[str] = []

    def die_after_the_media(step: str, done: int, total: int) -> None:
        steps.append(step)
        if step == STEPS[1]:
            webdav.kill()

    with pytest.raises(UploadError) as failed:
        upload(remote_settings(webdav), Layout(out), progress=die_after_the_media)
    assert steps == list(STEPS[:2])
    message = str(failed.value)
    assert message.startswith("upload to box:briefing/ failed while copying the feed and page: ")
    assert "connection refused" in message and "briefing publish` retries" in message
    assert "\n" not in message
    # The new episode got there; the feed there is yesterday's, and true.
    assert (webdav.dir / f"briefing-{DAY2}.mp3").is_file()
    assert assert_feed_is_honest(webdav.dir) == {f"briefing-{DAY1}.mp3": 5000}

    webdav.start()
    result = CliRunner().invoke(
        cli, ["publish", "--config", str(config_file(tmp_path, webdav, out))]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == "uploaded to box:briefing/\n"
    assert set(assert_feed_is_honest(webdav.dir)) == {f"briefing-{d}.mp3" for d in (DAY1, DAY2)}


def config_file(tmp_path: Path, server: Server, out: Path, extra: str = "") -> Path:
    path = tmp_path / "briefing.toml"
    path.write_text(
        f'[output]\noutput_dir = "{out}"\n'
        f'[publish]\nremote = "{server.remote}"\nrclone_config = "{server.config}"\n{extra}'
    )
    return path


@pytest.mark.slow
@needs_rclone
def test_a_server_killed_mid_transfer_never_serves_a_feed_with_a_partial_episode(
    webdav: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "output"
    make_day(out, DAY1, "Old bridge reopens")
    upload(remote_settings(webdav), Layout(out))
    size = 2_000_000
    make_day(out, DAY2, "Storm hits coast", size=size)
    partial = webdav.dir / f"briefing-{DAY2}.mp3"
    monkeypatch.setenv("RCLONE_BWLIMIT", "1M")  # slow enough to be caught half-way
    monkeypatch.setenv("RCLONE_LOW_LEVEL_RETRIES", "1")  # and quick to give up
    seen: list[int] = []

    def kill_when_it_starts_arriving() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if partial.is_file() and partial.stat().st_size > 0:
                webdav.kill()
                seen.append(partial.stat().st_size)
                return
            time.sleep(0.01)

    watcher = threading.Thread(target=kill_when_it_starts_arriving)
    watcher.start()
    with pytest.raises(UploadError, match=r"failed while copying the episodes: .*feed there"):
        upload(remote_settings(webdav), Layout(out))
    watcher.join()
    assert seen and seen[0] < size, "the episode was not caught half-way"
    assert partial.stat().st_size < size  # half an episode is there, but...
    assert assert_feed_is_honest(webdav.dir) == {f"briefing-{DAY1}.mp3": 5000}  # not listed

    monkeypatch.delenv("RCLONE_BWLIMIT")
    webdav.start()
    upload(remote_settings(webdav), Layout(out))
    assert assert_feed_is_honest(webdav.dir)[f"briefing-{DAY2}.mp3"] == size
    assert partial.read_bytes() == (out / partial.name).read_bytes()


@pytest.mark.slow
@needs_rclone
def test_a_remade_episode_killed_mid_upload_never_replaces_the_whole_one_there(
    webdav: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The report: a remade episode overwrote the MP3 there in place; killed mid-upload,
    # the unchanged feed there pointed at a truncated file that an app took as complete.
    out = tmp_path / "output"
    make_day(out, DAY1, "Old bridge reopens")
    upload(remote_settings(webdav), Layout(out))
    old = (webdav.dir / f"briefing-{DAY1}.mp3").read_bytes()
    size = 2_000_000
    make_day(out, DAY1, "Old bridge reopens", size=size)  # `run --force`
    aside = webdav.dir / ".briefing-upload" / f"briefing-{DAY1}.mp3"
    monkeypatch.setenv("RCLONE_BWLIMIT", "1M")
    monkeypatch.setenv("RCLONE_LOW_LEVEL_RETRIES", "1")
    seen: list[int] = []

    def kill_when_it_starts_arriving() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if aside.is_file() and aside.stat().st_size > 0:
                webdav.kill()
                seen.append(aside.stat().st_size)
                return
            time.sleep(0.01)

    watcher = threading.Thread(target=kill_when_it_starts_arriving)
    watcher.start()
    with pytest.raises(UploadError) as failed:
        upload(remote_settings(webdav), Layout(out))
    watcher.join()
    assert seen and seen[0] < size, "the episode was not caught half-way"
    assert "every episode it lists is still whole there" in str(failed.value)
    assert "lists no missing episode" not in str(failed.value)
    assert (webdav.dir / f"briefing-{DAY1}.mp3").read_bytes() == old  # untouched
    assert assert_feed_is_honest(webdav.dir) == {f"briefing-{DAY1}.mp3": 5000}

    monkeypatch.delenv("RCLONE_BWLIMIT")
    webdav.start()
    upload(remote_settings(webdav), Layout(out))
    assert assert_feed_is_honest(webdav.dir) == {f"briefing-{DAY1}.mp3": size}
    assert (webdav.dir / f"briefing-{DAY1}.mp3").read_bytes() == (
        out / f"briefing-{DAY1}.mp3"
    ).read_bytes()
    assert not aside.exists()


@pytest.mark.slow
@needs_rclone
def test_the_daily_run_warns_when_the_host_is_down_and_the_next_run_finishes_the_upload(
    webdav: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_engine: object
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    write_article(tmp_path / "seeds", "a.txt", "Council passes budget")
    out = tmp_path / "output"
    config = config_file(tmp_path, webdav, out, '[speech]\nengine = "fake"\n')
    webdav.kill()
    args = ["run", "--config", str(config), "--date", DAY2]
    down = CliRunner().invoke(cli, args)
    assert down.exit_code == 0, down.output  # the episode is made all the same
    assert (out / f"briefing-{DAY2}.mp3").is_file()
    warnings = [line for line in down.stderr.splitlines() if line.startswith("warning: upload")]
    assert len(warnings) == 1, down.stderr
    assert "failed while copying the episodes" in warnings[0]
    assert "upload to box:briefing/ failed" in (out / ".briefing/briefing.log").read_text()

    webdav.start()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert "already exists" in again.stderr and "warning" not in again.stderr
    assert assert_feed_is_honest(webdav.dir) == {
        f"briefing-{DAY2}.mp3": (out / f"briefing-{DAY2}.mp3").stat().st_size
    }


@needs_rclone
def test_a_connection_string_works_and_its_password_is_never_shown(
    webdav: Server, tmp_path: Path, obscured: str
) -> None:
    out = tmp_path / "output"
    make_day(out, DAY1, "Old bridge reopens")
    url = f"http://127.0.0.1:{webdav.port}/"
    remote = f":webdav,url='{url}',user=tester,pass={obscured}:briefing"
    done = upload(PublishSettings(remote=remote), Layout(out))
    assert done.remote == f":webdav,url='{url}',user=tester,pass=***:briefing"
    assert_feed_is_honest(webdav.dir)
    wrong = remote.replace(obscured, obscured[::-1])
    with pytest.raises(UploadError) as failed:
        upload(PublishSettings(remote=wrong), Layout(out))
    assert obscured[::-1] not in str(failed.value) and "pass=***" in str(failed.value)
    assert "401" in str(failed.value)


@needs_rclone
def test_doctor_checks_rclone_and_reaches_the_remote(
    webdav: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_DOCTOR_NO_SPEECH", "1")
    config = config_file(tmp_path, webdav, tmp_path / "output")
    result = CliRunner().invoke(cli, ["doctor", "--config", str(config)])
    assert "[ok  ] rclone: rclone v" in result.stdout
    assert "[ok  ] remote box:briefing/: box:briefing/ is reachable; the first upload" in (
        result.stdout
    )
    webdav.kill()
    result = CliRunner().invoke(cli, ["doctor", "--config", str(config)])
    assert "[FAIL] remote box:briefing/: cannot reach box:briefing/: " in result.stdout
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY


@needs_rclone
def test_a_remote_name_rclone_does_not_know_says_how_to_fix_it(tmp_path: Path) -> None:
    conf = tmp_path / "rclone.conf"
    conf.write_text("")
    make_day(tmp_path / "o", DAY1, "Old bridge reopens")
    with pytest.raises(UploadError, match=r"rclone has no remote named 'nosuch' in .*rclone\.conf"):
        upload(PublishSettings(remote="nosuch:x", rclone_config=conf), Layout(tmp_path / "o"))


def test_without_rclone_publish_says_what_to_install_and_run_only_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_engine: object
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.chdir(tmp_path)
    write_article(tmp_path / "seeds", "a.txt", "Council passes budget")
    result = CliRunner().invoke(cli, ["publish", "--output", "out", "--remote", "host:x"])
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY
    assert result.stderr.startswith("error: rclone is not installed")
    assert "sudo apt-get install rclone" in result.stderr
    monkeypatch.setenv("BRIEFING_CONFIG", str(tmp_path / "b.toml"))
    (tmp_path / "b.toml").write_text('[publish]\nremote = "host:x"\n')
    made = CliRunner().invoke(cli, ["run", "--engine", "fake", "--output", "out"])
    assert made.exit_code == 0, made.output
    assert "warning: rclone is not installed" in made.stderr
    with pytest.raises(MissingDependencyError):
        upload(PublishSettings(remote="host:x"), Layout(tmp_path / "out"))


def test_a_daily_upload_that_cannot_read_the_output_is_a_warning_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(layout: Layout) -> list[str]:
        raise PermissionError(13, "Permission denied", str(layout.output_dir))

    monkeypatch.setattr(remote_module, "find_rclone", lambda: "/bin/false")
    monkeypatch.setattr(remote_module, "_media", unreadable)
    done = upload_quietly(PublishSettings(remote="host:x"), Layout(tmp_path))
    assert done is not None and done.error is not None
    assert done.error.startswith("upload to host:x failed: [Errno 13] Permission denied")


def test_no_remote_no_upload_and_bad_settings_are_refused(tmp_path: Path) -> None:
    assert upload_quietly(PublishSettings(), Layout(tmp_path)) is None
    with pytest.raises(UsageError, match="rclone destination"):
        PublishSettings(remote="--config=/etc/passwd")
    with pytest.raises(ConfigError, match=r"rclone_config .* does not exist"):
        upload(PublishSettings(remote="a:b", rclone_config=tmp_path / "no.conf"), Layout(tmp_path))


@pytest.mark.parametrize(
    ("remote", "hidden"),
    [
        (":sftp,host=h,user=u,pass=abc123:dir", ":sftp,host=h,user=u,pass=***:dir"),
        (
            ":s3,access_key_id=AK,secret_access_key='x,y':b",
            ":s3,access_key_id=***,secret_access_key=***:b",
        ),
        (
            ":webdav,url='http://h/',bearer_token=\"t\":",
            ":webdav,url='http://h/',bearer_token=***:",
        ),
        ("myserver:briefing/", "myserver:briefing/"),
    ],
)
def test_secrets_in_connection_strings_are_hidden(remote: str, hidden: str) -> None:
    assert shown(remote) == hidden


def test_only_episode_files_gone_here_and_unlinked_are_pruned(tmp_path: Path) -> None:
    out = tmp_path / "output"
    make_day(out, DAY2, "Storm hits coast")
    (out / "feed.xml").write_text(
        (out / "feed.xml").read_text() + f"<!-- briefing-{DAY1}.mp3 -->"
    )  # a feed that failed to rebuild still links to day one
    remote = [
        f"briefing-{DAY1}.mp3",  # linked by the local feed: kept
        f"briefing-{DAY1}.txt",  # gone here, unlinked: deleted
        f"briefing-{DAY2}.mp3",  # here: kept
        "briefing-2026-11-20.vtt",  # gone here: deleted
        "notes.txt",  # not ours: kept
        "briefing-latest.mp3",  # not an episode name: kept
    ]
    assert _stale(remote, Layout(out)) == [f"briefing-{DAY1}.txt", "briefing-2026-11-20.vtt"]
    assert _stale(None, Layout(out)) == []
