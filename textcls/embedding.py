"""Turn report texts into vectors, as scikit-learn transformers.

:class:`SentenceEmbedder` runs a local sentence-transformers model (the bundled
all-MiniLM-L6-v2 unless told otherwise) and keeps every vector in an on-disk
cache, so a text is embedded once per model and setting. :class:`TfidfEmbedder`
is a fast TF-IDF + truncated SVD stand-in with the same interface, for quick
experiments.

Example
-------
>>> embedder = SentenceEmbedder()
>>> vectors = embedder.fit_transform(["Police closed 30 gambling sites."])  # doctest: +SKIP
>>> vectors.shape                                                           # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize as l2_normalize

from .cache import EmbeddingCache, text_key
from .vectorizer import TfidfVectorizer
from .weights import ResolvedModel, cache_root, resolve_model

# Part of the cache key: vectors from padded batches or from MKL's default mode (earlier
# builds) differ in their last digits and must not mix with these.
_BATCHING = "samelen-strict"
# Texts tokenized at once when cutting long texts into windows: bounds the memory
# of token offsets, whatever the number of texts.
_SPLIT_BLOCK = 256

logger = logging.getLogger(__name__)

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# MKL's matrix products split some small shapes (a short text's first attention layer)
# differently for each thread count, which moves a vector in its 7th digit. Strict
# conditional numerical reproducibility makes them independent of the thread count, for
# about 20% more CPU time when embedding. MKL reads it at its first call.
os.environ.setdefault("MKL_CBWR", "AUTO,STRICT")


class SentenceEmbedder(TransformerMixin, BaseEstimator):
    """Embed texts with a local sentence-transformers model, through a disk cache.

    The model is loaded on first use and never pickled: a pickled embedder
    holds only its parameters and reloads (and re-verifies) the weights when it
    next has to embed a text it has not cached.

    Parameters
    ----------
    model_path : str, optional
        A local sentence-transformers folder; ``None`` uses the bundled MiniLM.
    model_sha256 : str, optional
        Expected sha256 of the weights file (checked before use).
    batch_size : int
        Texts per forward pass.
    max_seq_length : int
        Tokens the model reads at once (its window).
    long_text : {"truncate", "chunk"}
        What happens to a text longer than the window: ``"truncate"`` embeds its
        first ``max_seq_length`` tokens only; ``"chunk"`` cuts it at word starts
        into windows and returns the token-count-weighted mean of their vectors, so
        every word counts. Texts that fit get the same vector either way.
    normalize : bool
        Return unit-length vectors.
    device : str, optional
        ``"cpu"``, ``"cuda"``...; ``None`` lets sentence-transformers choose.
    use_cache : bool
        Read and write the on-disk embedding cache.
    cache_dir : str, optional
        Cache folder; ``None`` means ``$TEXTCLS_CACHE`` or ``~/.cache/textcls``.
    progress : bool, optional
        Show a progress bar for runs of more than a few batches; ``None`` shows
        it only when stderr is a terminal.

    Attributes
    ----------
    cache_info_ : dict
        ``{"hits", "misses", "corrupt"}`` of the latest :meth:`transform`.

    Examples
    --------
    >>> embedder = SentenceEmbedder(progress=False)
    >>> embedder.transform(["a", "b"]).shape       # doctest: +SKIP
    (2, 384)
    >>> embedder.cache_info_                       # doctest: +SKIP
    {'hits': 0, 'misses': 2, 'corrupt': 0}
    """

    def __init__(
        self,
        model_path: str | None = None,
        model_sha256: str | None = None,
        batch_size: int = 32,
        max_seq_length: int = 256,
        long_text: str = "truncate",
        normalize: bool = True,
        device: str | None = None,
        use_cache: bool = True,
        cache_dir: str | None = None,
        progress: bool | None = None,
    ) -> None:
        self.model_path = model_path
        self.model_sha256 = model_sha256
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.long_text = long_text
        self.normalize = normalize
        self.device = device
        self.use_cache = use_cache
        self.cache_dir = cache_dir
        self.progress = progress

    def fit(self, X: Sequence[str], y=None) -> SentenceEmbedder:
        """Nothing to learn; present for pipeline compatibility."""
        return self

    def transform(self, X: Sequence[str]) -> np.ndarray:
        """Embed ``X`` (a sequence of strings) into a float32 array, one row per text."""
        texts = [str(text) for text in X]
        if self.long_text not in ("truncate", "chunk"):
            raise ValueError(f"long_text must be 'truncate' or 'chunk', not {self.long_text!r}")
        resolved = self._resolved()
        cache = self._cache(resolved) if self.use_cache else None
        keys = [text_key(text) for text in texts]
        vectors: list[np.ndarray | None] = [None] * len(texts)
        if cache is not None:
            vectors = [cache.get(key) for key in keys]
        missing = [i for i, vector in enumerate(vectors) if vector is None]
        if missing:
            # Identical texts are embedded once.
            unique = list(dict.fromkeys(keys[i] for i in missing))
            first = {keys[i]: i for i in reversed(missing)}
            fresh = self._embed_texts([texts[first[key]] for key in unique])
            by_key = dict(zip(unique, fresh))
            for i in missing:
                vectors[i] = by_key[keys[i]]
            if cache is not None:
                for key, vector in by_key.items():
                    cache.put(key, vector)
        self.cache_info_ = {
            "hits": len(texts) - len(missing),
            "misses": len(missing),
            "corrupt": cache.corrupt_entries if cache else 0,
        }
        logger.info("embedding cache: %(hits)d hits, %(misses)d misses", self.cache_info_)
        if not texts:
            return np.zeros((0, self.embedding_dimension()), dtype=np.float32)
        return np.vstack(vectors).astype(np.float32, copy=False)  # type: ignore[arg-type]  # all filled

    def embedding_dimension(self) -> int:
        """Length of the vectors (loads the model)."""
        model = self._load_model()
        dimension = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(dimension())

    def _resolved(self) -> ResolvedModel:
        resolved = getattr(self, "_resolved_model", None)
        if resolved is None:
            resolved = resolve_model(self.model_path, self.model_sha256)
            self._resolved_model = resolved
        return resolved

    def _cache(self, resolved: ResolvedModel) -> EmbeddingCache:
        root = self.cache_dir or cache_root() / "embeddings"
        namespace = (
            f"{resolved.sha256[:16]}-len{self.max_seq_length}-"
            f"{'unit' if self.normalize else 'raw'}-{_BATCHING}"
            f"{'-chunk' if self.long_text == 'chunk' else ''}"
        )
        return EmbeddingCache(root, namespace)

    def _load_model(self):
        model = getattr(self, "_model", None)
        if model is None:
            from sentence_transformers import SentenceTransformer

            resolved = self._resolved()
            model = SentenceTransformer(
                str(resolved.path), device=self.device, local_files_only=True
            )
            model.max_seq_length = self.max_seq_length
            self._model = model
        return model

    def _embed_texts(self, texts: list[str]) -> np.ndarray:
        if self.long_text == "truncate":
            return self._encode(texts)
        pieces: list[str] = []
        counts: list[list[int]] = []
        for start in range(0, len(texts), _SPLIT_BLOCK):
            for text_pieces, text_counts in self._windows(texts[start : start + _SPLIT_BLOCK]):
                pieces.extend(text_pieces)
                counts.append(text_counts)
        # Windows of all texts go through one same-length batching, so a window's
        # vector depends on the window alone, like a text's.
        piece_vectors = self._encode(pieces)
        vectors = np.empty((len(texts), piece_vectors.shape[1]), dtype=np.float32)
        start = 0
        for i, text_counts in enumerate(counts):
            block = piece_vectors[start : start + len(text_counts)]
            start += len(text_counts)
            if len(text_counts) == 1:  # fits the window: exactly the truncate vector
                vectors[i] = block[0]
                continue
            weights = np.asarray(text_counts, dtype=np.float32)[:, None]
            mean = (block * weights).sum(0) / weights.sum()
            vectors[i] = l2_normalize(mean[None])[0] if self.normalize else mean
        return vectors

    def _windows(self, texts: list[str]) -> list[tuple[list[str], list[int]]]:
        """Each text as pieces of at most one window of tokens, with their token counts.

        Pieces are cut at word starts, so each re-tokenizes to exactly its tokens.
        """
        tokenizer = self._load_model().tokenizer
        size = self.max_seq_length - tokenizer.num_special_tokens_to_add(pair=False)
        encoded = tokenizer(
            texts, add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        result = []
        for i, text in enumerate(texts):
            offsets = encoded["offset_mapping"][i]
            if len(offsets) <= size:
                result.append(([text], [len(offsets)]))
                continue
            words = encoded.word_ids(i)
            cuts = [0]
            while len(offsets) - cuts[-1] > size:
                cut = end = cuts[-1] + size
                while cut > cuts[-1] and words[cut] == words[cut - 1]:
                    cut -= 1
                cuts.append(cut if cut > cuts[-1] else end)  # a word longer than a window
            bounds = list(zip(cuts, [*cuts[1:], len(offsets)]))
            result.append(
                (
                    [text[offsets[a][0] : offsets[b - 1][1]] for a, b in bounds],
                    [b - a for a, b in bounds],
                )
            )
        return result

    def _encode(self, texts: list[str]) -> np.ndarray:
        # Padding moves a vector in its last digits, UMAP magnifies such digits, and
        # a cached vector must depend on its text alone, not on what it was batched
        # with. So a batch only ever holds texts of the same token count.
        from tqdm.auto import tqdm

        model = self._load_model()
        show = self.progress if self.progress is not None else sys.stderr.isatty()
        show = bool(show) and len(texts) > 3 * self.batch_size
        token_ids = model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)[
            "input_ids"
        ]
        by_length: dict[int, list[int]] = {}
        for i, ids in enumerate(token_ids):
            by_length.setdefault(len(ids), []).append(i)
        batches = [
            group[start : start + self.batch_size]
            for group in by_length.values()
            for start in range(0, len(group), self.batch_size)
        ]
        vectors = np.empty((len(texts), self.embedding_dimension()), dtype=np.float32)
        with tqdm(total=len(texts), desc="embedding", unit="report", disable=not show) as bar:
            for batch in batches:
                vectors[batch] = model.encode(
                    [texts[i] for i in batch],
                    batch_size=len(batch),
                    show_progress_bar=False,
                    normalize_embeddings=self.normalize,
                    convert_to_numpy=True,
                )
                bar.update(len(batch))
        return vectors

    def __getstate__(self) -> dict:
        # Weights never travel inside a pickle; they are reloaded and verified on use.
        state = self.__dict__.copy()
        state.pop("_model", None)
        state.pop("_resolved_model", None)
        return state


class TfidfEmbedder(TransformerMixin, BaseEstimator):
    """TF-IDF followed by truncated SVD: dense, unit-length vectors in milliseconds.

    Parameters
    ----------
    n_components : int
        Dimensions kept (capped by the vocabulary size).
    max_features : int
        Vocabulary size of the TF-IDF step.
    ngram_range : tuple of int
        Word n-grams used.
    random_state : int
        Seed of the SVD solver.

    Examples
    --------
    >>> embedder = TfidfEmbedder(n_components=2)
    >>> embedder.fit_transform(["crypto ban", "rumor arrest", "crypto mining"]).shape
    (3, 2)
    """

    def __init__(
        self,
        n_components: int = 256,
        max_features: int = 50000,
        ngram_range: tuple[int, int] = (1, 2),
        random_state: int = 0,
    ) -> None:
        self.n_components = n_components
        self.max_features = max_features
        self.ngram_range = ngram_range
        self.random_state = random_state

    def fit(self, X: Sequence[str], y=None) -> TfidfEmbedder:
        self.vectorizer_ = TfidfVectorizer(
            max_features=self.max_features,
            ngram_range=tuple(self.ngram_range),
            sublinear_tf=True,
            stop_words="english",
        )
        counts = self.vectorizer_.fit_transform(list(X))
        components = max(1, min(self.n_components, counts.shape[1] - 1, counts.shape[0] - 1))
        self.svd_ = TruncatedSVD(components, random_state=self.random_state).fit(counts)
        return self

    def transform(self, X: Sequence[str]) -> np.ndarray:
        reduced = self.svd_.transform(self.vectorizer_.transform(list(X)))
        return l2_normalize(reduced).astype(np.float32)
