"""The TF-IDF vectorizer whose vocabulary travels as two arrays."""

import io
import pickle
import zipfile

import numpy as np
import skops.io
from sklearn.pipeline import FeatureUnion

from textcls.persist import SAFE_TYPES
from textcls.vectorizer import TfidfVectorizer


def _texts(n=3000):
    rng = np.random.default_rng(0)
    words = [f"w{i}é" for i in range(n)]
    return [" ".join(rng.choice(words, 12)) for _ in range(400)]


def test_vocabulary_survives_pickle_and_skops_even_nested():
    texts = _texts()
    union = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2))),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3))),
        ]
    ).fit(texts)
    blob = skops.io.dumps(union)
    # skops writes a dict as one schema node per item (30,000 terms: 36 s, 29 MB); the
    # packed vocabulary is two arrays stored beside the schema.
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        assert len(archive.read("schema.json")) < 100_000  # a plain vocabulary: 3 MB
    again = skops.io.loads(blob, trusted=list(SAFE_TYPES))
    for (_, before), (_, after) in zip(union.transformer_list, again.transformer_list):
        assert len(before.vocabulary_) > 1000 and after.vocabulary_ == before.vocabulary_
        assert "packed_vocabulary_" not in vars(before)
    assert (again.transform(texts[:5]) != union.transform(texts[:5])).nnz == 0
    assert (
        pickle.loads(pickle.dumps(union)).transformer_list[0][1].vocabulary_
        == union.transformer_list[0][1].vocabulary_
    )


def test_unfitted_vectorizer_round_trips():
    vectorizer = pickle.loads(pickle.dumps(TfidfVectorizer(max_features=5)))
    assert vectorizer.max_features == 5 and not hasattr(vectorizer, "vocabulary_")
