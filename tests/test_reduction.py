import numpy as np
import pytest

from textcls.reduction import CachedUMAP


def test_cached_reduction_equals_a_fresh_fit_and_skips_umap(tmp_path, monkeypatch):
    data = np.random.default_rng(0).normal(size=(60, 12)).astype(np.float32)
    first = CachedUMAP(n_neighbors=8, n_components=3, random_state=1, cache_dir=str(tmp_path))
    reduced = first.fit_transform(data)
    assert reduced.shape == (60, 3) and not first.cache_hit_
    uncached = CachedUMAP(n_neighbors=8, n_components=3, random_state=1, use_cache=False)
    assert np.allclose(uncached.fit_transform(data), reduced, atol=1e-5)

    import umap

    monkeypatch.setattr(umap, "UMAP", lambda **kw: pytest.fail("UMAP ran on a warm cache"))
    second = CachedUMAP(n_neighbors=8, n_components=3, random_state=1, cache_dir=str(tmp_path))
    assert np.array_equal(second.fit_transform(data), reduced) and second.cache_hit_
    assert np.array_equal(second.transform(data), reduced)
    with pytest.raises(ValueError, match="only transforms the data it was fitted on"):
        second.transform(data[:10])


def test_other_parameters_or_data_are_not_served_from_the_cache(tmp_path):
    data = np.random.default_rng(0).normal(size=(40, 6)).astype(np.float32)
    base = CachedUMAP(n_neighbors=5, n_components=2, cache_dir=str(tmp_path)).fit(data)
    other_seed = CachedUMAP(
        n_neighbors=5, n_components=2, random_state=2, cache_dir=str(tmp_path)
    ).fit(data)
    other_data = CachedUMAP(n_neighbors=5, n_components=2, cache_dir=str(tmp_path)).fit(data + 1)
    assert not other_seed.cache_hit_ and not other_data.cache_hit_
    assert len({base.fit_key_, other_seed.fit_key_, other_data.fit_key_}) == 3
