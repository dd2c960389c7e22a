"""The whole pipeline as library calls: load -> summarize -> script -> speak -> assemble."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path

from briefing import runtime
from briefing.assemble import Assembled, AudioPart, assemble, audio_options, require_ffmpeg
from briefing.errors import NothingToBriefError
from briefing.fsutil import explain_write_error, staged_path
from briefing.journal import file_digest, write_journal, write_metadata
from briefing.layout import Layout
from briefing.models import Article, Episode, Problem, Progress, Script, Story
from briefing.script import load_template, render_script, seconds_of
from briefing.settings import Settings
from briefing.sources import gather_articles
from briefing.speak import make_engine
from briefing.speak.segments import speak_segments
from briefing.summarize.history import recent_stories
from briefing.summarize.plan import plan_briefing

log = logging.getLogger("briefing")


@dataclass(frozen=True)
class Prepared:
    script: Script
    stories: tuple[Story, ...]
    problems: tuple[Problem, ...]
    articles: tuple[Article, ...] = ()


def prepare(settings: Settings) -> Prepared:
    """Load, summarize and render the script: everything before audio."""
    layout = Layout.of(settings.output)
    sources = settings.sources
    loaded = gather_articles(sources, settings.date, layout.seen)
    problems = list(loaded.problems)
    template = load_template(settings.script.template)
    earlier = recent_stories(layout.history, settings.date, settings.script.update_days)
    problems.extend(earlier.problems)
    stories, planned = plan_briefing(
        loaded.articles,
        sentences=settings.script.sentences,
        minutes=settings.script.minutes,
        seconds_of=seconds_of(template, settings.date, settings.speech.rate),
        interests=settings.interests,
        earlier=earlier.stories,
        sections=settings.script.sections,
    )
    problems.extend(planned)
    if not stories:
        detail = "; ".join(str(p) for p in problems[:3])
        directory = sources.directory()
        if sources.feeds or sources.urls:
            raise NothingToBriefError(
                f"nothing new to brief from {len(sources.feeds)} feed(s), "
                f"{len(sources.urls)} URL(s)"
                + (f" and {directory}" if directory is not None else "")
                + (f" ({detail})" if detail else "")
                + "; stories briefed on earlier days are skipped"
            )
        raise NothingToBriefError(
            f"no usable article in {directory}"
            + (f" ({detail})" if detail else "")
            + "; add .txt, .md or .html articles there or pass --input DIR"
        )
    script = render_script(stories, settings.date, template)
    return Prepared(script, tuple(stories), tuple(problems), loaded.articles)


def run(settings: Settings, progress: Progress | None = None) -> Episode:
    """Produce the episode audio and script for `settings.date`; return where they are.

    The episode's files are put in place before its MP3 (briefing/journal.py); adding
    the day to the history and seen cache (`apply_journal`) and publishing are the
    caller's (briefing/daily.py).
    """
    with runtime.run_scope():  # temporary files and child processes die with the run
        return _run(settings, progress)


def _run(settings: Settings, progress: Progress | None) -> Episode:
    progress = progress or (lambda stage, done, total: None)
    engine = make_engine(settings.speech)
    engine.check()
    layout = Layout.of(settings.output)
    if layout.format.needs_ffmpeg:
        require_ffmpeg()
    # Bad audio settings fail when settings are read, before any speech is made.
    options = dataclasses.replace(
        audio_options(settings.audio, settings.date, settings.feed.cover),
        calibration=layout.encoder_calibration,
    )
    prepared = prepare(settings)
    files = layout.episode(settings.date)
    problems = list(prepared.problems)
    with engine, runtime.temp_dir("speech-") as tmp:
        said, failed = speak_segments(
            engine,
            prepared.script.segments,
            tmp,
            settings.speech,
            progress,
            briefing_language=settings.feed.language,
        )
        problems.extend(failed)
        spoken = tuple(seg for seg, _ in said)
        parts = [
            AudioPart(audio.wav, seg.title, seg.pause_after_ms, audio.cues) for seg, audio in said
        ]
        script = Script(prepared.script.date, spoken)
        segment_voices = tuple(" + ".join(audio.voices) for _, audio in said)
        voice = f"{engine.name} {engine.voice or 'default'}"

        def put_in_place(staged_audio: Path, made: Assembled) -> None:
            # Everything that belongs to the MP3 goes in place before it, naming it
            # (briefing/journal.py): a run killed between the renames leaves a day the
            # next run can tell apart and finish, or make again.
            audio = file_digest(staged_audio)
            try:
                write_metadata(
                    files.metadata,
                    settings.date,
                    spoken,
                    made.chapters,
                    prepared.stories,
                    duration_s=made.duration_s,
                    voice=voice,
                    cues=made.cues,
                    segment_voices=segment_voices,
                    audio=audio,
                )
            except OSError as exc:  # a full disk: the MP3 is worth more than its sidecar
                files.metadata.unlink(missing_ok=True)  # an older day's would name another MP3
                why = explain_write_error(exc, layout.output_dir)
                problems.append(
                    Problem("metadata", f"{why}; the feed describes the episode from its script")
                )
            script_file.commit()
            try:
                write_journal(
                    layout.journal(settings.date),
                    settings.date,
                    audio,
                    prepared.stories,
                    prepared.articles,
                )
            except OSError as exc:
                why = explain_write_error(exc, layout.state_dir)
                problems.append(
                    Problem(
                        "history",
                        f"{why}; tomorrow's follow-ups are told in full and may repeat "
                        "some of today's feed stories",
                    )
                )

        # The script is put in place just before the audio, once both are complete: the
        # audio's existence marks the episode as made, and a run that fails or is killed
        # before then leaves neither (only .part files).
        with staged_path(files.script) as script_file:
            script_file.path.write_text(script.text, encoding="utf-8")
            progress("encode", 0, 1)
            assembled = assemble(
                parts,
                files.audio,
                options.with_script(script),
                layout.format,
                before_commit=put_in_place,
            )
        problems.extend(assembled.problems)
        progress("encode", 1, 1)
    return Episode(
        files.audio,
        files.script,
        assembled.duration_s,
        assembled.chapters,
        tuple(problems),
        segments=spoken,
        cues=assembled.cues,
        segment_voices=segment_voices,
        stories=prepared.stories,
        articles=prepared.articles,
        voice=voice,
    )
