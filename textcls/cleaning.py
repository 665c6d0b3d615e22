"""Remove the junk that scraped and machine-translated news carries.

Scraped reports arrive with HTML residue (often with spaces inside the tags,
``< Br > < div class = "height" > < / div >``), HTML entities, comment forms,
copyright notices, share buttons, editor credits and "Recommended Reading"
blocks. :func:`clean` removes those and normalises whitespace and quotes while
keeping every sentence of the report itself.

Example
-------
>>> clean('Accounts closed< Br > < div class = "height" > < / div >in May.')
'Accounts closed in May.'
"""
from __future__ import annotations

import html
import re

# A tag as scrapers mangle it: '<br>', '< Br >', '< / div >', '< div class = "height" >'.
_TAG = re.compile(
    r"<\s*/?\s*(?:br|p|div|span|a|b|i|em|strong|img|font|section|article|h[1-6]|ul|ol|li|"
    r"table|tr|td|tbody|iframe|script|style|center|u|sup|sub|hr|blockquote)\b[^<>]*?/?\s*>",
    re.IGNORECASE,
)
# Entities, including ones whose '&' or ';' a translator spaced out.
_SPACED_ENTITY = re.compile(r"&\s*(nbsp|amp|quot|lt|gt|apos|#\d+|#x[0-9a-f]+)\s*;", re.IGNORECASE)

# Whole lines that are page furniture rather than report content.
_BOILERPLATE_LINE = re.compile(
    r"""^\s*[\[(（【]?\s*(?:
        (?:responsible\s+)?editor(?:\s+in\s+charge)?\s*[:：].{0,40}
      | source\s*[:：].{0,60}
      | share\s+(?:to|this|on)\b.{0,60}
      | scan\s+the\s+qr\s+code.{0,80}
      | comments?\s*\(\d+\)
      | (?:leave|post|write|add)\s+(?:a\s+)?comments?.{0,30}
      | log\s*in\s+to\s+comment.{0,30}
      | (?:your\s+)?(?:name|e-?mail|nickname|comment|verification\s+code)\s*[:：]\s*
      | submit(?:\s+comment)?
      | netizen\s+comments?\s+(?:are|is)\s+for\s+reference\s+only.{0,60}
      | (?:the\s+)?comments?\s+(?:below\s+)?(?:only\s+)?represent.{0,80}
      | click\s+(?:here\s+)?to\s+(?:enter|view|read|follow).{0,60}
      | (?:copyright|\(c\)|©).{0,120}
      | all\s+rights\s+reserved.{0,120}
      | reproduction\s+without\s+permission.{0,80}
      | without\s+permission,?\s+(?:no|reproduction).{0,80}
    )\s*[\])）】]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A heading that opens a block of links; the short lines after it go with it.
_LINK_BLOCK_HEADING = re.compile(
    r"^\s*[\[【]?\s*(?:recommended\s+(?:reading|for\s+you|articles?|news)|related\s+"
    r"(?:news|articles?|reading|reports?|links?|stories)|further\s+reading|more\s+news|"
    r"hot\s+(?:news|articles?)|you\s+may\s+also\s+like|read\s+more)\s*[\]】]?\s*[:：]?\s*",
    re.IGNORECASE,
)
# Inline credits and copyright glued to a sentence rather than on a line of their own.
_INLINE_JUNK = re.compile(
    r"(?:copyright\s*©?|©)\s*(?:\d{4}\s*[-–]?\s*)*[^.\n]{0,80}?all\s+rights\s+reserved\.?"
    r"|reproduction\s+without\s+permission\s+is\s+(?:prohibited|forbidden)\.?"
    r"|[\[【(（]\s*(?:responsible\s+)?editor\s*[:：][^\]】)）]{0,40}[\]】)）]",
    re.IGNORECASE,
)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "「": '"', "」": '"',
                         "‘": "'", "’": "'", "‚": "'", "‛": "'",
                         "\u00a0": " ", "\u3000": " ", "\u200b": ""})
_HEADLINE_MAX_WORDS = 16


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
    if not text:
        return ""
    text = _SPACED_ENTITY.sub(lambda m: f"&{m.group(1)};", text)
    text = html.unescape(text)
    text = _TAG.sub(" ", text)
    text = text.translate(_QUOTES)
    text = _INLINE_JUNK.sub(" ", text)
    paragraphs: list[str] = []
    current: list[str] = []
    in_link_block = False
    for raw_line in text.splitlines():
        line = " ".join(raw_line.split())
        heading = _LINK_BLOCK_HEADING.match(line)
        if heading:
            in_link_block = True
            line = line[heading.end():].strip()
            if not line or len(line.split()) <= _HEADLINE_MAX_WORDS:
                continue
            in_link_block = False  # a long line after the heading is content again
        if in_link_block:
            # Headlines of the link block are short and carry no full stop at the end.
            if not line or (len(line.split()) <= _HEADLINE_MAX_WORDS and not line.endswith(".")):
                continue
            in_link_block = False
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if _BOILERPLATE_LINE.match(line):
            continue
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    cleaned = "\n\n".join(_tidy(p) for p in paragraphs)
    return cleaned.strip()


def _tidy(paragraph: str) -> str:
    paragraph = re.sub(r"\s+([,.;:!?%)\]])", r"\1", paragraph)
    paragraph = re.sub(r"([(\[])\s+", r"\1", paragraph)
    return " ".join(paragraph.split())


def junk_share(raw: str, cleaned: str | None = None) -> float:
    """Fraction of characters of ``raw`` (ignoring whitespace) that :func:`clean` removed."""
    cleaned = clean(raw) if cleaned is None else cleaned
    size = len("".join(raw.split()))
    if not size:
        return 0.0
    return max(0.0, 1.0 - len("".join(cleaned.split())) / size)
