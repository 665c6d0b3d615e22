"""Point from a prediction back into the text a user gave.

Models read the cleaned text, but a user needs places in the text they
supplied: the sentence that says "summoned", the span that says "12,000
accounts". :class:`Located` keeps a cleaned text together with the raw index of
each of its characters (from :func:`~textcls.cleaning.clean_with_offsets`), and
the helpers here turn cleaned spans into raw offsets.

Example
-------
>>> from textcls.cleaning import clean_with_offsets
>>> raw = "Source: Xinhua. Police closed 12 gambling sites."
>>> doc = Located(raw, *clean_with_offsets(raw))
>>> start, end = raw_span(doc, 0, 6)
>>> raw[start:end]
'Police'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .figures import extract_figures
from .sentences import Sentence


@dataclass(frozen=True)
class Located:
    """A cleaned text, the raw text it came from, and where each cleaned character was.

    ``where`` is ``None`` when the text was not cleaned (it is its own raw text).
    """

    raw: str
    text: str
    where: Sequence[int] | None


def raw_span(doc: Located, start: int, end: int) -> tuple[int, int]:
    """Raw offsets of the cleaned span ``doc.text[start:end]`` (``end > start``)."""
    if doc.where is None:
        return start, end
    return int(doc.where[start]), int(doc.where[end - 1]) + 1


def best_evidence(
    doc: Located, sentences: Sequence[Sentence], scores: np.ndarray, actions: Sequence[str]
) -> dict[str, dict]:
    """For each action (a column of ``scores``), its best-scoring sentence.

    Returns
    -------
    dict
        ``action -> {"sentence", "start", "end", "score"}``; ``sentence`` is the
        cleaned sentence, ``start``/``end`` its offsets in ``doc.raw``. An
        action is left out when the text has no sentence.
    """
    evidence: dict[str, dict] = {}
    if not len(sentences):
        return evidence
    for j, action in enumerate(actions):
        best = int(np.argmax(scores[:, j]))
        sentence = sentences[best]
        start, end = raw_span(doc, sentence.start, sentence.end)
        evidence[action] = {
            "sentence": sentence.text,
            "start": start,
            "end": end,
            "score": round(float(scores[best, j]), 4),
        }
    return evidence


def located_figures(doc: Located) -> list[dict]:
    """The figures of ``doc`` as dicts, with offsets in ``doc.raw`` and the cleaned span as text."""
    figures = []
    for figure in extract_figures(doc.text):
        item = figure.to_dict()
        item["start"], item["end"] = raw_span(doc, figure.start, figure.end)
        figures.append(item)
    return figures
