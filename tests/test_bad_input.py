"""Bad input never stops the briefing: each bad file, feed or page is one warning line
naming it and the fix (or a documented skip), and the good articles are still briefed.

Everything goes through public entry points: `briefing.sources.files`, `briefing.sources`,
`briefing.pipeline.prepare` and the CLI. Feeds are served from 127.0.0.1 only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import ExitCode
from briefing.pipeline import prepare
from briefing.settings import Settings
from briefing.sources import gather_articles
from briefing.sources.fetch import MAX_BYTES as FETCH_CAP
from briefing.sources.fetch import FetchError, fetch
from briefing.sources.files import MAX_BYTES, load_articles, load_file
from tests.helpers import BODY, needs_ffmpeg, write_article
from tests.webserver import DATE, STORM_TEXT, Site, serve

site = pytest.fixture(serve)

GOOD_HEADLINE = "Council passes budget"
STORM = "Storm hits coast"


def _bad_files(d: Path) -> dict[str, str]:
    """Write one file per kind of bad input; return {file name: what its warning says}."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 20)
    # Binary without a single NUL byte (a PDF or JPEG saved as .txt): control characters.
    (d / "no-nul.txt").write_bytes(bytes(b for b in os.urandom(8000) if b) or b"\x01")
    (d / "scripts-only.html").write_text(
        "<html><head><script>var a = 1;</script><style>p { color: red }</style></head>"
        "<body><script>document.write('hello')</script><noscript>Enable JS</noscript>"
        "</body></html>"
    )
    (d / "no-sentences.txt").write_text("Shopping list\n\napples\npears\nbananas\nmilk\n")
    (d / "headline-only.txt").write_text("Just a headline\n")
    (d / "russian.txt").write_text(
        "Правительство приняло бюджет\n\nПравительство в понедельник приняло новый "
        "бюджет. Расходы на общественный транспорт вырастут на десять процентов. "
        "Оппозиция резко раскритиковала эти планы и обещала бороться с ними.\n"
    )
    with open(d / "huge.txt", "wb") as fh:  # 20 MB, written sparse: cheap on disk
        fh.write(b"Huge\n\n")
        fh.truncate(20 * 1024 * 1024)
    write_article(d, "zz-copy-of-good.txt", GOOD_HEADLINE)
    return {
        "empty.txt": "has no text; add an article or remove the file",
        "binary.txt": "looks like a binary file, not text; save the article as .txt",
        "no-nul.txt": "looks like a binary file, not text; save the article as .txt",
        "scripts-only.html": "has no text; add an article or remove the file",
        "no-sentences.txt": "not summarized: no complete sentence",
        "headline-only.txt": "has a headline but no article text; add the text below it",
        "russian.txt": "not summarized: the text is mostly in a non-Latin script",
        "huge.txt": "is 21.0 MB, over the 5 MB limit for one article; split it or remove it",
        "zz-copy-of-good.txt": "has the same text as good.txt; told once",
    }


@pytest.fixture
def inbox(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    d = tmp_path / "in"
    write_article(d, "good.txt", GOOD_HEADLINE, source="City Daily")
    write_article(d, "storm at the coast – Küste.txt", STORM, STORM_TEXT)
    expected = _bad_files(d)
    return d, expected


def _warnings(stderr: str) -> dict[str, str]:
    found = {}
    for line in stderr.splitlines():
        if line.startswith("note: ") and "owner_email" in line:
            continue  # the first run in an output directory says Apple needs one
        assert line.startswith("warning: "), line
        where, _, message = line.removeprefix("warning: ").partition(": ")
        found[Path(where).name] = message
    return found


def test_every_bad_file_is_one_warning_and_the_script_is_still_made(inbox) -> None:
    directory, expected = inbox
    result = CliRunner().invoke(
        cli, ["script", "--input", str(directory), "--date", DATE.isoformat()]
    )
    assert result.exit_code == ExitCode.OK, result.output
    warnings = _warnings(result.stderr)
    assert warnings.keys() == expected.keys()
    for name, message in expected.items():
        assert warnings[name].startswith(message), (name, warnings[name])
    assert "There are 2 stories today." in result.stdout
    assert f"{GOOD_HEADLINE}." in result.stdout and f"{STORM}." in result.stdout
    assert result.stdout.count(BODY.split(".")[0]) == 1  # the copy is told once


@needs_ffmpeg
def test_the_run_makes_the_episode_from_the_good_articles(inbox, tmp_path, fake_engine) -> None:
    directory, expected = inbox
    out = tmp_path / "out"
    args = ["run", "--engine", "fake", "--input", str(directory), "--output", str(out)]
    result = CliRunner().invoke(cli, [*args, "--date", DATE.isoformat()])
    assert result.exit_code == ExitCode.OK, result.output
    assert _warnings(result.stderr).keys() == expected.keys()
    mp3, txt = out / f"briefing-{DATE}.mp3", out / f"briefing-{DATE}.txt"
    assert result.stdout.split() == [str(mp3), str(txt)]
    assert mp3.stat().st_size > 10_000
    assert STORM in txt.read_text() and GOOD_HEADLINE in txt.read_text()
    # Every problem also lands in the log file, for cron.
    log = (out / ".briefing" / "briefing.log").read_text()
    assert all(f"{name}: " in log for name in expected)


def test_only_bad_files_is_nothing_to_brief_with_reasons(tmp_path: Path) -> None:
    _bad_files(tmp_path / "in")
    (tmp_path / "in" / "zz-copy-of-good.txt").unlink()
    result = CliRunner().invoke(cli, ["script", "--input", str(tmp_path / "in")])
    assert result.exit_code == ExitCode.NOTHING_TO_BRIEF
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"note: no usable article in {tmp_path / 'in'} (")
    assert "binary.txt: looks like a binary file" in result.stderr


# --- the loader, case by case ---------------------------------------------------------


def test_damaged_utf8_keeps_its_accents_and_says_so(tmp_path: Path) -> None:
    text = f"Café owners protest\n\nThe café owners in Zürich protested. {BODY}\n".encode()
    path = tmp_path / "damaged.txt"
    path.write_bytes(text.replace(b"protested", b"prot\xc3ested"))
    write_article(tmp_path, "ok.txt", "Other", STORM_TEXT)
    result = load_articles(tmp_path)
    damaged = next(a for a in result.articles if a.path == path)
    assert damaged.headline == "Café owners protest"
    assert "The café owners in Zürich protested." in damaged.body
    assert [(Path(p.where).name, p.message) for p in result.problems] == [
        ("damaged.txt", "is not valid UTF-8 in 1 place (left out); save the file as UTF-8")
    ]


def test_windows_1252_is_read_without_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes(f"Café reopens\n\nThe café “Zur Post” reopened. {BODY}\n".encode("cp1252"))
    result = load_articles(tmp_path)
    assert result.problems == ()
    assert result.articles[0].headline == "Café reopens"
    assert "“Zur Post”" in result.articles[0].body


def test_one_paragraph_without_a_headline_is_an_article_titled_by_its_lead(
    tmp_path: Path,
) -> None:
    path = tmp_path / "storm_warning.txt"
    path.write_text("\n\n" + STORM_TEXT + "\n")
    article = load_file(path)
    assert article.headline == "A powerful storm hit the northern coast on Sunday night"
    assert article.headline_from_text
    assert article.body == STORM_TEXT


def test_a_body_with_no_words_to_title_it_is_named_after_its_file(tmp_path: Path) -> None:
    path = tmp_path / "storm_warning.html"
    path.write_text("<html><body><p>...</p></body></html>")  # no <title>, no <h1>, no words
    article = load_file(path)
    assert (article.headline, article.headline_from_text) == ("Storm warning", False)


def test_file_names_with_spaces_unicode_and_undecodable_bytes(tmp_path: Path) -> None:
    write_article(tmp_path, "a story with spaces.txt", "Spaces", BODY)
    write_article(tmp_path, "Küste – 海岸.md", "Unicode", STORM_TEXT)
    raw = os.fsencode(tmp_path) + b"/caf\xe9 news.html"  # Latin-1 bytes: not UTF-8
    with open(raw, "w") as fh:
        fh.write("<p>...</p>")  # no headline and no words to title it by: named after the file
    with open(os.fsencode(tmp_path) + b"/bad \xff.txt", "w") as fh:
        fh.write("")
    result = load_articles(tmp_path)
    assert sorted(a.headline for a in result.articles) == ["Caf news", "Spaces", "Unicode"]
    [problem] = result.problems
    assert problem.where.endswith("/bad \\xff.txt")  # printable, and names the file
    for article in result.articles:
        article.headline.encode("utf-8")  # nothing undecodable reaches the script


def test_file_name_that_is_not_utf8_in_warnings(tmp_path: Path) -> None:
    write_article(tmp_path, "good.txt", GOOD_HEADLINE)
    with open(os.fsencode(tmp_path) + b"/caf\xe9.txt", "w") as fh:
        fh.write("")
    result = CliRunner().invoke(cli, ["script", "--input", str(tmp_path)])
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stderr == f"warning: {tmp_path}/caf\\xe9.txt: has no text; " + (
        "add an article or remove the file\n"
    )


@needs_ffmpeg
def test_a_directory_name_that_is_not_utf8_does_not_break_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_engine
) -> None:
    monkeypatch.chdir(tmp_path)
    os.mkdir(b"caf\xe9")
    result = CliRunner().invoke(
        cli, ["run", "--engine", "fake", "--input", os.fsdecode(b"caf\xe9"), "--output", "out"]
    )
    assert result.exit_code == ExitCode.NOTHING_TO_BRIEF
    assert result.stderr.count("\n") == 1 and "Logging error" not in result.stderr
    log = (tmp_path / "out" / ".briefing" / "briefing.log").read_text()
    assert "INFO NothingToBriefError: no usable article in caf\\udce9" in log


def test_an_article_just_under_the_size_cap_is_summarized_from_its_start(
    tmp_path: Path,
) -> None:
    sentence = "The council met on Monday to discuss the budget for the coming year. "
    path = tmp_path / "long.txt"
    path.write_text("Long meeting\n\n" + sentence * ((MAX_BYTES - 100) // len(sentence)))
    write_article(tmp_path, "good.txt", GOOD_HEADLINE)
    settings = Settings.build(input_dir=tmp_path, date=DATE)
    prepared = prepare(settings)  # (its speed: bench/summarize.py, up to 50,000 words)
    assert {s.headline for s in prepared.stories} >= {GOOD_HEADLINE}
    assert any("only the first" in p.message for p in prepared.problems)


# --- feeds that misbehave, including a "2 GB" one --------------------------------------


class _Endless(BaseHTTPRequestHandler):
    """Streams a generated body of `size` bytes (never held anywhere) and counts bytes sent."""

    sent = 0
    size = 2 * 1024**3
    stopped = threading.Event()  # set when the stream ends: the client hung up (or all sent)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if self.path == "/declared":
            self.send_header("Content-Length", str(self.size))
            self.end_headers()
            return
        self.end_headers()
        block = b"<item>" + b"x" * 65530
        try:
            while type(self).sent < self.size:
                self.wfile.write(block)
                type(self).sent += len(block)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            type(self).stopped.set()


@pytest.fixture
def endless(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    _Endless.sent = 0
    _Endless.stopped = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_2_gb_feed_is_cut_off_at_the_cap_quickly(endless: str) -> None:
    with pytest.raises(FetchError, match="is larger than 10 MB"):
        fetch(endless + "/stream", timeout=20)
    assert _Endless.stopped.wait(10), "the server still streams: the client kept reading"
    assert _Endless.sent < FETCH_CAP + 8 * 1024 * 1024  # stopped near the cap, not at 2 GB
    with pytest.raises(FetchError, match="is larger than 10 MB"):
        fetch(endless + "/declared", timeout=20)


def test_every_kind_of_bad_feed_is_one_warning_and_the_briefing_is_made(
    site: Site, endless: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "in"
    write_article(d, "good.txt", GOOD_HEADLINE)
    bad = {
        site.url("/malformed.xml"): "broken feed",
        site.url("/page.html"): "is not an RSS or Atom feed",
        site.url("/slow"): "did not answer within 1 s; the site may be down, retry later",
        site.url("/loop"): "redirects too often or in a loop",
        site.url("/missing.xml"): "HTTP 404 Not Found; check the address",
        site.url("/error"): "HTTP 500 Internal Server Error; the site has a problem; retry",
        endless + "/stream": "is larger than 10 MB, too big for a feed or article; check the URL",
        "not a url": "is not an http:// or https:// URL; fix it in the config",
    }
    (tmp_path / "briefing.toml").write_text("[sources]\nfetch_timeout = 1.0\n")
    args = ["script", "--input", str(d), "--date", DATE.isoformat()]
    args += ["--config", str(tmp_path / "briefing.toml")]
    for url in bad:
        args += ["--feed", url]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == ExitCode.OK, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == len(bad)
    for url, message in bad.items():
        [line] = [x for x in lines if x.startswith(f"warning: feed {url}: ")]
        assert message in line, line
    assert f"{GOOD_HEADLINE}." in result.stdout


def test_bad_article_urls_are_warnings_too(site: Site, tmp_path: Path) -> None:
    write_article(tmp_path / "in", "good.txt", GOOD_HEADLINE)
    settings = Settings.build(
        input_dir=tmp_path / "in",
        output_dir=tmp_path / "out",
        date=DATE,
        fetch_timeout=1.0,
        urls=(site.url("/error"), site.url("/loop"), site.url("/articles/teaser.html")),
    )
    result = gather_articles(settings.sources, settings.date, tmp_path / "seen.json")
    assert [a.headline for a in result.articles] == [GOOD_HEADLINE]
    assert [p.where for p in result.problems] == [f"url {u}" for u in settings.sources.urls]
    assert all(";" in p.message and "\n" not in p.message for p in result.problems)
