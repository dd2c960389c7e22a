"""What makes a script sound like a bulletin: the words between stories chosen by how a
story relates to the one before, and outlets credited by the name a listener knows,
once for a run of stories from one outlet.

A story is on the same topic as the one before (`SAME`: "Staying with sport"), on
another (`OTHER`: "Turning to business", "Elsewhere"), or an update of one told on an
earlier day (`UPDATE`: "Following up on ..."); in a briefing grouped into sections the
first story of each section says the section (`SECTION`: "Now to sport"). Within a
briefing no phrase of a kind comes twice until every phrase of that kind has been said,
and never twice in a row; "Meanwhile" only joins stories of one topic. A story without
a topic (`Story.topic` "") is unrelated to its neighbours.

This module imports nothing heavy: the script stage runs on a day already made.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.models import Story

FIRST = "First"
LAST = "And finally"
# "{topic}" is the story's topic as said ("sport", "world news"); a phrase that needs
# it is used only for a story that has one.
SAME = ("Staying with {topic}", "Also in {topic}", "Meanwhile", "More on {topic} now")
OTHER = ("Next", "Turning to {topic}", "In other news", "Elsewhere", "Now to {topic}", "Also today")
# Said before "on <the story told before>": "Following up on Storm hits coast."
UPDATE = ("Now, an update", "Following up", "More now")
SECTION = ("Now to {topic}", "Turning to {topic}", "In {topic}")


@dataclass
class _Pool:
    """Phrases of one kind, each said once before any is said again."""

    phrases: tuple[str, ...]
    said: set[str] = field(default_factory=set)

    def take(self, topic: str, last: str) -> str:
        usable = [p for p in self.phrases if topic or "{topic}" not in p]
        fresh = [p for p in usable if p not in self.said]
        if not fresh:
            self.said.clear()
            fresh = [p for p in usable if p.format(topic=topic) != last] or usable
        phrase = fresh[0]
        self.said.add(phrase)
        return phrase.format(topic=topic)


def turns(stories: Sequence[Story]) -> list[str]:
    """The words that lead into each story, in order ("" for a briefing of one)."""
    count = len(stories)
    if count < 2:
        return [""] * count
    pools = {
        kind: _Pool(phrases)
        for kind, phrases in (
            ("same", SAME),
            ("other", OTHER),
            ("update", UPDATE),
            ("section", SECTION),
        )
    }
    said: list[str] = []
    previous: Story | None = None
    last = ""
    for i, story in enumerate(stories):
        section = _new_section(story, previous)
        if i == 0 or i == count - 1:
            turn = FIRST if i == 0 else LAST
            if section:
                turn += f", in {section}"
            if story.update_of:
                turn += ", an update"
        elif section:
            turn = pools["section"].take(section, last)
            if story.update_of:
                turn += ", an update"
        elif story.update_of:
            turn = pools["update"].take("", last)
        elif previous is not None and story.topic and story.topic == previous.topic:
            turn = pools["same"].take(story.topic, last)
        else:
            turn = pools["other"].take(story.topic, last)
        said.append(turn)
        last, previous = turn, story
    return said


def _new_section(story: Story, previous: Story | None) -> str:
    """The section `story` opens, as said, or "" when it opens none."""
    if not story.section or (previous is not None and previous.section == story.section):
        return ""
    return story.section


# Outlets by the name a listener knows them by: a host name or the name a page gives.
_OUTLETS = {
    "bbc": "the BBC",
    "bbc news": "the BBC",
    "bbc.co.uk": "the BBC",
    "bbc.com": "the BBC",
    "reuters": "Reuters",
    "reuters.com": "Reuters",
    "associated press": "the Associated Press",
    "ap": "the Associated Press",
    "apnews.com": "the Associated Press",
    "cnn": "CNN",
    "cnn.com": "CNN",
    "edition.cnn.com": "CNN",
    "daily mail": "the Daily Mail",
    "daily mail online": "the Daily Mail",
    "mail online": "the Daily Mail",
    "dailymail.co.uk": "the Daily Mail",
    "the guardian": "the Guardian",
    "guardian": "the Guardian",
    "theguardian.com": "the Guardian",
    "nytimes.com": "the New York Times",
    "the new york times": "the New York Times",
    "new york times": "the New York Times",
    "washingtonpost.com": "the Washington Post",
    "the washington post": "the Washington Post",
    "ft.com": "the Financial Times",
    "financial times": "the Financial Times",
    "economist.com": "the Economist",
    "the economist": "the Economist",
    "bloomberg.com": "Bloomberg",
    "aljazeera.com": "Al Jazeera",
    "npr.org": "NPR",
    "voanews.com": "VOA",
    "voice of america": "VOA",
    "dw.com": "DW",
    "deutsche welle": "DW",
    "france24.com": "France 24",
    "euronews.com": "Euronews",
    "news.sky.com": "Sky News",
    "independent.co.uk": "the Independent",
    "the independent": "the Independent",
    "telegraph.co.uk": "the Telegraph",
    "the telegraph": "the Telegraph",
    "cbc.ca": "CBC News",
    "abc.net.au": "ABC News",
    "en.wikinews.org": "Wikinews",
    "phys.org": "Phys.org",
}
_HOST_RE = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$")


def outlet(source: str) -> str:
    """How a story's source is credited aloud: "the BBC" for "bbc.co.uk" or "BBC
    News"; a name the table does not know as given; a bare host name ("example.com")
    as given too, which the normalizer reads out as an address."""
    name = " ".join(source.split())
    key = name.casefold().removeprefix("www.")
    if key in _OUTLETS:
        return _OUTLETS[key]
    if _HOST_RE.match(key) and key.split(".", 1)[1] in _OUTLETS:
        return _OUTLETS[key.split(".", 1)[1]]  # "edition.bbc.co.uk"
    if name.startswith("The ") and not _HOST_RE.match(key):
        return "the " + name[4:]
    return name


def credit(sources: Sequence[str]) -> str:
    """The outlets of a story as one phrase: "the BBC and Reuters"; "" for none."""
    names: list[str] = []
    for s in sources:
        said = outlet(s)
        if said and said not in names:
            names.append(said)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def credits(stories: Sequence[Story]) -> list[str]:
    """The outlets said for each story: its `credit`, or "" where the story before has the
    same one, so a run of stories from one outlet names it once, as a bulletin does (the
    seeds' "from Wikinews" six times in seven stories was heard as padding)."""
    said: list[str] = []
    last = ""
    for story in stories:
        outlets = credit(story.sources)
        said.append("" if outlets == last else outlets)
        last = outlets
    return said
