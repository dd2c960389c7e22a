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

`--engine kokoro --candidates` chooses one engine's own respellings by the same rule,
through that engine alone: every candidate name as written and as each respelling, and
the best respelling that beats the name as written by KEEP_GAIN, or none. Without
`--candidates`, only the names the built-in file respells are tried (same rule, so the
two agree on those names). With `--write` the built-in file keeps the other engines'
respellings and gives this engine its choice: `Merz = [{ say = "Mairts", engine =
[...] }, { say = "Mertz", engine = "kokoro" }]`, or no entry for it.

    python -m bench.lexicon --engine kokoro [--candidates] [--names Merz] [--write]
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


def listen_all(
    engines: dict[str, object], model: object, candidates: dict[str, list[str]]
) -> list[tuple[Trial, list[Trial], Trial | None]]:
    """Each candidate as written and as each respelling: (as written, respelt, chosen)."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, spellings) in enumerate(candidates.items(), 1):
            print(f"[{n}/{len(candidates)}] {name}", file=sys.stderr, flush=True)
            original = listen(engines, model, name, name, Path(tmp))
            trials = [listen(engines, model, name, s, Path(tmp)) for s in spellings]
            out.append((original, trials, choose(original, trials)))
    for engine in engines.values():
        engine.close()  # type: ignore[attr-defined]
    return out


def load_candidates(names: str | None) -> dict[str, list[str]]:
    candidates: dict[str, list[str]] = tomllib.loads(CANDIDATES.read_text(encoding="utf-8"))
    if names:
        wanted = set(names.split(","))
        candidates = {k: v for k, v in candidates.items() if k in wanted}
    return candidates


def main(argv: list[str] | None = None) -> None:
    from bench.intelligibility import load_model
    from briefing.speak import get_engine

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the built-in lexicon")
    parser.add_argument("--names", help="comma-separated: only these candidates")
    parser.add_argument("--no-write-results", action="store_true", help="keep results.md")
    parser.add_argument("--engine", help="choose this engine's own respellings")
    parser.add_argument(
        "--candidates",
        action="store_true",
        help="with --engine: every candidate name, not only those built in",
    )
    args = parser.parse_args(argv)
    if args.candidates and not args.engine:
        parser.error("--candidates goes with --engine")
    if args.engine:
        choose_for_engine(
            args.engine,
            args.names,
            every_candidate=args.candidates,
            write=args.write,
            results=not args.no_write_results,
        )
        return
    candidates = load_candidates(args.names)
    model = load_model(threads=2)
    heard = listen_all({name: get_engine(name) for name in ENGINES}, model, candidates)
    rows, kept = [], {}
    for original, trials, best in heard:
        shown = best or max(trials, key=lambda t: t.mean)
        if best is not None:
            kept[original.name] = best.said
        rows.append(
            [
                original.name,
                *(f"{original.scores[e]:.2f}" for e in ENGINES),
                shown.said,
                *(f"{shown.scores[e]:.2f}" for e in ENGINES),
                "kept" if best else "dropped",
            ]
        )
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
        write_builtin(dict(kept))


def choose_for_engine(
    engine_name: str, names: str | None, every_candidate: bool, write: bool, results: bool
) -> None:
    """Choose one engine's own respellings, by the same rule as the two engines': of a
    name's candidates, the best that beats the name as written by KEEP_GAIN, or none.
    Without `every_candidate`, only names the built-in lexicon respells are tried."""
    from bench.intelligibility import load_model
    from briefing.speak import get_engine

    current = builtin_by_engine()
    candidates = load_candidates(names)
    if not every_candidate:
        candidates = {k: v for k, v in candidates.items() if k in current}
    model = load_model(threads=1)
    heard = listen_all({engine_name: get_engine(engine_name)}, model, candidates)
    rows, chosen = [], {}
    for original, trials, best in heard:
        shown = best or max(trials, key=lambda t: t.mean)
        chosen[original.name] = best.said if best else None
        rows.append(
            [
                original.name,
                f"{original.mean:.2f}",
                shown.said,
                f"{shown.mean:.2f}",
                "kept" if best else "not respelt",
            ]
        )
    kept = [r for r in rows if r[-1] == "kept"]
    gains = sorted(kept, key=lambda r: float(r[1]) - float(r[3]))
    flag = " --candidates" if every_candidate else ""
    markdown = (
        f"## Lexicon through {engine_name}\n\n"
        f"`python -m bench.lexicon --engine {engine_name}{flag}`: "
        + ("each candidate name" if every_candidate else "each built-in name")
        + f" in the three carrier sentences, spoken by {engine_name} as written and as each "
        "of its candidate respellings, transcribed by Whisper tiny.en (greedy); score as "
        f"above. Kept for {engine_name}: the best respelling, if its score is at least "
        f"{KEEP_GAIN} above the name as written (the rule of the two-engine choice). "
        f"{machine()}.\n\n"
        f"{engine_name} says {len(kept)} of {len(rows)} names respelt"
        + (
            "; the biggest gains: "
            + ", ".join(f"{r[0]} {r[1]} -> {r[3]} ({r[2]})" for r in gains[:5])
            if gains
            else ""
        )
        + ". The other engines keep their own respellings.\n\n"
        + table(["name", "as written", "best respelling", "its score", ""], rows)
        + "\n"
    )
    write_section(f"lexicon-{engine_name}", markdown, write=results)
    if write:
        write_builtin(with_engine_choice(current, engine_name, chosen))


def builtin_by_engine() -> dict[str, dict[str, str]]:
    """The built-in file as name -> {engine: respelling}, in the file's order."""
    from briefing.normalize.lexicon import parse_lexicon
    from briefing.speak import ENGINES as REGISTERED

    text = BUILTIN.read_text(encoding="utf-8")
    lexicon, problems = parse_lexicon(text, str(BUILTIN))
    if problems:
        raise SystemExit("\n".join(problems))
    out: dict[str, dict[str, str]] = {}
    for key in tomllib.loads(text):
        out[key] = {
            e: lexicon.by_engine.get(e, {}).get(key) or lexicon.entries[key]
            for e in sorted(REGISTERED)
            if key in lexicon.by_engine.get(e, {}) or key in lexicon.entries
        }
    return out


def with_engine_choice(
    current: dict[str, dict[str, str]], engine: str, chosen: dict[str, str | None]
) -> dict[str, dict[str, str]]:
    """`current` with `engine`'s respelling of each name in `chosen` replaced by the choice
    (None: `engine` says the name as written); the other engines' are unchanged. Names
    in the candidates' order, then any others of `current`."""
    order = [*tomllib.loads(CANDIDATES.read_text(encoding="utf-8")), *current]
    out: dict[str, dict[str, str]] = {}
    for name in dict.fromkeys(order):
        if name not in current and name not in chosen:
            continue
        says = {e: s for e, s in current.get(name, {}).items() if e != engine or name not in chosen}
        if chosen.get(name):
            says[engine] = chosen[name]  # type: ignore[assignment]
        if says:
            out[name] = dict(sorted(says.items()))
    return out


def entry_toml(says: str | dict[str, str], every: list[str]) -> str:
    """A lexicon value in TOML: a string for every engine, else a table per respelling."""
    if isinstance(says, str):
        return json_str(says)
    if sorted(says) == sorted(every) and len(set(says.values())) == 1:
        return json_str(next(iter(says.values())))
    tables = []
    for say in dict.fromkeys(says.values()):
        engines = [e for e, s in says.items() if s == say]
        named = json_str(engines[0]) if len(engines) == 1 else _toml_list(engines)
        tables.append(f"{{ say = {json_str(say)}, engine = {named} }}")
    return tables[0] if len(tables) == 1 else "[" + ", ".join(tables) + "]"


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json_str(i) for i in items) + "]"


def write_builtin(kept: dict[str, str] | dict[str, dict[str, str]]) -> None:
    from briefing.speak import ENGINES as REGISTERED

    BUILTIN.write_text(lexicon_text(kept, sorted(REGISTERED)), encoding="utf-8")
    print(f"wrote {len(kept)} entries to {BUILTIN.relative_to(ROOT)}", file=sys.stderr)


def lexicon_text(kept: dict[str, str] | dict[str, dict[str, str]], every: list[str]) -> str:
    """The built-in file: name = respelling for every engine, or per engine."""
    lines = [
        "# Built-in pronunciation lexicon (English): name = respelling.",
        "# Generated by `python -m bench.lexicon --write` from bench/data/",
        "# lexicon_candidates.toml: only respellings that made Whisper tiny.en hear the name",
        "# better through both espeak-ng and Piper are here. Edit the candidates, not this.",
        "# `python -m bench.lexicon --engine kokoro --candidates --write` then gives Kokoro",
        "# its own choice from the candidates: { say = ..., engine = [the engines it is for] },",
        "# or a list of such tables where the engines say a name differently.",
        "",
    ]
    for key, value in kept.items():
        bare = re.fullmatch(r"[A-Za-z0-9_-]+", key)
        lines.append(f"{key if bare else json_str(key)} = {entry_toml(value, every)}")
    return "\n".join(lines) + "\n"


def json_str(s: str) -> str:
    import json

    return json.dumps(s, ensure_ascii=False)


if __name__ == "__main__":
    main()
