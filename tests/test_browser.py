"""index.html in a real headless Chromium (Debian's `chromium`), served by `briefing serve`.

The page must load with no console errors, be readable on a phone-sized screen, and its
player must load the episode through the server (range requests included). A screenshot
is kept in $BRIEFING_ARTIFACTS, or tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.publish.serve import Server, address, make_server
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
    for date in ("2026-11-23", "2026-11-24"):
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


def test_the_page_plays_in_chromium_on_a_phone_sized_screen(
    served: tuple[Server, Path], tmp_path: Path
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")
    server, out = served
    url = address(server)
    console: list[str] = []
    failed: list[str] = []
    audio_responses: list[tuple[int, str, str]] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=120_000
        )
        try:
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
            )
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))

            def on_response(response: object) -> None:
                if response.url.endswith(".mp3"):  # type: ignore[attr-defined]
                    headers = response.headers  # type: ignore[attr-defined]
                    audio_responses.append(
                        (
                            response.status,  # type: ignore[attr-defined]
                            headers.get("content-type", ""),
                            headers.get("content-range", ""),
                        )
                    )

            page.on("response", on_response)
            page.goto(url, wait_until="load")

            assert page.title() == "Daily briefing"
            ids = page.eval_on_selector_all("article", "els => els.map(e => e.id)")
            assert ids == ["2026-11-24", "2026-11-23"]  # newest first
            assert page.locator("#feed").inner_text() == url + "feed.xml"
            # Readable on a phone: nothing wider than the screen.
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            stories = page.locator("article").first.locator("ol li")
            assert stories.count() == 2
            assert "Council passes <budget> & more" in page.locator("article").first.inner_text()

            # The player: nothing loaded before it is asked (preload=none) ...
            assert audio_responses == []
            audio = "document.querySelector('article audio')"
            assert page.evaluate(f"{audio}.currentSrc || {audio}.src") == (
                url + "briefing-2026-11-24.mp3"
            )
            # ... then a story's time button loads the episode and plays from that story.
            seek = page.locator("article").first.locator("button[data-seek]").nth(1)
            start = float(seek.get_attribute("data-seek") or "nan")
            seek.click()
            page.wait_for_function(f"{audio}.readyState >= 1 && {audio}.duration > 0")
            duration = page.evaluate(f"{audio}.duration")
            meta = json.loads((out / "briefing-2026-11-24.json").read_text())
            assert abs(duration - meta["duration_s"]) < 1.0
            page.wait_for_function(f"{audio}.currentTime >= {start}")
            page.evaluate(f"{audio}.pause()")
            assert audio_responses, "the player never fetched the MP3"
            assert all(status in (200, 206) for status, _, _ in audio_responses)
            assert all(kind == "audio/mpeg" for _, kind, _ in audio_responses)

            page.locator("article").first.locator("details summary").click()
            transcript = page.locator("article").first.locator(".transcript")
            assert transcript.is_visible()
            assert "Old bridge reopens to cyclists" in transcript.inner_text()

            page.evaluate("window.scrollTo(0, 0)")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shot = ARTIFACTS / "index-phone.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
    assert console == [], console
    # The media element cancels its own downloads when it seeks or pauses (ERR_ABORTED);
    # any other failed request is a broken link.
    assert [f for f in failed if not f.endswith(".mp3 net::ERR_ABORTED")] == []
