"""Which section of a bulletin a story belongs in: world, politics, business, sport...

An offline classifier from keywords, English only: each topic lists words whose stems
count as evidence (in the headline `IN_HEADLINE` times, in each of the first
`LEAD_SENTENCES` sentences once); the story goes to the topic with the most, when that
is at least `AT_LEAST` and clearly ahead of the runner-up (`AHEAD`). Anything else has no
topic (""): the script then treats it as unrelated to its neighbours and a sectioned
briefing puts it under "other news". Words that say little alone ("win", "market",
"president") are left out rather than weighted, so a passing mention does not decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from briefing import nlp

IN_HEADLINE = 2
LEAD_SENTENCES = 3
AT_LEAST = 2  # evidence for the winning topic
AHEAD = 1  # and this much more than the runner-up


@dataclass(frozen=True)
class Topic:
    key: str
    label: str  # as the script says it: "Turning to {label}", "In {label}"
    words: str  # keywords, separated by spaces


# Order matters on ties only through AHEAD (a tie has no topic).
TOPICS: tuple[Topic, ...] = (
    Topic(
        "world",
        "world news",
        (
            "war troops military army soldier ceasefire invasion invade nato "
            "refugee refugees migrant migrants embassy ambassador diplomat diplomatic "
            "sanctions foreign un militant militants rebel rebels "
            "airstrike airstrikes missile missiles border coup taliban hamas "
            "ukraine russia kremlin syria iraq iran afghanistan gaza israel israeli "
            "palestinian china chinese beijing korea pyongyang africa african "
            "humanitarian genocide insurgent"
        ),
    ),
    Topic(
        "politics",
        "politics",
        (
            "election elections elected vote voters voting ballot parliament "
            "parliamentary minister ministers government senate senator congress "
            "congressional lawmaker lawmakers mp mps campaign referendum legislation "
            "conservative conservatives labour tory tories democrat democrats democratic "
            "republican republicans governor mayor opposition coalition "
            "cabinet chancellor politician politicians policy"
        ),
    ),
    Topic(
        "business",
        "business",
        (
            "economy economic economist business company companies firm firms shares "
            "stock stocks investor investors profit profits revenue earnings inflation "
            "bank banks banking tariff tariffs trade exports imports retailer retail "
            "merger acquisition takeover ceo executive shareholders dividend "
            "unemployment jobs gdp recession currency dollar sterling bitcoin startup "
            "industry manufacturing sales prices oil brand"
        ),
    ),
    Topic(
        "sport",
        "sport",
        (
            "football soccer rugby cricket tennis golf olympic olympics athlete "
            "athletes championship championships tournament league premier cup "
            "striker midfielder defender goalkeeper goal goals coach squad match "
            "matches fixture stadium medal medals wicket wickets innings batsman scrum "
            "bowler wimbledon marathon boxing boxer nba nfl fifa uefa basketball "
            "baseball hockey quarterback referee season semi-final club "
            "clubs player players teammate cyclist prix formula"
        ),
    ),
    Topic(
        "science",
        "science and technology",
        (
            "science scientist scientists research researchers study species "
            "planet planets space nasa astronaut astronomer astronomers telescope "
            "satellite rocket fossil fossils physics chemistry climate dinosaur "
            "technology tech software internet computer computers smartphone "
            "iphone app apps robot robots artificial ai google apple "
            "microsoft facebook twitter cyber hackers genome evolution"
        ),
    ),
    Topic(
        "health",
        "health",
        (
            "health hospital hospitals doctor doctors patient patients disease "
            "diseases virus vaccine vaccines vaccination cancer nhs medical medicine "
            "drug drugs treatment outbreak ebola pandemic epidemic infection "
            "infections surgery surgeon nurse nurses diet obesity diabetes dementia "
            "symptoms clinic therapy"
        ),
    ),
    Topic(
        "culture",
        "arts and entertainment",
        (
            "film films movie movies actor actress singer music album band concert "
            "festival celebrity hollywood oscar oscars oscar-winning novel author "
            "artist museum gallery fashion designer tv television "
            "theatre comedian rapper pop grammy premiere"
        ),
    ),
    Topic(
        "crime",
        "crime and justice",
        (
            "police officers arrested arrest charged court judge jury trial murder "
            "murdered killing prison jail jailed sentenced convicted guilty "
            "prosecutors prosecutor crime criminal suspect suspects detectives "
            "robbery shooting stabbed stabbing lawsuit sued"
        ),
    ),
)
LABELS = {t.key: t.label for t in TOPICS}


@cache
def _stems() -> dict[str, tuple[str, ...]]:
    """Each keyword's stem, and the topics it is evidence for."""
    found: dict[str, list[str]] = {}
    for topic in TOPICS:
        for word in topic.words.split():
            for part in word.split("-"):
                keys = found.setdefault(nlp.stem(part), [])
                if topic.key not in keys:
                    keys.append(topic.key)
    return {stem: tuple(keys) for stem, keys in found.items()}


def _evidence(text: str, weight: int, into: dict[str, int]) -> None:
    stems = _stems()
    for term in set(nlp.content_terms(text)):
        for key in stems.get(term, ()):
            into[key] = into.get(key, 0) + weight


def classify(headline: str, sentences: Sequence[str], language: str = "en") -> str:
    """The key of the story's topic (a key of `LABELS`), or "" when no topic is clear
    or the story is not in English."""
    if language != "en":
        return ""
    score: dict[str, int] = {}
    _evidence(headline, IN_HEADLINE, score)
    for sentence in sentences[:LEAD_SENTENCES]:
        _evidence(sentence, 1, score)
    ranked = sorted(score.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < AT_LEAST:
        return ""
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < AHEAD:
        return ""
    return ranked[0][0]
