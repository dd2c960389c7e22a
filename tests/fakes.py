"""Fake `espeak-ng` and `ffmpeg` programs for fault tests: put them first on PATH.

The fake espeak-ng logs each call (argv, the text it read, its pid) as a JSON line to
$FAKE_LOG, and crashes or hangs on cue: a marker word in the text (CRASHME, HANGME) or
$FAKE_MODE for every call (crash, hang, complain).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

# A stand-in for espeak-ng: writes a WAV as long as the text would take to say, and
# crashes or hangs on cue (a marker word in the text, or $FAKE_MODE for every call).
FAKE_ESPEAK = """#!{python}
import json, os, resource, signal, sys, time, wave
args = sys.argv[1:]
if "--version" in args:
    print("eSpeak NG text-to-speech: 1.51 (fake)")
    sys.exit(0)
text = sys.stdin.buffer.read().decode("utf-8") if "--stdin" in args else ""
if os.environ.get("FAKE_LOG"):
    with open(os.environ["FAKE_LOG"], "a") as log:
        log.write(json.dumps({{"argv": args, "text": text, "pid": os.getpid()}}) + "\\n")
mode = os.environ.get("FAKE_MODE", "")
if mode == "crash" or "CRASHME" in text.upper():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.kill(os.getpid(), signal.SIGSEGV)
if mode == "hang" or "HANGME" in text.upper():
    time.sleep(600)
if mode == "complain":
    sys.stderr.write("line one of a long complaint\\nError: cannot open voice file\\n")
    sys.exit(1)
with wave.open(args[args.index("-w") + 1], "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(22050)
    w.writeframes(b"\\x10\\x00" * int(22050 * max(0.2, len(text.split()) * 60 / 175)))
"""

# ffmpeg that crashes when asked to encode, or hangs after writing its pid to $FAKE_MARKER:
# on every call (hang), on the call writing the episode's temporary file (hang-encoder),
# or on the call with an argument containing $FAKE_HANG_ON (hang-on); the real ffmpeg
# ($REAL_FFMPEG) does every other step.
FAKE_FFMPEG = """#!/bin/sh
for a in "$@"; do [ "$a" = -version ] && {{ echo "ffmpeg version 6 (fake)"; exit 0; }}; done
case "$FAKE_FFMPEG" in
  hang) echo $$ > "$FAKE_MARKER.tmp"; mv "$FAKE_MARKER.tmp" "$FAKE_MARKER"; exec sleep 600 ;;
  hang-encoder|hang-on)
    [ "$FAKE_FFMPEG" = hang-encoder ] && FAKE_HANG_ON=.part
    for a in "$@"; do
      case "$a" in *"$FAKE_HANG_ON"*)
        echo $$ > "$FAKE_MARKER.tmp"; mv "$FAKE_MARKER.tmp" "$FAKE_MARKER"; exec sleep 600 ;;
      esac
    done
    exec "$REAL_FFMPEG" "$@" ;;
  *) echo "Input #0, wav" >&2; echo "Segmentation fault in libmp3lame" >&2; kill -SEGV $$ ;;
esac
"""


def _script(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


def fake_espeak(fakebin: Path) -> Path:
    return _script(fakebin / "espeak-ng", FAKE_ESPEAK.format(python=sys.executable))


def fake_ffmpeg(fakebin: Path) -> None:
    _script(fakebin / "ffmpeg", FAKE_FFMPEG.format())
    _script(fakebin / "ffprobe", "#!/bin/sh\necho 'ffprobe version 6 (fake)'\n")


def real_ffmpeg(fakebin: Path) -> None:
    for name in ("ffmpeg", "ffprobe"):
        found = shutil.which(name)
        assert found is not None
        (fakebin / name).symlink_to(found)


def logged_calls(log: Path) -> list[dict[str, object]]:
    """What the fake espeak-ng was asked to do, one dict per call."""
    import json

    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
