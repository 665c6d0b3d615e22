"""Static embeddings: a model2vec model distilled from the bundled MiniLM.

A static model keeps one vector per token; a text's vector is the mean of its
tokens' vectors, so embedding needs no transformer pass and runs hundreds of
times faster than MiniLM, reading the whole text. :class:`StaticEmbedder`
distills the model from the verified MiniLM weights on first use (about a
minute on 2 cores, offline) and keeps it under ``$TEXTCLS_CACHE/static/``,
keyed by the teacher's sha256 and the distillation settings, with a manifest
of the files' sha256 that is checked on every load: a damaged or changed model
is distilled again. Distillation is deterministic, so a rebuilt model has the
same bits.

Example
-------
>>> embedder = StaticEmbedder()
>>> embedder.fit_transform(["Police closed 30 gambling sites."]).shape   # doctest: +SKIP
(1, 256)
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from itertools import chain
from pathlib import Path
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from .atomic import write_atomic
from .weights import ResolvedModel, cache_root, file_sha256, resolve_model

logger = logging.getLogger(__name__)

MANIFEST = "textcls-manifest.json"
_MODEL_FILES = ("model.safetensors", "tokenizer.json", "config.json")


class StaticEmbedder(TransformerMixin, BaseEstimator):
    """Embed texts with a static model distilled from a local sentence-transformers model.

    Nothing is cached per text: looking a vector up on disk would cost more
    than computing it. A text whose tokens are all unknown to the model, or an
    empty text, gets a zero vector.

    Parameters
    ----------
    model_path : str, optional
        The teacher: a local sentence-transformers folder; ``None`` uses the bundled MiniLM.
    model_sha256 : str, optional
        Expected sha256 of the teacher's weights (checked before distilling).
    dimensions : int
        Vector length kept by the PCA step of the distillation.
    normalize : bool
        Return unit-length vectors (zero vectors stay zero).
    batch_size : int
        Texts tokenized at a time; bounds memory, not results.
    n_jobs : int
        Threads tokenizing batches side by side (the tokenizer releases the GIL);
        -1 uses every core. Results do not depend on it.
    cache_dir : str, optional
        Folder of distilled models; ``None`` means ``<textcls cache>/static``.

    Examples
    --------
    >>> embedder = StaticEmbedder(dimensions=256)
    >>> embedder.transform(["", "Police shut 40 gambling sites"]).shape   # doctest: +SKIP
    (2, 256)
    """

    def __init__(
        self,
        model_path: str | None = None,
        model_sha256: str | None = None,
        dimensions: int = 256,
        normalize: bool = True,
        batch_size: int = 512,
        n_jobs: int = -1,
        cache_dir: str | None = None,
    ) -> None:
        self.model_path = model_path
        self.model_sha256 = model_sha256
        self.dimensions = dimensions
        self.normalize = normalize
        self.batch_size = batch_size
        self.n_jobs = n_jobs
        self.cache_dir = cache_dir

    def fit(self, X: Sequence[str], y=None) -> StaticEmbedder:
        """Nothing to learn; present for pipeline compatibility."""
        return self

    def transform(self, X: Sequence[str]) -> np.ndarray:
        """Embed ``X`` (a sequence of strings) into a float32 array, one row per text."""
        texts = [str(text) for text in X]
        model = self._load_model()
        vectors = np.zeros((len(texts), model.embedding.shape[1]), dtype=np.float32)
        threads = max(1, (os.cpu_count() or 1) if self.n_jobs == -1 else self.n_jobs)
        size = max(1, min(self.batch_size, -(-len(texts) // threads)))
        starts = range(0, len(texts), size)

        def embed(start: int) -> None:
            vectors[start : start + size] = _mean_vectors(model, texts[start : start + size])

        if threads > 1 and len(starts) > 1:
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(embed, starts))
        else:
            for start in starts:
                embed(start)
        if self.normalize:
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            np.divide(vectors, norms, out=vectors, where=norms > 0)
        return vectors

    def distilled_path(self) -> Path:
        """The verified folder of the distilled model (distilled now if missing or damaged)."""
        teacher = resolve_model(self.model_path, self.model_sha256)
        root = Path(self.cache_dir) if self.cache_dir else cache_root() / "static"
        return distilled_model(teacher, root, self.dimensions)

    def _load_model(self):
        model = getattr(self, "_model", None)
        if model is None:
            from model2vec import StaticModel

            model = StaticModel.from_pretrained(self.distilled_path())
            model.embedding = np.asarray(model.embedding, dtype=np.float32)
            self._model = model
        return model

    def __getstate__(self) -> dict:
        # The model is rebuilt or reloaded, and verified, where the pickle is used.
        state = self.__dict__.copy()
        state.pop("_model", None)
        return state


def _mean_vectors(model, texts: list[str]) -> np.ndarray:
    # The mean of token vectors as a sparse (texts x vocabulary) product: each row is
    # summed in its own token order, so a vector never depends on its batch.
    ids = [e.ids for e in model.tokenizer.encode_batch_fast(texts, add_special_tokens=False)]
    lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    indices = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
    if model.unk_token_id is not None:  # unknown tokens carry no meaning: dropped
        known = indices != model.unk_token_id
        lengths = np.bincount(np.repeat(np.arange(len(ids)), lengths)[known], minlength=len(ids))
        indices = indices[known]
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    weights = np.repeat(1.0 / np.maximum(lengths, 1), lengths).astype(np.float32)
    counts = sparse.csr_matrix(
        (weights, indices, indptr), shape=(len(texts), model.embedding.shape[0])
    )
    return counts @ model.embedding


def distill_settings(dimensions: int) -> dict:
    """Everything besides the teacher that decides the distilled bits."""
    return {
        "pca_dims": int(dimensions),
        "sif_coefficient": 1e-4,
        "quantize_to": "float32",
        "device": "cpu",
        "model2vec": importlib.metadata.version("model2vec"),
        "torch": importlib.metadata.version("torch"),
    }


def distilled_folder(teacher: ResolvedModel, root: Path, dimensions: int = 256) -> Path:
    """Where the model distilled from ``teacher`` with these settings lives."""
    key = hashlib.sha256(
        json.dumps(
            {"teacher_sha256": teacher.sha256, **distill_settings(dimensions)}, sort_keys=True
        ).encode()
    ).hexdigest()[:16]
    return Path(root) / f"{teacher.name}-{key}"


def distilled_model(teacher: ResolvedModel, root: Path, dimensions: int = 256) -> Path:
    """Return the folder of the static model distilled from ``teacher``, building it if needed.

    The folder name holds a hash of the teacher's sha256 and :func:`distill_settings`;
    its manifest records every file's sha256. A folder whose files do not match its
    manifest is distilled again and replaced.
    """
    settings = distill_settings(dimensions)
    folder = distilled_folder(teacher, root, dimensions)
    problem = _check(folder)
    if problem is None:
        return folder
    if folder.exists():
        logger.warning("distilled model %s: %s; distilling it again", folder, problem)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".distill-", dir=folder.parent))
    try:
        _distill(teacher, settings, staging)
        _replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _check(folder: Path) -> str | None:
    """Why ``folder`` is not a usable distilled model, or ``None`` when it is."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text())["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return "missing or unreadable manifest"
    for name in _MODEL_FILES:
        path = folder / name
        if not path.exists() or recorded.get(name) != file_sha256(path):
            return f"{name} does not match its recorded sha256"
    return None


def _distill(teacher: ResolvedModel, settings: dict, target: Path) -> None:
    from model2vec.distill import distill

    logger.warning("distilling a static model from %s (once; about a minute)", teacher.path)
    model = distill(
        str(teacher.path),
        pca_dims=settings["pca_dims"],
        sif_coefficient=settings["sif_coefficient"],
        quantize_to=settings["quantize_to"],
        device=settings["device"],
    )
    model.config["max_length"] = None  # read whole texts: truncation is the teacher's limit
    model.save_pretrained(target)
    manifest = {
        "teacher": teacher.name,
        "teacher_sha256": teacher.sha256,
        "settings": settings,
        "sha256": {name: file_sha256(target / name) for name in _MODEL_FILES},
    }
    write_atomic(target / MANIFEST, json.dumps(manifest, indent=2).encode())


def _replace(staging: Path, folder: Path) -> None:
    # A damaged folder is moved aside first, so the rename of the new one is atomic.
    if folder.exists():
        trash = Path(tempfile.mkdtemp(prefix=".damaged-", dir=folder.parent))
        with contextlib.suppress(OSError):  # another process replaced it meanwhile
            folder.rename(trash / folder.name)
        shutil.rmtree(trash, ignore_errors=True)
    try:
        staging.rename(folder)
    except OSError:
        if _check(folder) is not None:  # not a concurrent build that finished first
            raise
