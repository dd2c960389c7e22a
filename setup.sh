#!/usr/bin/env bash
# One command: install what briefing needs, then make today's briefing from seeds/ into output/.
#   ./setup.sh            set up (with the Kokoro and Piper neural voices) and produce
#                         today's briefing; Kokoro's model and voices (~110 MB) are fetched
#                         once into ~/.local/share/briefing/kokoro ($BRIEFING_KOKORO_DIR)
#   ./setup.sh --light    without Kokoro and Piper (~250 MB, ~1 GB of memory while
#                         speaking): for small machines; speech from pyttsx3/espeak-ng
#   ./setup.sh --no-run   set up only
set -euo pipefail
cd "$(dirname "$0")"

run_briefing=1
extras=dev,piper,kokoro
for arg in "$@"; do
  case "$arg" in
    --no-run) run_briefing=0 ;;
    --light) extras=dev ;;
    --piper) extras=dev,piper,kokoro ;;  # the default; kept for older instructions
    *) echo "usage: $0 [--no-run] [--light]" >&2; exit 2 ;;
  esac
done
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

say() { printf '==> %s\n' "$*"; }

have_lib() { ldconfig -p 2>/dev/null | grep -q 'libespeak-ng\.so'; }

install_system_packages() {
  case "$(uname -s)" in
    Linux)
      local missing=()
      command -v espeak-ng >/dev/null || missing+=(espeak-ng)
      have_lib || missing+=(libespeak-ng1)
      command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg)
      if ! "$PYTHON" -m venv --help >/dev/null 2>&1 || ! "$PYTHON" -c 'import ensurepip' 2>/dev/null; then
        missing+=(python3-venv)
      fi
      [ ${#missing[@]} -eq 0 ] && { say "system packages present"; return; }
      if ! command -v apt-get >/dev/null; then
        echo "error: please install ${missing[*]} with your package manager, then re-run $0" >&2
        exit 1
      fi
      local sudo=""
      if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "error: need root or sudo to install ${missing[*]}" >&2; exit 1; }
        sudo=sudo
      fi
      say "installing ${missing[*]} with apt-get"
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
      ;;
    Darwin)
      # pyttsx3 speaks with the macOS system voice; ffmpeg comes from Homebrew.
      command -v ffmpeg >/dev/null || {
        command -v brew >/dev/null || { echo "error: install Homebrew, then re-run $0" >&2; exit 1; }
        say "installing ffmpeg with brew"; brew install ffmpeg espeak-ng
      }
      ;;
  esac
}

install_system_packages

if [ ! -x "$VENV/bin/python" ]; then
  say "creating virtualenv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
say "installing briefing and its Python dependencies"
"$VENV/bin/python" -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
"$VENV/bin/python" -m pip install -q -e ".[$extras]" 2>&1 | grep -v '^WARNING: Location' || true
"$VENV/bin/python" -c 'import briefing.cli' || { echo "error: installing briefing failed" >&2; exit 1; }
case ",$extras," in
  *,kokoro,*) "$VENV/bin/python" -m briefing.speak.kokoro_fetch 2>&1 | grep -v '^WARNING: Location' ;;
esac
# The engines and the order `auto` tries them in (declared once, in briefing/speak/).
"$VENV/bin/python" -c 'from briefing.speak import auto_order_text; print("==> engines auto tries, in order:", auto_order_text())'

if [ "$run_briefing" -eq 1 ]; then
  say "making today's briefing from seeds/ (engine: $("$VENV/bin/python" -c 'from briefing.speak import choose_engine; from briefing.settings import SpeechSettings; print(choose_engine(SpeechSettings()).engine)'))"
  "$VENV/bin/briefing" run --input seeds --output output
fi
