"""The patterns of page furniture: what :mod:`textcls.cleaning` removes.

Every rule matches the junk *span* only, never the rest of its line, so a
scrape that glues furniture to a sentence keeps the sentence. Rules come in
three strengths:

* **anywhere**: spans that cannot be prose (``[Editor: Li]``, ``Comments (3)``,
  ``Share to: WeChat Weibo``, ``Copyright © 2024 ...``, ``All rights reserved``);
* **at a sentence start** (line start, after ``. ``, after removed junk): credits
  and notices that end at a full stop or the line's end (``Source: Xinhua.``,
  ``Responsible editor: Chen Ze``, ``Special statement: ...``);
* **closing a line**: comment-form words (``Submit``, ``Your name:``) that are
  junk only when nothing but other form words follows them.

A removed span becomes :data:`GAP` so that later passes see where junk was.
Link blocks ("Related News" and the headlines under it) span lines and are
handled by :class:`LinkBlocks`.

Example
-------
>>> FURNITURE.sub(GAP, "Source: Xinhua. Police closed 12 sites.").replace(GAP, "|")
'| Police closed 12 sites.'
"""

from __future__ import annotations

import re

GAP = "\x00"

_FLAGS = re.IGNORECASE | re.MULTILINE | re.VERBOSE
# A sentence start: the line's start, after a sentence's end, or after removed junk.
_START = (
    r"(?:^|(?<=[.!?。！？][ ])|(?<=[.!?][\"'”’)][ ])|(?<=[。！？；])|(?<=\x00)"
    r"|(?<=\x00[ ]))"
)
# A span's end: a full stop, the line's end, removed junk, or the next credit.
_MARKER = (
    r"(?:(?:responsible\s+)?editors?(?:\s+in\s+charge)?|edit|source|责任编辑|编辑|来源)"
    r"\s*[:：]"
)
_END = (
    r"(?:(?<!\bco)(?<!\bltd)(?<!\binc)(?<!\bcorp)[.](?=[ \x00]|$)|[。！]|[ ]?(?=\x00|$)"
    rf"|(?=[ ]{_MARKER}))"
)
# A word of a name: no spaces, no sentence end (dots inside 'xinhuanet.com' are fine).
_WORD = r"(?:[^\s.!?。！？:：\x00\[\]【】()（）]|[.!?](?=[^\s\x00]))+"
_NAME = rf"{_WORD}(?:[ ]{_WORD}){{0,7}}"
_SHORT_NAME = rf"{_WORD}(?:[ ]{_WORD}){{0,3}}"
# A Chinese name ends where the Chinese ends, even if an English sentence follows.
_CJK_NAME = r"[\u3400-\u9fff\uf900-\ufaff]{1,20}(?:[。]|[ ]?(?=[ \x00]|$))"
_YEARS = r"\d{4}(?:[ ]?[-–—][ ]?\d{4})?,?"
_HOLDER = (
    r"(?:\b(?:co|ltd|inc|corp|pte)\.|[^.!?。\n\x00]|[.!?](?=[^\s\x00])){0,80}?"
    r"(?:(?<!\bco)(?<!\bltd)(?<!\binc)(?<!\bcorp)[.](?=[ \x00]|$)|[。]|[ ]?(?=\x00|$)"
    r"|(?=[ ]?(?:all\s+rights\s+reserved|reproduction|版权所有)))"
)
_PLATFORM = (
    r"(?:wechat(?:\s+moments)?|weibo|qq(?:[ ]?(?:space|zone|空间))?|twitter|x|facebook|"
    r"linkedin|e-?mail|douban|whatsapp|telegram|reddit|line|微信|朋友圈|微博)"
)
# Comment-form words: junk when they run to the end of a line.
_FORM_WORD = r"""(?:
    comments?[ ]?[(（]\d+[)）]
  | (?:leave|post|write|add)[ ](?:a[ ])?(?:comment|reply)s?
  | log[ ]?in[ ]to[ ](?:comment|reply)
  | submit(?:[ ]comment)?
  | (?:your[ ])?(?:name|e-?mail|nickname|comment|verification[ ]code)[ ]?[:：]
  | your[ ]email[ ]address[ ]will[ ]not[ ]be[ ]published\.?
  | required[ ]fields[ ]are[ ]marked[ ]?\*?
  | comments?[ ]are[ ]closed\.?
  | 发表评论 | 我要评论 | 评论[（(]\d+[)）]
)"""

FURNITURE = re.compile(
    rf"""
  # Every span starts with one of these (a new rule may have to extend them); checking
  # this first makes the scan three times faster.
  (?=[\[【(（©版未禁分扫来稿责编发我评]|\b[acdeflnprstvwy])
  (?:
  # ---- anywhere ----
    [\[【(（][ ]?(?:(?:responsible[ ])?editors?(?:[ ]in[ ]charge)?|edit(?:ed[ ]by)?|source
                   |责任编辑|编辑|来源)[ ]?[:：][^\]】)）\n\x00]{{0,40}}[\]】)）]
  | (?:copyright[ ]?(?:©|\(c\))[ ]?(?:{_YEARS})?|©[ ]?{_YEARS})[ ]?{_HOLDER}
  | all[ ]rights[ ]reserved[.。]?
  | reproduction[ ]without[ ]permission[ ]is[ ](?:strictly[ ])?(?:prohibited|forbidden)[.。]?
  | 版权所有[^。\n\x00]{{0,30}}[。]?
  | 未经(?:许可|授权)[，,]?(?:不得|禁止|严禁)转载[。]? | 禁止转载[。]?
  | share[ ](?:to|on|this)[ ]?[:：][ ]?(?:{_PLATFORM}[ ,/|、]*){{1,8}}
  | 分享到[:：]?[ ]?(?:{_PLATFORM}[ ,/|、]*){{0,8}}
  | comments?[ ]?[(（]\d+[)）]
  | scan[ ](?:the[ ])?qr[ ]?code(?:[ ](?:to|and)[ ](?:follow|download|subscribe|read|share|join)
      (?:[ ](?:us|the[ ](?:official[ ])?(?:account|app|channel)|our[ ]\w+(?:[ ]account)?))?)?
      (?:[ ]on[ ](?:wechat|weibo))?[.!。]?
  | (?:扫一扫|扫码|扫描二维码)[，,]?[ ]?(?:关注(?:我们|公众号)?|分享(?:到(?:微信|朋友圈|微博))?
      |下载(?:客户端|APP)?)?[。]?
  # ---- at a sentence start ----
  | {_START}(?:
        (?:©|(?:copyright|\(c\))[ ]?{_YEARS})[ ]?{_HOLDER}
      | (?:source|来源|稿源)[ ]?[:：][ ]?(?:{_CJK_NAME}|{_NAME}{_END})
      | (?:(?:responsible[ ])?editors?(?:[ ]in[ ]charge)?|edit|责任编辑|编辑)[ ]?[:：][ ]?
        (?:{_CJK_NAME}|{_SHORT_NAME}{_END})
      | netizen[ ]comments?[ ](?:are|is)[ ]for[ ]reference[ ]only[^.!?。\n\x00]{{0,80}}{_END}
      | (?:the[ ])?comments?[ ](?:below[ ])?(?:only[ ])?represent[ ](?:the[ ])?(?:personal[ ])?
        (?:views?|opinions?)\b[^.!?。\n\x00]{{0,80}}{_END}
      | click[ ](?:here[ ])?to[ ](?:enter|view|read|follow|download|subscribe)[^.!?。\n\x00]{{0,60}}
        {_END}
      | (?:special[ ]statement|disclaimer)[ ]?[:：][^\n\x00]{{0,400}}?this[ ](?:web)?site
        [^\n\x00]{{0,300}}?{_END}
      | for[ ]copyright[ ](?:issues|matters)[^.!?。\n\x00]{{0,120}}{_END}
      | without[ ]permission,?[ ](?:no[ ]|reproduction)[^.!?。\n\x00]{{0,80}}{_END}
      | (?:leave|post|write|add)[ ](?:a[ ])?(?:comment|reply)s?(?=[ ]?(?:\x00|$|{_FORM_WORD}))
      | log[ ]?in[ ]to[ ](?:comment|reply)(?=[ ]?(?:\x00|$|{_FORM_WORD}))
  # ---- closing a line ----
      | (?:{_FORM_WORD}[ \x00]*)+$
      | share[ ](?:to|this|on)\b[^.!?。\n\x00]{{0,60}}$
    )
  )
""",
    _FLAGS,
)

# A heading that opens a block of links; the short lines after it go with it.
HEADING = re.compile(
    r"(?=[\[【相推延热]|\b[rfmhy])(?:^|(?<=[.!?。！？][ ]))"
    r"(?P<heading>[\[【]?[ ]?(?P<words>recommended[ ](?:reading|for[ ]you"
    r"|articles?|news)|related[ ](?:news|articles?|reading|reports?|links?|stories)"
    r"|further[ ]reading|more[ ]news|hot[ ](?:news|articles?)|you[ ]may[ ]also[ ]like"
    r"|read[ ]more|相关(?:新闻|阅读|报道|文章)|推荐阅读|延伸阅读|热门(?:新闻|文章))\b[ ]?"
    r"(?P<close>[\]】])?(?P<colon>[ ]?[:：])?)[ ]?",
    re.IGNORECASE | re.MULTILINE,
)
# Words every heading contains; a text without them skips the line-by-line pass.
_HEADING_HINTS = (
    "recommended",
    "related",
    "further reading",
    "more news",
    "hot ",
    "also like",
    "read more",
    "相关",
    "推荐阅读",
    "延伸阅读",
    "热门",
)
_SENTENCE_END = re.compile(r"[.!?。！？](?:\s|$)")
_HEADLINE_MAX_WORDS = 16


def has_link_heading(text: str) -> bool:
    """Whether ``text`` may hold a link-block heading (a quick test on words)."""
    lowered = text.lower()
    return any(hint in lowered for hint in _HEADING_HINTS) and HEADING.search(text) is not None


class LinkBlocks:
    """Drop "Related News" headings and the headlines under them, line by line.

    Called by ``re.sub`` with a pattern that matches one line at a time
    (newline included); returns what is left of the line. A heading is
    junk when a colon or bracket marks it, or when it is capitalised as a
    heading and only headlines follow it; inside a block, short lines without
    a closing full stop are headlines, and the first other line ends the block.
    """

    def __init__(self) -> None:
        self.inside = False

    def __call__(self, match: re.Match) -> str:
        line = match.group()
        body = line.rstrip("\n")
        for heading in HEADING.finditer(body):
            rest = body[heading.end() :]
            marked = bool(heading.group("close") or heading.group("colon")) or not rest
            titled = all(
                w[:1].isupper() or not w[:1].isascii() for w in heading.group("words").split()
            )
            if not _SENTENCE_END.search(rest) and (marked or titled):
                self.inside = True
                return (
                    ""
                    if heading.start() == 0
                    else body[: heading.start()].rstrip(" ") + line[len(body) :]
                )
            if marked and heading.start() == 0:
                self.inside = False
                return line[heading.end() :]
        if self.inside:
            if not body or (len(body.split()) <= _HEADLINE_MAX_WORDS and not body.endswith(".")):
                return ""
            self.inside = False
        return line
