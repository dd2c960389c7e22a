"""The whole pipeline as library calls: load -> summarize -> script -> speak -> assemble."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from briefing import runtime
from briefing.assemble import AudioPart, assemble, audio_options, require_ffmpeg
from briefing.config import Settings
from briefing.errors import NothingToBriefError, SpeechError
from briefing.fsutil import staged_path
from briefing.models import Article, Episode, Problem, Script, Segment, Story
from briefing.normalize import normalize_for_speech
from briefing.publish.episodes import write_metadata
from briefing.script import render_script
from briefing.sources import gather_articles, record_briefed
from briefing.speak import Engine, get_engine
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
    loaded = gather_articles(settings)
    problems = list(loaded.problems)
    stories, planned = plan_briefing(loaded.articles, settings)
    problems.extend(planned)
    if not stories:
        detail = "; ".join(str(p) for p in problems[:3])
        if settings.feeds or settings.urls:
            raise NothingToBriefError(
                f"nothing new to brief from {len(settings.feeds)} feed(s), "
                f"{len(settings.urls)} URL(s) and {settings.input_dir}"
                + (f" ({detail})" if detail else "")
                + "; stories briefed on earlier days are skipped"
            )
        raise NothingToBriefError(
            f"no usable article in {settings.input_dir}"
            + (f" ({detail})" if detail else "")
            + "; add .txt, .md or .html articles there or pass --input DIR"
        )
    script = render_script(stories, settings.date, settings.template)
    return Prepared(script, tuple(stories), tuple(problems), loaded.articles)


def run(settings: Settings, progress: Progress | None = None) -> Episode:
    """Produce the MP3 and script for `settings.date`; return where they are."""
    with runtime.run_scope():  # temporary files and child processes die with the run
        return _run(settings, progress)


def _run(settings: Settings, progress: Progress | None) -> Episode:
    progress = progress or (lambda stage, done, total: None)
    engine = get_engine(settings.engine, settings.voice, settings.rate)
    engine.check()
    require_ffmpeg()
    options = audio_options(settings)  # bad audio settings fail before any speech is made
    prepared = prepare(settings)
    mp3_path, script_path = settings.output_paths()
    problems = list(prepared.problems)
    with engine, runtime.temp_dir("speech-") as tmp:
        parts, failed = speak_segments(
            engine,
            prepared.script.segments,
            tmp,
            settings.workers,
            progress,
            normalize=settings.normalize,
        )
        problems.extend(failed)
        spoken = [seg for seg, part in parts]
        script = Script(prepared.script.date, tuple(spoken))
        # The script is put in place just before the MP3, once both are complete: the
        # MP3's existence marks the episode as made, and a run that fails or is killed
        # before then leaves neither (only .part files). (The JSON sidecar needs the
        # chapters, so it follows; publish does without it if absent.)
        with staged_path(script_path) as script_file:
            script_file.path.write_text(script.text, encoding="utf-8")
            progress("encode", 0, 1)
            assembled = assemble(
                [part for seg, part in parts],
                mp3_path,
                options.with_script(script),
                before_commit=script_file.commit,
            )
        problems.extend(assembled.problems)
        progress("encode", 1, 1)
    # Titles and story start times for the feed and web page (briefing/publish/).
    write_metadata(
        mp3_path,
        settings.date,
        spoken,
        assembled.chapters,
        prepared.stories,
        duration_s=assembled.duration_s,
    )
    record_briefed(settings, prepared.articles)
    return Episode(mp3_path, script_path, assembled.duration_s, assembled.chapters, tuple(problems))


def speak_segments(
    engine: Engine,
    segments: tuple[Segment, ...],
    workdir: Path,
    workers: int,
    progress: Progress,
    normalize: bool = True,
) -> tuple[list[tuple[Segment, AudioPart]], list[Problem]]:
    """Render segments in parallel; a failed story is dropped and reported, a failed
    greeting or sign-off fails the run (an engine that cannot say those is broken).
    With `normalize`, the engine hears the text normalized for speech; the segments
    returned (the transcript) keep the text as written."""
    total = len(segments)
    done = 0
    progress("speak", 0, total)

    def render(index: int) -> AudioPart:
        seg = segments[index]
        wav = workdir / f"segment-{index:04d}.wav"
        text = normalize_for_speech(seg.text, "auto") if normalize else seg.text
        engine.render(text, wav)
        return AudioPart(wav, seg.title, seg.pause_after_ms)

    results: list[tuple[Segment, AudioPart]] = []
    problems: list[Problem] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
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
        except BaseException:
            # The run is failing: render no more segments, nor wait out their timeouts.
            for future in futures:
                future.cancel()
            raise
    if not any(seg.kind == "story" for seg, _ in results):
        raise SpeechError("no story could be spoken; " + "; ".join(p.message for p in problems))
    return results, problems
