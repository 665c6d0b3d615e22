"""A content-addressed on-disk store of embedding vectors.

Each vector lives in its own small file named by the sha256 of the text, under
a folder named by everything else that changes a vector (weights hash,
sequence length, normalisation). Files carry a checksum, so a damaged entry
is noticed and recomputed rather than used; writes go to a temporary file
that is renamed into place, so readers never see half a vector.

Example
-------
>>> import numpy as np, tempfile
>>> cache = EmbeddingCache(tempfile.mkdtemp(), "demo")
>>> key = text_key("hello")
>>> cache.put(key, np.ones(3, dtype=np.float32))
>>> cache.get(key)
array([1., 1., 1.], dtype=float32)
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np

from .atomic import write_atomic

logger = logging.getLogger(__name__)

_MAGIC = b"TXCEMB1\n"
_DIGEST_SIZE = 16


def text_key(text: str) -> str:
    """The cache key of one text: its sha256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors stored one file per text under ``root/namespace``."""

    def __init__(self, root: str | Path, namespace: str) -> None:
        self.folder = Path(root) / namespace
        self.corrupt_entries = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.vec"

    def get(self, key: str) -> np.ndarray | None:
        """The stored vector, or ``None`` when absent or damaged."""
        path = self._path(key)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return None
        payload = blob[len(_MAGIC) : -_DIGEST_SIZE]
        digest = blob[-_DIGEST_SIZE:]
        if (
            not blob.startswith(_MAGIC)
            or len(payload) % 4
            or hashlib.blake2b(payload, digest_size=_DIGEST_SIZE).digest() != digest
        ):
            self.corrupt_entries += 1
            logger.warning("embedding cache entry %s is damaged; recomputing it", path)
            return None
        return np.frombuffer(payload, dtype=np.float32).copy()

    def put(self, key: str, vector: np.ndarray) -> None:
        """Store a vector atomically."""
        payload = np.ascontiguousarray(vector, dtype=np.float32).tobytes()
        blob = _MAGIC + payload + hashlib.blake2b(payload, digest_size=_DIGEST_SIZE).digest()
        write_atomic(self._path(key), blob)
