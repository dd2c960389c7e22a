"""index.html in a real headless Chromium (Debian's `chromium`), served by `briefing serve`.

The page must load with no console errors and no request leaving the server, be readable
on a phone-sized screen (tap targets of 44 px, text contrast of 4.5:1 in both colour
schemes), show the episode's length before play, highlight the story playing, remember
the position across reloads and tell the lock screen what plays (Media Session). Six
episodes stay a short page: the older ones are folded. Screenshots are kept in
$BRIEFING_ARTIFACTS, or tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.publish import publish
from briefing.publish.serve import Server, address, make_server
from briefing.settings import Settings
from tests.helpers import needs_ffmpeg, write_article

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("BRIEFING_ARTIFACTS") or Path(__file__).parent / "artifacts")
# Flags that work in a container with no GPU, no sandbox support and no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
    ),
    *needs_ffmpeg,
]


@pytest.fixture
def served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_engine: object
) -> Iterator[tuple[Server, Path]]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    seeds = tmp_path / "seeds"
    write_article(seeds, "a.txt", "Council passes <budget> & more", source="City Daily")
    write_article(
        seeds,
        "b.txt",
        "Old bridge reopens to cyclists",
        body=(
            "Engineers reopened the old river bridge on Tuesday after two years of repairs. "
            "The bridge now carries cyclists and pedestrians only, with cars sent downstream. "
            "The repairs cost twelve million euros, slightly less than planned. "
            "The city will hold a small festival on the bridge next weekend to celebrate."
        ),
    )
    # The later day first: made after it, the earlier day would retell no story (each day
    # looks back only at the days before it).
    for date in ("2026-11-24", "2026-11-23"):
        made = CliRunner().invoke(cli, ["run", "--engine", "fake", "--date", date])
        assert made.exit_code == 0, made.output
    out = tmp_path / "output"
    server = make_server(out, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server, out
    finally:
        server.shutdown()
        server.server_close()


AUDIO = "document.querySelector('article audio')"
# WCAG 2 contrast of every visible text node against the background it is drawn on.
CONTRAST_JS = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lin = (v) => {
    v /= 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const lum = (c) => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  const back = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor);
  };
  const low = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const el = walk.currentNode.parentElement;
    if (!walk.currentNode.textContent.trim() || !el.getClientRects().length) continue;
    if (el.closest("svg")) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(back(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const text = walk.currentNode.textContent.trim().slice(0, 40);
    if (ratio < 4.5) low.push([el.tagName, text, ratio]);
  }
  return low;
}"""
TARGETS_JS = """() => Array.from(document.querySelectorAll("button, summary, a, audio"))
  .filter((e) => e.getClientRects().length)
  .map((e) => {
    const r = e.getBoundingClientRect();
    return [e.outerHTML.slice(0, 50), r.width, r.height];
  })"""


def wait(page: Any, expression: str, timeout: float = 60.0) -> None:
    """Poll `expression` until it is true. Playwright's wait_for_function evaluates strings
    with eval(), which the page's Content-Security-Policy (rightly) forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            pytest.fail(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)


def launch(pw: Any) -> Any:
    return pw.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=120_000
    )


def phone(browser: Any, scheme: str = "light") -> Any:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        color_scheme=scheme,
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def test_the_page_plays_in_chromium_on_a_phone_sized_screen(served: tuple[Server, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")
    server, out = served
    url = address(server)
    console: list[str] = []
    failed: list[str] = []
    requested: list[str] = []
    audio_responses: list[tuple[int, str]] = []
    meta = json.loads((out / "briefing-2026-11-24.json").read_text())
    with sync_api.sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = phone(browser)
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
            page.on("request", lambda r: requested.append(r.url))

            def on_response(response: Any) -> None:
                if response.url.endswith(".mp3"):
                    kind = response.headers.get("content-type", "")
                    audio_responses.append((response.status, kind))

            page.on("response", on_response)
            page.goto(url, wait_until="load")

            assert page.title() == "Daily briefing"
            ids = page.eval_on_selector_all("article", "els => els.map(e => e.id)")
            assert ids == ["2026-11-24", "2026-11-23"]  # newest first
            assert page.locator("#feed").inner_text() == url + "feed.xml"
            # One tap to subscribe, and a QR code of the feed's address, drawn inline.
            hrefs = page.eval_on_selector_all("a[data-scheme]", "els => els.map(e => e.href)")
            bare = (url + "feed.xml").removeprefix("http://")
            assert hrefs == [f"podcast://{bare}", f"pcast://{bare}"]
            assert page.locator(".qr svg").count() == 1
            # Readable on a phone: nothing wider than the screen.
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            stories = page.locator("article").first.locator("ol li")
            assert stories.count() == 2
            assert "Council passes <budget> & more" in page.locator("article").first.inner_text()

            # The length shows before play: the player has read the MP3's header.
            wait(page, f"{AUDIO}.duration > 0")
            assert abs(page.evaluate(f"{AUDIO}.duration") - meta["duration_s"]) < 1.0
            assert page.evaluate(f"{AUDIO}.paused && {AUDIO}.currentTime === 0")
            assert page.evaluate(f"{AUDIO}.currentSrc") == url + "briefing-2026-11-24.mp3"

            # Every control is at least 44 px each way.
            small = [t for t in page.evaluate(TARGETS_JS) if t[1] < 44 or t[2] < 44]
            assert small == []

            # The story playing is highlighted, and follows a seek either way.
            starts = [float(s["start_s"]) for s in meta["stories"]]
            now = (
                "Array.from(document.querySelectorAll('article')[0].querySelectorAll('li'))"
                ".findIndex(li => li.classList.contains('now'))"
            )
            page.evaluate(f"{AUDIO}.currentTime = {starts[1] + 0.5}")
            wait(page, f"{now} === 1")
            page.evaluate(f"{AUDIO}.currentTime = {starts[0] + 0.5}")
            wait(page, f"{now} === 0")
            assert page.locator("li.now").get_attribute("aria-current") == "true"

            # A story's time button plays from that story; the lock screen shows its title.
            seek = page.locator("article").first.locator("button[data-seek]").nth(1)
            seek.click()
            wait(page, f"!{AUDIO}.paused && {AUDIO}.currentTime >= {starts[1]}")
            wait(page, f"{now} === 1")
            headline = meta["stories"][1]["headline"]
            # The page describes the story on the timeupdate after "play" makes this player
            # the active one, which can come after the highlight moved: wait for it.
            wait(
                page,
                "navigator.mediaSession.metadata !== null && "
                f"navigator.mediaSession.metadata.title === {json.dumps(headline)}",
            )
            session = page.evaluate(
                "(() => { const m = navigator.mediaSession.metadata; return m && "
                "{title: m.title, artist: m.artist, album: m.album, art: m.artwork[0].src}; })()"
            )
            assert session == {
                "title": headline,
                "artist": "Daily briefing",
                "album": meta["title"],
                "art": url + "cover.png",
            }
            assert audio_responses and all(s in (200, 206) for s, _ in audio_responses)
            assert all(kind == "audio/mpeg" for _, kind in audio_responses)

            # Contrast of 4.5:1 with a story highlighted, in light and dark.
            page.locator("article").first.locator("details summary").click()
            assert page.evaluate(CONTRAST_JS) == []
            page.emulate_media(color_scheme="dark")
            assert page.evaluate(CONTRAST_JS) == []
            page.emulate_media(color_scheme="light")
            transcript = page.locator("article").first.locator(".transcript")
            assert "Old bridge reopens to cyclists" in transcript.inner_text()

            # The position is kept across a reload.
            page.evaluate(f"{AUDIO}.pause(); {AUDIO}.currentTime = {starts[1] + 2.0}")
            wait(page, f"{AUDIO}.currentTime >= {starts[1] + 2.0}")
            page.evaluate(f"{AUDIO}.dispatchEvent(new Event('pause'))")
            page.reload(wait_until="load")
            wait(page, f"{AUDIO}.readyState >= 1")
            wait(page, f"Math.abs({AUDIO}.currentTime - {int(starts[1] + 2.0)}) < 1")
            wait(page, f"{now} === 1")

            page.evaluate("window.scrollTo(0, 0)")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shot = ARTIFACTS / "index-phone.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
    assert console == [], console
    assert [r for r in requested if not r.startswith(url)] == []  # nothing external
    # The media element cancels its own downloads when it seeks or pauses (ERR_ABORTED);
    # any other failed request is a broken link.
    assert [f for f in failed if not f.endswith(".mp3 net::ERR_ABORTED")] == []


def test_six_episodes_make_a_short_page_with_older_ones_folded(
    served: tuple[Server, Path],
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")
    server, out = served
    url = address(server)
    for day in range(18, 22):  # four more copies of an episode, on earlier days
        for suffix in (".mp3", ".txt"):
            shutil.copyfile(
                out / f"briefing-2026-11-23{suffix}", out / f"briefing-2026-11-{day}{suffix}"
            )
        meta = json.loads((out / "briefing-2026-11-23.json").read_text())
        meta.update(date=f"2026-11-{day}", title=f"Briefing {day}")
        (out / f"briefing-2026-11-{day}.json").write_text(json.dumps(meta))
    publish(Settings.build(output_dir=out))
    console: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = phone(browser, "dark")
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.goto(url, wait_until="load")
            assert page.locator("article").count() == 6
            height = page.evaluate("document.documentElement.scrollHeight")
            assert height < 2600, height
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "index-phone-six-dark.png"), full_page=True)
            # Opening a folded episode shows its player, with its length, and its stories.
            older = page.locator("article").nth(3)
            older.locator("summary").first.click()
            audio = "document.querySelectorAll('article audio')[3]"
            wait(page, f"{audio}.duration > 0")
            small = [t for t in page.evaluate(TARGETS_JS) if t[1] < 44 or t[2] < 44]
            assert small == []
            assert page.evaluate(CONTRAST_JS) == []
        finally:
            browser.close()
    assert console == []
