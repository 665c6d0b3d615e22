"""Topic discovery with the real embeddings, UMAP and HDBSCAN on a small corpus."""

import subprocess
import sys

import pytest
from hdbscan import HDBSCAN
from umap import UMAP

from textcls.topics import ThemeTopicModel


def _model(scheme, embedder):
    return ThemeTopicModel(
        scheme,
        embedder=embedder,
        umap_model=UMAP(
            n_neighbors=8, n_components=5, min_dist=0.0, metric="cosine", random_state=7, n_jobs=1
        ),
        hdbscan_model=HDBSCAN(min_cluster_size=5, prediction_data=True),
        random_state=7,
    )


@pytest.fixture(scope="module")
def data(small_corpus, embedder):
    documents = small_corpus.documents
    return documents, embedder.transform(documents), small_corpus.themes


@pytest.fixture(scope="module")
def fitted(data, scheme, embedder):
    documents, embeddings, themes = data
    return _model(scheme, embedder).fit(documents, embeddings, themes=themes)


def test_same_config_and_corpus_give_the_same_topics(fitted, data, scheme, embedder):
    documents, embeddings, themes = data
    again = _model(scheme, embedder).fit(documents, embeddings, themes=themes)
    assert again.topics_ == fitted.topics_
    assert again.theme_of_topic_ == fitted.theme_of_topic_


def test_every_document_gets_a_topic_a_theme_and_a_score(fitted, data, scheme):
    documents, embeddings, themes = data
    assignment = fitted.training_assignment(embeddings)
    assert len(assignment.topics) == len(documents)
    assert set(assignment.themes) <= set(scheme.themes)
    assert fitted.outliers_after_ <= fitted.outliers_before_
    scores = fitted.score(themes)
    assert scores["topics"] >= 3
    assert scores["topics_vs_gold"]["purity"] >= 0.6
    table = fitted.topic_table()
    assert sum(row["size"] for row in table) == len(documents)
    assert all(row["top_words"] for row in table if row["topic"] != -1)


def test_save_and_load_assign_new_documents_identically(fitted, data, tmp_path, embedder):
    documents, embeddings, _ = data
    before = fitted.transform(documents[:20], embeddings[:20])
    fitted.save(tmp_path / "topics")
    loaded = ThemeTopicModel.load(tmp_path / "topics", embedder=embedder)
    assert loaded.transform(documents[:20], embeddings[:20]) == before
    new = ["Police in Fujian arrested a gang that sold bank cards to telecom fraud rings."]
    assert loaded.transform(new) == fitted.transform(new)

    def words(model):
        return [(w, round(float(s), 6)) for w, s in model.topic_model_.get_topic(before.topics[0])]

    assert words(loaded) == words(fitted)


def test_unlabeled_mapping_by_keywords_puts_clear_documents_in_the_right_theme(
    data, scheme, embedder
):
    documents, embeddings, _ = data
    unlabeled = _model(scheme, embedder).fit(documents, embeddings)
    assert unlabeled.mapping_ == "label descriptions"
    clear = {
        "financial_speculation": "The central bank banned bitcoin trading and closed crypto "
        "exchanges; virtual currency speculation is illegal.",
        "rumors": "Police debunked a fabricated online rumor about an earthquake and punished "
        "the self-media account that spread the fake news.",
    }
    result = unlabeled.transform(list(clear.values()))
    assert result.themes == list(clear)


def test_embeddings_must_match_documents(fitted, data):
    documents, embeddings, _ = data
    with pytest.raises(ValueError, match="3 documents but 2 embeddings"):
        fitted.transform(documents[:3], embeddings[:2])
    assert fitted.transform([]).topics == []


def test_bertopic_imports_without_torch_or_plotly_which_still_import_later():
    script = (
        "import sys; from textcls.topics import import_bertopic; import_bertopic(); "
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers', "
        "'plotly') if m in sys.modules)); import torch; print(torch.__name__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    ).stdout.split("\n")
    assert out[:2] == ["[]", "torch"]
