"""feed.xml and index.html: built from the episodes on disk, parsed back as a podcast app would."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import lxml.html
import podcastparser
import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.configfile import load_settings
from briefing.daily import apply_retention, output_lock
from briefing.errors import ConfigError, ExitCode
from briefing.journal import write_metadata
from briefing.layout import Layout
from briefing.models import Chapter, Segment, Story
from briefing.publish import publish
from briefing.publish.cover import draw_cover
from briefing.publish.episodes import scan
from briefing.publish.feed import NAMESPACES, podcast_guid, rebase
from briefing.publish.page import with_feed_url
from briefing.publish.rules import (
    check_category,
    check_chapters,
    check_cover,
    check_feed,
    check_webvtt,
)
from briefing.settings import Settings
from tests.helpers import needs_ffmpeg, write_article

ITUNES = f"{{{NAMESPACES['itunes']}}}"


def node(parent: ET.Element, path: str) -> ET.Element:
    """The element at `path` under `parent`, which must be there."""
    found = parent.find(path)
    assert found is not None, f"no {path}"
    return found


NASTY = "Tom & Jerry <b>win</b> ]]> the \"cup\" \x0b'again'"
NASTY_CLEAN = NASTY.replace("\x0b", "")  # XML 1.0 cannot carry \x0b at all


def episode(out: Path, date: str, stories: list[Story], *, size: int = 5000) -> Path:
    """A fake episode: MP3 bytes, a script and the metadata sidecar a run writes."""
    mp3 = out / f"briefing-{date}.mp3"
    out.mkdir(parents=True, exist_ok=True)
    mp3.write_bytes(b"\xff\xfb" + bytes(size - 2))
    mp3.with_suffix(".txt").write_text(
        "Good morning.\n\n" + "\n\n".join(s.headline for s in stories) + "\n", encoding="utf-8"
    )
    segments = [Segment("intro", "Good morning.", "Introduction")]
    segments += [Segment("story", s.text, s.headline) for s in stories]
    chapters, start = [], 0
    for seg in segments:
        chapters.append(Chapter(seg.title, start, start + 4000))
        start += 5000
    write_metadata(
        mp3.with_suffix(".json"), dt.date.fromisoformat(date), segments, chapters, stories
    )
    return mp3


def story(headline: str, *sources: str) -> Story:
    return Story(headline, ("One sentence.",), sources)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    directory = tmp_path / "output"
    episode(directory, "2026-11-23", [story("Old bridge reopens", "City Daily")])
    episode(
        directory,
        "2026-11-24",
        [story(NASTY, "Cartoon News", "A & B"), story("Storm hits coast")],
        size=7321,
    )
    return directory


def settings_for(out: Path, **changes: object) -> Settings:
    return Settings.build(output_dir=out, **changes)


def parse(feed: Path, url: str = "http://phone.test/feed.xml") -> feedparser.FeedParserDict:
    parsed = feedparser.parse(
        feed.read_bytes(),
        response_headers={"content-location": url, "content-type": "application/rss+xml"},
    )
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    return parsed


BASE = "http://192.168.1.20:8000/"


def test_feed_has_every_element_a_podcast_app_needs(out: Path) -> None:
    cover = out.parent / "art.jpg"
    cover.write_bytes(jpeg_header(1400, 1400, 3))
    published = publish(
        settings_for(
            out,
            base_url=BASE,
            feed_title="Morning <News> & more",
            feed_author="Ana Lyst",
            feed_language="en-GB",
            feed_category="News > Daily News",
            feed_cover=cover,
        )
    )
    # A public feed (base_url) without an owner email is the one thing Apple would miss.
    assert [p.where for p in published.problems] == ["[feed] owner_email"]
    assert (out / "cover.jpg").read_bytes() == cover.read_bytes()
    parsed = parse(published.feed)
    channel = parsed.feed
    assert channel.title == "Morning <News> & more"
    assert channel.subtitle == Settings().feed.description
    assert channel.language == "en-GB"
    assert channel.link == BASE + "index.html"
    assert channel.author == "Ana Lyst"
    assert channel.image.href == BASE + "cover.jpg"
    assert [t.term for t in channel.tags] == ["News", "Daily News"]
    assert {"itunes", "podcast"} <= set(parsed.namespaces)
    root = ET.parse(published.feed).getroot()
    assert node(root, f"channel/{ITUNES}explicit").text == "false"
    category = node(root, f"channel/{ITUNES}category")
    assert category.get("text") == "News"
    assert node(category, f"{ITUNES}category").get("text") == "Daily News"

    assert [e.title for e in parsed.entries] == [
        "Briefing for Tuesday 24 November 2026",  # newest first
        "Briefing for Monday 23 November 2026",
    ]
    newest = parsed.entries[0]
    enclosure = newest.enclosures[0]
    assert enclosure.href == BASE + "briefing-2026-11-24.mp3"
    assert enclosure.type == "audio/mpeg"
    assert int(enclosure.length) == (out / "briefing-2026-11-24.mp3").stat().st_size == 7321
    assert newest.guidislink is False
    assert ":2026-11-24:" in newest.id and newest.id != parsed.entries[1].id
    assert parsedate_to_datetime(newest.published).date() == dt.date(2026, 11, 24)
    assert newest.itunes_duration == "14"  # the last of three chapters ends at 14 s
    assert newest.podcast_transcript == {
        "url": BASE + "briefing-2026-11-24.txt",
        "type": "text/plain",
        "language": "en-GB",
    }
    # The description lists the headlines, and the nasty one arrives as text, not markup.
    items = lxml.html.fromstring(newest.summary).xpath("//li")
    assert [li.text_content() for li in items] == [
        f"{NASTY_CLEAN} (Cartoon News, A & B)",
        "Storm hits coast",
    ]


def test_nasty_headlines_make_well_formed_xml(out: Path) -> None:
    published = publish(settings_for(out, feed_title="A ]]> B & <C>\x01"))
    root = ET.parse(published.feed).getroot()  # raises on malformed XML
    assert node(root, "channel/title").text == "A ]]> B & <C>"
    description = node(root, "channel/item/description").text or ""
    assert "Tom &amp; Jerry &lt;b&gt;win&lt;/b&gt; ]]&gt; the" in description


def test_guids_do_not_change_between_rebuilds(out: Path) -> None:
    settings = settings_for(out)
    first = [e.id for e in parse(publish(settings).feed).entries]
    (out / "feed.xml").unlink()
    again = [e.id for e in parse(publish(settings).feed).entries]
    assert first == again
    # Lost state: the identity is read back from the feed, so apps see no new episodes.
    Layout.of(settings.output).feed_id.unlink()
    assert [e.id for e in parse(publish(settings).feed).entries] == first
    # A different output directory is a different feed.
    other = out.parent / "other"
    episode(other, "2026-11-24", [story("Storm hits coast")])
    assert parse(publish(settings_for(other)).feed).entries[0].id != first[0]


def test_a_rebuild_with_nothing_new_leaves_the_files_alone(out: Path) -> None:
    settings = settings_for(out)
    publish(settings)
    stamps = {p: p.stat().st_mtime_ns for p in (out / "feed.xml", out / "index.html")}
    publish(settings)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_the_feed_never_lists_a_missing_file(out: Path) -> None:
    settings = settings_for(out, base_url=BASE)
    assert len(parse(publish(settings).feed).entries) == 2
    removed = apply_retention(out, 7, keep=dt.date(2026, 12, 1), today=dt.date(2026, 12, 1))
    assert {p.name for p in removed} >= {"briefing-2026-11-23.mp3", "briefing-2026-11-23.json"}
    parsed = parse(publish(settings).feed)
    assert [e.enclosures[0].href for e in parsed.entries] == [BASE + "briefing-2026-11-24.mp3"]
    (out / "briefing-2026-11-24.txt").unlink()  # no transcript: no transcript link
    parsed = parse(publish(settings).feed)
    assert "podcast_transcript" not in parsed.entries[0]
    page = (out / "index.html").read_text()
    assert "briefing-2026-11-23" not in page and "briefing-2026-11-24.txt" not in page


def test_without_base_url_links_are_relative_and_serving_makes_them_absolute(out: Path) -> None:
    published = publish(settings_for(out))
    raw = ET.parse(published.feed).getroot()
    assert node(raw, "channel/item/enclosure").get("url") == "briefing-2026-11-24.mp3"
    fixed = rebase(published.feed.read_bytes(), "http://10.0.0.7:8000/")
    path = published.feed.with_name("served.xml")
    path.write_bytes(fixed)
    parsed = parse(path)
    assert parsed.feed.image.href == "http://10.0.0.7:8000/cover.png"
    assert parsed.entries[0].enclosures[0].href == "http://10.0.0.7:8000/briefing-2026-11-24.mp3"
    assert parsed.entries[0].podcast_transcript["url"].startswith("http://10.0.0.7:8000/")
    assert parsed.entries[0].id == parse(published.feed).entries[0].id  # guids are not URLs
    # A feed built with base_url keeps its links.
    with_base = publish(settings_for(out, base_url="https://pod.example/b"))
    kept = rebase(with_base.feed.read_bytes(), "http://10.0.0.7:8000/")
    assert b"http://10.0.0.7" not in kept and b"https://pod.example/b/cover.png" in kept
    # ... unless it is told they moved (a token's path segment added to base_url).
    moved = rebase(
        with_base.feed.read_bytes(), "https://pod.example/b/T/", "https://pod.example/b/"
    )
    assert b'url="https://pod.example/b/T/briefing-2026-11-24.mp3"' in moved


@pytest.mark.parametrize("url", ["ftp://host/", "192.168.1.20:8000", "http:///x", "http://h/?a=1"])
def test_a_bad_base_url_is_a_config_error(out: Path, url: str) -> None:
    with pytest.raises(ConfigError, match=r"\[feed\] base_url must be the http:// or https://"):
        publish(settings_for(out, base_url=url))


def test_an_unusable_cover_is_reported_and_the_drawn_one_used(out: Path) -> None:
    published = publish(settings_for(out, feed_cover=out.parent / "missing.png"))
    assert [str(p) for p in published.problems] == [
        f"[feed] cover {out.parent / 'missing.png'}: cannot be read "
        "(No such file or directory); using the default"
    ]
    assert published.cover == out / "cover.png"
    assert (out / "cover.png").read_bytes() == draw_cover()
    gif = out.parent / "art.gif"
    gif.write_bytes(b"GIF89a")
    problems = publish(settings_for(out, feed_cover=gif)).problems
    assert "must be a .jpg or .png image" in str(problems[0])


def test_the_drawn_cover_is_a_square_png_podcast_apps_accept() -> None:
    data = draw_cover()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width == height and 1400 <= width <= 3000
    assert len(data) < 100_000


@needs_ffmpeg  # the duration comes from ffprobe
def test_an_episode_without_metadata_falls_back_to_the_mp3_and_script(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "briefing-2026-11-20.mp3").write_bytes(b"\xff\xfb" + bytes(998))
    (out / "briefing-2026-11-20.txt").write_text("Good morning. " * 100)
    (out / "briefing-2026-11-21.mp3").write_bytes(b"\xff\xfb" + bytes(998))
    (out / "briefing-2026-11-21.json").write_text("{ damaged")
    (out / "briefing-2026-11-22.mp3").mkdir()  # not a file: ignored
    (out / "briefing-2026-13-01.mp3").write_bytes(b"x")  # not a date: ignored
    (out / ".briefing-2026-11-19.mp3.x.part").write_bytes(b"x")  # half-written: ignored
    episodes = scan(Layout(out))
    assert [e.date.isoformat() for e in episodes] == ["2026-11-21", "2026-11-20"]
    assert episodes[1].title == "Briefing for Friday 20 November 2026"
    assert episodes[1].stories == ()
    published = publish(Settings.build(output_dir=out))
    entry = parse(published.feed).entries[1]
    assert entry.summary.startswith("<p>Good morning. Good morning.") and entry.summary.endswith(
        "…</p>"
    )
    assert len(entry.summary) < 700


@needs_ffmpeg
def test_the_duration_comes_from_ffprobe_without_metadata(tmp_path: Path) -> None:
    import subprocess

    out = tmp_path / "output"
    out.mkdir()
    tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-ac", "1", "-b:a", "32k"]
    subprocess.run(
        ["ffmpeg", "-v", "error", *tone, str(out / "briefing-2026-11-20.mp3")], check=True
    )
    entry = parse(publish(Settings.build(output_dir=out)).feed).entries[0]
    assert entry.itunes_duration == "3"


def test_page_lists_episodes_newest_first_with_player_stories_and_transcript(out: Path) -> None:
    publish(settings_for(out))
    text = (out / "index.html").read_text(encoding="utf-8")
    doc = lxml.html.fromstring(text)
    assert doc.xpath("//meta[@name='viewport']/@content") == ["width=device-width, initial-scale=1"]
    # Self-contained: no external script, stylesheet or font.
    assert not doc.xpath("//script[@src] | //link[@rel='stylesheet']")
    articles = doc.xpath("//article")
    assert [a.get("id") for a in articles] == ["2026-11-24", "2026-11-23"]
    audio = articles[0].xpath(".//audio")[0]
    assert audio.get("src") == "briefing-2026-11-24.mp3"
    assert audio.get("preload") == "metadata" and audio.get("controls") is not None
    meta = articles[0].xpath(".//p[@class='meta']")[0].text_content()
    assert "14 s" in meta and "2 stories" in meta
    stories = [li.text_content() for li in articles[0].xpath(".//ol/li")]
    assert stories[0].startswith(NASTY_CLEAN.replace("\x0b", ""))  # text, never markup
    assert "<b>win</b>" not in text and "Tom &amp; Jerry &lt;b&gt;win&lt;/b&gt;" in text
    assert articles[0].xpath(".//button[@data-seek]/@data-seek") == ["5.000", "10.000"]
    details = articles[0].xpath(".//details")[0]
    assert details.xpath("./summary")[0].text == "Transcript"
    assert "Storm hits coast" in details.text_content()
    assert details.xpath(".//a/@href") == ["briefing-2026-11-24.txt"]
    # Older episodes are folded, their players load nothing until opened.
    older = articles[1].xpath("./details")[0]
    assert older.get("open") is None
    assert "Briefing for Monday 23 November 2026" in older.xpath("./summary")[0].text_content()
    assert older.xpath(".//audio/@preload") == ["none"]
    # Without base_url the feed address is relative: no QR code can be made here.
    assert doc.xpath("//a[@id='feed']/@href") == ["feed.xml"]
    assert not doc.xpath("//section[@class='subscribe']//svg")


def test_page_without_episodes_says_how_to_make_one(tmp_path: Path) -> None:
    published = publish(Settings.build(output_dir=tmp_path / "empty"))
    assert "briefing run" in published.page.read_text()
    assert parse(published.feed).entries == []


def test_feed_keys_are_read_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text(
        '[feed]\ntitle = "Kitchen radio"\ncover = "art/cover.png"\nexplicit = true\n'
        'base_url = "http://192.168.1.20:8000/"\n'
    )
    settings = load_settings(config)
    assert settings.feed.title == "Kitchen radio"
    assert settings.feed.cover == tmp_path / "art" / "cover.png"  # relative to the file
    assert settings.feed.explicit is True
    assert settings.feed.base_url == "http://192.168.1.20:8000/"
    config.write_text("[feed]\nexplicit = 'no'\n")
    with pytest.raises(ConfigError, match=r"feed\.explicit must be true or false"):
        load_settings(config)


# --- through a real run -------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    write_article(tmp_path / "seeds", "a.txt", "Council passes budget", source="City Daily")
    write_article(tmp_path / "seeds", "b.txt", "Storm & <flood> warning", body=STORM)
    return tmp_path


STORM = (
    "A powerful storm hit the northern coast on Sunday night, bringing strong winds. "
    "More than forty thousand homes lost power as trees fell on lines across the region. "
    "Schools in three districts stayed closed on Monday while crews cleared the roads. "
    "Officials urged residents to stay away from the beaches until the waves calm down."
)


@needs_ffmpeg
def test_run_writes_metadata_and_rebuilds_feed_and_page(project: Path, fake_engine) -> None:
    (project / "briefing.toml").write_text(f'[feed]\nbase_url = "{BASE}"\n')
    result = CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", "2026-11-24"])
    assert result.exit_code == 0, result.output
    out = project / "output"
    meta = json.loads((out / "briefing-2026-11-24.json").read_text())
    assert meta["date"] == "2026-11-24"
    assert meta["title"] == "Briefing for Tuesday 24 November 2026"
    headlines = [s["headline"] for s in meta["stories"]]
    assert sorted(headlines) == ["Council passes budget", "Storm & <flood> warning"]
    starts = [s["start_s"] for s in meta["stories"]]
    assert 0 < starts[0] < starts[1] < meta["duration_s"]
    council = next(s for s in meta["stories"] if s["headline"] == "Council passes budget")
    assert council["sources"] == ["City Daily"]
    entry = parse(out / "feed.xml").entries[0]
    assert int(entry.enclosures[0].length) == (out / "briefing-2026-11-24.mp3").stat().st_size
    assert int(entry.itunes_duration) == round(meta["duration_s"])
    assert "Storm &amp; &lt;flood&gt; warning" in (out / "index.html").read_text()


@needs_ffmpeg
def test_publish_command_rebuilds_without_making_an_episode(project: Path, fake_engine) -> None:
    made = CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", "2026-11-24"])
    assert made.exit_code == 0, made.output
    out = project / "output"
    (out / "feed.xml").unlink()
    (out / "index.html").unlink()
    fake_engine.calls.clear()
    result = CliRunner().invoke(cli, ["publish"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["output/feed.xml", "output/index.html"]
    assert fake_engine.calls == []
    assert len(parse(out / "feed.xml").entries) == 1
    with output_lock(out):  # a run is writing: wait for it
        locked = CliRunner().invoke(cli, ["publish"])
    assert locked.exit_code == ExitCode.LOCKED and "another briefing run" in locked.stderr
    (project / "briefing.toml").write_text('[feed]\nbase_url = "nope"\n')
    bad = CliRunner().invoke(cli, ["publish"])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: [feed] base_url must be")


@needs_ffmpeg
def test_a_feed_problem_never_costs_the_episode(project: Path, fake_engine) -> None:
    (project / "output" / "feed.xml").mkdir(parents=True)  # cannot be replaced by a file
    result = CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", "2026-11-24"])
    # The episode is made, and the exit code says it is not in the feed yet.
    assert result.exit_code == ExitCode.NOT_PUBLISHED, result.output
    assert (project / "output" / "briefing-2026-11-24.mp3").is_file()
    assert (
        "feed.xml and index.html were not updated: cannot write output/feed.xml: a directory "
        "of that name is in the way; move it away"
    ) in result.stderr
    assert "error: briefing-2026-11-24.mp3 is made, but feed.xml and index.html" in (result.stderr)
    # Fixed, the next cron run (the day already made) repairs the feed.
    (project / "output" / "feed.xml").rmdir()
    again = CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", "2026-11-24"])
    assert again.exit_code == 0, again.output
    assert "briefing-2026-11-24.mp3" in (project / "output" / "feed.xml").read_text()


def test_a_bad_base_url_stops_the_run_before_any_work(project: Path, fake_engine) -> None:
    (project / "briefing.toml").write_text('[feed]\nbase_url = "nope"\n')
    result = CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", "2026-11-24"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("error: [feed] base_url must be")
    assert fake_engine.calls == [] and not (project / "output").exists()


# --- a complete feed: chapters, timed transcript, owner, Apple's and Podcasting 2.0's rules


PODCAST = f"{{{NAMESPACES['podcast']}}}"
CUES = [
    {"start_s": 0.0, "end_s": 1.2, "text": "Good morning."},
    {"start_s": 5.0, "end_s": 8.5, "text": 'Tom & Jerry <b>win</b> --> the "cup".'},
    {"start_s": 9.0, "end_s": 9.0, "text": "A sentence heard in no time at all."},
    {"start_s": 10.0, "end_s": 14.0, "text": "Storm hits coast. " * 8},
]


def add_cues(mp3: Path, cues: Sequence[object]) -> None:
    path = mp3.with_suffix(".json")
    meta = json.loads(path.read_text())
    meta["cues"] = cues
    path.write_text(json.dumps(meta))


def complete_feed(out: Path, **feed: object) -> bytes:
    """The feed publish() writes with base_url and the owner set in [feed]."""
    settings = settings_for(
        out, base_url=BASE, owner_name="Ana Lyst", owner_email="ana@example.org", **feed
    )
    return publish(settings).feed.read_bytes()


def test_a_complete_feed_meets_apple_and_podcasting20_rules(out: Path) -> None:
    add_cues(out / "briefing-2026-11-24.mp3", CUES)
    data = complete_feed(out)
    assert check_feed(data) == []
    root = ET.fromstring(data)
    owner = node(root, f"channel/{ITUNES}owner")
    assert owner.findtext(f"{ITUNES}name") == "Ana Lyst"
    assert owner.findtext(f"{ITUNES}email") == "ana@example.org"
    assert root.findtext(f"channel/{PODCAST}guid") == podcast_guid(BASE + "feed.xml")
    assert root.find(f"channel/{PODCAST}locked") is None  # only when asked for
    newest = node(root, "channel/item")
    chapters = node(newest, f"{PODCAST}chapters")
    assert chapters.attrib == {
        "url": BASE + "briefing-2026-11-24.chapters.json",
        "type": "application/json+chapters",
    }
    transcripts = [t.attrib for t in newest.findall(f"{PODCAST}transcript")]
    assert transcripts == [
        {"url": BASE + "briefing-2026-11-24.txt", "type": "text/plain", "language": "en"},
        {"url": BASE + "briefing-2026-11-24.vtt", "type": "text/vtt", "language": "en"},
    ]
    older = root.findall("channel/item")[1]
    assert [t.get("type") for t in older.findall(f"{PODCAST}transcript")] == ["text/plain"]
    assert not (out / "briefing-2026-11-23.vtt").exists()  # no cues, no timed transcript

    # The files they point at follow their formats.
    chapters_text = (out / "briefing-2026-11-24.chapters.json").read_text()
    assert check_chapters(chapters_text) == []
    marks = json.loads(chapters_text)["chapters"]
    assert marks == [
        {"startTime": 0, "title": "Introduction"},
        {"startTime": 5.0, "title": NASTY},
        {"startTime": 10.0, "title": "Storm hits coast"},
    ]
    vtt = (out / "briefing-2026-11-24.vtt").read_text()
    assert check_webvtt(vtt) == []
    assert "Tom &amp; Jerry &lt;b&gt;win&lt;/b&gt; --&gt; the" in vtt
    assert "00:00:09.000 --> 00:00:09.001" in vtt  # a cue always ends after it starts
    assert max(len(line) for line in vtt.splitlines()) <= 65

    # Podcast apps' parsers read it all: feedparser and gPodder's podcastparser.
    path = out / "complete.xml"
    path.write_bytes(data)
    parsed = parse(path)
    assert parsed.feed.publisher_detail.email == "ana@example.org"
    # feedparser keeps the last podcast:transcript only: it must be the timed one.
    assert parsed.entries[0].podcast_transcript["url"] == BASE + "briefing-2026-11-24.vtt"
    assert parsed.feed.podcast_guid == podcast_guid(BASE + "feed.xml")
    gpodder = podcastparser.parse(BASE + "feed.xml", io.BytesIO(data))
    assert gpodder["title"] == "Daily briefing"
    assert gpodder["cover_url"] == BASE + "cover.png"
    episodes = gpodder["episodes"]
    assert [e["enclosures"][0]["url"] for e in episodes] == [
        BASE + "briefing-2026-11-24.mp3",
        BASE + "briefing-2026-11-23.mp3",
    ]
    assert episodes[0]["guid"] != episodes[1]["guid"]
    assert episodes[0]["total_time"] == 14
    # podcastparser 0.6.11 knows the podcast namespace only by its documentation's
    # GitHub URL, not by the official URI every host uses (and we do): under that name
    # it reads our chapters and transcript links.
    renamed = data.replace(
        NAMESPACES["podcast"].encode(),
        b"https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    )
    gpodder = podcastparser.parse(BASE + "feed.xml", io.BytesIO(renamed))
    newest = gpodder["episodes"][0]
    assert newest["chapters_json_url"] == BASE + "briefing-2026-11-24.chapters.json"
    assert newest["transcript_url"] in (
        BASE + "briefing-2026-11-24.vtt",
        BASE + "briefing-2026-11-24.txt",
    )


def test_the_feed_checks_catch_what_apple_would_reject(out: Path) -> None:
    relative = publish(settings_for(out)).feed.read_bytes()  # no base_url, no owner email
    messages = {p.message for p in check_feed(relative)}
    assert "enclosure url is not absolute" in messages
    assert "itunes:image has no absolute href" in messages
    assert "itunes:owner is missing ([feed] owner_email is not set)" in messages
    # An owner without an email (a W3C validator error) is never written.
    assert b"itunes:owner" not in relative
    assert "podcast:guid must appear once" in messages
    broken = relative.replace(b"<guid", b"<nothing").replace(b"</guid>", b"</nothing>")
    assert "<guid> is missing" in {p.message for p in check_feed(broken)}
    assert check_feed(b"<rss><channel>")[0].message.startswith("is not well-formed XML")
    bad_vtt = "WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nA & B <i>x</i>\n\n00:01.000 --> x\nhi\n"
    assert [p.message for p in check_webvtt(bad_vtt)] == [
        "cue 1 does not end after it starts",
        "cue 1 text has an unescaped < or &",
        "cue 2 has no valid timing line",
    ]
    assert check_webvtt("WEBVTTX\n")[0].message == 'does not start with "WEBVTT"'
    assert [
        p.message for p in check_chapters('{"chapters": [{"startTime": 5}, {"startTime": 1}]}')
    ] == [
        '"version" (a string) is missing',
        "chapter 2 starts before chapter 1",
    ]


def test_a_public_feed_without_an_owner_email_is_warned_about(out: Path) -> None:
    assert publish(settings_for(out)).problems == ()  # a LAN feed: nobody submits it to Apple
    problems = publish(settings_for(out, base_url=BASE)).problems
    assert [p.where for p in problems] == ["[feed] owner_email"]
    assert "Apple Podcasts Connect" in problems[0].message


def test_locked_names_the_owner(out: Path) -> None:
    data = complete_feed(out, locked=True)
    locked = node(ET.fromstring(data), f"channel/{PODCAST}locked")
    assert locked.text == "yes" and locked.get("owner") == "ana@example.org"
    assert check_feed(data) == []


def test_podcast_guid_follows_the_namespace_examples() -> None:
    # The two examples of the Podcasting 2.0 guid tag's documentation.
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )
    assert podcast_guid("http://podnews.net/rss/") == "9b024349-ccf0-5f69-a609-6b82873eab3c"


def test_a_remade_episode_gets_a_new_guid(out: Path) -> None:
    settings = settings_for(out)
    first = [e.id for e in parse(publish(settings).feed).entries]
    assert [e.id for e in parse(publish(settings).feed).entries] == first  # a rebuild
    mp3 = out / "briefing-2026-11-24.mp3"
    meta = json.loads(mp3.with_suffix(".json").read_text())
    meta["made_at"] = "2026-11-24T09:30:00+01:00"  # `briefing run --force` later that day
    mp3.with_suffix(".json").write_text(json.dumps(meta))
    again = [e.id for e in parse(publish(settings).feed).entries]
    assert again[0] != first[0] and again[1] == first[1]
    assert again[0].startswith(first[0].rsplit(":", 1)[0])  # same feed, same date


def test_malformed_cues_are_skipped_not_fatal(out: Path) -> None:
    mp3 = out / "briefing-2026-11-24.mp3"
    add_cues(
        mp3,
        [
            {"start_s": 3, "end_s": 4, "text": "Kept."},
            {"start_s": "x", "end_s": 1, "text": "no"},
            {"start_s": 5, "end_s": 2, "text": "ends before it starts"},
            {"start_s": 1, "end_s": float("inf"), "text": "never ends"},
            {"start_s": 1, "end_s": 2, "text": "   "},
            "not a cue",
            {"start_s": 1, "end_s": 2.5, "text": "Also kept."},
        ],
    )
    episode_info = next(e for e in scan(Layout(out)) if e.mp3 == mp3)
    assert [c.text for c in episode_info.cues] == ["Also kept.", "Kept."]
    publish(settings_for(out))
    assert check_webvtt((out / "briefing-2026-11-24.vtt").read_text()) == []


@pytest.mark.parametrize(
    ("category", "problem"),
    [
        ("News", None),
        ("News > Daily News", None),
        ("Leisure > Animation & Manga", None),
        ("Technology", None),
        ("Newz", "'Newz' is not an Apple Podcasts category"),
        ("news", "did you mean 'News'?"),
        ("News > Weather", "'Weather' is not a subcategory of News"),
        ("News > Daily News > Morning", "more than one subcategory"),
        ("", "is empty"),
    ],
)
def test_the_category_is_checked_against_apples_list(category: str, problem: str | None) -> None:
    found = check_category(category)
    if problem is None:
        assert found == []
    else:
        assert len(found) == 1 and problem in found[0].message


def png_header(width: int, height: int, colour: int = 2) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0\0\0\0"


def jpeg_header(width: int, height: int, components: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\1\1\0\0\1\0\1\0\0"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 8 + 3 * components, 8, height, width, components)
    return b"\xff\xd8" + app0 + sof + b"\1\x11\0" * components


@pytest.mark.parametrize(
    ("name", "data", "messages"),
    [
        ("cover.png", draw_cover(1400), []),
        ("cover.png", png_header(3000, 3000), []),
        ("cover.jpg", jpeg_header(2000, 2000, 3), []),
        (
            "cover.png",
            draw_cover(500),
            ["is 500x500 px; Apple Podcasts wants 1400 to 3000 px a side"],
        ),
        (
            "cover.png",
            png_header(3200, 3200),
            ["is 3200x3200 px; Apple Podcasts wants 1400 to 3000"],
        ),
        ("cover.png", png_header(1600, 1400), ["is 1600x1400 px; Apple Podcasts wants a square"]),
        ("cover.jpg", jpeg_header(1400, 1400, 4), ["is in the CMYK colour space; Apple wants RGB"]),
        ("cover.png", png_header(1400, 1400, 0), ["is in the GREY colour space; Apple wants RGB"]),
        ("cover.jpg", png_header(1400, 1400), ["is a PNG file with a .jpg name"]),
        ("cover.png", b"GIF89a" + bytes(100), ["is not a PNG or JPEG image"]),
    ],
)
def test_the_cover_is_checked_against_apples_rules(
    tmp_path: Path, name: str, data: bytes, messages: list[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    found = [p.message for p in check_cover(path)]
    assert len(found) == len(messages)
    for message, expected in zip(found, messages, strict=True):
        assert message.startswith(expected)
    assert all(str(p).startswith(f"[feed] cover {name}: ") for p in check_cover(path))


def test_a_small_cover_is_warned_about_by_publish(out: Path) -> None:
    small = out.parent / "small.png"
    small.write_bytes(draw_cover(500))
    problems = publish(settings_for(out, feed_cover=small, feed_category="Newz")).problems
    assert [p.where for p in problems] == ["[feed] cover cover.png", "[feed] category"]


def test_the_page_with_base_url_has_a_qr_code_and_one_tap_links(out: Path) -> None:
    page = publish(settings_for(out, base_url=BASE)).page.read_bytes()
    doc = lxml.html.fromstring(page)
    assert doc.xpath("//a[@id='feed']/@href") == [BASE + "feed.xml"]
    assert doc.xpath("//a[@data-scheme]/@data-scheme") == ["podcast", "pcast"]
    svg = doc.xpath("//figure[@class='qr']/svg")
    assert len(svg) == 1 and svg[0].xpath("./title")[0].text == "QR code of " + BASE + "feed.xml"
    # `briefing serve` puts its own address in, and nothing else changes.
    served = with_feed_url(page, "http://10.0.0.7:8000/tok/feed.xml")
    served_doc = lxml.html.fromstring(served)
    assert served_doc.xpath("//a[@id='feed']/@href") == ["http://10.0.0.7:8000/tok/feed.xml"]
    assert BASE.encode() not in served.split(b"<!--/subscribe-->")[0].split(b"<!--subscribe-->")[1]
    assert served.split(b"<!--/subscribe-->")[1] == page.split(b"<!--/subscribe-->")[1]


def test_doctor_says_apple_needs_an_owner_email_until_it_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("BRIEFING_DOCTOR_NO_SPEECH", "1")
    unset = CliRunner().invoke(cli, ["doctor", "--output", str(tmp_path / "out")])
    [line] = [line for line in unset.output.splitlines() if "feed owner" in line]
    assert line.startswith("[ok  ] feed owner: no [feed] owner_email")
    assert "Apple Podcasts needs one" in line
    (tmp_path / "briefing.toml").write_text('[feed]\nowner_email = "ana@example.org"\n')
    set_ = CliRunner().invoke(cli, ["doctor", "--output", str(tmp_path / "out")])
    assert "[ok  ] feed owner: itunes:owner is ana@example.org" in set_.output
