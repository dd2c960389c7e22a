import json
from pathlib import Path

from click.testing import CliRunner

from briefing.cli import cli
from tests.helpers import BODY, write_article


def test_summarize_prints_chosen_sentences_one_per_line(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.txt")
    result = CliRunner().invoke(cli, ["summarize", str(path), "--sentences", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("The city council approved")
    assert all(line in BODY for line in lines)


def test_summarize_json_with_a_seconds_budget(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.txt")
    result = CliRunner().invoke(
        cli, ["summarize", str(path), "--seconds", "10", "--rate", "150", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["headline"] == "Council passes budget"
    assert data["sentences"]
    assert sum(len(s.split()) for s in data["sentences"]) <= 25


def test_summarize_unusable_text_warns_and_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "zh.txt"
    path.write_text("预算\n\n" + "市议会周一批准了新的预算。" * 10, encoding="utf-8")
    result = CliRunner().invoke(cli, ["summarize", str(path), "--json"])
    assert result.exit_code == 3
    assert json.loads(result.stdout)["sentences"] == []
    assert "not summarized" in result.stderr


def test_summarize_missing_file_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["summarize", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_script_minutes_leaves_stories_out_and_warns(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_article(seeds, "1.txt", source="Daily")
    write_article(
        seeds,
        "2.txt",
        headline="Storms cancel island ferries",
        body=(
            "Ferry services to the western islands were cancelled on Tuesday because of "
            "storms. Harbour officials expect the weather to ease by the weekend. Islanders "
            "were told to stock up on food and fuel before Thursday."
        ),
        source="Radio",
    )
    args = ["script", "--input", str(seeds), "--date", "2026-11-24"]
    full = CliRunner().invoke(cli, args)
    short = CliRunner().invoke(cli, [*args, "--minutes", "0.4"])
    assert full.exit_code == 0 and short.exit_code == 0, short.output
    assert len(short.stdout.split()) < len(full.stdout.split())
    assert "left out to fit 0.4 minutes" in short.stderr
