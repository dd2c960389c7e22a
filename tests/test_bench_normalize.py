"""The normalization benchmark builds its inputs and times every one."""

import re

from bench import normalize as bench
from briefing.normalize import normalize_for_speech


def test_inputs_are_the_sizes_they_claim() -> None:
    assert 850 <= len(bench.dense_news(900).split()) <= 950
    assert 800 <= len(bench.plain_news(900).split()) <= 1000
    assert all(len(text) == 5000 for text in bench.hostile(5000).values())
    assert not re.search(r"[0-9]", normalize_for_speech(bench.DENSE))


def test_quick_run_times_every_input() -> None:
    rows = bench.rows(quick=True)
    assert [row[0] for row in rows[:3]] == [
        "5-minute script, sample article",
        "5-minute script, number-dense",
        "30-minute script, number-dense",
    ]
    assert len(rows) == 3 + len(bench.hostile(10))
    assert all(float(row[3]) > 0 for row in rows)
