"""The summarizer benchmark reads every documented data format and scores all methods."""

import json
from pathlib import Path

from bench import summarize as bench  # needs the dev extra: rouge-score and sumy
from tests.helpers import BODY

REFERENCE = "The council approved a new budget. Transport spending rises ten percent."


def test_loads_jsonl_csv_and_story_files(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"article": BODY, "highlights": REFERENCE}) + "\n", encoding="utf-8"
    )
    (tmp_path / "b.csv").write_text(
        'document,summary\n"' + BODY + '","' + REFERENCE + '"\n', encoding="utf-8"
    )
    (tmp_path / "c.story").write_text(
        BODY + "\n\n@highlight\n\nCouncil approves budget\n\n@highlight\n\nFares rise\n",
        encoding="utf-8",
    )
    examples = bench.load_examples(tmp_path, limit=10)
    assert len(examples) == 3
    assert all(e.article.strip() == BODY for e in examples)
    assert examples[2].reference == "Council approves budget\nFares rise"
    assert bench.find_data(str(tmp_path)) == tmp_path


def test_rouge_table_scores_every_method(tmp_path: Path) -> None:
    examples = [bench.Example("Council passes budget", BODY, REFERENCE)] * 2
    markdown, notes = bench.rouge_table(examples)
    assert notes == []
    rows = markdown.splitlines()[2:]
    names = [row.split("|")[1].strip() for row in rows]
    assert names == [
        "briefing (ours)",
        "Lead-3 / Lead",
        "sumy LexRank",
        "sumy TextRank",
        "sumy LSA",
        "sumy Luhn",
    ]
    for row in rows:
        scores = [float(c) for c in row.split("|")[2:9]]
        assert all(0 < s <= 100 for s in scores), row


def test_word_budget_holds_for_every_method() -> None:
    example = bench.Example("Council passes budget", BODY, REFERENCE)
    for method in (bench.ours, bench.lead, bench.sumy_method("LexRank")):
        summary = method(example, None, 30)
        assert summary and sum(len(s.split()) for s in summary) <= 30


def test_bundled_data_set_loads_and_is_the_default(monkeypatch) -> None:
    monkeypatch.delenv("BRIEFING_EVAL_DATA", raising=False)
    monkeypatch.setattr(bench, "SHARED_DATA", Path("/nonexistent/shared/eval"))
    assert bench.find_data(None) == bench.BUNDLED_DATA
    examples = bench.load_examples(bench.BUNDLED_DATA, limit=1000)
    assert len(examples) == 100
    assert all(len(e.article.split()) > 100 and e.reference for e in examples)


def test_reference_sentences_go_on_their_own_lines() -> None:
    # CNN/DailyMail's tokenised highlights: rougeLsum needs one sentence per line.
    assert bench._lines("John died on Saturday . The pair married in March .") == (
        "John died on Saturday .\nThe pair married in March ."
    )
    assert bench._lines("Council approves budget\nFares rise") == (
        "Council approves budget\nFares rise"
    )


def test_gzipped_json_lines_are_read(tmp_path: Path) -> None:
    import gzip

    line = json.dumps({"article": BODY, "highlights": REFERENCE}) + "\n"
    (tmp_path / "d.jsonl.gz").write_bytes(gzip.compress(line.encode()))
    assert len(bench.load_examples(tmp_path / "d.jsonl.gz", limit=5)) == 1
    assert len(bench.load_examples(tmp_path, limit=5)) == 1


def test_event_report_scores_every_known_pair_and_merges_only_the_same_events() -> None:
    report = bench.event_report(None)  # the pairs alone: no padding data
    rows = [r for r in report.splitlines() if r.startswith("| ") and "---" not in r][1:]
    assert len(rows) == len(bench.EVENT_PAIRS)
    for row, (_, _, same) in zip(rows, bench.EVENT_PAIRS, strict=True):
        cells = [c.strip() for c in row.split("|")[1:-1]]
        assert cells[1] == ("same" if same else "different")
        assert cells[4] == ("1 of 1" if same else "0 of 1"), row
