"""Find the enforcement figures a report gives: "closed 12,000 accounts", "fined 1.2 million yuan".

Analysts count what was done, so a report's numbers matter as much as its
labels. :func:`extract_figures` finds every count or amount in one of a fixed
list of units (:data:`UNITS`), normalises its value (``1.2 million`` and the
machine-translated ``1.7 ten thousand`` or ``1.2万`` alike), and ties it to the
enforcement action its sentence says was taken on it.

Rules, not a general-purpose quantity parser: libraries such as quantulum3
know physical units (metres, kilograms) but not "pieces of harmful information",
"1.7 ten thousand" or which verb a count belongs to, and they would add a large
dependency for the two patterns they share with these rules (digits with
separators, "million"). The choices are listed in the README.

Example
-------
>>> [(f.value, f.unit, f.action) for f in extract_figures("Weibo closed 12,000 accounts.")]
[(12000.0, 'accounts', 'account_action')]
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .sentences import split_sentences

#: Units a figure can have, each with the nouns that name it (singular stems are matched
#: with an optional plural ending).
UNITS: dict[str, tuple[str, ...]] = {
    "accounts": ("account", "live room", "live-streaming room", "username", "handle"),
    "posts": (
        "post",
        "piece",
        "item",
        "information",
        "message",
        "article",
        "comment",
        "listing",
        "entry",
        "entries",
        "hot-search topic",
        "hot search",
        "topic",
        "link",
        "rumor",
        "rumour",
        "tweet",
        "microblog",
        "content",
    ),
    "videos": (
        "video",
        "short video",
        "live stream",
        "livestream",
        "programme",
        "program",
        "episode",
    ),
    "websites": ("website", "web site", "site", "web page", "webpage", "domain", "url"),
    "apps": (
        "app",
        "application",
        "mini program",
        "mini-program",
        "applet",
        "software",
        "plug-in",
        "plugin",
    ),
    "platforms": ("platform", "exchange"),
    "groups": (
        "chat group",
        "group chat",
        "qq group",
        "wechat group",
        "telegram group",
        "telegram channel",
        "channel",
        "forum",
    ),
    "people": (
        "people",
        "person",
        "persons",
        "suspect",
        "individual",
        "netizen",
        "member",
        "streamer",
        "anchor",
        "influencer",
        "victim",
        "student",
        "official",
        "celebrity",
        "celebrities",
        "user",
        "resident",
        "citizen",
        "employee",
        "worker",
        "blogger",
        "minor",
        "child",
        "children",
        "men",
        "women",
        "man",
        "woman",
        "defendant",
        "fugitive",
        "player",
        "gambler",
        "buyer",
        "host",
        "lender",
        "investor",
        "executive",
        "manager",
        "ringleader",
        "customer",
        "participant",
        "criminal",
        "offender",
        "others",
    ),
    "cases": ("case", "incident"),
    "gangs": (
        "gang",
        "criminal group",
        "criminal ring",
        "ring",
        "syndicate",
        "den",
        "compound",
        "criminal organisation",
        "criminal organization",
    ),
    "companies": (
        "company",
        "companies",
        "firm",
        "enterprise",
        "agency",
        "agencies",
        "institution",
        "organisation",
        "organization",
        "shop",
        "merchant",
        "store",
        "mcn",
        "business",
    ),
    "cards": ("card", "sim card", "phone card", "bank card"),
    "yuan": ("yuan", "rmb", "renminbi", "元"),
    "usd": ("us dollar", "dollar", "usd"),
    "eur": ("euro", "eur"),
    "gbp": ("pound", "gbp"),
    "krw": ("won",),
    "inr": ("rupee",),
}
CURRENCIES = ("yuan", "usd", "eur", "gbp", "krw", "inr")
_CURRENCY_SIGNS = {
    "$": "usd",
    "us$": "usd",
    "usd": "usd",
    "¥": "yuan",
    "rmb": "yuan",
    "€": "eur",
    "eur": "eur",
    "£": "gbp",
    "gbp": "gbp",
    "₩": "krw",
}
#: Values above this are typos or identifiers, not figures.
MAX_VALUE = 1e15

_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
    if w != "_"
}
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "ten thousand": 1e4,
    "ten-thousand": 1e4,
    "万": 1e4,
    "lakh": 1e5,
    "million": 1e6,
    "hundred million": 1e8,
    "亿": 1e8,
    "crore": 1e7,
    "billion": 1e9,
    "trillion": 1e12,
    "m": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "k": 1e3,
}
# Vague quantities take their lower bound: "dozens of" is at least 24.
_VAGUE = {
    "a dozen": 12,
    "dozens of": 24,
    "scores of": 40,
    "hundreds of thousands of": 2e5,
    "tens of thousands of": 2e4,
    "hundreds of": 200,
    "thousands of": 2000,
    "millions of": 2e6,
}
_QUALIFIERS = {
    "more than": "more_than",
    "over": "more_than",
    "in excess of": "more_than",
    "upwards of": "more_than",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "an estimated": "about",
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "up to": "up_to",
    "as many as": "up_to",
}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUMBER = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three"
    r"|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|ten|two|three|four|five|six|seven|eight"
    r"|nine"
)
_SCALE = (
    r"(?:\s*(?:hundred million|ten[- ]thousand|hundred|thousand|million|billion|trillion"
    r"|lakh|crore)\b|\s*[万亿]|(?:mn|bn|m|k)\b)"
)
_NUMBER = rf"(?:{_DIGITS}|(?<![\w-])(?:{_WORD_NUMBER})(?![\w-])(?:\s+(?:hundred|thousand)\b)?)"
_QUALIFIER = "|".join(sorted(map(re.escape, _QUALIFIERS), key=len, reverse=True))
_VAGUE_PATTERN = "|".join(sorted(map(re.escape, _VAGUE), key=len, reverse=True))
_SIGN = r"(?:US\$|\$|¥|€|£|₩|RMB\s?|USD\s?|EUR\s?|GBP\s?)"

_QUANTITY = re.compile(
    rf"(?:(?P<qualifier>{_QUALIFIER})\s+)?"
    rf"(?:(?P<vague>(?<![\w-])(?:{_VAGUE_PATTERN}))"
    rf"|(?P<sign>{_SIGN})?(?P<number>{_NUMBER})(?P<scale>{_SCALE})?"
    rf"(?:\s*(?:to|-|–|and)\s*(?P<sign2>{_SIGN})?(?P<upper>{_NUMBER})(?P<scale2>{_SCALE})?)?)",
    re.IGNORECASE,
)

_NOUNS = sorted(
    ((noun, unit) for unit, nouns in UNITS.items() for noun in nouns),
    key=lambda pair: -len(pair[0]),
)
_NOUN = re.compile(
    r"(?P<noun>"
    + "|".join(
        re.escape(n) + (r"(?:s|es)?" if n[-1].isalpha() and n.isascii() else "") for n, _ in _NOUNS
    )
    + r")(?![\w-])",
    re.IGNORECASE,
)
_UNIT_OF = {noun.lower(): unit for noun, unit in _NOUNS}
# Words that may stand between a number and its noun: "12,000 illegal user accounts",
# "51,000 pieces of harmful information". A word outside the noun list that names
# another measure (days, fans, provinces) ends the search.
_FILLER = re.compile(r"\s*(?:[A-Za-z][\w'-]*|[\"“”'‘’]+)", re.IGNORECASE)
_BLOCKERS = frozenset(
    """
the a an in on at by for with from to and or were was is are be been being have has had that
which who whom than per each this these those their its his her our your my what when where
while after before during since until into about over under between among year years month
months day days week weeks hour hours minute minutes time times percent per cent fans
followers views clicks likes subscribers visits province provinces city cities county
counties district districts department departments region regions country countries
kilometres kilometers km tonnes tons yesterday today age aged old
""".split()
)
_MAX_FILLERS = 4
_CHAINS_TO = {"piece", "pieces", "item", "items"}  # "pieces of <noun>": the later noun decides

# Verbs that tie a figure to an action, and which units each action can count.
_CUES = {
    "account_action": r"clos|ban|suspend|mut(?:e|ed|ing)\b|block|shut|deactivat|restrict|"
    r"dealt with|deal with|handl|dispos|cancel|seal|punish|remov",
    "content_removal": r"delet|remov|clear|clean|took down|taken down|take down|block|purg|"
    r"scrub|intercept|dispos|handl|dealt with",
    "platform_action": r"shut|clos|offline|off the shelves|delist|block|rectif|fine|penal|"
    r"dealt with|handl|ban|remov|revok|suspend|punish|investigat|seal",
    "summons": r"summon|interview|talks|yuetan|called in|met with|meeting with",
    "criminal_enforcement": r"arrest|detain|caught|captur|prosecut|sentenc|crack|solv|"
    r"investigat|fine|punish|seiz|bust|apprehend|filed|convict|jail|"
    r"imprison|confiscat|raid|recover|charg|round|nabbed|held",
    "public_guidance": r"warn|remind|educat|dissuad|debunk|publicis|publiciz|persuad|"
    r"call(?:ed)? on|hotline|tip-off|reported by",
}
_CUE_PATTERNS = {
    action: re.compile(rf"\b(?:{cue})", re.IGNORECASE) for action, cue in _CUES.items()
}
_ACTIONS_OF_UNIT = {
    "accounts": ("account_action", "summons"),
    "groups": ("account_action",),
    "posts": ("content_removal",),
    "videos": ("content_removal",),
    "websites": ("platform_action", "summons"),
    "apps": ("platform_action", "summons"),
    "platforms": ("platform_action", "summons"),
    "companies": ("platform_action", "summons", "criminal_enforcement"),
    "people": ("criminal_enforcement", "summons", "public_guidance"),
    "cases": ("criminal_enforcement",),
    "gangs": ("criminal_enforcement",),
    "cards": ("criminal_enforcement",),
}
_COMPANY = re.compile(
    r"\b(?:compan|firm|platform|enterprise|co\.|ltd|inc\b|corp|exchange|"
    r"operator|app\b|website)",
    re.IGNORECASE,
)
_MONEY_CUE = re.compile(
    r"\b(?:fine|penal|confiscat|seiz|forfeit|recover|tax|back taxes)", re.IGNORECASE
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_FOREIGN_DOLLAR = re.compile(
    r"(?:australian|hong kong|hk|canadian|singapore|new taiwan|taiwan|"
    r"new zealand|nt)\s*$",
    re.IGNORECASE,
)
# Machine-translated Chinese puts the noun first: "fraud cases 26.2 ten-thousand".
_NOUN_BEFORE = re.compile(
    _NOUN.pattern + r"\s+(?:(?:total(?:ling|ing)?|reached|numbering|of|were|was)\s+)?$",
    re.IGNORECASE,
)
# A count of people whose noun is left out: "46 jailed", "police arrest 31 over fraud".
_PEOPLE_VERB_AFTER = re.compile(
    r"\s+(?:(?:were|was|have been|had been|are|being)\s+)?(?:arrested|detained|jailed|"
    r"sentenced|punished|charged|convicted|prosecuted|caught|nabbed|apprehended|held)\b",
    re.IGNORECASE,
)
_PEOPLE_VERB_BEFORE = re.compile(
    r"\b(?:arrest|detain|jail|sentenc|punish|charg|convict|nab|captur|apprehend|prosecut)"
    r"\w*\s+$",
    re.IGNORECASE,
)
# A bare number that counts what the previous figure counted: "All four were banned",
# "among them 218 from Taiwan", "the remaining 37 are accused".
_BACK_AFTER = re.compile(
    r"\s+(?:of them|of whom|of which|were|are|remain(?:ed)?|got|received|"
    r"admitted|have been|had been)\b",
    re.IGNORECASE,
)
_BACK_BEFORE = re.compile(
    r"(?:\ball|\bthe remaining|\bamong them|\bof whom|\bincluding)[\s，,]*$", re.IGNORECASE
)
_BARE_END = re.compile(
    r"\s*(?:$|[,.;:，。；]|(?:over|for|in|on|after|at|from|as|who|with)\b)", re.IGNORECASE
)


@dataclass(frozen=True)
class Figure:
    """One figure: ``text[start:end]`` says ``value`` (lower bound of a range) ``unit``."""

    value: float
    unit: str
    action: str | None
    start: int
    end: int
    text: str
    qualifier: str = "exact"
    upper: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def extract_figures(text: str) -> list[Figure]:
    """Every count or amount in one of :data:`UNITS` that ``text`` gives.

    Parameters
    ----------
    text : str
        A report (raw or cleaned); offsets refer to this string.

    Returns
    -------
    list of Figure
        In text order. ``value`` is normalised (``1.2万`` -> 12000.0); vague words
        take their lower bound (``dozens of`` -> 24); ranges give ``value`` and
        ``upper``; ``action`` is the action the figure's sentence says was taken
        on what it counts, or ``None``.

    Examples
    --------
    >>> [(f.value, f.unit, f.qualifier) for f in extract_figures(
    ...     "Police cracked more than 1.7 ten thousand cases and shut dozens of sites.")]
    [(17000.0, 'cases', 'more_than'), (24.0, 'websites', 'approximate')]
    """
    figures: list[Figure] = []
    for sentence in split_sentences(text, max_words=10**9):
        for match in _QUANTITY.finditer(sentence.text):
            figure = _figure(sentence.text, match, figures[-1].unit if figures else None)
            if figure is not None:
                value, upper, unit, start, end, qualifier = figure
                action = _action(sentence.text, unit, start, end)
                offset = sentence.start
                figures.append(
                    Figure(
                        value,
                        unit,
                        action,
                        offset + start,
                        offset + end,
                        text[offset + start : offset + end],
                        qualifier,
                        upper,
                    )
                )
    return figures


def _figure(sentence: str, match: re.Match, previous_unit: str | None = None):
    value: float | None
    if match.group("vague"):
        value, upper = float(_VAGUE[match.group("vague").lower()]), None
        qualifier = "approximate"
    else:
        value = _number(match.group("number"), match.group("scale"))
        upper = None
        if match.group("upper"):
            upper = _number(match.group("upper"), match.group("scale2") or match.group("scale"))
            if value is not None and match.group("scale2") and not match.group("scale"):
                value *= _scale(match.group("scale2"))
        qualifier = _QUALIFIERS.get((match.group("qualifier") or "").lower(), "exact")
        if upper is not None:
            qualifier = "range"
    if (
        value is None
        or value <= 0
        or value > MAX_VALUE
        or (upper is not None and upper > MAX_VALUE)
    ):
        return None
    end = match.end()
    sign = match.group("sign") or match.group("sign2")
    if sign:
        unit = _CURRENCY_SIGNS.get(sign.strip().lower())
        if unit is None or (match.start() and sentence[match.start() - 1].isalpha()):
            return None  # HK$, A$, NT$: dollars of other countries are not in the list
        # "$3 million in fines": the sign is the unit; a trailing "dollars" is allowed.
        trailing = _NOUN.match(sentence, end + _space(sentence, end))
        if trailing and _UNIT_OF.get(_singular(trailing.group("noun"))) == unit:
            end = trailing.end()
    else:
        found = _unit_after(sentence, end)
        before = _unit_before(sentence, match.start())
        if before is not None and (found is None or _is_classifier(sentence, found[1])):
            found = (before, found[1] if found else end)  # "cases 26.2 ten-thousand"
        if found is None and _counts_people(sentence, match.start(), end):
            found = ("people", end)  # "police arrest 31 over ...", "46 jailed"
        if found is None and previous_unit and _refers_back(sentence, match.start(), end):
            found = (previous_unit, end)  # "Of 39 defendants, five got ...": the same unit
        if found is None:
            return None
        unit, end = found
        if (
            unit in CURRENCIES
            and match.group("vague") is None
            and not match.group("scale")
            and "." not in match.group("number")
            and value < 1
        ):
            return None
    if _looks_like_year(match) and unit not in CURRENCIES:
        return None
    start = match.start()
    if match.group("qualifier") is None and not match.group("vague") and upper is None:
        qualifier = "exact"
    return value, upper, unit, start, end, qualifier


def _number(number: str, scale: str | None) -> float | None:
    words = number.lower().replace("-", " ").split()
    if words and words[0].isalpha():
        value = 0.0
        for word in words:
            if word in _SMALL:
                value += _SMALL[word]
            elif word in _TENS:
                value += _TENS[word]
            elif word in ("hundred", "thousand"):
                value = max(value, 1) * _SCALES[word]
    else:
        try:
            value = float(number.replace(",", ""))
        except ValueError:
            return None
    return value * _scale(scale) if scale else value


def _scale(scale: str) -> float:
    return _SCALES.get(" ".join(scale.lower().replace("-", " ").split()), 1.0)


def _space(text: str, position: int) -> int:
    return len(text[position:]) - len(text[position:].lstrip())


def _unit_after(sentence: str, position: int) -> tuple[str, int] | None:
    fillers = 0
    while fillers <= _MAX_FILLERS:
        noun = _NOUN.match(sentence, position + _space(sentence, position))
        if noun:
            unit = _UNIT_OF.get(_singular(noun.group("noun")))
            word = noun.group("noun").lower()
            if word in _CHAINS_TO:
                chained = re.match(r"\s+of\s+", sentence[noun.end() :])
                later = _unit_after(sentence, noun.end() + chained.end()) if chained else None
                if later is not None:
                    return later
            if unit == "usd" and _FOREIGN_DOLLAR.search(sentence[: noun.start()]):
                return None
            if unit is not None:
                # In a compound the last noun is the head: "user accounts", "app stores".
                following = _NOUN.match(sentence, noun.end() + _space(sentence, noun.end()))
                if (
                    following
                    and _space(sentence, noun.end())
                    and _UNIT_OF.get(_singular(following.group("noun"))) is not None
                ):
                    return _UNIT_OF[_singular(following.group("noun"))], following.end()
                return unit, noun.end()
        filler = _FILLER.match(sentence, position)
        if filler is None:
            return None
        word = filler.group().strip().strip("\"“”'‘’").lower()
        if word in _BLOCKERS and word not in ("of", "and", "or"):
            return None
        if word in ("and", "or") and fillers == 0:
            return None  # "12 websites and apps" is found before; "12 and" is not a count
        if word == "of" and fillers == 0:
            return None  # "3 of the accounts": a share, not a count
        position = filler.end()
        fillers += 1
    return None


def _unit_before(sentence: str, position: int) -> str | None:
    found = _NOUN_BEFORE.search(sentence[max(0, position - 60) : position])
    return _UNIT_OF.get(_singular(found.group("noun"))) if found else None


def _is_classifier(sentence: str, end: int) -> bool:
    word = re.search(r"(\w+)$", sentence[:end])
    return word is not None and word.group(1).lower() in _CHAINS_TO


def _counts_people(sentence: str, start: int, end: int) -> bool:
    return bool(_PEOPLE_VERB_AFTER.match(sentence, end)) or (
        bool(_PEOPLE_VERB_BEFORE.search(sentence[max(0, start - 30) : start]))
        and bool(_BARE_END.match(sentence, end))
    )


def _refers_back(sentence: str, start: int, end: int) -> bool:
    return bool(_BACK_AFTER.match(sentence, end) or _BACK_BEFORE.search(sentence[:start]))


def _singular(noun: str) -> str:
    noun = noun.lower()
    if noun in _UNIT_OF:
        return noun
    for ending in ("es", "s"):
        if noun.endswith(ending) and noun[: -len(ending)] in _UNIT_OF:
            return noun[: -len(ending)]
    return noun


def _looks_like_year(match: re.Match) -> bool:
    number = match.group("number") or ""
    return (
        bool(_YEAR.fullmatch(number))
        and not match.group("qualifier")
        and not match.group("scale")
        and not match.group("sign")
    )


def _action(sentence: str, unit: str, start: int, end: int) -> str | None:
    if unit in CURRENCIES:
        if not _MONEY_CUE.search(sentence):
            return None
        return "platform_action" if _COMPANY.search(sentence) else "criminal_enforcement"
    best, best_distance = None, None
    for action in _ACTIONS_OF_UNIT.get(unit, ()):
        for cue in _CUE_PATTERNS[action].finditer(sentence):
            distance = start - cue.end() if cue.end() <= start else cue.start() - end
            distance = abs(distance) + (0 if cue.end() <= start else 15)  # verbs lead
            if best_distance is None or distance < best_distance:
                best, best_distance = action, distance
    return best
