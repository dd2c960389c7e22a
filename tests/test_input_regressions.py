"""Regressions from the fault, fuzz and load run: inputs that were refused, crashed the
run, hung it, or reached the transcript and tags as they were. Each test is built from
the reproduction in the report and failed before the fix."""

from __future__ import annotations

import gzip
import json
import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import ExitCode
from briefing.models import Article
from briefing.sanitize import MAX_HEADLINE_CHARS, clean_headline
from briefing.sources import files
from briefing.sources.feeds import FeedError, parse_feed
from briefing.sources.fetch import Response
from briefing.sources.files import load_articles, load_file
from briefing.sources.pages import extract_article
from tests.helpers import BODY, needs_ffmpeg, write_article
from tests.test_sources import gather, settings_for
from tests.webserver import STORM_TEXT, Site, serve

REPO = Path(__file__).resolve().parent.parent
site = pytest.fixture(serve)

# One paragraph, as an article copied out of a page and saved as plain text, ending
# with a quotation (the sentence ends inside the quotes).
QUOTED = (
    "The council approved the new budget on Monday after weeks of debate, and the mayor "
    "said the extra money for buses would arrive by spring. 'This is a good day for "
    "everyone who rides the bus to work,' she told reporters. Opponents were not "
    "convinced. 'We will keep fighting for cheaper housing,' said one of them."
)


# --- 4. an article saved as one paragraph ------------------------------------------


@pytest.mark.parametrize(
    "ending",
    ["'", "’", '"', "”", "»", ")", "']"],
)
def test_one_paragraph_ending_inside_quotes_is_the_lead(tmp_path: Path, ending: str) -> None:
    text = QUOTED.removesuffix("'") + ending
    path = tmp_path / "quoted.txt"
    path.write_text(text + "\n")
    article = load_file(path)  # was: "has a headline but no article text"
    assert article.body == text
    assert article.headline_from_text
    assert article.headline.startswith("The council approved the new budget on Monday")


def test_a_first_line_longer_than_any_headline_is_the_lead(tmp_path: Path) -> None:
    # Image captions end many saved articles: no full stop, and far too long for a title.
    caption = " ".join(BODY.replace(".", "").split()[:60])
    path = tmp_path / "caption.txt"
    path.write_text(caption + "\n")
    article = load_file(path)
    assert article.body == caption
    assert len(article.headline.split()) <= files.TITLE_WORDS


def test_no_saved_cnn_dailymail_article_is_refused(tmp_path: Path) -> None:
    # The report: 71 of 150 CNN/DailyMail test articles saved as plain text (one line
    # each) were refused. The 100 bundled with the benchmark, the same way.
    with gzip.open(REPO / "bench" / "data" / "cnndm_frank_test.jsonl.gz", "rt") as fh:
        rows = [json.loads(line) for line in fh]
    for i, row in enumerate(rows):
        (tmp_path / f"{i:03d}.txt").write_text(" ".join(row["article"].split()) + "\n")
    result = load_articles(tmp_path)
    assert [p for p in result.problems if "no article text" in p.message] == []
    assert len(result.articles) == len(rows)


# --- 5. a feed answering 200 with an empty body --------------------------------------


@pytest.mark.parametrize("body", [b"", b"  \n\t"])
def test_an_empty_feed_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError, match="answered with an empty page, not a feed"):
        parse_feed(Response("https://x.test/feed", "application/rss+xml", None, body))


def test_an_empty_feed_is_one_problem_and_the_rest_is_briefed(site: Site, tmp_path: Path) -> None:
    site.pages["/empty.xml"] = b""  # was: AttributeError, exit 1, no episode
    settings = settings_for(tmp_path, feeds=(site.url("/empty.xml"), site.url("/rss.xml")))
    result = gather(settings)
    assert result.articles  # the good feed is briefed
    [problem] = [p for p in result.problems if "empty.xml" in p.where]
    assert problem.message.startswith("answered with an empty page, not a feed")


# --- 2 and 6. files that are not regular files ---------------------------------------


def _load_promptly(directory: Path, **kw: float) -> files.LoadResult:
    """load_articles, failing the test (not hanging it) if it takes more than 20 s."""
    done: list[files.LoadResult] = []
    worker = threading.Thread(target=lambda: done.append(load_articles(directory, **kw)))
    worker.daemon = True
    worker.start()
    worker.join(20)
    assert done, "loading the directory hung"
    return done[0]


def test_fifos_devices_and_bad_links_are_skipped_with_a_warning(tmp_path: Path) -> None:
    write_article(tmp_path, "good.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it to read would block forever
    (tmp_path / "null.txt").symlink_to("/dev/null")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "folder.html").mkdir()
    result = _load_promptly(tmp_path)
    assert [a.path.name for a in result.articles if a.path] == ["good.txt"]
    messages = {Path(p.where).name: p.message for p in result.problems}
    assert messages == {
        "pipe.txt": "is a FIFO (named pipe), not a regular file; skipped",
        "null.txt": "is a device file, not a regular file; skipped",
        "loop.txt": "is a symbolic link that loops; fix or remove the link",
        "gone.md": f"is a symbolic link to {tmp_path}/nowhere.md, which does not exist; "
        "fix or remove the link",
        "folder.html": "is a directory, not a regular file; skipped",
    }


@pytest.mark.skipif(not Path("/proc/kmsg").exists(), reason="no /proc/kmsg (not Linux)")
def test_a_link_to_proc_kmsg_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The report: `k.txt -> /proc/kmsg` blocked the run forever while it held the lock.
    (tmp_path / "k.txt").symlink_to("/proc/kmsg")
    opened: list[Path] = []
    real = files._read_regular

    def read_regular(path: Path) -> bytes:
        opened.append(path)
        return real(path)

    monkeypatch.setattr(files, "_read_regular", read_regular)
    result = _load_promptly(tmp_path)
    assert [(Path(p.where).name, p.message) for p in result.problems] == [
        ("k.txt", "has no text; add an article or remove the file")
    ]
    assert opened == []  # never opened: reading it consumes the kernel's log


def test_a_read_that_hangs_is_given_up_after_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article(tmp_path, "good.txt")
    write_article(tmp_path, "hung.txt", "On a hung network drive")
    real = files._read_regular
    never = threading.Event()

    def read(path: Path) -> bytes:
        if path.name == "hung.txt":
            never.wait()  # a read that does not return
        return real(path)

    monkeypatch.setattr(files, "_read_regular", read)
    start = time.monotonic()
    result = _load_promptly(tmp_path, read_timeout=0.3)
    assert time.monotonic() - start < 5
    assert [a.path.name for a in result.articles if a.path] == ["good.txt"]
    assert [(Path(p.where).name, p.message) for p in result.problems] == [
        ("hung.txt", "could not be read within 0.3 s (a hung network drive?); skipped")
    ]
    never.set()


# --- 6. file names, control characters, runaway headlines ----------------------------


def test_a_newline_in_a_file_name_does_not_split_its_warning(tmp_path: Path) -> None:
    write_article(tmp_path, "good.txt")
    (tmp_path / "two\nlines\x1b[31m.txt").write_text("")
    result = CliRunner().invoke(cli, ["script", "--input", str(tmp_path)])
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stderr == (
        f"warning: {tmp_path}/two\\nlines\\x1b[31m.txt: has no text; "
        "add an article or remove the file\n"
    )


HOSTILE = "Council\x01 passes \x1b[31mbudget\x1b[0m\x07"


def test_control_characters_never_reach_an_article() -> None:
    article = Article(HOSTILE, "First\x00 line.\r\nSecond\x1b]0;title\x07 line.\x7f", "Daily\x9b")
    assert article.headline == "Council passes budget"
    assert article.body == "First line.\nSecond line."
    assert article.source == "Daily"


@needs_ffmpeg
def test_control_characters_reach_neither_transcript_nor_chapters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_engine: object
) -> None:
    from mutagen.id3 import ID3

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    write_article(tmp_path / "in", "a.txt", HOSTILE, BODY.replace("budget", "bud\x01get"))
    write_article(tmp_path / "in", "b.txt", "Storm\x1b[1m hits coast", STORM_TEXT)
    result = CliRunner().invoke(
        cli, ["run", "--input", "in", "--output", "out", "--engine", "fake", "--date", "2026-11-24"]
    )
    assert result.exit_code == ExitCode.OK, result.output
    transcript = (tmp_path / "out" / "briefing-2026-11-24.txt").read_text()
    assert "Council passes budget" in transcript and "Storm hits coast" in transcript
    titles = [
        frame.sub_frames["TIT2"].text[0]
        for frame in ID3(tmp_path / "out" / "briefing-2026-11-24.mp3").getall("CHAP")
    ]
    assert "Council passes budget" in titles and "Storm hits coast" in titles
    for text in (transcript, *titles):
        assert not any((ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) <= 0x9F for c in text)


RUNAWAY = " ".join(f"keyword{i}" for i in range(4000))  # about 38,000 characters, no end


def test_a_runaway_headline_is_cut_in_every_source(site: Site, tmp_path: Path) -> None:
    # The report: a 38,000-character headline was read aloud for 31 of 44 minutes.
    assert len(RUNAWAY) > 38_000
    cut = clean_headline(RUNAWAY)
    assert len(cut) <= MAX_HEADLINE_CHARS and cut.endswith("…")
    assert RUNAWAY.startswith(cut.removesuffix("…") + " ")  # cut between two words
    # A file whose first line runs on: the line is the text, the title is made from it.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text(f"{RUNAWAY}\n\n{BODY}\n")
    article = load_file(tmp_path / "in" / "long.txt")
    assert len(article.headline) <= MAX_HEADLINE_CHARS
    assert article.body.startswith(RUNAWAY)
    # A page whose <title> and og:title run on.
    page = (
        f"<html><head><title>{RUNAWAY}</title><meta property='og:title' content='{RUNAWAY}'>"
        f"</head><body><article><p>{STORM_TEXT}</p><p>{BODY}</p></article></body></html>"
    )
    assert len(extract_article(page.encode(), "https://x.test/a").headline) <= MAX_HEADLINE_CHARS
    # A feed entry's title.
    site.pages["/long.xml"] = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>News</title><item>"
        f"<title>{RUNAWAY}</title><link>{site.url('/x')}</link>"
        f"<description>{STORM_TEXT}</description></item></channel></rss>"
    ).encode()
    loaded = gather(settings_for(tmp_path, feeds=(site.url("/long.xml"),)))
    [from_feed] = loaded.articles
    assert len(from_feed.headline) <= MAX_HEADLINE_CHARS
    assert from_feed.headline.startswith("keyword0 keyword1")
