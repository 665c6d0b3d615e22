"""Remove the junk that scraped and machine-translated news carries.

Scraped reports arrive with HTML residue (often with spaces inside the tags,
``< Br > < div class = "height" > < / div >``), HTML entities, comment forms,
copyright notices, share buttons, editor credits and "Recommended Reading"
blocks. :func:`clean` removes those and normalises whitespace and quotes while
keeping every sentence of the report itself: the rules of
:mod:`textcls.furniture` remove the junk span, never the rest of its line.
:func:`clean_with_offsets` also says where each cleaned character came from.

Example
-------
>>> clean('Accounts closed< Br > < div class = "height" > < / div >in May.')
'Accounts closed in May.'
>>> clean("Source: Xinhua. Police closed 12 gambling sites.")
'Police closed 12 gambling sites.'
"""

from __future__ import annotations

import html
import re
from typing import Callable

from .furniture import FURNITURE, GAP, LinkBlocks, has_link_heading

# A tag as scrapers mangle it: '<br>', '< Br >', '< / div >', '< div class = "height" >'.
_TAG = re.compile(
    r"<\s*/?\s*(?:br|p|div|span|a|b|i|em|strong|img|font|section|article|h[1-6]|ul|ol|li|"
    r"table|tr|td|tbody|iframe|script|style|center|u|sup|sub|hr|blockquote)\b[^<>]*?/?\s*>",
    re.IGNORECASE,
)
# Entities, including ones whose '&' or ';' a translator spaced out; the second
# alternative is the standard library's own entity pattern (html.unescape).
_ENTITY = re.compile(
    r"&\s*(nbsp|amp|quot|lt|gt|apos|#\d+|#x[0-9a-f]+)\s*;"
    r"|&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)",
    re.IGNORECASE,
)
_INVISIBLE = re.compile(r"[\u200b\x00]")
# One character for one character, so offsets survive the translation.
_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "「": '"',
        "」": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
    }
)
_LINE_BREAK = re.compile(r"\r\n|[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Spaces at a line's edge go, other runs become one space (a lone space is left alone).
_SPACES = re.compile(r"(?=[^\S\n])(?:^[^\S\n]+|[^\S\n]+$|[^\S\n]{2,}|[^\S\n ])", re.MULTILINE)
_EMPTIED_LINE = re.compile(r"^[ \x00]*\x00[ \x00]*(?:\n|\Z)", re.MULTILINE)
_ONE_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_BREAKS = re.compile(r"\n+")
_SPACE_BEFORE = re.compile(r" +([,.;:!?%)\]])")
_SPACE_AFTER = re.compile(r"([(\[]) +")
_MAX_PASSES = 8


class _Text:
    """A text being cleaned and, when tracked, the raw index of each of its characters."""

    __slots__ = ("text", "where")

    def __init__(self, text: str, track: bool) -> None:
        self.text = text
        self.where: list[int] | None = list(range(len(text))) if track else None

    def sub(self, pattern: re.Pattern, replace: str | Callable[[re.Match], str]) -> int:
        """``pattern.subn`` that carries the offsets along; returns the number of matches."""
        if self.where is None:
            self.text, count = pattern.subn(replace, self.text)
            return count
        text, where = self.text, self.where
        parts: list[str] = []
        positions: list[int] = []
        last = count = 0
        for match in pattern.finditer(text):
            start, end = match.span()
            new = replace(match) if callable(replace) else match.expand(replace)
            parts.append(text[last:start])
            positions.extend(where[last:start])
            before = positions[-1] if positions else (where[start] if start < len(where) else 0)
            parts.append(new)
            positions.extend(_align(match.group(), new, where[start:end], before))
            last, count = end, count + 1
        if count:
            parts.append(text[last:])
            positions.extend(where[last:])
            self.text, self.where = "".join(parts), positions
        return count

    def translate(self, table: dict) -> None:
        self.text = self.text.translate(table)

    def strip(self) -> None:
        start = len(self.text) - len(self.text.lstrip())
        end = len(self.text.rstrip())
        self.text = self.text[start:end]
        if self.where is not None:
            self.where = self.where[start:end]


def _align(old: str, new: str, old_where: list[int], before: int) -> list[int]:
    """Raw indices for a replacement: a kept head and tail keep theirs; an inserted
    character takes the replaced span's start, an inserted space the index before it."""
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    mapped = old_where[:head]
    last = mapped[-1] if mapped else before
    anchor = old_where[head] if head < len(old_where) else last
    for char in new[head : len(new) - tail]:
        if not char.isspace():
            last = max(last, anchor)
        mapped.append(last)
    mapped.extend(old_where[len(old) - tail :] if tail else [])
    return mapped


def _entity(match: re.Match) -> str:
    spaced = match.group(1)
    return html.unescape(f"&{spaced};" if spaced else match.group())


def _space(match: re.Match) -> str:
    start, end, text = match.start(), match.end(), match.string
    at_edge = start == 0 or end == len(text) or text[start - 1] == "\n" or text[end] == "\n"
    return "" if at_edge else " "


def _paragraph_break(match: re.Match) -> str:
    return "\n\n" if len(match.group()) > 1 else " "


def _clean(text: str, track: bool) -> _Text:
    doc = _Text(text or "", track)
    doc.sub(_INVISIBLE, "")
    doc.sub(_ENTITY, _entity)
    doc.sub(_TAG, " ")
    doc.sub(_INVISIBLE, "")  # an entity can decode to one
    doc.translate(_QUOTES)
    doc.sub(_LINE_BREAK, "\n")
    doc.sub(_SPACES, _space)
    # Each pass can bring the next piece of junk to a sentence start.
    passes = 0
    while passes < _MAX_PASSES and doc.sub(FURNITURE, GAP):
        passes += 1
    if passes:
        doc.sub(_EMPTIED_LINE, "")
        doc.sub(_INVISIBLE, " ")
        doc.sub(_SPACES, _space)
    if has_link_heading(doc.text):
        doc.sub(_ONE_LINE, LinkBlocks())
    doc.sub(_BREAKS, _paragraph_break)
    doc.sub(_SPACE_BEFORE, r"\1")
    doc.sub(_SPACE_AFTER, r"\1")
    doc.strip()
    return doc


def clean(text: str) -> str:
    """Return ``text`` without HTML residue and page boilerplate.

    Parameters
    ----------
    text : str
        A report as scraped, possibly with tags, entities and page furniture.

    Returns
    -------
    str
        Paragraphs separated by one blank line, whitespace collapsed, curly
        quotes made straight. Content sentences are kept verbatim.

    Examples
    --------
    >>> clean("Police arrested 12 people.&nbsp;\\nComments (0)\\nSubmit")
    'Police arrested 12 people.'
    """
    return _clean(text, track=False).text


def clean_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`clean`, plus the index in ``text`` of every cleaned character.

    A character that was inserted (a space for a removed tag, a paragraph
    break) gets the index of the nearest raw character before it; a decoded
    entity gets the index of its ``&``. The indices never decrease.

    Examples
    --------
    >>> cleaned, where = clean_with_offsets("Source: Xinhua. Police &amp; courts acted.")
    >>> cleaned
    'Police & courts acted.'
    >>> where[0], where[7]
    (16, 23)
    """
    doc = _clean(text, track=True)
    return doc.text, doc.where or []


def removed_characters(raw: str, cleaned: str | None = None) -> tuple[int, int]:
    """Characters of ``raw`` (whitespace not counted) that :func:`clean` removed, and their total.

    Example
    -------
    >>> removed_characters("Source: Xinhua. Police closed 12 gambling sites.")
    (14, 42)
    """
    cleaned = clean(raw) if cleaned is None else cleaned
    size = len("".join(raw.split()))
    return max(0, size - len("".join(cleaned.split()))), size


def junk_share(raw: str, cleaned: str | None = None) -> float:
    """Fraction of characters of ``raw`` (ignoring whitespace) that :func:`clean` removed."""
    removed, size = removed_characters(raw, cleaned)
    return removed / size if size else 0.0
