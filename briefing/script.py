"""Script stage: Jinja2 templates turn stories into the spoken briefing script.

A template is a file defining the macros `intro`, `story` and `outro`. We call the
macros with data, so article text is never compiled as template code. A `story` macro
that declares a `turn` argument is also given the words that lead into the story,
chosen by how it relates to the one before (briefing/bulletin.py), and one that
declares `outlets` the outlets to credit aloud ("" when the story before is from the same
ones); a macro without them is called as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from briefing import bulletin, templating
from briefing.errors import BriefingError, TemplateError
from briefing.models import Run, Script, SecondsOf, Segment, Story

REQUIRED_MACROS = ("intro", "story", "outro")
DEFAULT_TEMPLATE = "briefing"
# Silence after each kind of segment (engines' own edge silence is trimmed in assembly, so
# these are the pauses heard): a beat after the greeting, the longest break between
# stories so each is heard as new, a shorter one before the sign-off.
PAUSE_AFTER_MS = {"intro": 1000, "story": 1600, "last_story": 1200, "outro": 0}

_ORDINALS = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    6: "sixth",
    7: "seventh",
    8: "eighth",
    9: "ninth",
    10: "tenth",
    11: "eleventh",
    12: "twelfth",
    13: "thirteenth",
    14: "fourteenth",
    15: "fifteenth",
    16: "sixteenth",
    17: "seventeenth",
    18: "eighteenth",
    19: "nineteenth",
    20: "twentieth",
    30: "thirtieth",
}


def builtin_template_dir() -> Path:
    """`templates/` in a source checkout, `briefing/templates` inside an installed wheel."""
    packaged = Path(str(resources.files("briefing"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def available_templates() -> list[str]:
    return sorted(p.stem for p in builtin_template_dir().glob("*.j2"))


def spoken_day(day: int) -> str:
    if day in _ORDINALS:
        return _ORDINALS[day]
    tens = {2: "twenty", 3: "thirty"}[day // 10]
    return f"{tens}-{_ORDINALS[day % 10]}"


def spoken_date(date: dt.date) -> str:
    """'Tuesday, November the twenty-fourth, 2026': unambiguous for any TTS voice."""
    return f"{date:%A}, {date:%B} the {spoken_day(date.day)}, {date.year}"


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text if not text or text[-1] in ".!?" else text + "."


def _environment(search_path: list[Path]) -> jinja2.Environment:
    return templating.sandbox(
        jinja2.FileSystemLoader([str(p) for p in search_path]),
        {
            "spoken_date": spoken_date,
            "weekday": lambda d: f"{d:%A}",
            "sentence": _sentence,
            "credit": bulletin.credit,  # ("bbc.co.uk", "Reuters") -> "the BBC and Reuters"
        },
    )


def load_template(template: str | Path | None = None) -> jinja2.Template:
    """A built-in template NAME, or a PATH to a .j2 file of the user's, loaded into the
    sandbox (briefing/templating.py); any error it has is a TemplateError naming it."""
    name = str(template or DEFAULT_TEMPLATE)
    candidate = Path(name).expanduser()
    try:
        is_file = candidate.is_file()
    except (OSError, ValueError) as exc:  # a name the file system refuses (too long, NUL)
        raise TemplateError(f"template {name[:80]!r} cannot be used ({exc})") from None
    if candidate.suffix == ".j2" or is_file or "/" in name:
        if not is_file:
            raise TemplateError(f"template file {candidate} does not exist")
        env = _environment([candidate.parent.resolve(), builtin_template_dir()])
        target = candidate.name
    else:
        env = _environment([builtin_template_dir()])
        target = f"{name}.j2"
    try:
        with templating.limits():
            tmpl = env.get_template(target)
            module = tmpl.module  # runs the template's top level: its errors show here
    except jinja2.TemplateNotFound as exc:
        if exc.name != target:  # an {% include %} or {% import %} inside it
            raise templating.template_error(exc, name) from exc
        raise TemplateError(
            f"no template named {name!r}; choose one of {', '.join(available_templates())} "
            "or give a path to a .j2 file"
        ) from exc
    except BriefingError:
        raise  # the run's own (its deadline), not the template's
    except Exception as exc:
        raise templating.template_error(exc, name) from exc
    missing = [m for m in REQUIRED_MACROS if not callable(getattr(module, m, None))]
    if missing:
        raise TemplateError(
            f"template {name} must define the macros {', '.join(REQUIRED_MACROS)}; "
            f"missing: {', '.join(missing)}"
        )
    return tmpl


Template = jinja2.Template


def render_script(
    stories: list[Story], date: dt.date, template: str | Path | Template | None = None
) -> Script:
    """Render the briefing for `date` from `stories` with the chosen template (a name,
    a path, or one already loaded with `load_template`)."""
    loaded = template if isinstance(template, jinja2.Template) else load_template(template)
    name = loaded.name or DEFAULT_TEMPLATE
    module: Any = loaded.module  # the macros checked by load_template
    count = len(stories)
    try:
        with templating.limits():  # one render, one budget of steps and text
            parts = _segments(module, stories, date)
    except BriefingError:
        raise  # the run's own (its deadline), not the template's
    except Exception as exc:  # whatever the template's code did: 1/0, recursion, a limit
        raise templating.template_error(exc, name) from exc
    if count:
        # The last story leads into the sign-off: a shorter pause than between stories.
        parts[-2] = dataclasses.replace(parts[-2], pause_after_ms=PAUSE_AFTER_MS["last_story"])
    return Script(date=date, segments=tuple(p for p in parts if p.text))


def _segments(module: Any, stories: list[Story], date: dt.date) -> list[Segment]:
    count = len(stories)
    # What a story macro may declare beyond the five it is always given, one per story.
    optional = {"turn": bulletin.turns, "outlets": bulletin.credits}
    declared = getattr(module.story, "arguments", ())
    given = {name: words(stories) for name, words in optional.items() if name in declared}
    parts = [
        Segment(
            "intro",
            _clean(module.intro(date, count, [s.headline for s in stories])),
            title="Introduction",
            pause_after_ms=PAUSE_AFTER_MS["intro"],
        )
    ]
    for i, story in enumerate(stories):
        # (A story that holds a marker itself, which no source gives, is not marked.)
        mark = not _has_markers(story)
        said = _marked(story) if mark else story
        args = (said, i, count, i == 0, i == count - 1 and count > 1)
        text = _clean(module.story(*args, **{name: each[i] for name, each in given.items()}))
        parts.append(
            Segment(
                "story",
                _STORY_RE.sub(r"\1", text) if mark else text,
                title=story.headline,
                pause_after_ms=PAUSE_AFTER_MS["story"],
                runs=_runs(text, story.language) if mark else (),
                index=i,
            )
        )
    parts.append(Segment("outro", _clean(module.outro(date)), title="Sign-off"))
    return parts


def seconds_of(template: Template, date: dt.date, rate: int) -> SecondsOf:
    """How long the briefing `template` makes of some stories takes to say at `rate`
    words per minute, pauses included: the script itself is rendered, so the template's
    own words (greeting, transitions, "From ...") count, custom templates too."""

    def seconds(stories: Sequence[Story]) -> float:
        script = render_script(list(stories), date, template)
        pauses = sum(seg.pause_after_ms for seg in script.segments) / 1000
        return script.word_count * 60 / rate + pauses

    return seconds


# The story's own words are marked while the template renders, so the script knows which
# stretches are the story's (spoken in its language) and which the template's (spoken in
# the briefing's). Control characters never reach a story (briefing/sanitize.py).
_START, _END = "\x02", "\x03"
_STORY_RE = re.compile(f"{_START}(.*?){_END}", re.S)
_WORDLESS_RE = re.compile(r"^\W*$")
_LEADING_PUNCT_RE = re.compile(r"[^\w\s]*")


def _has_markers(story: Story) -> bool:
    fields = (story.headline, story.update_of, *story.sentences)
    return any(_START in f or _END in f for f in fields)


def _marked(story: Story) -> Story:
    def mark(text: str) -> str:
        return f"{_START}{text}{_END}" if text else text

    return dataclasses.replace(
        story,
        headline=mark(story.headline),
        sentences=tuple(mark(s) for s in story.sentences),
        update_of=mark(story.update_of),
    )


def _runs(text: str, language: str) -> tuple[Run, ...]:
    """The rendered story as runs of one language: the marked stretches the story's,
    the rest the briefing's; punctuation alone ("." after a headline) stays with the
    run before it."""
    runs: list[Run] = []
    position = 0
    pieces: list[tuple[str, str]] = []
    for match in _STORY_RE.finditer(text):
        pieces.append((text[position : match.start()], ""))
        pieces.append((match.group(1), language))
        position = match.end()
    pieces.append((text[position:], ""))
    for piece, lang in pieces:
        if runs and runs[-1].language != lang:
            # A full stop the template puts after a headline is the headline's.
            stop = _LEADING_PUNCT_RE.match(piece)
            if stop and stop.group():
                runs[-1] = Run(runs[-1].text + stop.group(), runs[-1].language)
                piece = piece[stop.end() :]
        if not piece:
            continue
        if runs and (runs[-1].language == lang or _WORDLESS_RE.match(piece)):
            runs[-1] = Run(runs[-1].text + piece, runs[-1].language)
        else:
            runs.append(Run(piece, lang))
    return tuple(Run(r.text.strip(), r.language) for r in runs if r.text.strip())


def _clean(text: object) -> str:
    lines = (" ".join(line.split()) for line in str(text).splitlines())
    return "\n".join(line for line in lines if line)
