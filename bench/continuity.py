"""Updates and interests: follow-ups told as updates, topics found, and what they cost.

    python -m bench.continuity [--data PATH] [--no-write]

Updates: for each pair of `bench.summarize.EVENT_PAIRS` (real Wikinews follow-ups, and
different stories sharing a place, a topic or a kind of event), the first report is
told on day 1 as a briefing tells it (3 sentences) and recorded in the history, beside
0 to 70 other stories told before (CNN/DailyMail articles, told the same way); the
second is planned on a later day among 0 to 30 other CNN/DailyMail articles. Counted:
the days on which the second is told as an update (every one for a same-event pair,
none for a different one), and the sentence the update says.

Interests: for a few topics, how many of the CNN/DailyMail articles are about each
(headline, lead, or three later sentences: `briefing/summarize/interests.py`) against
how many mention it anywhere, the passing mentions it does not count.

Cost: planning the CNN/DailyMail articles as one day, with and without five favoured
and three muted topics and 70 stories told before: median milliseconds, side by side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from pathlib import Path

from bench._results import machine, median_ms, table, write_section
from bench.summarize import EVENT_PAIRS, _event_path, _label, _records, _slug_headline, find_data
from briefing.models import Article
from briefing.settings import InterestSettings
from briefing.sources.files import load_file
from briefing.summarize.history import Briefed, History
from briefing.summarize.interests import Matcher, topics
from briefing.summarize.plan import plan_briefing

DAY1 = dt.date(2026, 1, 5)
FAVOUR = ("football", "Chelsea", "police", "cancer", "Barack Obama")
MUTE = ("celebrity", "royal", "fashion")


def _told(articles: list[Article], date: dt.date) -> list[Briefed]:
    """Each article as a briefing on `date` told it (one at a time: none merged)."""
    history = History(Path("unused"))
    history.record([s for a in articles for s in plan_briefing([a], sentences=3)[0]], date)
    return history.stories


def _padding(data: Path | None) -> list[Article]:
    if data is None or not data.is_file():
        return []
    return [
        Article(_slug_headline(str(r.get("url", ""))), str(r["article"]))
        for r in _records(data)
        if r.get("article")
    ]


def updates_report(padding: list[Article]) -> str:
    rng = random.Random(5)
    # Told before: some of the padding, on the days before; the rest can be today's.
    before = _told(padding[:70], DAY1 - dt.timedelta(days=1))
    today_pool = padding[70:]
    rows = []
    for first, second, same in EVENT_PAIRS:
        told = _told([load_file(_event_path(first))], DAY1)
        follow = load_file(_event_path(second))
        settings = [(h, m) for h in (0, 20, 70) for m in (0, 6, 30) if m <= len(today_pool)]
        updated, sentence = 0, ""
        for h, m in settings:
            day = [follow, *rng.sample(today_pool, m)]
            stories, _ = plan_briefing(day, sentences=3, earlier=[*before[:h], *told])
            story = next((s for s in stories if s.headline == follow.headline), None)
            if story is not None and story.update_of:
                updated += 1
                sentence = story.sentences[0]
        words = sentence.split()
        rows.append(
            [
                f"{_label(first)} / {_label(second)}",
                "same" if same else "different",
                f"{updated} of {len(settings)}",
                " ".join(words[:14]) + (" ..." if len(words) > 14 else ""),
            ]
        )
    headers = ["pair (first told, then)", "event", "told as an update (days)", "update says"]
    return (
        "Updates (`briefing/summarize/plan.py`, `history.py`): the first report told on "
        "day 1 beside 0, 20 or 70 other stories told before; the second planned later "
        "among 0, 6 or 30 other articles:\n\n" + table(headers, rows)
    )


def interests_report(padding: list[Article]) -> str:
    from briefing.summarize import analyse

    analyses = [analyse(a) for a in padding]
    rows = []
    for topic in (*FAVOUR, *MUTE):
        matcher = Matcher(topics([topic]))
        about = sum(
            bool(matcher.about(a.article.headline, [c.text for c in a.candidates]))
            for a in analyses
        )
        word = re.compile(rf"\b{re.escape(topic.split()[-1].rstrip('y'))}", re.IGNORECASE)
        mentioned = sum(bool(word.search(f"{a.headline}\n{a.body}")) for a in padding)
        rows.append([topic, about, mentioned])
    headers = ["topic", "articles about it", "articles that mention it (its last word, any case)"]
    return (
        f"Interests (`briefing/summarize/interests.py`) among the {len(padding)} "
        "CNN/DailyMail articles:\n\n" + table(headers, rows)
    )


def cost_report(padding: list[Article]) -> str:
    earlier = _told(padding[:70], DAY1 - dt.timedelta(days=1))
    today = padding[:]
    interests = InterestSettings(FAVOUR, MUTE)

    def plain() -> object:
        return plan_briefing(today, sentences=3)

    def full() -> object:
        return plan_briefing(today, sentences=3, interests=interests, earlier=earlier)

    base, both = median_ms(plain, repeat=3), median_ms(full, repeat=3)
    rows = [
        ["without interests or history", f"{base:.0f}", "1.00x"],
        [
            f"{len(FAVOUR)} favoured, {len(MUTE)} muted topics, {len(earlier)} stories told",
            f"{both:.0f}",
            f"{both / base:.2f}x",
        ],
    ]
    return (
        f"Cost: planning the {len(today)} articles as one day, median of 3 runs, side "
        "by side:\n\n" + table(["plan_briefing", "median ms", "ratio"], rows)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="data set file (see bench/README.md)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    padding = _padding(find_data(args.data))
    parts = [f"Machine: {machine()}.", updates_report(padding)]
    if padding:
        parts += [interests_report(padding), cost_report(padding)]
    write_section(
        "continuity", "## Updates and interests\n\n" + "\n\n".join(parts) + "\n", not args.no_write
    )


if __name__ == "__main__":
    main()
