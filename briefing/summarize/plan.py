"""Whole briefing: merge reports of the same event, rank stories, fit a time budget.

The listener's interests (briefing/summarize/interests.py) leave muted stories out and
put favoured ones first, so a time budget drops them last. A story that follows one
told on an earlier day (briefing/summarize/history.py) is told as an update: one
sentence that says what is new, or it is left out when nothing is.

The spoken length comes from `seconds_of` (briefing.script.seconds_of), which the caller
builds once from the loaded template and the voice's rate.
To fit, stories first lose sentences (lowest-ranked first, down to two), then the
lowest-ranked stories are left out, then the rest may go down to one sentence; every
story left out is reported.

Each story gets a topic (briefing/summarize/topic.py), which the script uses to choose
the words between stories. With `sections`, a briefing of more than `SECTIONS_ABOVE`
stories is told in sections by topic: the sections in the order of their best story,
the stories within each in rank order, those without a topic last, as "other news".
Headlines are made speakable here (briefing/sources/headline.py `speakable`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from briefing import nlp
from briefing.isolation import isolated
from briefing.models import Article, Problem, SecondsOf, Story
from briefing.nlp import language
from briefing.settings import InterestSettings
from briefing.sources.headline import speakable
from briefing.summarize import Analysis, Budget, analyse, event, rank, topic
from briefing.summarize.history import Briefed
from briefing.summarize.interests import Matcher, Topic, topics
from briefing.summarize.text import Candidate

REPEATS = 0.5  # share of a sentence's terms already said at which it says nothing new
FOLLOW_UP_LEAD = 3  # a follow-up report's sentences tried in order before the best-scored
SHRINK_FLOOR = 2  # sentences a story keeps before whole stories are left out
# An update's sentence says something new when this many of its content words and
# numbers were not in the story as told before, and they are this share of them: a
# follow-up's lead names the event's actors again ("Ricardo Rosselló Nevares",
# "Puerto Rico", "governor") beside what they did now ("resigned", "sworn in",
# "Pedro Pierluisi"); its background sentences are new but come later.
NEW_WORDS = 3
NEW_SHARE = 1 / 3
SECTIONS_ABOVE = 6  # stories a briefing must have more of to be told in sections
OTHER_NEWS = "other news"  # the section of the stories without a topic


@dataclass(frozen=True)
class _Update:
    of: Briefed  # the latest story told of the event
    sentence: str  # what is new since


@dataclass
class _Group:
    analyses: list[Analysis]
    sentences: int
    rank_score: float = 0.0
    interest: str = ""  # the favoured topic it is about
    update: _Update | None = None
    topic: str = ""  # as said: "sport", "world news" (topic.LABELS), or ""
    section: str = ""  # the section it is told in, when the briefing has sections

    @property
    def primary(self) -> Analysis:
        return self.analyses[0]

    def story(self) -> Story:
        sources: list[str] = []
        for a in self.analyses:
            if a.article.source and a.article.source not in sources:
                sources.append(a.article.source)
        primary = self.primary.article
        update = self.update
        return Story(
            speakable(primary.headline),
            (update.sentence,) if update else self._sentences(),
            tuple(sources),
            primary.headline_from_text,
            interest=self.interest,
            update_of=update.of.event_headline if update else "",
            update_of_date=update.of.event_date if update else None,
            language=self.primary.language or "en",
            topic=self.topic,
            section=self.section,
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
            for p in _lead_first(other):
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


def _lead_first(analysis: Analysis) -> list[int]:
    """Positions of a follow-up report's candidates: its lead in order, then the rest
    best-scored first."""
    lead = range(min(FOLLOW_UP_LEAD, len(analysis.candidates)))
    rest = range(len(lead), len(analysis.candidates))
    return [*lead, *sorted(rest, key=lambda p: -analysis.scores[p])]


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
    interests: InterestSettings | None = None,
    earlier: Sequence[Briefed] = (),
    sections: bool = False,
) -> tuple[list[Story], list[Problem]]:
    """Stories to speak, most important first, and what was skipped or left out.

    With `minutes`, `seconds_of` must say how long a briefing of some stories takes.
    `interests` mutes and favours topics; `earlier` are the stories told on earlier
    days that today's may follow (`History.recent`). `sections` groups a long
    briefing by topic.
    """
    problems: list[Problem] = []
    usable: list[Analysis] = []
    for article in articles:
        where = str(article.path) if article.path else article.headline
        # One article that breaks the summarizer costs that article (briefing/isolation.py).
        analysis = isolated(where, partial(analyse, article))
        if isinstance(analysis, Problem):
            problems.append(analysis)
            continue
        problems.extend(Problem(where, note) for note in analysis.notes)
        if analysis.candidates:
            usable.append(analysis)
    groups = [g for g in _group(usable, sentences) if _tellable(g, problems)]
    if interests is not None:
        groups = _interests(groups, interests, problems)
    if earlier:
        groups = _updates(groups, earlier, problems)
    for g in groups:
        g.rank_score = _salience(g)
        first = g.primary
        key = topic.classify(
            first.article.headline, [c.text for c in first.candidates], first.language or "en"
        )
        g.topic = topic.LABELS.get(key, "")
    # Favoured stories first; stable: equal stories keep file order.
    groups.sort(key=lambda g: (not g.interest, -g.rank_score))
    if minutes is not None:
        if seconds_of is None:
            raise TypeError("plan_briefing: minutes needs seconds_of")
        groups, left_out = _fit(groups, minutes, seconds_of, sections)
        problems.extend(left_out)
    return [g.story() for g in _arrange(groups, sections)], problems


def _arrange(groups: list[_Group], sections: bool) -> list[_Group]:
    """`groups` in rank order, or with `sections` and more than SECTIONS_ABOVE of them
    and at least two topics, grouped into sections (each marked with its section)."""
    for g in groups:
        g.section = ""
    labels = {g.topic for g in groups if g.topic}
    if not sections or len(groups) <= SECTIONS_ABOVE or len(labels) < 2:
        return groups
    order: list[str] = []  # sections by their best story; "other news" last
    for g in groups:
        g.section = g.topic or OTHER_NEWS
        if g.topic and g.section not in order:
            order.append(g.section)
    order.append(OTHER_NEWS)
    return sorted(groups, key=lambda g: order.index(g.section))  # stable: rank within


def _tellable(group: _Group, problems: list[Problem]) -> bool:
    """Whether the group's story has sentences; one whose sentences cannot be chosen is
    left out and reported."""
    article = group.primary.article
    story = isolated(str(article.path or article.headline), group.story)
    if isinstance(story, Problem):
        problems.append(story)
        return False
    return bool(story.sentences)


def _fit(
    groups: list[_Group], minutes: float, seconds_of: SecondsOf, sections: bool
) -> tuple[list[_Group], list[Problem]]:
    target = minutes * 60
    limit = f"{minutes:g} minute{'' if minutes == 1 else 's'}"

    def over() -> bool:
        told = _arrange(list(groups), sections)  # section words count too
        return bool(groups) and seconds_of([g.story() for g in told]) > target

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


def _interests(
    groups: list[_Group], interests: InterestSettings, problems: list[Problem]
) -> list[_Group]:
    """Leave out the groups about a muted topic (reported), and mark those about a
    favoured one. Mute wins: the listener asked not to hear it."""
    muted, favoured = topics(interests.mute), topics(interests.favour)
    wanted = (*muted, *favoured)
    if not wanted:
        return groups
    kept = []
    for g in groups:
        weights: dict[Topic, float] = {}
        for a in g.analyses:  # any report of the event counts
            for m in Matcher(wanted, a.language or "en").about(
                a.article.headline, [c.text for c in a.candidates]
            ):
                weights[m.topic] = max(weights.get(m.topic, 0.0), m.weight)
        mute = _strongest(weights, muted)
        if mute:
            headline = g.primary.article.headline
            problems.append(Problem("briefing", f"left out (muted: {mute}): {headline}"))
            continue
        g.interest = _strongest(weights, favoured)
        kept.append(g)
    return kept


def _strongest(weights: dict[Topic, float], among: tuple[Topic, ...]) -> str:
    """The topic of `among` with the most weight (ties: the listener's order), or ""."""
    found = [(weights[t], -i, t.text) for i, t in enumerate(among) if t in weights]
    return max(found)[2] if found else ""


def _updates(
    groups: list[_Group], earlier: Sequence[Briefed], problems: list[Problem]
) -> list[_Group]:
    """Mark the groups that follow a story told before as updates, with the sentence
    that says what is new; leave out those with nothing new."""
    flat = [(g, a) for g in groups for a in g.analyses]
    told = [_as_analysis(b) for b in earlier]
    follows: dict[int, set[int]] = {}
    for i, js in event.follow_ups([a for _, a in flat], told).items():
        follows.setdefault(id(flat[i][0]), set()).update(js)
    kept = []
    for g in groups:
        before = [earlier[j] for j in sorted(follows.get(id(g), ()))]
        if not before:
            kept.append(g)
            continue
        latest = max(before, key=lambda b: b.date)
        sentence = _news(g, before)
        if sentence is None:
            headline = g.primary.article.headline
            problems.append(
                Problem(
                    "briefing",
                    f"left out (nothing new since {latest.date.isoformat()}): {headline}",
                )
            )
            continue
        g.update = _Update(latest, sentence)
        g.sentences = 1
        kept.append(g)
    return kept


def _as_analysis(story: Briefed) -> Analysis:
    """A story told before, as the same-event test reads a report: its headline and the
    sentences the listener heard, as its lead."""
    sentences = [s for s in story.sentences if s.split()]
    text = " ".join(sentences)
    code = language.detect(text).code or "en"
    candidates = tuple(Candidate(i, s, False) for i, s in enumerate(sentences))
    return Analysis(Article(story.headline, text), candidates, language=code)


def _news(group: _Group, told: list[Briefed]) -> str | None:
    """The first sentence, in the order a follow-up's news comes (`_lead_first`), that
    can open a story and says what was not said before: its content words and numbers
    mostly not in any story told of the event (headline included)."""
    said = [_terms(t) for b in told for t in (b.headline, *b.sentences)]
    old = set().union(*(f.terms | f.numbers for f in said))
    for analysis in group.analyses:
        for p in _lead_first(analysis):
            cand = analysis.candidates[p]
            if cand.needs_context or not cand.opens:
                continue
            facts = _terms(cand.text)
            words = facts.terms | facts.numbers
            new = words - old
            if len(new) >= NEW_WORDS and len(new) >= NEW_SHARE * len(words):
                return cand.text
    return None
