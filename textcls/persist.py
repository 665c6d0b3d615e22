"""Save a trained model for downstream code and load it back safely.

A model folder holds ``model.pkl`` (joblib), ``model.pkl.sha256`` and
``model.json`` (label scheme, hashes, library versions, metrics). The pickle
never contains transformer weights: the embedder reloads the bundled model on
first use. :func:`load_model` checks the bytes against the recorded hash
*before* unpickling, since unpickling runs code, and warns when the installed
libraries differ from the ones the model was saved with.

Example
-------
>>> import textcls
>>> model = textcls.load_model("experiments/default/20261123-101500-ab12cd34")  # doctest: +SKIP
>>> model.predict(["Police closed 30 gambling sites."])[0].theme                # doctest: +SKIP
'fraud_platforms'
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import tempfile
import warnings
from pathlib import Path

import joblib

from .atomic import write_atomic
from .errors import ModelCompatibilityWarning, ModelIntegrityError, TextclsError
from .labels import LabelScheme

MODEL_FILE = "model.pkl"
TRACKED_LIBRARIES = ("textcls", "scikit-learn", "numpy", "scipy", "sentence-transformers",
                     "torch", "joblib", "model2vec")


def library_versions() -> dict[str, str]:
    versions = {}
    for name in TRACKED_LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def save_model(model, folder: str | Path, scheme: LabelScheme, metadata: dict | None = None
               ) -> Path:
    """Write ``model.pkl``, its sha256 and ``model.json`` into ``folder``.

    Returns
    -------
    Path
        The path of ``model.pkl``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as staging:
        staged = Path(staging) / MODEL_FILE
        joblib.dump(model, staged)
        blob = staged.read_bytes()
    digest = hashlib.sha256(blob).hexdigest()
    info = {
        "format": 1,
        "labels": scheme.to_dict(),
        "label_fingerprint": scheme.fingerprint(),
        "model_sha256": digest,
        "model_bytes": len(blob),
        "libraries": library_versions(),
        **(metadata or {}),
    }
    write_atomic(folder / MODEL_FILE, blob)
    write_atomic(folder / f"{MODEL_FILE}.sha256", f"{digest}  {MODEL_FILE}\n".encode())
    write_atomic(folder / "model.json", json.dumps(info, indent=2, default=str).encode())
    return folder / MODEL_FILE


def model_file(path: str | Path) -> Path:
    """``model.pkl`` itself, or the one inside a run folder."""
    path = Path(path)
    return path / MODEL_FILE if path.is_dir() else path


def load_model(path: str | Path, scheme: LabelScheme | None = None):
    """Verify and unpickle a saved model.

    Parameters
    ----------
    path : str or Path
        ``model.pkl`` or the folder holding it (a run folder).
    scheme : LabelScheme, optional
        When given, the model's labels must be this scheme's labels.

    Raises
    ------
    ModelIntegrityError
        ``model.pkl`` is missing its ``.sha256`` file or its bytes do not match it.
    TextclsError
        The file is missing, or the model's labels differ from ``scheme``.

    Warns
    -----
    ModelCompatibilityWarning
        Library versions differ from those recorded in ``model.json``.
    """
    pickle_path = model_file(path)
    if not pickle_path.exists():
        raise TextclsError(f"{pickle_path}: model file not found")
    digest_path = pickle_path.with_name(pickle_path.name + ".sha256")
    if not digest_path.exists():
        raise ModelIntegrityError(f"{digest_path}: missing; refusing to unpickle a model "
                                  "whose hash cannot be checked")
    expected = (digest_path.read_text().split() or [""])[0]
    blob = pickle_path.read_bytes()
    actual = hashlib.sha256(blob).hexdigest()
    if actual != expected:
        raise ModelIntegrityError(f"{pickle_path}: sha256 {actual[:16]}... does not match "
                                  f"{digest_path.name} ({expected[:16]}...); the file was "
                                  "changed after saving. Refusing to unpickle it.")
    info = read_model_info(pickle_path)
    _check_libraries(pickle_path, info)
    if scheme is not None and info.get("label_fingerprint") not in (None, scheme.fingerprint()):
        saved = info.get("labels", {})
        raise TextclsError(
            f"{pickle_path}: the model was trained on another label scheme (themes "
            f"{sorted(saved.get('themes', {}))}, actions {sorted(saved.get('actions', {}))}) "
            f"than {scheme.source or 'the one given'}; retrain it or evaluate with its scheme")
    # Unpickle the very bytes that were checked, not the file again: it could have
    # been replaced in between.
    return joblib.load(io.BytesIO(blob))


def read_model_info(pickle_path: str | Path) -> dict:
    """The contents of ``model.json`` beside a model file ({} when absent)."""
    info_path = Path(pickle_path).with_name("model.json")
    if not info_path.exists():
        return {}
    try:
        return json.loads(info_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TextclsError(f"{info_path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None


def _check_libraries(pickle_path: Path, info: dict) -> None:
    saved = info.get("libraries") or {}
    installed = library_versions()
    different = {name: (version, installed.get(name)) for name, version in saved.items()
                 if name in installed and installed[name] != version}
    if different:
        listing = ", ".join(f"{n} {old} -> {new}" for n, (old, new) in sorted(different.items()))
        warnings.warn(f"{pickle_path} was saved with other library versions ({listing}); "
                      "predictions may differ or loading may fail. Retrain with the "
                      "installed versions to silence this.", ModelCompatibilityWarning,
                      stacklevel=2)
