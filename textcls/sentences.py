"""Split reports into sentences, keeping each sentence's place in the text.

News scraped from Chinese portals and machine-translated into English breaks
the habits a general-purpose splitter relies on: full-width ``。；！？``,
sentences glued together without a space (``closed 300 accounts.The office``),
lists on their own lines and run-on sentences that chain clauses with
full-width commas. :func:`split_sentences` handles those with a few rules and
returns character spans, so a sentence can always be found again in the text
it came from.

Example
-------
>>> text = "Police shut 12 sites.The office warned users；reports rose。"
>>> [s.text for s in split_sentences(text)]
['Police shut 12 sites.', 'The office warned users；', 'reports rose。']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a full stop does not end the sentence.
_ABBREVIATIONS = frozenset(
    """
mr mrs ms dr prof st no nos art gen sen rep gov col lt sgt capt vs etc.al e.g i.e cf approx
jan feb mar apr jun jul aug sep sept oct nov dec fig ch vol pp dept est inc ltd co corp bros
u.s u.k u.n e.u p.r.c a.m p.m
""".split()
)
# Of those, the ones that may also close a sentence when a capital follows ("... fined
# Binance Inc. The firm paid"); "U.S." before a capital is nearly always mid-sentence
# ("U.S. officials").
_MAY_END = frozenset({"etc", "inc", "ltd", "co", "corp", "a.m", "p.m"})

# A candidate end: terminal punctuation, then any closing quotes or brackets.
_END = re.compile(r"(?:[.!?]+|[。！？；]+)[\"'”’»)\]）】」』]*")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_FULL_WIDTH_END = set("。！？；")
# "1." or "(a)." opening a list item is a marker, not a sentence.
_LIST_MARKER = re.compile(r"\(?(?:\d{1,3}|[a-zA-Z]|[ivx]{1,4})\)?")
# Long run-ons are cut at a full-width comma or an ASCII semicolon, never mid-clause.
_RUN_ON_WORDS = 80
_RUN_ON_CUT = re.compile(r"[，;]\s*")


@dataclass(frozen=True)
class Sentence:
    """A sentence and its character span ``text[start:end]`` in the text it came from."""

    start: int
    end: int
    text: str


def split_sentences(text: str, max_words: int = _RUN_ON_WORDS) -> list[Sentence]:
    """Split ``text`` into sentences with their character offsets.

    Parameters
    ----------
    text : str
        A report, raw or cleaned.
    max_words : int
        A sentence longer than this is cut further at full-width commas or
        semicolons (machine-translated run-ons chain whole clauses that way).

    Returns
    -------
    list of Sentence
        In text order, without surrounding whitespace; ``text[s.start:s.end] == s.text``.

    Examples
    --------
    >>> text = "Mr. Li said 1.2 million posts were removed. No one was held."
    >>> [s.text for s in split_sentences(text)]
    ['Mr. Li said 1.2 million posts were removed.', 'No one was held.']
    >>> split_sentences("  ")
    []
    """
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        start = block_start
        for match in _END.finditer(text, block_start, block_end):
            if _ends_sentence(text, match, block_end) and not _LIST_MARKER.fullmatch(
                text[start : match.start()].strip()
            ):
                spans.append((start, match.end()))
                start = match.end()
        spans.append((start, block_end))
    sentences = []
    for start, end in spans:
        for piece_start, piece_end in _cut_run_on(text, start, end, max_words):
            sentence = _strip(text, piece_start, piece_end)
            if sentence is not None:
                sentences.append(sentence)
    return sentences


def _blocks(text: str) -> list[tuple[int, int]]:
    """Spans between line breaks: a line is never part of the next one's sentence."""
    blocks, start = [], 0
    for match in _LINE_BREAK.finditer(text):
        blocks.append((start, match.start()))
        start = match.end()
    blocks.append((start, len(text)))
    return [(s, e) for s, e in blocks if e > s]


def _ends_sentence(text: str, match: re.Match, limit: int) -> bool:
    after = match.end()
    if after >= limit:
        return True
    punctuation = match.group()
    if punctuation[0] in _FULL_WIDTH_END:
        return True
    following = text[after]
    if punctuation[0] == "." and len(punctuation.rstrip("\"'”’»)]）】」』")) == 1:
        before = match.start()
        if before and text[before - 1].isdigit() and following.isdigit():
            return False  # a decimal: 1.2 million
        word = _word_before(text, before)
        if word in _ABBREVIATIONS and (word not in _MAY_END or not _capital_follows(text, after)):
            return False
        if len(word) == 1 and word.isalpha():
            return False  # an initial: J. Smith
    if following.isspace():
        return _capital_follows(text, after) or _next_char(text, after) in "\"“'‘([（【0123456789"
    # No space after the stop: only a capitalised word makes it a boundary ("sites.The"),
    # which leaves web addresses (xinhua.net) and decimals alone.
    return following.isupper() and after + 1 < limit and text[after + 1].islower()


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    return text[start:end].lower().strip(".")


def _next_char(text: str, position: int) -> str:
    while position < len(text) and text[position].isspace():
        position += 1
    return text[position] if position < len(text) else ""


def _capital_follows(text: str, position: int) -> bool:
    following = _next_char(text, position)
    return following.isupper() or ("\u4e00" <= following <= "\u9fff")


def _cut_run_on(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    if len(text[start:end].split()) <= max_words:
        return [(start, end)]
    pieces, piece_start = [], start
    for match in _RUN_ON_CUT.finditer(text, start, end):
        if len(text[piece_start : match.end()].split()) >= max_words // 4:
            pieces.append((piece_start, match.end()))
            piece_start = match.end()
    pieces.append((piece_start, end))
    return pieces


def _strip(text: str, start: int, end: int) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not any(ch.isalnum() for ch in text[start:end]):
        return None
    return Sentence(start, end, text[start:end])
