"""bench.linear runs on tiny sizes and reports a row for every text pass."""

import pytest

from bench import linear


def test_tiny_run_prints_every_pass_with_three_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert linear.main(["--sizes", "300,600,1200", "--no-write"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert rows[0].split("|")[2:5] == [" 0 KB s ", " 0 KB s ", " 1 KB s "]
    names = {row.split("|")[1].strip() for row in rows[1:]}
    expected = {name for name, _ in linear.PASSES + linear.HTML_PASSES}
    expected |= {name for name, _ in linear.normalize_steps()}
    assert names == expected
    assert "normalize: numbers: money" in names and "normalize: punctuation" in names
    assert "the 1 s limit is not checked" in out


def test_every_input_is_the_size_asked_for() -> None:
    for name, text in linear.inputs(5_000):
        assert len(text) == 5_000, name
