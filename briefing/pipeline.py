"""The whole pipeline as library calls: load -> summarize -> script -> speak -> assemble."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from briefing import runtime
from briefing.assemble import AudioPart, assemble, audio_options, require_ffmpeg
from briefing.errors import DeadlineError, NothingToBriefError, SpeechError
from briefing.fsutil import staged_path
from briefing.layout import Layout
from briefing.models import Article, Episode, Problem, Script, Segment, Story
from briefing.normalize import normalize_for_speech
from briefing.script import load_template, render_script, seconds_of
from briefing.settings import Settings, SpeechSettings
from briefing.sources import gather_articles
from briefing.speak import Engine, make_engine
from briefing.summarize.history import recent_stories
from briefing.summarize.plan import plan_briefing

log = logging.getLogger("briefing")

Progress = Callable[[str, int, int], None]  # (stage, done, total)


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

    Publishing (metadata, feed, page) and remembering the briefed articles are the
    caller's (briefing/daily.py): this makes the episode and nothing else.
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
    options = audio_options(settings.audio, settings.date, settings.feed.cover)
    prepared = prepare(settings)
    files = layout.episode(settings.date)
    problems = list(prepared.problems)
    with engine, runtime.temp_dir("speech-") as tmp:
        parts, failed = speak_segments(
            engine,
            prepared.script.segments,
            tmp,
            settings.speech,
            progress,
        )
        problems.extend(failed)
        spoken = tuple(seg for seg, part in parts)
        script = Script(prepared.script.date, spoken)
        # The script is put in place just before the audio, once both are complete: the
        # audio's existence marks the episode as made, and a run that fails or is killed
        # before then leaves neither (only .part files).
        with staged_path(files.script) as script_file:
            script_file.path.write_text(script.text, encoding="utf-8")
            progress("encode", 0, 1)
            assembled = assemble(
                [part for seg, part in parts],
                files.audio,
                options.with_script(script),
                layout.format,
                before_commit=script_file.commit,
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
        stories=prepared.stories,
        articles=prepared.articles,
        voice=f"{engine.name} {engine.voice or 'default'}",
    )


def speak_segments(
    engine: Engine,
    segments: tuple[Segment, ...],
    workdir: Path,
    speech: SpeechSettings,
    progress: Progress,
) -> tuple[list[tuple[Segment, AudioPart]], list[Problem]]:
    """Render segments in parallel; a failed story is dropped and reported, a failed
    greeting or sign-off fails the run (an engine that cannot say those is broken).
    With `speech.normalize`, the engine hears the text normalized for speech; the
    segments returned (the transcript) keep the text as written."""
    total = len(segments)
    done = 0
    progress("speak", 0, total)

    def render(index: int) -> AudioPart:
        seg = segments[index]
        wav = workdir / f"segment-{index:04d}.wav"
        text = normalize_for_speech(seg.text, "auto") if speech.normalize else seg.text
        engine.render(text, wav)
        return AudioPart(wav, seg.title, seg.pause_after_ms)

    results: list[tuple[Segment, AudioPart]] = []
    problems: list[Problem] = []
    pool = ThreadPoolExecutor(max_workers=max(1, speech.workers))
    futures = [pool.submit(render, i) for i in range(total)]
    try:
        for seg, future in zip(segments, futures, strict=True):
            try:
                results.append((seg, future.result()))
            except SpeechError as exc:
                if seg.kind != "story":
                    raise
                problems.append(Problem(f"story {seg.title!r}", f"not spoken: {exc}"))
                # info: the caller reports problems; a warning would say it twice.
                log.info("story %r not spoken: %s", seg.title, exc)
            done += 1
            progress("speak", done, total)
    except BaseException as exc:
        # The run is failing: render no more segments. Wait for those being rendered
        # (each engine call has a timeout of its own), so no engine is still starting a
        # process when the run lets go of its lock; past the deadline or stopped by a
        # signal, do not wait at all.
        hurry = isinstance(exc, DeadlineError | KeyboardInterrupt)
        pool.shutdown(wait=not hurry, cancel_futures=True)
        raise
    pool.shutdown()
    if not any(seg.kind == "story" for seg, _ in results):
        raise SpeechError("no story could be spoken; " + "; ".join(p.message for p in problems))
    return results, problems
