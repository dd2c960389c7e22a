"""Choose the built-in respellings by listening: which ones make names heard right.

Every candidate in `bench/data/lexicon_candidates.toml` is spoken in three carrier
sentences by espeak-ng and by Piper (both phonemize with espeak-ng), as written and as
each of its respellings, and transcribed by Whisper tiny.en (greedy). A name's score is
how closely the best-matching words of the transcript spell it (difflib ratio on
letters, 0 to 1, accents dropped). A respelling is kept when it raises the mean score
over both engines by at least KEEP_GAIN and lowers neither engine's by more than
MAX_LOSS; of several, the best is kept. `--write` makes briefing/data/lexicon-en.toml
from the kept ones.

    python -m bench.lexicon [--write] [--names Kyiv,Niamey] [--no-write-results]

`--engine kokoro` asks another question of the built-in list: which of its respellings
help that engine (its score with the respelling at least ENGINE_GAIN above without).
Those that do not are kept for the other engines only (`{ say = "...", engine = [...] }`);
with `--write` the built-in file says so.

    python -m bench.lexicon --engine kokoro [--write]
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bench._results import machine, table, write_section

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "bench" / "data" / "lexicon_candidates.toml"
BUILTIN = ROOT / "briefing" / "data" / "lexicon-en.toml"
CARRIERS = (
    "Officials said {} spoke on Monday.",
    "The news from {} came late last night.",
    "Reporters asked about {} again today.",
)
ENGINES = ("espeak-ng", "piper")
KEEP_GAIN = 0.05
MAX_LOSS = 0.05
ENGINE_GAIN = 0.02  # --engine: a respelling helps an engine by at least this much


def letters(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z ]", "", text.lower().replace("-", " "))


def name_score(name: str, transcript: str) -> float:
    """How well some run of words in `transcript` spells `name` (0 to 1)."""
    target = letters(name).replace(" ", "")
    words = letters(transcript).split()
    n = len(letters(name).split())
    best = 0.0
    for size in range(max(1, n - 1), n + 3):
        for i in range(max(1, len(words) - size + 1)):
            heard = "".join(words[i : i + size])
            best = max(best, difflib.SequenceMatcher(None, target, heard).ratio())
    return best


@dataclass
class Trial:
    name: str
    said: str  # the name as written, or a respelling
    scores: dict[str, float]  # engine -> mean over the carriers

    @property
    def mean(self) -> float:
        return sum(self.scores.values()) / len(self.scores)


def listen(engines: dict[str, object], model: object, name: str, said: str, tmp: Path) -> Trial:
    from bench.intelligibility import transcribe
    from briefing.normalize import Lexicon, normalize_for_speech

    scores = {}
    for engine_name, engine in engines.items():
        total = 0.0
        for i, carrier in enumerate(CARRIERS):
            wav = tmp / f"{engine_name}-{i}.wav"
            # Normalized as briefing speaks, but without the built-in lexicon: the
            # respelling under test is the only one.
            text = normalize_for_speech(carrier.format(said), "en", lexicon=Lexicon())
            engine.render(text, wav)  # type: ignore[attr-defined]
            total += name_score(name, transcribe(model, wav))
        scores[engine_name] = total / len(CARRIERS)
    return Trial(name, said, scores)


def choose(original: Trial, respelt: list[Trial]) -> Trial | None:
    good = [
        t
        for t in respelt
        if t.mean >= original.mean + KEEP_GAIN
        and all(t.scores[e] >= original.scores[e] - MAX_LOSS for e in original.scores)
    ]
    return max(good, key=lambda t: t.mean) if good else None


def main(argv: list[str] | None = None) -> None:
    from bench.intelligibility import load_model
    from briefing.speak import get_engine

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the built-in lexicon")
    parser.add_argument("--names", help="comma-separated: only these candidates")
    parser.add_argument("--no-write-results", action="store_true", help="keep results.md")
    parser.add_argument("--engine", help="which built-in respellings help this engine")
    args = parser.parse_args(argv)
    if args.engine:
        check_builtin_for(
            args.engine, args.names, write=args.write, results=not args.no_write_results
        )
        return
    candidates: dict[str, list[str]] = tomllib.loads(CANDIDATES.read_text(encoding="utf-8"))
    if args.names:
        wanted = set(args.names.split(","))
        candidates = {k: v for k, v in candidates.items() if k in wanted}
    model = load_model(threads=2)
    engines = {name: get_engine(name) for name in ENGINES}
    rows, kept = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, spellings) in enumerate(candidates.items(), 1):
            print(f"[{n}/{len(candidates)}] {name}", file=sys.stderr, flush=True)
            original = listen(engines, model, name, name, Path(tmp))
            trials = [listen(engines, model, name, s, Path(tmp)) for s in spellings]
            best = choose(original, trials)
            shown = best or max(trials, key=lambda t: t.mean)
            if best is not None:
                kept[name] = best.said
            rows.append(
                [
                    name,
                    *(f"{original.scores[e]:.2f}" for e in ENGINES),
                    shown.said,
                    *(f"{shown.scores[e]:.2f}" for e in ENGINES),
                    "kept" if best else "dropped",
                ]
            )
    for engine in engines.values():
        engine.close()  # type: ignore[attr-defined]
    before = [float(r[1]) + float(r[2]) for r in rows if r[-1] == "kept"]
    after = [float(r[4]) + float(r[5]) for r in rows if r[-1] == "kept"]
    markdown = (
        "## Lexicon: respellings chosen by listening\n\n"
        "`python -m bench.lexicon`: each candidate name in three carrier sentences, spoken "
        "by espeak-ng and Piper (en_US-joe-medium), as written and respelt, transcribed "
        "by Whisper tiny.en (greedy); score = letter similarity (0-1) of the best-"
        f"matching transcript words to the name, mean of the three sentences. Kept: mean "
        f"gain >= {KEEP_GAIN} and no engine worse by more than {MAX_LOSS}. {machine()}.\n\n"
        f"{len(kept)} of {len(rows)} candidates kept"
        + (
            f"; on those, the mean score rose from {sum(before) / (2 * len(before)):.2f} "
            f"to {sum(after) / (2 * len(after)):.2f}"
            if before
            else ""
        )
        + ".\n\n"
        + table(
            [
                "name",
                "espeak-ng as written",
                "piper as written",
                "best respelling",
                "espeak-ng respelt",
                "piper respelt",
                "",
            ],
            rows,
        )
        + "\n"
    )
    write_section("lexicon", markdown, write=not args.no_write_results)
    if args.write:
        write_builtin(kept)


def check_builtin_for(engine_name: str, names: str | None, write: bool, results: bool) -> None:
    """Score each built-in respelling through one engine; keep it for that engine only
    where it helps."""
    from bench.intelligibility import load_model
    from briefing.normalize.lexicon import builtin_lexicon
    from briefing.speak import get_engine

    builtin = builtin_lexicon()
    entries = {k: v for k, v in builtin.entries.items() if not names or k in names.split(",")}
    model = load_model(threads=1)
    engine = get_engine(engine_name)
    rows, helps = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, said) in enumerate(entries.items(), 1):
            print(f"[{n}/{len(entries)}] {name}", file=sys.stderr, flush=True)
            original = listen({engine_name: engine}, model, name, name, Path(tmp))
            respelt = listen({engine_name: engine}, model, name, said, Path(tmp))
            gain = respelt.scores[engine_name] - original.scores[engine_name]
            helps[name] = gain >= ENGINE_GAIN
            rows.append(
                [
                    name,
                    said,
                    f"{original.scores[engine_name]:.2f}",
                    f"{respelt.scores[engine_name]:.2f}",
                    "kept" if helps[name] else f"not for {engine_name}",
                ]
            )
    engine.close()
    kept = sum(helps.values())
    markdown = (
        f"## Lexicon through {engine_name}\n\n"
        f"`python -m bench.lexicon --engine {engine_name}`: each built-in respelling in the "
        f"three carrier sentences, spoken by {engine_name} as written and respelt, transcribed "
        f"by Whisper tiny.en (greedy); score as above. Kept for {engine_name}: score at least "
        f"{ENGINE_GAIN} higher respelt. {machine()}.\n\n"
        f"{kept} of {len(rows)} respellings help {engine_name}; the others are kept for the "
        "other engines only.\n\n"
        + table(["name", "respelling", "as written", "respelt", ""], rows)
        + "\n"
    )
    write_section(f"lexicon-{engine_name}", markdown, write=results)
    if write:
        others = sorted(set(ENGINES) | {"festival", "pyttsx3"})
        current = tomllib.loads(BUILTIN.read_text(encoding="utf-8"))
        out: dict[str, object] = {}
        for key, value in current.items():
            engines = _engines_of(value, [*others, engine_name])
            if key in helps:
                engines = [e for e in engines if e != engine_name or helps[key]]
                if helps[key] and engine_name not in engines:
                    engines.append(engine_name)
            say = value["say"] if isinstance(value, dict) else value
            out[key] = say if set(engines) >= set([*others, engine_name]) else (say, engines)
        write_builtin(out)


def _engines_of(value: object, every: list[str]) -> list[str]:
    if isinstance(value, dict):
        named = value.get("engine", every)
        return [named] if isinstance(named, str) else list(named)
    return list(every)


def write_builtin(kept: dict[str, object]) -> None:
    lines = [
        "# Built-in pronunciation lexicon (English): name = respelling.",
        "# Generated by `python -m bench.lexicon --write` from bench/data/",
        "# lexicon_candidates.toml: only respellings that made Whisper tiny.en hear the name",
        "# better through both espeak-ng and Piper are here. Edit the candidates, not this.",
        "# `python -m bench.lexicon --engine kokoro --write` then marks those that do not",
        "# help Kokoro: { say = ..., engine = [the engines it is for] }.",
        "",
    ]
    for key, value in kept.items():
        bare = re.fullmatch(r"[A-Za-z0-9_-]+", key)
        if isinstance(value, tuple):
            say, engines = value
            listed = ", ".join(json_str(e) for e in engines)
            shown = f"{{ say = {json_str(say)}, engine = [{listed}] }}"
        else:
            shown = json_str(str(value))
        lines.append(f"{key if bare else json_str(key)} = {shown}")
    BUILTIN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(kept)} entries to {BUILTIN.relative_to(ROOT)}", file=sys.stderr)


def json_str(s: str) -> str:
    import json

    return json.dumps(s, ensure_ascii=False)


if __name__ == "__main__":
    main()
