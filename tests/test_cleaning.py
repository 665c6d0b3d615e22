import pytest

from textcls.cleaning import clean, junk_share

from conftest import SEEDS


@pytest.mark.parametrize("raw, expected", [
    ('Accounts were closed< Br > < div class = "height" > < / div > in May.',
     "Accounts were closed in May."),
    ("The office<br>ordered<p class=\"text\">rectification</p>.",
     "The office ordered rectification."),
    ("Police&nbsp;arrested 12 people &amp; seized &quot;tools&quot;.",
     'Police arrested 12 people & seized "tools".'),
    ("Fines were issued. & nbsp ; More followed.", "Fines were issued. More followed."),
    ("\u201cClear and Bright\u201d started.", '"Clear and Bright" started.'),
])
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
    assert cleaned == ("Cyberspace office shuts 30 gambling sites\n\n"
                       "The office said 30 sites were shut and 12 people were detained.")


def test_clean_keeps_ordinary_words_that_look_like_junk():
    raw = ("The copyright office fined a pirate site. Users may comment on the draft rules. "
           "Related news outlets reported the source of the leak.")
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
