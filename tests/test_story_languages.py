"""End to end with real engines: a German and a French article in an English briefing
are read by German and French voices, and the template's words by the English one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from tests.helpers import ffprobe_duration, needs_espeak, needs_ffmpeg, needs_piper, write_article

GERMAN = (
    "Der neue Flughafen der Hauptstadt wurde am Montag nach vielen Jahren Verspätung "
    "eröffnet. Die Eröffnung war mehrfach verschoben worden, weil es Probleme beim "
    "Brandschutz gab. Die Kosten sind auf mehrere Milliarden Euro gestiegen, wie die "
    "Betreiber am Nachmittag mitteilten."
)
FRENCH = (
    "La nouvelle gare du nord de la ville a ouvert ses portes lundi matin après quatre "
    "années de travaux. Les premiers trains sont arrivés à l'heure, selon la compagnie "
    "ferroviaire. Le maire a salué un projet qui doit réduire les embouteillages dans le "
    "centre."
)


def make(project: Path, engine: str) -> dict[str, dict[str, str]]:
    write_article(project / "seeds", "de.txt", "Berlin eröffnet den neuen Flughafen", GERMAN)
    write_article(project / "seeds", "fr.txt", "Lille ouvre une nouvelle gare", FRENCH)
    result = CliRunner().invoke(cli, ["run", "--engine", engine, "--date", "2026-11-24"])
    assert result.exit_code == 0, result.output
    out = project / "output"
    assert ffprobe_duration(out / "briefing-2026-11-24.mp3") > 20
    vtt = (out / "briefing-2026-11-24.vtt").read_text()
    assert "Les premiers trains sont arrivés à l'heure" in vtt
    meta = json.loads((out / "briefing-2026-11-24.json").read_text())
    return {s["headline"]: s for s in meta["stories"]}


@pytest.mark.slow
@needs_espeak
@needs_ffmpeg
def test_espeak_ng_reads_each_story_in_its_language(project: Path) -> None:
    stories = make(project, "espeak-ng")
    assert stories["Berlin eröffnet den neuen Flughafen"]["language"] == "de"
    assert stories["Berlin eröffnet den neuen Flughafen"]["voice"] == (
        "espeak-ng default + espeak-ng de"
    )
    assert stories["Lille ouvre une nouvelle gare"]["voice"] == "espeak-ng default + espeak-ng fr"
    assert stories["Council passes budget"]["voice"] == "espeak-ng default"


@pytest.mark.slow
@needs_piper
@needs_espeak
@needs_ffmpeg
def test_piper_hands_languages_it_has_no_voice_for_to_espeak_ng(project: Path) -> None:
    stories = make(project, "piper")
    # The next most natural engine with a German voice: pyttsx3 (libespeak-ng's voice on
    # Linux, the system's elsewhere), or the espeak-ng program.
    german = stories["Berlin eröffnet den neuen Flughafen"]["voice"]
    assert re.fullmatch(r"piper default \+ (pyttsx3|espeak-ng) \S*de", german), german
    assert stories["Council passes budget"]["voice"] == "piper default"
