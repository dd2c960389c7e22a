"""The Kokoro engine: Kokoro-82M (int8 ONNX), the clearest and most natural voice here.

Installed by ./setup.sh: the `kokoro` extra (kokoro-onnx, ONNX Runtime, phonemes through
espeak-ng) and, once, the model and 28 English voices (20 US, 8 British), checksummed,
in the data folder (`python -m briefing.speak.kokoro_fetch`; see that module for where
they come from). The default voice is af_heart.

Each sentence is one model call; a text's sentences run on a small pool of threads that
share one ONNX Runtime session (one core each), and every sentence said is kept in a
cache keyed by its text, voice, speed and the model, so an unchanged greeting, sign-off
or re-made story is not synthesized again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import threading
import wave
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from briefing.errors import MissingDependencyError, SpeechError, UsageError
from briefing.fsutil import atomic_path
from briefing.speak.base import Engine, Voice, check_wav

MODEL_FILE = "kokoro-v1.0.int8.onnx"
# The published kokoro-v1.0.int8.onnx (kokoro-onnx's model-files-v1.0 release).
MODEL_SIZE = 92_361_271
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
VOICES_FILE = "voices-en.npz"
VOICE_SHAPE = (510, 1, 256)
# Each English voice of kokoro-js 1.2.1 (the same files as Kokoro-82M v1.0's voices).
VOICE_SHA256 = {
    "af_alloy": "c4a6b876047fd7fb472edf4ebd63cfac7c3b958a7cae7c106e8f038ca6308c45",
    "af_aoede": "4a004c33430762e2461eedb2013fad808ef4ab3121f5300f554476caf58d8361",
    "af_bella": "f69d836209b78eb8c66e75e3cda491e26ea838a3674257e9d4e5703cbaf55c8b",
    "af_heart": "d583ccff3cdca2f7fae535cb998ac07e9fcb90f09737b9a41fa2734ec44a8f0b",
    "af_jessica": "a240a5e3c15b43563d6e923bdca8ef5613a23471d9b77653694012435df23bd8",
    "af_kore": "9be5221b6a941c04b561959b8ff0b06e809444dcc4ab7e75a7b23606f691819e",
    "af_nicole": "cd2191ab31b914ed7b318416b0e4440fdf392ddad9106a060819aa600a64f59a",
    "af_nova": "18778272caa0d0eebaea251c35fd635f038434f9eee5e691d02a174bd328414f",
    "af_river": "00a2bcf82b1d86e8f19902ede58c65ccf6c0e43b44b7d74fad54e5d8933c9c30",
    "af_sarah": "4409fbc125afabacc615d94db5398d847006a737b0247d6892b7a9a0007a2f0a",
    "af_sky": "4435255c9744f3f31659e0d714ab7689bf65d9e77ec1cce060f083912614f0b9",
    "am_adam": "162b035ed91cfc48b6046982184c645f72edcdd1b82843347f605d7bf7b15716",
    "am_echo": "3968b92c3c4cd1c4416dbded36c13eaa388a90d5788d02a13e4d781f5f8cf3c3",
    "am_eric": "e8b5be17edd1e3636901ce7598baafe2dc8dd8ff707a0c23bf9e461add7e2832",
    "am_fenrir": "c27989f741f7ee34d273a39d8a595cc0837d35f5ced9a29b7cc162614616df43",
    "am_liam": "52403be32fd047c6a44517cb0bcd6b134f2a18baa73e70ef41651e0eab921ade",
    "am_michael": "1d1f21dd8da39c30705cd4c75d039d265e9bc4a2a93ed09bc9e1b1225eb95ba1",
    "am_onyx": "da5d135b424164916d75a68ffb4c2abce3d7d5ccc82dd1ee6cf447ce286145e6",
    "am_puck": "fcf73c989033e9233e0b98713eca600c8c74dcc1614b37009d5450ff4a2274a0",
    "am_santa": "61150cf726ab6c5ed7a99f90a304f91f5a72c00c592e89ec94e5df11c319227a",
    "bf_alice": "08afa6ba24da61ea5e8efa139e5aadc938d83f0a6da5a900adaf763ac1da5573",
    "bf_emma": "669fe0647f9dd04fcab92f1439a40eeb4c8b4ab1f82e4996fe3d918ce4a63b73",
    "bf_isabella": "3754352c4aaa46d17f27654ab7518d65b62ad6163a0f55a5f4330c2da2c4e94f",
    "bf_lily": "5e0ee32ebe64a467124976b14e69590746f1c4ce41a12b587a50c862edfea335",
    "bm_daniel": "6b3194bbceffb746733cbc22c8f593dd44e401a71d53895a2dca891bc595a1e8",
    "bm_fable": "f889083196807b4adb15e9204252165f503b8d33d3982e681c52443c49d798f1",
    "bm_george": "c4b235a4c1f2cd3b939fed08b899ce9385638b763f7b73a59616c4fc9bd6c9bc",
    "bm_lewis": "b8f671cef828c30e66fdf0b0756a76bba58f6bb3398cbbf27058642acbcedb97",
}
DEFAULT_VOICE = "af_heart"
SAMPLE_RATE = 24_000
# Words per minute of af_heart at speed 1.0 with SENTENCE_PAUSE_S between sentences
# (measured on the seed article: 423 words in 162 s): --rate maps to speed through it.
NATURAL_WPM = 157.0
SPEED_RANGE = (0.5, 2.0)  # what the model accepts
SENTENCE_PAUSE_S = 0.25
# Model calls at once, each on one core, sharing one session: on 2 cores, 2 calls of one
# thread each beat 1 call of two threads (bench/results.md, section kokoro).
POOL_SIZE = max(1, min(2, os.cpu_count() or 1))
THREADS_PER_CALL = 1
CACHE_MAX_BYTES = 256 * 1024 * 1024  # about 90 minutes of speech
DATA_ENV = "BRIEFING_KOKORO_DIR"
CACHE_ENV = "BRIEFING_KOKORO_CACHE"
FETCH = "python -m briefing.speak.kokoro_fetch"
INSTALL = f"./setup.sh (by hand: pip install -e '.[kokoro]' && {FETCH})"
_ACCENTS = {"a": ("en-us", "US"), "b": ("en-gb", "British")}


def data_dir() -> Path:
    """Where the model and voices live: $BRIEFING_KOKORO_DIR, else
    $XDG_DATA_HOME/briefing/kokoro (~/.local/share/briefing/kokoro)."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).expanduser()
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "briefing" / "kokoro"


def cache_dir() -> Path:
    """Where said sentences are kept: $BRIEFING_KOKORO_CACHE, else
    $XDG_CACHE_HOME/briefing/kokoro (~/.cache/briefing/kokoro)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "briefing" / "kokoro"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_ok(path: Path) -> bool:
    """True if `path` is the published model (size, then sha256)."""
    try:
        return path.stat().st_size == MODEL_SIZE and sha256_file(path) == MODEL_SHA256
    except OSError:
        return False


def load_voices(path: Path) -> dict[str, Any]:
    """The voices of `path` (.npz), each checked against its published sha256."""
    import numpy as np

    try:
        with np.load(path) as npz:
            voices = {name: npz[name] for name in npz.files}
    except (OSError, ValueError) as exc:
        raise MissingDependencyError(
            f"the Kokoro voices file {path} cannot be read ({exc}); reinstall it: {FETCH}"
        ) from exc
    for name, sha in VOICE_SHA256.items():
        data = voices[name].astype("<f4").tobytes() if name in voices else b""
        if hashlib.sha256(data).hexdigest() != sha:
            raise MissingDependencyError(
                f"Kokoro voice {name} in {path} is missing or damaged (checksum mismatch); "
                f"reinstall it: {FETCH}"
            )
    return voices


def voices_ok(path: Path) -> bool:
    try:
        load_voices(path)
    except MissingDependencyError:
        return False
    return True


def speed_for(rate: int) -> float:
    """The model's speed factor for `rate` words per minute (1.0 is its own pace)."""
    low, high = SPEED_RANGE
    return round(min(high, max(low, rate / NATURAL_WPM)), 3)


def voice_name(voice_id: str) -> str:
    """ "bm_george" -> "George (British male)"."""
    accent = _ACCENTS.get(voice_id[:1], ("", "English"))[1]
    sex = {"f": "female", "m": "male"}.get(voice_id[1:2], "")
    return f"{voice_id[3:].title()} ({accent} {sex})".replace(" )", ")")


class SpeechCache:
    """Sentences already said, as raw 16-bit PCM at SAMPLE_RATE: one file per sentence,
    named by the hash of what made it, written atomically; over `max_bytes`, the least
    recently used go."""

    def __init__(self, root: Path, max_bytes: int = CACHE_MAX_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._lock = threading.Lock()

    @staticmethod
    def key(text: str, voice: str, speed: float, model: str = MODEL_SHA256) -> str:
        made = "\0".join((model, voice, f"{speed:.3f}", text))
        return hashlib.sha256(made.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pcm"

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
            os.utime(path)  # recently used: kept longest
        except OSError:
            return None
        return data if data and len(data) % 2 == 0 else None

    def put(self, key: str, pcm: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(path) as tmp:
                tmp.write_bytes(pcm)
        except OSError:
            return  # a cache that cannot be written only costs time
        self.trim()

    def trim(self) -> None:
        with self._lock:
            files = []
            for path in self.root.glob("*/*.pcm"):
                with contextlib.suppress(OSError):
                    st = path.stat()
                    files.append((st.st_mtime, st.st_size, path))
            total = sum(size for _, size, _ in files)
            for _, size, path in sorted(files):
                if total <= self.max_bytes:
                    break
                with contextlib.suppress(OSError):
                    path.unlink()
                    total -= size


class KokoroEngine(Engine):
    name = "kokoro"
    install = INSTALL
    description = (
        "Kokoro-82M (int8 ONNX), the clearest and most natural voice: 20 US and 8 British "
        "English voices (`af_heart`, the default, to `bm_lewis`; see `briefing voices`)"
    )
    naturalness = 50  # heard with about half Piper's word errors (bench/results.md)

    def __init__(self, voice: str | None, rate: int, timeout_s: float | None = None) -> None:
        # timeout_s is not used: Kokoro runs in this process, and a thread cannot be stopped.
        super().__init__(voice, rate, timeout_s)
        self.data_dir = data_dir()
        self.cache: SpeechCache | None = SpeechCache(cache_dir())
        self.pool_size = POOL_SIZE
        self.threads_per_call = THREADS_PER_CALL
        self.sentence_pause_s = SENTENCE_PAUSE_S
        self._lock = threading.Lock()
        self._model: Any = None
        self._pool: ThreadPoolExecutor | None = None

    def check(self) -> None:
        for module in ("kokoro_onnx", "onnxruntime", "numpy"):
            if importlib.util.find_spec(module) is None:
                raise MissingDependencyError(
                    f"engine kokoro needs the {module} package, which is not installed; "
                    f"{self.install_hint}"
                )
        model = self.data_dir / MODEL_FILE
        voices = self.data_dir / VOICES_FILE
        for path in (model, voices):
            if not path.is_file():
                raise MissingDependencyError(
                    f"engine kokoro needs its model and voices in {self.data_dir}, and "
                    f"{path.name} is not there; {self.install_hint}"
                )
        if model.stat().st_size != MODEL_SIZE:
            raise MissingDependencyError(
                f"the Kokoro model {model} is incomplete ({model.stat().st_size} bytes, not "
                f"{MODEL_SIZE}); reinstall it: {FETCH}"
            )

    def voice_id(self, voice: str | None = None) -> str:
        chosen = voice or self.voice or DEFAULT_VOICE
        if chosen not in VOICE_SHA256:
            raise UsageError(
                f"Kokoro has no voice {chosen!r}; choose one of: {', '.join(VOICE_SHA256)}"
            )
        return chosen

    def speed(self) -> float:
        return speed_for(self.rate)

    def voices(self) -> list[Voice]:
        return [
            Voice(v, f"{voice_name(v)} (Kokoro)", (_ACCENTS[v[0]][0], "en")) for v in VOICE_SHA256
        ]

    def synthesize(self, text: str, out_wav: Path, voice: str | None = None) -> None:
        voice_id = self.voice_id(voice)
        pcm = self.speak_sentences(sentences_of(text), voice_id)
        try:
            with atomic_path(out_wav) as tmp, wave.open(str(tmp), "wb") as wav:
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(SAMPLE_RATE)
                wav.writeframes(pcm)
        except wave.Error as exc:
            raise SpeechError(f"cannot write {out_wav.name}: {exc}") from exc
        check_wav(out_wav)

    def speak_sentences(self, sentences: list[str], voice_id: str) -> bytes:
        """The sentences said in order, SENTENCE_PAUSE_S apart: cached ones read back,
        the others synthesized on the pool at once."""
        speed = self.speed()
        if not sentences:  # nothing to say: a short silence keeps the place
            return b"\0\0" * int(self.sentence_pause_s * SAMPLE_RATE)
        parts: list[bytes | Future[bytes]] = []
        for sentence in sentences:
            key = SpeechCache.key(sentence, voice_id, speed)
            cached = self.cache.get(key) if self.cache is not None else None
            parts.append(
                cached
                if cached is not None
                else self._executor().submit(self._said, sentence, voice_id, speed, key)
            )
        pause = b"\0\0" * int(self.sentence_pause_s * SAMPLE_RATE)
        try:
            return pause.join(p if isinstance(p, bytes) else p.result() for p in parts)
        finally:
            for p in parts:
                if isinstance(p, Future):
                    p.cancel()

    def _said(self, sentence: str, voice_id: str, speed: float, key: str) -> bytes:
        pcm = self.infer(sentence, voice_id, speed)
        if self.cache is not None and pcm:
            self.cache.put(key, pcm)
        return pcm

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.pool_size, thread_name_prefix="kokoro")
            return self._pool

    def infer(self, sentence: str, voice_id: str, speed: float) -> bytes:
        """One sentence as 16-bit PCM at SAMPLE_RATE (the model call; tests replace it)."""
        import numpy as np

        kokoro = self._load()
        try:
            audio, _ = kokoro.create(sentence, voice=voice_id, speed=speed, lang=lang_of(voice_id))
        except (RuntimeError, ValueError, IndexError) as exc:  # onnxruntime, phonemizer
            raise SpeechError(f"Kokoro failed on {sentence[:60]!r}: {exc}") from exc
        pcm = (np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0) * 32767).astype("<i2")
        data: bytes = pcm.tobytes()
        return data

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                self.check()
                self._model = _load(self.data_dir, self.threads_per_call)
            return self._model

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def lang_of(voice_id: str) -> str:
    return _ACCENTS.get(voice_id[:1], ("en-us", ""))[0]


def sentences_of(text: str) -> list[str]:
    """The sentences of `text`, each one model call (nothing but punctuation: none)."""
    from briefing import nlp

    found = [s.strip() for line in text.split("\n") for s in nlp.split_sentences(line)]
    return [s for s in found if any(c.isalnum() for c in s)]


def _load(folder: Path, threads: int) -> Any:
    import onnxruntime
    from kokoro_onnx import Kokoro

    # phonemizer warns "words count mismatch" on most sentences (harmless: Kokoro reads
    # the phonemes as one string); kept off the terminal and the run's log.
    logging.getLogger("phonemizer").propagate = False
    model = folder / MODEL_FILE
    if not model_ok(model):
        raise MissingDependencyError(
            f"the Kokoro model {model} is damaged (its sha256 is not {MODEL_SHA256}); "
            f"reinstall it: {FETCH}"
        )
    voices = load_voices(folder / VOICES_FILE)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    try:
        session = onnxruntime.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        kokoro = Kokoro.from_session(session, str(folder / VOICES_FILE))
    except (OSError, RuntimeError, ValueError) as exc:
        raise SpeechError(f"cannot load the Kokoro model {model}: {exc}") from exc
    kokoro.voices = voices  # the checked arrays
    return kokoro
