"""bench.pipeline: its articles are distinct stories, and one small measurement works end
to end (the smoke test of `python -m bench.pipeline --quick`, at N = 1)."""

from __future__ import annotations

import math
import os
import subprocess
from pathlib import Path

from bench import pipeline as bench
from briefing.script import render_script
from briefing.sources.files import load_articles
from briefing.summarize.plan import plan_briefing
from tests.helpers import needs_espeak, needs_ffmpeg


def test_generated_articles_are_distinct_stories_of_news_length(tmp_path: Path) -> None:
    bench.write_articles(tmp_path, 10)
    loaded = load_articles(tmp_path)
    assert loaded.problems == () and len(loaded.articles) == 10
    stories, problems = plan_briefing(loaded.articles, sentences=3)
    assert problems == [] and len(stories) == 10  # none merged as the same event
    minutes = render_script(stories, bench.DATE).word_count / bench.RATE
    assert 4 < minutes < 6.5  # ten articles make a briefing of about five minutes
    assert bench.article_text(3) == bench.article_text(3)  # the same input every run


def test_tree_rss_counts_children() -> None:
    me = bench.tree_rss_bytes(os.getpid())
    child = subprocess.Popen(["sleep", "5"])
    try:
        assert bench.tree_rss_bytes(os.getpid()) > me
    finally:
        child.kill()
        child.wait()


@needs_espeak
@needs_ffmpeg
def test_one_measurement_and_its_tables(tmp_path: Path) -> None:
    row = bench.measure(1, 2, "espeak-ng", tmp_path / "a", max_audio_mb=1500)
    assert row["stories"] == 1 and row["segments"] == 3
    for stage in ("load", "summarize", "script", "speak", "encode", "total", "floor_speak"):
        assert row[stage] > 0, stage
    assert row["total"] >= row["speak"] + row["encode"]
    assert row["cpu_total"] > 0 and row["floor_cpu"] > 0
    # The pipeline and the floor say the same thing: the same length of audio.
    assert math.isclose(row["audio_s"], row["floor_audio_s"], rel_tol=0.1)
    assert row["peak_mb"] > 20 and row["speak_one_worker"] > 0
    markdown = bench.report([row], 2, "espeak-ng", {1: 1})
    assert "| 1 | 1 | " in markdown and "not run" not in markdown
    assert "one process per core" in markdown and "CPU / floor" in markdown
    # Past the memory limit only speak and the floor run, and the table says so.
    big = bench.measure(1, 2, "espeak-ng", tmp_path / "b", max_audio_mb=0)
    assert math.isnan(big["encode"]) and big["speak"] > 0 and big["floor_encode"] > 0
    assert "not run" in bench.report([big], 2, "espeak-ng", {1: 1})
