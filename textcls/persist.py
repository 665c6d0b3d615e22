"""Save a trained model for downstream code and load it back safely.

A model folder holds ``model.pkl`` (joblib), ``model.pkl.sha256`` and
``model.json`` (label scheme, hashes, library versions, metrics). The pickle
never contains transformer weights: the embedder reloads the bundled model on
first use. :func:`load_model` checks the bytes against the recorded hash
*before* unpickling, since unpickling runs code, and warns when the installed
libraries differ from the ones the model was saved with.

A pickle is only as safe as its source: whoever can swap it can swap its hash.
To share a model, :func:`export_model` writes a ``.skops`` file (the model and
its ``model.json`` facts in one file) that loads without unpickling: the loader
builds only the types skops trusts by default (scikit-learn, NumPy, SciPy,
builtins) and those in :data:`SAFE_TYPES`, and refuses any file naming another.

Example
-------
>>> import textcls
>>> model = textcls.load_model("experiments/default/20261123-101500-ab12cd34")  # doctest: +SKIP
>>> model.predict(["Police closed 30 gambling sites."])[0].theme                # doctest: +SKIP
'fraud_platforms'
>>> export_model("experiments/default/20261123-101500-ab12cd34", "model.skops")  # doctest: +SKIP
>>> textcls.load_model("model.skops").themes_[:1]                               # doctest: +SKIP
['financial_speculation']
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import joblib

from .atomic import write_atomic
from .errors import ModelCompatibilityWarning, ModelIntegrityError, TextclsError
from .labels import LabelScheme

MODEL_FILE = "model.pkl"
SKOPS_SUFFIX = ".skops"
SKOPS_FORMAT = "textcls-skops-1"
TRACKED_LIBRARIES = (
    "textcls",
    "scikit-learn",
    "numpy",
    "scipy",
    "sentence-transformers",
    "torch",
    "joblib",
    "skops",
    "model2vec",
)
# The types a .skops model may hold beyond skops's defaults, and the only ones the
# loader builds. A new class stored in a model gets one line here; export_model
# refuses a model holding a type that is missing, and names it.
SAFE_TYPES = (
    "textcls.classify.EnforcementClassifier",
    "textcls.embedding.SentenceEmbedder",
    "textcls.embedding.TfidfEmbedder",
    "textcls.static.StaticEmbedder",
    "textcls.vectorizer.TfidfVectorizer",
    "textcls.sentence_actions.SentenceActionModel",
    "textcls.sentence_actions.KeywordMatcher",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
)


def library_versions(names: tuple[str, ...] = TRACKED_LIBRARIES) -> dict[str, str]:
    """Installed versions of ``names`` ("not installed" for missing ones)."""
    versions = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def save_model(
    model, folder: str | Path, scheme: LabelScheme, metadata: dict | None = None
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
    """The model file itself (``.pkl`` or ``.skops``), or ``model.pkl`` inside a run folder."""
    path = Path(path)
    return path / MODEL_FILE if path.is_dir() else path


def load_model(path: str | Path, scheme: LabelScheme | None = None):
    """Load a saved model: a run folder, a ``model.pkl`` or a ``.skops`` file.

    A pickle is verified against its ``.sha256`` before it is unpickled; a
    ``.skops`` file is never unpickled and may hold only trusted types.

    Parameters
    ----------
    path : str or Path
        A run folder (its ``model.pkl``), a ``.pkl`` file or a ``.skops`` file.
    scheme : LabelScheme, optional
        When given, the model's labels must be this scheme's labels.

    Raises
    ------
    ModelIntegrityError
        ``model.pkl`` is missing its ``.sha256`` file or its bytes do not match it;
        a ``.skops`` file is damaged or names a type that is not trusted.
    TextclsError
        The file is missing, or the model's labels differ from ``scheme``.

    Warns
    -----
    ModelCompatibilityWarning
        Library versions differ from those recorded when the model was saved.
    """
    return load_model_and_info(path, scheme)[0]


def load_model_and_info(path: str | Path, scheme: LabelScheme | None = None) -> tuple[Any, dict]:
    """:func:`load_model`, plus the model's facts (``model.json``: labels, hashes, metrics)."""
    model_path = model_file(path)
    if not model_path.exists():
        raise TextclsError(f"{model_path}: model file not found")
    if model_path.suffix == SKOPS_SUFFIX:
        model, info = _load_skops(model_path)
        _check_info(model_path, info, scheme)
        return model, info
    return _load_pickle(model_path, scheme)


def _load_pickle(pickle_path: Path, scheme: LabelScheme | None) -> tuple[object, dict]:
    blob, _ = read_verified(pickle_path)
    info = read_model_info(pickle_path)
    _check_info(pickle_path, info, scheme)
    # Unpickle the very bytes that were checked, not the file again: it could have
    # been replaced in between.
    return joblib.load(io.BytesIO(blob)), info


def read_verified(path: str | Path) -> tuple[bytes, str]:
    """The bytes of ``model.pkl`` (or of the one in a run folder) and their sha256,
    checked against the recorded hash; nothing is unpickled.

    Raises
    ------
    ModelIntegrityError, TextclsError
        As :func:`load_model`.
    """
    pickle_path = model_file(path)
    if not pickle_path.exists():
        raise TextclsError(f"{pickle_path}: model file not found")
    digest_path = pickle_path.with_name(pickle_path.name + ".sha256")
    if not digest_path.exists():
        raise ModelIntegrityError(
            f"{digest_path}: missing; refusing to unpickle a model whose hash cannot be checked"
        )
    expected = (digest_path.read_text().split() or [""])[0]
    blob = pickle_path.read_bytes()
    actual = hashlib.sha256(blob).hexdigest()
    if actual != expected:
        raise ModelIntegrityError(
            f"{pickle_path}: sha256 {actual[:16]}... does not match "
            f"{digest_path.name} ({expected[:16]}...); the file was "
            "changed after saving. Refusing to unpickle it."
        )
    return blob, actual


def export_model(source: str | Path, target: str | Path) -> Path:
    """Write the model of a run folder (or a ``model.pkl``) as a ``.skops`` file.

    The file holds the model and its ``model.json`` facts; :func:`load_model`
    reads it without unpickling.

    Raises
    ------
    TextclsError
        ``target`` does not end in ``.skops``, or the model holds a type that is
        not in :data:`SAFE_TYPES` (the message names it).
    """
    import skops.io

    target = Path(target)
    if target.suffix != SKOPS_SUFFIX:
        raise TextclsError(f"{target}: a skops model file must end in {SKOPS_SUFFIX}")
    model, info = load_model_and_info(source)
    blob = skops.io.dumps(
        {"format": SKOPS_FORMAT, "info": info, "model": model}, compression=zipfile.ZIP_DEFLATED
    )
    untrusted = sorted(set(skops.io.get_untrusted_types(data=blob)) - set(SAFE_TYPES))
    if untrusted:
        raise TextclsError(
            f"{model_file(source)}: cannot export: the model holds types that "
            f"are not trusted ({', '.join(untrusted)}); add them to "
            "textcls.persist.SAFE_TYPES if they hold only data"
        )
    write_atomic(target, blob)
    return target


def _load_skops(path: Path) -> tuple[object, dict]:
    import skops.io
    from skops.io.exceptions import UntrustedTypesFoundException

    refused = f"{path}: refusing to load: it names types that textcls does not trust"
    try:
        # Read from the schema alone, before anything is built.
        untrusted = sorted(set(skops.io.get_untrusted_types(file=path)) - set(SAFE_TYPES))
        if untrusted:
            raise ModelIntegrityError(f"{refused} ({', '.join(untrusted)})")
        content = skops.io.load(path, trusted=list(SAFE_TYPES))
    except UntrustedTypesFoundException as exc:
        raise ModelIntegrityError(f"{refused} ({str(exc).splitlines()[0]})") from None
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        AttributeError,
        json.JSONDecodeError,
    ) as exc:
        raise ModelIntegrityError(
            f"{path}: not a valid textcls .skops model "
            f"({type(exc).__name__}: {str(exc).splitlines()[0][:120]})"
        ) from None
    if not isinstance(content, dict) or content.get("format") != SKOPS_FORMAT:
        raise ModelIntegrityError(
            f"{path}: not a textcls .skops model (no '{SKOPS_FORMAT}' "
            "marker); export models with 'textcls export'"
        )
    return content["model"], content.get("info") or {}


def _check_info(model_path: Path, info: dict, scheme: LabelScheme | None) -> None:
    _check_libraries(model_path, info)
    if scheme is not None and info.get("label_fingerprint") not in (None, scheme.fingerprint()):
        saved = info.get("labels", {})
        raise TextclsError(
            f"{model_path}: the model was trained on another label scheme (themes "
            f"{sorted(saved.get('themes', {}))}, actions {sorted(saved.get('actions', {}))}) "
            f"than {scheme.source or 'the one given'}; retrain it or evaluate with its scheme"
        )


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
    different = {
        name: (version, installed.get(name))
        for name, version in saved.items()
        if name in installed and installed[name] != version
    }
    if different:
        listing = ", ".join(f"{n} {old} -> {new}" for n, (old, new) in sorted(different.items()))
        warnings.warn(
            f"{pickle_path} was saved with other library versions ({listing}); "
            "predictions may differ or loading may fail. Retrain with the "
            "installed versions to silence this.",
            ModelCompatibilityWarning,
            stacklevel=2,
        )
