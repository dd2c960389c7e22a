"""Whole briefing: merge reports of the same event, rank stories, fit a time budget.

The spoken length comes from `seconds_of` (briefing.script.seconds_of), which the caller
builds once from the loaded template and the voice's rate.
To fit, stories first lose sentences (lowest-ranked first, down to two), then the
lowest-ranked stories are left out, then the rest may go down to one sentence; every
story left out is reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefing import nlp
from briefing.models import Article, Problem, Story
from briefing.summarize import Analysis, Budget, analyse, event, rank

SecondsOf = Callable[[Sequence[Story]], float]

REPEATS = 0.5  # share of a sentence's terms already said at which it says nothing new
FOLLOW_UP_LEAD = 3  # a follow-up report's sentences tried in order before the best-scored
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
        primary = self.primary.article
        return Story(
            primary.headline, self._sentences(), tuple(sources), primary.headline_from_text
        )

    def _sentences(self) -> tuple[str, ...]:
        """The lead report's best sentences, then from each other report (up to a third
        of the budget) one that can open and says something new: from its lead first, in
        order, since a follow-up leads with what is new and names people in full there
        (later sentences say "Zhukovskyy" to a listener who never heard who he is)."""
        others = self.analyses[1:]
        if not others or self.sentences < 2:
            return self.primary.select(Budget(sentences=self.sentences))
        extra = min(len(others), max(1, self.sentences // 3))
        said = [_terms(s) for s in self.primary.select(Budget(sentences=self.sentences - extra))]
        added: list[str] = []
        for other in others[:extra]:
            lead = range(min(FOLLOW_UP_LEAD, len(other.candidates)))
            rest = sorted(range(len(lead), len(other.candidates)), key=lambda p: -other.scores[p])
            ranked = [*lead, *rest]
            for p in ranked:
                cand = other.candidates[p]
                terms = _terms(cand.text)
                if cand.needs_context or not cand.opens or _repeats(terms, said):
                    continue
                added.append(cand.text)
                said.append(terms)
                break
        own = self.primary.select(Budget(sentences=self.sentences - len(added)))
        own_terms = [_terms(s) for s in own]
        return own + tuple(s for s in added if not _repeats(_terms(s), own_terms))


def _terms(sentence: str) -> rank.Facts:
    return rank.facts(sentence, nlp.content_terms(sentence), nlp.stopwords("en"))


def _repeats(facts: rank.Facts, said: list[rank.Facts]) -> bool:
    """Whether a sentence from another report says again what was said: most of its
    words, or the same number with a name or some words ("a 3-0 walkover" and "lost
    the game 3-0")."""
    terms = facts.terms
    return any(
        len(terms & s.terms) >= REPEATS * min(len(terms), len(s.terms)) or rank.says_again(facts, s)
        for s in said
        if s.terms
    )


def plan_briefing(
    articles: Sequence[Article],
    *,
    sentences: int,
    minutes: float | None = None,
    seconds_of: SecondsOf | None = None,
) -> tuple[list[Story], list[Problem]]:
    """Stories to speak, most important first, and what was skipped or left out.

    With `minutes`, `seconds_of` must say how long a briefing of some stories takes.
    """
    problems: list[Problem] = []
    usable: list[Analysis] = []
    for article in articles:
        analysis = analyse(article)
        where = str(article.path) if article.path else article.headline
        problems.extend(Problem(where, note) for note in analysis.notes)
        if analysis.candidates:
            usable.append(analysis)
    groups = [g for g in _group(usable, sentences) if g.story().sentences]
    for g in groups:
        g.rank_score = _salience(g)
    groups.sort(key=lambda g: -g.rank_score)  # stable: equal stories keep file order
    if minutes is not None:
        if seconds_of is None:
            raise TypeError("plan_briefing: minutes needs seconds_of")
        groups, left_out = _fit(groups, minutes, seconds_of)
        problems.extend(left_out)
    return [g.story() for g in groups], problems


def _fit(
    groups: list[_Group], minutes: float, seconds_of: SecondsOf
) -> tuple[list[_Group], list[Problem]]:
    target = minutes * 60
    limit = f"{minutes:g} minute{'' if minutes == 1 else 's'}"

    def over() -> bool:
        return bool(groups) and seconds_of([g.story() for g in groups]) > target

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
    groups = []
    for members in event.group(analyses):
        group = [analyses[i] for i in members]
        # The fullest report leads; the others add what it does not say.
        group.sort(key=lambda a: -len(a.candidates))
        groups.append(_Group(group, sentences))
    return groups


def _salience(group: _Group) -> float:
    """More outlets covering it first, then how much there is to say."""
    coverage = len({a.article.source or id(a) for a in group.analyses})
    return coverage + math.log1p(len(group.primary.candidates)) / 10
