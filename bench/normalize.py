"""Speech normalization speed: a 5-minute script, a 30-minute one, 1 MB, hostile input.

    python -m bench.normalize [--quick]

The target is a 5-minute script (~900 words) in well under 50 ms, and time that grows
linearly with the input: microseconds per character stay flat from 5 kB to 1 MB, and
inputs built to make regular expressions backtrack (long runs of digits, blanks,
brackets, unclosed comments) cost no more per character than news. For scale, the last
row times espeak-ng synthesising the same 5-minute script.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench._results import machine, median_ms, table, write_section
from briefing.normalize import normalize_for_speech

ROOT = Path(__file__).resolve().parent.parent
# News-like English with a number, a date, money or an abbreviation in most sentences:
# harder than typical copy, which has far fewer.
DENSE = (
    "On Dec. 1, 2025, Gen. Smith said the U.S. would spend $5.2 billion (up 7.5% on "
    '2024) on 1,250 km of roads by 2030. Dr. Jones, 54, called it "a start" - but '
    "warned that 3/4 of the work was in the 1990s plan. The vote was 52-48 at 9 a.m. "
    "and Elizabeth II's portrait hung in St. Paul's. "
    "Prices rose 3.5% in the 12 months to March, the fastest pace since 1992, and "
    "temperatures hit 30°C across the U.K. for the 3rd day running. "
)


def plain_news(words: int) -> str:
    """The shipped sample article, repeated: ordinary copy with few numbers."""
    text = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
    return _repeat(text, words)


def dense_news(words: int) -> str:
    return _repeat(DENSE, words)


def _repeat(text: str, words: int) -> str:
    n = len(text.split())
    return (text.rstrip() + "\n") * max(1, round(words / n))


def hostile(chars: int) -> dict[str, str]:
    units = {
        "digits": "1",
        "blanks": " ",
        "'[' brackets": "[",
        "'a@' pairs": "a@",
        "unclosed '<!--'": "<!--",
        "'1-' ranges": "1-",
        "'Mr. '": "Mr. ",
    }
    return {name: (unit * (chars // len(unit) + 1))[:chars] for name, unit in units.items()}


def rows(quick: bool = False) -> list[list[str]]:
    repeat = 3 if quick else 11
    cases = [
        ("5-minute script, sample article", plain_news(900)),
        ("5-minute script, number-dense", dense_news(900)),
        ("30-minute script, number-dense", dense_news(5_400)),
    ]
    if not quick:
        cases.append(("1 MB, number-dense", DENSE * (1_000_000 // len(DENSE))))
    size = 20_000 if quick else 200_000
    cases += [(f"{size // 1000} kB of {name}", text) for name, text in hostile(size).items()]
    out = []
    for name, text in cases:
        ms = median_ms(lambda t=text: normalize_for_speech(t), repeat if len(text) < 10**5 else 3)
        out.append(
            [
                name,
                f"{len(text.split()):,}",
                f"{len(text):,}",
                f"{ms:.1f}",
                f"{ms * 1000 / len(text):.2f}",
            ]
        )
    espeak = espeak_ms(dense_news(900)) if not quick else None
    if espeak is not None:
        text = dense_news(900)
        out.append(
            [
                "espeak-ng synthesis of the number-dense 5-minute script (for scale)",
                f"{len(text.split()):,}",
                f"{len(text):,}",
                f"{espeak:.1f}",
                f"{espeak * 1000 / len(text):.2f}",
            ]
        )
    return out


def espeak_ms(text: str) -> float | None:
    if shutil.which("espeak-ng") is None:
        return None
    spoken = normalize_for_speech(text)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "out.wav"
        start = time.perf_counter()
        subprocess.run(
            ["espeak-ng", "-w", str(wav), "--stdin"],
            input=spoken.encode(),
            check=True,
            capture_output=True,
            timeout=300,
        )
        return (time.perf_counter() - start) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small, fast run")
    args = parser.parse_args(argv)
    headers = ["input", "words", "characters", "median ms", "µs per character"]
    markdown = (
        "## Speech normalization\n\n"
        f"Machine: {machine()}. {'Quick run. ' if args.quick else ''}"
        "`normalize_for_speech` on one core, median of several runs:\n\n"
        + table(headers, rows(args.quick))
        + "\n"
    )
    write_section("normalize", markdown)


if __name__ == "__main__":
    main()
