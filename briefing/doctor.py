"""`briefing doctor`: check what a run needs and say how to fix each problem."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
from ctypes.util import find_library
from dataclasses import dataclass
from pathlib import Path

from briefing.settings import FeedSettings, PublishSettings, SpeechSettings

APT = "sudo apt-get install"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _binary(name: str, fix: str, version_arg: str = "--version") -> Check:
    path = shutil.which(name)
    if not path:
        return Check(name, False, "not found on PATH", fix)
    try:
        out = subprocess.run([path, version_arg], capture_output=True, text=True, timeout=20)
        first = (out.stdout or out.stderr).strip().splitlines()
        return Check(name, out.returncode == 0, first[0] if first else path, fix)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check(name, False, f"{path} does not run: {exc}", fix)


def _library() -> Check:
    if platform.system() != "Linux":
        return Check("libespeak-ng", True, "not needed: pyttsx3 uses the system voice here")
    lib = find_library("espeak-ng") or find_library("espeak")
    if lib:
        return Check("libespeak-ng", True, lib)
    return Check("libespeak-ng", False, "shared library not found", f"{APT} libespeak-ng1")


def _writable(directory: Path) -> Check:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".doctor-"):
            pass
        return Check("output directory", True, f"{directory} is writable")
    except OSError as exc:
        return Check(
            "output directory",
            False,
            f"{directory}: {exc.strerror}",
            f"choose a writable directory with --output DIR or fix permissions on {directory}",
        )


def _speech(speech: SpeechSettings) -> Check:
    from briefing.errors import BriefingError, UnknownEngineError
    from briefing.speak import choose_engine, engine_class, make_engine

    name = f"speech ({speech.engine})"
    try:
        choice = choose_engine(speech)
        if choice.engine != speech.engine:
            name = f"speech ({speech.engine}: {choice.engine}, {choice.reason})"
        with make_engine(speech) as engine, tempfile.TemporaryDirectory() as tmp:
            engine.check()
            engine.render("Testing.", Path(tmp) / "t.wav")
        voice = f"voice {speech.voice}" if speech.voice else "its default voice"
        return Check(name, True, f"rendered a test phrase with {voice}")
    except UnknownEngineError as exc:
        return Check(name, False, str(exc), "choose an engine from the list")
    except BriefingError as exc:
        if speech.engine == "auto":
            from briefing.speak import auto_order

            installs = "; ".join(f"{n}: {engine_class(n).install}" for n in auto_order())
            return Check(name, False, str(exc), f"run ./setup.sh, or install one ({installs})")
        hint = engine_class(speech.engine).install_hint
        return Check(
            name,
            False,
            str(exc),
            hint or f"{APT} espeak-ng libespeak-ng1, or try --engine espeak-ng",
        )


def _remote(publish: PublishSettings) -> list[Check]:
    """rclone, and whether [publish] remote answers."""
    from briefing.errors import BriefingError
    from briefing.publish.remote import INSTALL_HINT, probe, shown

    found = _binary("rclone", INSTALL_HINT, "version")
    if not found.ok:
        return [found]
    name = f"remote {shown(publish.remote or '')}"
    try:
        return [found, Check(name, True, probe(publish))]
    except BriefingError as exc:
        fix = "check the remote with `rclone lsd REMOTE:` and `rclone config`"
        return [found, Check(name, False, str(exc), fix)]


def run_checks(
    output_dir: Path,
    speech: SpeechSettings | None = None,
    publish: PublishSettings | None = None,
    feed: FeedSettings | None = None,
) -> list[Check]:
    """What the engine the settings choose needs, ffmpeg, the output directory, a test
    phrase spoken by that engine, and rclone and the remote when one is set."""
    from briefing.errors import BriefingError
    from briefing.speak import choose_engine, engine_class

    speech = speech or SpeechSettings()
    ffmpeg_fix = f"{APT} ffmpeg (macOS: brew install ffmpeg)"
    checks = []
    try:
        engine = engine_class(choose_engine(speech).engine)
    except BriefingError:
        engine = None  # the speech check below says why
    if engine is not None:
        fix = engine.install_hint.removeprefix("install it with: ")
        checks += [_binary(binary, fix) for binary in engine.binaries]
        checks += [_library() for _ in engine.libraries]
    checks += [
        _binary("ffmpeg", ffmpeg_fix, "-version"),
        _binary("ffprobe", ffmpeg_fix, "-version"),
        _writable(output_dir),
    ]
    if os.environ.get("BRIEFING_DOCTOR_NO_SPEECH") != "1":
        checks.append(_speech(speech))
    if publish is not None and publish.remote is not None:
        checks += _remote(publish)
    if feed is not None:
        checks.append(_owner(feed))
    return checks


def _owner(feed: FeedSettings) -> Check:
    """Not needed to listen, so never a failure: a note for whoever lists the feed."""
    from briefing.publish.rules import NO_OWNER_EMAIL

    if feed.owner_email:
        return Check("feed owner", True, f"itunes:owner is {feed.owner_email}")
    return Check("feed owner", True, NO_OWNER_EMAIL)
