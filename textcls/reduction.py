"""UMAP whose output is remembered on disk.

UMAP with a fixed ``random_state`` is deterministic, and on a small corpus its
numba compilation costs more than the reduction itself. :class:`CachedUMAP`
stores each reduction under a key made of the input's bytes, the UMAP
parameters and the umap version, so a second run on the same embeddings skips
UMAP entirely. It plugs into BERTopic as its ``umap_model``.

Example
-------
>>> import numpy as np
>>> reducer = CachedUMAP(n_neighbors=5, n_components=2, cache_dir="/tmp/umap-demo")
>>> reducer.fit_transform(np.random.default_rng(0).random((30, 8))).shape   # doctest: +SKIP
(30, 2)
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from .cache import EmbeddingCache
from .weights import cache_root


class CachedUMAP(TransformerMixin, BaseEstimator):
    """UMAP reduction memoized by input and parameters.

    Parameters
    ----------
    n_neighbors, n_components, min_dist, metric, random_state, n_epochs
        Passed to :class:`umap.UMAP` (``n_epochs=None``: 500 below 10,000 points, else 200).
    use_cache : bool
        Read and write the reduction cache.
    cache_dir : str, optional
        Folder of the cache; ``None`` means ``<textcls cache>/reductions``.

    Attributes
    ----------
    embedding_ : ndarray of shape (n_samples, n_components)
        The reduction of the data given to :meth:`fit`.
    cache_hit_ : bool
        Whether ``embedding_`` came from the cache.

    Notes
    -----
    Only the fitted data can be transformed: textcls assigns new documents to
    topics by their nearest topic centroid, never through UMAP.
    """

    def __init__(
        self,
        n_neighbors: int = 15,
        n_components: int = 5,
        min_dist: float = 0.0,
        metric: str = "cosine",
        random_state: int = 13,
        n_epochs: int | None = None,
        use_cache: bool = True,
        cache_dir: str | None = None,
    ) -> None:
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.min_dist = min_dist
        self.metric = metric
        self.random_state = random_state
        self.n_epochs = n_epochs
        self.use_cache = use_cache
        self.cache_dir = cache_dir

    def _key(self, X: np.ndarray) -> str:
        params = {k: v for k, v in self.get_params().items() if k not in ("use_cache", "cache_dir")}
        if params["n_epochs"] is None:  # UMAP's own choice: keys stay those stored before
            del params["n_epochs"]
        digest = hashlib.sha256(
            json.dumps(
                [params, list(X.shape), str(X.dtype), importlib.metadata.version("umap-learn")]
            ).encode()
        )
        digest.update(np.ascontiguousarray(X).tobytes())
        return digest.hexdigest()

    def fit(self, X, y=None) -> CachedUMAP:
        X = np.asarray(X, dtype=np.float32)
        self.fit_key_ = self._key(X)
        cache = EmbeddingCache(self.cache_dir or cache_root() / "reductions", "umap")
        stored = cache.get(self.fit_key_) if self.use_cache else None
        self.cache_hit_ = stored is not None and stored.size == len(X) * self.n_components
        if stored is not None and self.cache_hit_:
            self.embedding_ = stored.reshape(len(X), self.n_components)
            return self
        from umap import UMAP

        reducer = UMAP(
            n_neighbors=min(self.n_neighbors, len(X) - 1),
            n_components=self.n_components,
            min_dist=self.min_dist,
            metric=self.metric,
            random_state=self.random_state,
            n_epochs=self.n_epochs,
            n_jobs=1,
        )  # a seeded UMAP runs on one thread anyway
        self.embedding_ = reducer.fit_transform(X, y=y).astype(np.float32)
        if self.use_cache:
            cache.put(self.fit_key_, self.embedding_.ravel())
        return self

    def transform(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float32)
        if self._key(X) != self.fit_key_:
            raise ValueError("CachedUMAP only transforms the data it was fitted on")
        return self.embedding_

    def fit_transform(self, X, y=None, **fit_params) -> np.ndarray:
        return self.fit(X, y).embedding_
