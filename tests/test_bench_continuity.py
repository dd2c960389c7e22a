"""bench.continuity: its table says which pairs were told as updates."""

from bench import continuity
from bench.summarize import EVENT_PAIRS


def test_the_updates_table_marks_every_same_event_pair_and_no_other() -> None:
    lines = continuity.updates_report([]).splitlines()
    rows = [line for line in lines if line.startswith("| ")][1:]
    assert len(rows) == len(EVENT_PAIRS)
    for row, (_, _, same) in zip(rows, EVENT_PAIRS, strict=True):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] == ("same" if same else "different")
        assert cells[2] == ("3 of 3" if same else "0 of 3"), row
        assert bool(cells[3]) == same
