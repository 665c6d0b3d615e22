import html
import itertools
import json
import random

import pytest
from conftest import REPO, SEEDS

from textcls.cleaning import clean, clean_with_offsets, junk_share

CASES = [
    json.loads(line)
    for line in (REPO / "tests" / "data" / "cleaning_cases.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
]
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


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            'Accounts were closed< Br > < div class = "height" > < / div > in May.',
            "Accounts were closed in May.",
        ),
        (
            'The office<br>ordered<p class="text">rectification</p>.',
            "The office ordered rectification.",
        ),
        (
            "Police&nbsp;arrested 12 people &amp; seized &quot;tools&quot;.",
            'Police arrested 12 people & seized "tools".',
        ),
        ("Fines were issued. & nbsp ; More followed.", "Fines were issued. More followed."),
        ("\u201cClear and Bright\u201d started.", '"Clear and Bright" started.'),
    ],
)
def test_clean_removes_inline_residue(raw, expected):
    assert clean(raw) == expected


def test_clean_removes_page_furniture_and_keeps_content():
    raw = """Cyberspace office shuts 30 gambling sites

The office said 30 sites were shut and 12 people were detained.
[Editor: Wang Li]
Share to: WeChat Weibo QQ
Copyright © 2021 Example Daily. All Rights Reserved.
Reproduction without permission is prohibited.
Recommended Reading
Stock market closes higher
Weather warning for Guangdong
Comments (0)
Leave a comment
Your name:
Post comment
Submit
Netizen comments are for reference only and do not represent the views of this site"""
    cleaned = clean(raw)
    assert cleaned == (
        "Cyberspace office shuts 30 gambling sites\n\n"
        "The office said 30 sites were shut and 12 people were detained."
    )


def test_clean_keeps_ordinary_words_that_look_like_junk():
    raw = (
        "The copyright office fined a pirate site. Users may comment on the draft rules. "
        "Related news outlets reported the source of the leak."
    )
    assert clean(raw) == raw


def test_clean_is_idempotent_so_cache_keys_stay_stable(corpus):
    for report in list(corpus)[:200]:
        once = report.document
        assert clean(once) == once


def test_junk_share_is_zero_for_clean_text():
    assert junk_share("Police arrested ten people.") == 0.0
    assert junk_share("Police arrested ten people.< Br > &nbsp; Comments (0)") > 0.15


@pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds not present")
def test_clean_strips_the_junk_in_real_seed_reports():
    raw = (SEEDS / "000_51e53627303f02b4.txt").read_text(encoding="utf-8")
    assert "< Br >" in raw
    cleaned = clean(raw)
    assert "<" not in cleaned and "class =" not in cleaned
    assert "virtual currency in accordance with the spirit of the notice" in cleaned
    for path in SEEDS.glob("*.txt"):
        text = clean(path.read_text(encoding="utf-8"))
        assert "< " not in text and "&nbsp" not in text
        assert len(text) > 0.9 * len(" ".join(path.read_text(encoding="utf-8").split())) - 200


def test_one_line_scrapes_keep_their_sentence():
    assert clean(
        "Copyright © 2025 Mekong Daily Wire. Police arrested 69 people at a scam "
        "compound and closed 12 websites."
    ) == ("Police arrested 69 people at a scam compound and closed 12 websites.")
    assert (
        clean("Source: Xinhua. Police closed 12 gambling sites.")
        == "Police closed 12 gambling sites."
    )


def test_the_case_set_covers_every_kind_of_furniture():
    kinds = {case["kind"] for case in CASES}
    assert len(CASES) >= 40
    assert {
        "one-line",
        "both-ends",
        "mid-sentence",
        "chinese",
        "corpus-block",
        "seed",
        "keep",
    } <= kinds
    chinese = " ".join(case["raw"] for case in CASES if case["kind"] == "chinese")
    assert all(marker in chinese for marker in ("责任编辑：", "来源：", "扫一扫"))


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_cleaning_case(case):
    cleaned = clean(case["raw"])
    for content in case["keep"]:
        assert content in cleaned, f"lost content: {content!r}"
    for junk in case["drop"]:
        assert junk not in cleaned, f"kept junk: {junk!r}"
    if "expected" in case:
        assert cleaned == case["expected"]
    assert clean(cleaned) == cleaned


def _same_character(raw: str, index: int, char: str) -> bool:
    """Whether raw[index] is ``char`` after the cleaner's own normalisations."""
    if raw[index] == char or raw[index].translate(_QUOTES) == char:
        return True
    if raw[index] == "&":  # a decoded entity points at its '&'
        end = raw.find(";", index)
        entity = raw[index : end + 1 if 0 < end - index < 40 else index + 10]
        return char in html.unescape("".join(entity.split())).translate(_QUOTES)
    return False


def _check_offsets(raw: str) -> None:
    cleaned, where = clean_with_offsets(raw)
    assert cleaned == clean(raw)
    assert len(where) == len(cleaned)
    assert all(a <= b for a, b in itertools.pairwise(where)), "offsets go backwards"
    for char, index in zip(cleaned, where):
        assert 0 <= index < len(raw)
        if not char.isspace():
            assert _same_character(raw, index, char), (char, raw[index - 5 : index + 5])


def test_offsets_point_at_the_raw_characters_of_corpus_reports(corpus):
    reports = random.Random(7).sample(list(corpus), 120)
    junky = [r for r in corpus if junk_share(r.text) > 0.01][:40]
    for report in reports + junky:
        _check_offsets(report.text)
        _check_offsets(report.title)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_offsets_point_at_the_raw_characters_of_each_case(case):
    _check_offsets(case["raw"])


@pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds not present")
def test_offsets_of_the_seed_reports():
    for path in SEEDS.glob("*.txt"):
        _check_offsets(path.read_text(encoding="utf-8"))


def test_offsets_of_inserted_characters_point_before_them():
    raw = "Police< br >closed\nsites.\n\n\nCourts &amp; prosecutors acted."
    cleaned, where = clean_with_offsets(raw)
    assert cleaned == "Police closed sites.\n\nCourts & prosecutors acted."
    assert where[6] == raw.index("e<")  # the space for the tag
    assert where[13] == raw.index("d\n")  # the space joining two lines
    assert where[20:22] == [raw.index(".\n") + 1, raw.index(".\n") + 2]  # kept line breaks
    assert where[cleaned.index("&")] == raw.index("&amp;")
    assert clean_with_offsets("") == ("", [])
