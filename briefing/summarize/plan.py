"""Whole briefing: merge reports of the same event, rank stories, fit a time budget.

The spoken length is estimated from word counts at the voice's rate, counting the
template's own words (greeting, transitions, "From ...") and the pauses between
segments, by rendering the script itself, so a custom template is measured too.
To fit, stories first lose sentences (lowest-ranked first, down to two), then the
lowest-ranked stories are left out, then the rest may go down to one sentence; every
story left out is reported.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.config import Settings
from briefing.models import Article, Problem, Story
from briefing.script import render_script
from briefing.summarize import Analysis, Budget, analyse

SAME_EVENT = 0.35  # IDF-weighted overlap of headline + lead terms: the same event
SHRINK_FLOOR = 2  # sentences a story keeps before whole stories are left out


@dataclass
class _Group:
    analyses: list[Analysis]
    sentences: int
    rank_score: float = 0.0

    @property
    def primary(self) -> Analysis:
        return self.analyses[0]

    def story(self) -> Story:
        sources: list[str] = []
        for a in self.analyses:
            if a.article.source and a.article.source not in sources:
                sources.append(a.article.source)
        chosen = self.primary.select(Budget(sentences=self.sentences))
        return Story(self.primary.article.headline, chosen, tuple(sources))


def plan_briefing(
    articles: Sequence[Article], settings: Settings
) -> tuple[list[Story], list[Problem]]:
    """Stories to speak, most important first, and what was skipped or left out."""
    problems: list[Problem] = []
    usable: list[Analysis] = []
    for article in articles:
        analysis = analyse(article)
        where = str(article.path) if article.path else article.headline
        problems.extend(Problem(where, note) for note in analysis.notes)
        if analysis.candidates:
            usable.append(analysis)
    groups = [g for g in _group(usable, settings.sentences) if g.story().sentences]
    for g in groups:
        g.rank_score = _salience(g)
    groups.sort(key=lambda g: -g.rank_score)  # stable: equal stories keep file order
    if settings.minutes is not None:
        groups, left_out = _fit(groups, settings)
        problems.extend(left_out)
    return [g.story() for g in groups], problems


def estimate_seconds(stories: list[Story], settings: Settings) -> float:
    """Spoken length of the briefing the template makes of `stories`, pauses included."""
    script = render_script(stories, settings.date, settings.template)
    pauses = sum(seg.pause_after_ms for seg in script.segments) / 1000
    return script.word_count * 60 / settings.rate + pauses


def _fit(groups: list[_Group], settings: Settings) -> tuple[list[_Group], list[Problem]]:
    assert settings.minutes is not None
    target = settings.minutes * 60
    limit = f"{settings.minutes:g} minute{'' if settings.minutes == 1 else 's'}"

    def over() -> bool:
        return bool(groups) and estimate_seconds([g.story() for g in groups], settings) > target

    def shrink(floor: int) -> None:
        while over():
            # The lowest-ranked story among those with the most sentences gives one up.
            longest = max(g.sentences for g in groups)
            if longest <= floor:
                return
            victim = next(g for g in reversed(groups) if g.sentences == longest)
            victim.sentences -= 1

    shrink(SHRINK_FLOOR)
    problems = []
    while over() and len(groups) > 1:
        dropped = groups.pop()
        problems.append(
            Problem("briefing", f"left out to fit {limit}: {dropped.primary.article.headline}")
        )
    shrink(1)
    if over():
        problems.append(
            Problem("briefing", f"longer than {limit} even with one story of one sentence")
        )
    return groups, list(reversed(problems))


def _group(analyses: list[Analysis], sentences: int) -> list[_Group]:
    """Union articles whose headlines and leads share enough rare terms."""
    n = len(analyses)
    df = Counter(t for a in analyses for t in a.terms)
    idf = {t: math.log((1 + n) / c) for t, c in df.items()}  # 0 for a term in every article
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only pairs sharing a term can match: an inverted index avoids comparing the rest.
    postings: dict[str, list[int]] = {}
    for i, a in enumerate(analyses):
        for t in a.terms:
            postings.setdefault(t, []).append(i)
    weight = [math.sqrt(sum(idf[t] ** 2 for t in a.terms)) or 1.0 for a in analyses]
    shared: Counter[tuple[int, int]] = Counter()
    for t, ids in postings.items():
        if idf[t] <= 0 or len(ids) > max(3, n // 4):
            continue  # a term in a quarter of the articles says nothing about one event
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                shared[ids[x], ids[y]] += idf[t] ** 2
    for (i, j), s in shared.items():
        if s / (weight[i] * weight[j]) >= SAME_EVENT:
            parent[find(j)] = find(i)

    members: dict[int, list[Analysis]] = {}
    for i, a in enumerate(analyses):
        members.setdefault(find(i), []).append(a)
    groups = []
    for group in members.values():
        # Speak the fullest report; the others are cited as sources.
        group.sort(key=lambda a: -len(a.candidates))
        groups.append(_Group(group, sentences))
    return groups


def _salience(group: _Group) -> float:
    """More outlets covering it first, then how much there is to say."""
    coverage = len({a.article.source or id(a) for a in group.analyses})
    return coverage + math.log1p(len(group.primary.candidates)) / 10
