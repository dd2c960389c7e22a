"""End to end: N articles on disk -> the finished MP3, per stage, against the bare floor.

For each N, in a fresh process (so peak memory is that N's own): generate N distinct,
realistic articles, time `load`, `summarize` (the briefing planner) and `script`, then
`briefing.pipeline.run` (speak and assemble+encode timed from its progress callback),
then render the same script with no Python pipeline at all, the floor: `espeak-ng -w`
per segment, one process per core (`xargs -P CORES`), and one `ffmpeg` concat+encode
with the pipeline's exact encoder and muxer settings (`briefing.assemble.codec_args`,
`MP3_MUXER`). Wall and CPU seconds (children included) of both are compared. Peak memory
is the resident set of the process and all its children, sampled every 20 ms. Run from
the repo root:

    python -m bench.pipeline                 # N = 1, 10, 100, 1000
    python -m bench.pipeline --quick         # N = 1, 10: a smoke test
    python -m bench.pipeline --sizes 1,10,100 --repeat 3
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

from bench._results import machine, table, write_section

DATE = dt.date(2026, 11, 24)
RATE = 175
QUICK = (1, 10)
FULL = (1, 10, 100, 1000)

# --- realistic articles ----------------------------------------------------------------
# News-like text from sentence frames filled with a wide vocabulary and invented names,
# so the planner sees N different events: copies of a few texts would be merged into a
# handful of stories and say nothing about cost per article.

SYLLABLES = "ka lo mer vin do sa ri tan bel nor qui zan fe lu gor ha mi pel ro sun".split()  # noqa: SIM905
ROLES = (
    "mayor", "health minister", "council leader", "chief engineer", "head teacher",
    "union leader", "police chief", "museum director", "harbour master", "fire chief",
    "university rector", "transport minister", "judge", "bishop", "club president",
)  # fmt: skip
BODIES = (
    "city council", "regional hospital", "state university", "railway company",
    "water board", "port authority", "national museum", "football club", "school board",
    "energy company", "farmers union", "tax office", "weather service", "post office",
    "chamber of commerce", "opera house", "zoo", "ferry line", "bus company", "court",
)  # fmt: skip
PROJECTS = (
    "tram line", "flood barrier", "concert hall", "bicycle bridge", "housing estate",
    "wind farm", "ferry terminal", "sports centre", "night market", "water treatment plant",
    "children's hospital", "ring road", "solar park", "public library", "cable car",
    "science park", "fish market", "ice rink", "botanical garden", "tunnel",
)  # fmt: skip
DEEDS = (
    ("approves", "approved"), ("rejects", "rejected"), ("delays", "delayed"),
    ("opens", "opened"), ("cancels", "cancelled"), ("expands", "expanded"),
    ("funds", "funded"), ("sells", "sold"), ("redesigns", "redesigned"),
    ("reviews", "reviewed"),
)  # fmt: skip
EVENTS = (
    "strike", "fire", "flood", "power cut", "festival", "protest", "heat wave", "landslide",
    "storm", "rail closure", "water shortage", "traffic jam",
)  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HEADLINES = (
    "{Place} {body} {deed} {project} plan",
    "{event} hits {Place} as {body} {deed} {project}",
    "{Person} says {Place} {project} will open next year",
)
LEADS = (
    "The {body} of {Place} {deed_past} the plan for a new {project} on {day}, after "
    "{n} months of debate about its cost and its place in the old town.",
    "A {event} in {Place} on {day} forced the {body} to stop work on the {project}, "
    "and officials said the delay would last at least {n} weeks.",
)
FRAMES = (
    "The {project} will cost about {n} million euros, according to figures published by "
    "the {body} of {Place} this week.",
    "{Person}, the {role} of {Place}, told reporters that the {project} would bring "
    "{n} hundred new jobs to the region.",
    "Critics in {Place} argued that the money should go to schools and housing instead "
    "of the {project}, and called for a public vote.",
    "Work on the {project} is expected to start in {month}, once the last permits have "
    "been signed by the regional government.",
    "The {event} last year damaged roads and homes across {Place}, and many residents "
    "still wait for the repairs they were promised.",
    "A survey by the local newspaper found that {n} percent of people in {Place} support "
    "the {project}, while the rest want more information first.",
    "{Person} said the {body} would hold {n} public meetings in {month} so that residents "
    "can see the drawings and ask questions.",
    "Engineers from {Company} have studied the ground under the {project} and found it "
    "safe, the {role} said on {day}.",
    "Shop owners near the site of the {project} fear that years of building work will "
    "keep customers away from the centre of {Place}.",
    "The opposition in {Place} accused the {body} of hiding the true cost of the "
    "{project} and asked for an independent review.",
    "Trains and buses to {Place} will run less often during the works, the {body} "
    "warned, and extra staff will help travellers find their way.",
    "The last large project of the {body}, a {project2}, opened {n} years ago and still "
    "loses money every month, according to the national audit office.",
)
MONTHS = ("January", "March", "April", "June", "September", "October", "November")


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def article_text(i: int, seed: int = 7) -> str:
    """Article `i`: a headline, a source line and two paragraphs of about 150 words."""
    rng = random.Random(seed * 100_003 + i)
    deed = rng.choice(DEEDS)
    fill = {
        "Place": f"{_name(rng, 2)}{rng.choice(['', 'burg', 'ford', 'stad', 'ville'])}",
        "Person": f"{_name(rng, 2)} {_name(rng, 3)}",
        "Company": f"{_name(rng, 2)} {rng.choice(['Engineering', 'Partners', 'Group'])}",
        "role": rng.choice(ROLES),
        "body": rng.choice(BODIES),
        "project": rng.choice(PROJECTS),
        "project2": rng.choice(PROJECTS),
        "event": rng.choice(EVENTS),
        "deed": deed[0],
        "deed_past": deed[1],
        "day": rng.choice(DAYS),
        "month": rng.choice(MONTHS),
        "n": rng.randint(3, 90),
    }
    frames = [rng.choice(LEADS), *rng.sample(FRAMES, 6)]
    headline = rng.choice(HEADLINES).format(**fill)
    sentences = [f.format(**(fill | {"n": rng.randint(3, 90)})) for f in frames]
    source = f"The {_name(rng, 2)} {rng.choice(['Courier', 'Post', 'Herald', 'Times'])}"
    return (
        f"{headline[0].upper()}{headline[1:]}\nSource: {source}\n\n"
        + " ".join(sentences[:4])
        + "\n\n"
        + " ".join(sentences[4:])
        + "\n"
    )


def write_articles(directory: Path, n: int) -> int:
    """Write `n` distinct news articles to `directory`; return their total word count."""
    directory.mkdir(parents=True, exist_ok=True)
    words = 0
    for i in range(n):
        text = article_text(i)
        (directory / f"article-{i:05d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


# --- memory: resident set of a process tree, sampled -----------------------------------


def tree_rss_bytes(root: int) -> int:
    """RSS of `root` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue  # it ended while we looked
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


class Sampler:
    """Peak RSS (process tree) per stage label, sampled on a thread."""

    def __init__(self, interval: float = 0.02) -> None:
        self.stage = "start"
        self.peaks: dict[str, int] = {}
        self.cpu = 0.0  # CPU seconds the sampler itself used, to leave out of the figures
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval: float) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            rss = tree_rss_bytes(me)
            self.peaks[self.stage] = max(self.peaks.get(self.stage, 0), rss)
            self.cpu = time.thread_time()
            time.sleep(interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# --- one measurement (runs in its own process) -----------------------------------------


def measure(
    n: int, workers: int, engine: str, workdir: Path, max_audio_mb: float
) -> dict[str, float]:
    from briefing import pipeline
    from briefing.script import render_script
    from briefing.settings import Settings
    from briefing.sources.files import load_articles
    from briefing.speak import get_engine
    from briefing.speak.segments import speak_segments
    from briefing.summarize.plan import plan_briefing

    source_words = write_articles(workdir / "in", n)
    settings = Settings.build(
        input_dir=workdir / "in",
        output_dir=workdir / "out",
        date=DATE,
        engine=engine,
        rate=RATE,
        workers=workers,
    )
    row: dict[str, float] = {"n": n, "source_words": source_words}
    marks: dict[str, tuple[float, float]] = {}
    nan = float("nan")
    # A daily run measures the MP3 encoder's level once and keeps it in the state
    # directory: measured here as any morning after the first.
    from briefing.assemble import codec_args as encoder_args
    from briefing.audio.loudness import encoder_loss_db
    from briefing.layout import Layout

    audio = settings.audio
    encoder_loss_db(
        encoder_args(audio), audio.sample_rate, Layout.of(settings.output).encoder_calibration
    )

    with Sampler() as sampler:

        def stage(name: str) -> None:
            sampler.stage = name
            marks[name] = (time.perf_counter(), cpu_seconds() - sampler.cpu)

        stage("load")
        loaded = load_articles(workdir / "in")
        stage("summarize")
        stories, _ = plan_briefing(loaded.articles, sentences=settings.script.sentences)
        stage("script")
        script = render_script(stories, settings.date, settings.script.template)
        stage("run")
        # The assembler streams the episode through a raw PCM file on disk, so every N is
        # run in full by default; `--max-audio-mb` can still skip assemble+encode where
        # the temporary directory is small.
        seconds = (
            script.word_count * 60 / RATE
            + sum(seg.pause_after_ms for seg in script.segments) / 1000
        )
        row["pcm_mb"] = seconds * 44_100 * 2 / 1e6
        whole = row["pcm_mb"] <= max_audio_mb

        def progress(name: str, done: int, total: int) -> None:
            if done == 0 and name in ("speak", "encode"):
                stage(name)

        if whole:
            episode = pipeline.run(settings, progress)
            audio_s = episode.duration_s
        else:
            with get_engine(engine, None, RATE) as eng:
                speak_segments(eng, script.segments, workdir, settings.speech, progress)
            stage("encode")
            audio_s = nan
        stage("floor")
        floor_speak, floor_encode, floor_mp3 = floor(script, workdir / "floor")
        stage("one worker")
        one_worker = nan
        if n <= 100 and workers > 1:  # does rendering on W workers really pay?
            (workdir / "w1").mkdir()
            with get_engine(engine, None, RATE) as eng:
                start = time.perf_counter()
                one = dataclasses.replace(settings.speech, workers=1)
                speak_segments(eng, script.segments, workdir / "w1", one, lambda *_: None)
                one_worker = time.perf_counter() - start
        stage("end")

    def span(a: str, b: str) -> float:
        return marks[b][0] - marks[a][0]

    def cores(a: str, b: str) -> float:
        return (marks[b][1] - marks[a][1]) / span(a, b)

    row |= {
        "stories": len(stories),
        "segments": len(script.segments),
        "load": span("load", "summarize"),
        "summarize": span("summarize", "script"),
        "script": span("script", "run"),
        "speak": span("speak", "encode"),
        "speak_one_worker": one_worker,
        "encode": span("encode", "floor") if whole else nan,
        "total": span("run", "floor") if whole else nan,
        "cpu_total": marks["floor"][1] - marks["run"][1] if whole else nan,
        "floor_cpu": marks["one worker"][1] - marks["floor"][1],
        "floor_speak": floor_speak,
        "floor_encode": floor_encode,
        "audio_s": audio_s,
        "floor_audio_s": mp3_seconds(floor_mp3),
        "speak_cores": cores("speak", "encode"),
        "encode_cores": cores("encode", "floor") if whole else nan,
        "floor_cores": cores("floor", "one worker"),
        "peak_mb": max(v for k, v in sampler.peaks.items() if k != "one worker") / 1e6,
        "peak_speak_mb": sampler.peaks.get("speak", 0) / 1e6,
        "peak_encode_mb": sampler.peaks.get("encode", 0) / 1e6 if whole else nan,
        "peak_floor_mb": sampler.peaks.get("floor", 0) / 1e6,
    }
    return row


def floor(script: object, workdir: Path) -> tuple[float, float, Path]:
    """The same segments through bare `espeak-ng -w` (one process per core) and one
    ffmpeg concat+encode with the same pauses and the pipeline's exact encoder settings:
    what making this episode costs at the least, with no loudness levelling."""
    from briefing.assemble import MP3_MUXER, codec_args
    from briefing.settings import AudioSettings

    options = AudioSettings()  # the pipeline's defaults: 64 kbit/s, 44.1 kHz
    cores = os.cpu_count() or 1
    workdir.mkdir(parents=True)
    segments = script.segments  # type: ignore[attr-defined]
    texts = []
    for i, seg in enumerate(segments):
        path = workdir / f"seg-{i:05d}.txt"
        path.write_text(seg.text, encoding="utf-8")
        texts.append(path)
    pauses = {seg.pause_after_ms for seg in segments if seg.pause_after_ms}
    for ms in pauses:  # espeak-ng writes 22,050 Hz mono 16-bit; silences match it
        with wave.open(str(workdir / f"pause-{ms}.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(22050)
            w.writeframes(b"\0\0" * (22050 * ms // 1000))
    listing = []
    for path, seg in zip(texts, segments, strict=True):
        listing.append(f"file '{path.name}.wav'")
        if seg.pause_after_ms:
            listing.append(f"file 'pause-{seg.pause_after_ms}.wav'")
    (workdir / "list.txt").write_text("\n".join(listing) + "\n")

    start = time.perf_counter()
    subprocess.run(
        ["xargs", "-0", "-P", str(cores), "-n", "1", "sh", "-c",
         f'exec espeak-ng -s {RATE} -w "$1.wav" -f "$1"', "_"],
        input=b"\0".join(str(p).encode() for p in texts),
        check=True,
    )  # fmt: skip
    spoken = time.perf_counter()
    mp3 = workdir / "floor.mp3"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i",
         str(workdir / "list.txt"), "-ac", "1", "-ar", str(options.sample_rate),
         *codec_args(options), *MP3_MUXER, str(mp3)],
        check=True,
    )  # fmt: skip
    return spoken - start, time.perf_counter() - spoken, mp3


def mp3_seconds(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
         str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(out.stdout.strip())


def run_one(n: int, workers: int, engine: str, max_audio_mb: float) -> dict[str, float]:
    """`measure` in a fresh interpreter: its peak memory is this N's alone."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.pipeline", "--one", str(n), "--workers", str(workers),
         "--engine", engine, "--max-audio-mb", str(max_audio_mb)],
        capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"N={n} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- report ----------------------------------------------------------------------------


def median_rows(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


STAGE_HEADERS = [
    "N", "stories", "audio min", "load", "summarize", "script", "speak", "assemble+encode",
    "total", "total per article", "floor speak", "floor encode", "floor", "total / floor",
    "CPU s", "floor CPU s", "CPU / floor",
]  # fmt: skip
MEMORY_HEADERS = [
    "N", "peak, whole run", "peak, speak", "peak, assemble+encode", "peak, floor",
    "episode PCM MB", "cores, speak", "cores, assemble+encode", "cores, floor",
    "speak, 1 worker",
]  # fmt: skip


def report(rows: list[dict[str, float]], workers: int, engine: str, repeats: dict[int, int]) -> str:
    def s(x: float) -> str:
        if math.isnan(x):
            return "not run"
        return f"{x:.2f}" if x < 10 else f"{x:.1f}"

    def mb(x: float) -> str:
        return "not run" if math.isnan(x) else f"{x:.0f}"

    stage_rows, mem_rows, notes = [], [], []
    for r in rows:
        floor_total = r["floor_speak"] + r["floor_encode"]
        ratio = "" if math.isnan(r["total"]) else f"{r['total'] / floor_total:.2f}x"
        cpu_ratio = "" if math.isnan(r["cpu_total"]) else f"{r['cpu_total'] / r['floor_cpu']:.2f}x"
        stage_rows.append([
            f"{int(r['n']):,}", f"{int(r['stories']):,}", f"{r['floor_audio_s'] / 60:.1f}",
            s(r["load"]), s(r["summarize"]), s(r["script"]), s(r["speak"]), s(r["encode"]),
            s(r["total"]), s(r["total"] / r["n"]), s(r["floor_speak"]), s(r["floor_encode"]),
            s(floor_total), ratio, s(r["cpu_total"]), s(r["floor_cpu"]), cpu_ratio,
        ])  # fmt: skip
        mem_rows.append([
            f"{int(r['n']):,}", mb(r["peak_mb"]), mb(r["peak_speak_mb"]),
            mb(r["peak_encode_mb"]), mb(r["peak_floor_mb"]), f"{r['pcm_mb']:.0f}",
            f"{r['speak_cores']:.2f}", s(r["encode_cores"]), f"{r['floor_cores']:.2f}",
            s(r["speak_one_worker"]),
            "" if math.isnan(r["speak_one_worker"])
            else f"{r['speak_one_worker'] / r['speak']:.2f}x",
        ])  # fmt: skip
        if math.isnan(r["total"]):
            notes.append(
                f"N={int(r['n']):,}: the episode would be {r['pcm_mb'] / 1000:.1f} GB of "
                f"PCM, over --max-audio-mb; speak and the floor were run, assemble+encode "
                "was not."
            )
    runs = ", ".join(f"N={n}: {k}" for n, k in repeats.items())
    return (
        "## Pipeline: articles on disk to MP3\n\n"
        f"`python -m bench.pipeline`: engine `{engine}`, {workers} workers, {RATE} words per "
        f"minute, 64 kbit/s MP3; medians of runs ({runs}), each N in a fresh process. "
        f"{machine()}. Seconds; *load*, *summarize*, *script* are timed on their own, "
        "*speak* and *assemble+encode* inside `pipeline.run`, whose wall time is *total*. "
        f"*Floor*: the same script through bare `espeak-ng -w`, one process per core "
        f"({os.cpu_count()} at a time, `xargs -P`), and one `ffmpeg` concat+encode with the "
        "same pauses and the pipeline's exact encoder and muxer settings (libmp3lame, "
        "`-compression_level 7`, Xing header), run right after in the same process; it "
        "does no loudness levelling, which the pipeline does. The run is a morning after "
        "the first: the encoder's level, measured once per setting, is already in the state "
        "directory. *CPU s*: user+system seconds "
        "of the process and its children over `pipeline.run` and over the floor.\n\n"
        + table(STAGE_HEADERS, stage_rows)
        + "\n\nPeak resident memory in MB (the process and all its children, sampled every "
        "20 ms), the episode's size as 44.1 kHz PCM, CPU cores busy (CPU seconds / wall "
        "seconds, children included), and speak on 1 worker against "
        f"{workers}:\n\n"
        + table([*MEMORY_HEADERS, f"1 worker / {workers}"], mem_rows)
        + "\n"
        + "".join(f"\n{note}\n" for note in notes)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 1 and 10 only")
    parser.add_argument("--sizes", help="comma-separated N (default 1,10,100,1000)")
    parser.add_argument("--repeat", type=int, help="runs per N (default 3 up to N=10, else 1)")
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--engine", default="espeak-ng")
    parser.add_argument(
        "--max-audio-mb",
        type=float,
        default=math.inf,
        help="skip assemble+encode when the episode's PCM would exceed this (default: never)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one N, JSON
    args = parser.parse_args(argv)

    if args.one is not None:
        with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
            row = measure(args.one, args.workers, args.engine, Path(tmp), args.max_audio_mb)
        print(json.dumps(row))
        return
    for program in ("espeak-ng", "ffmpeg", "ffprobe", "xargs"):
        if shutil.which(program) is None:
            sys.exit(f"bench.pipeline needs {program} on PATH")
    sizes = (
        [int(x) for x in args.sizes.split(",")]
        if args.sizes
        else list(QUICK if args.quick else FULL)
    )
    rows, repeats = [], {}
    for n in sizes:
        repeats[n] = args.repeat or (3 if n <= 10 else 1)
        runs = []
        for i in range(repeats[n]):
            print(f"N={n} run {i + 1}/{repeats[n]}...", file=sys.stderr, flush=True)
            runs.append(run_one(n, args.workers, args.engine, args.max_audio_mb))
        rows.append(median_rows(runs))
    markdown = report(rows, args.workers, args.engine, repeats)
    write_section("pipeline", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
