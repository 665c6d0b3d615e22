"""The report page in a real browser: headless Chromium opens it from a file URL.

The page reads its filters from the URL hash, so ``--dump-dom`` after the
page's own script shows the filtered table; console messages (errors and
uncaught exceptions alike) come out on stderr as ``CONSOLE`` lines. `make test`
installs Debian's ``chromium`` when it is missing.
"""

import re
import shutil
import subprocess

import pytest

from textcls.classify import EnforcementClassifier
from textcls.corpus import Report
from textcls.report import build_report
from textcls.report_html import write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (make test installs it)"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--allow-file-access-from-files",
    "--virtual-time-budget=5000",
]


def chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *FLAGS, *args], capture_output=True, text=True, timeout=120, check=True
    )


def open_page(url: str) -> tuple[str, list[str]]:
    """The DOM after the page's scripts ran, and every console message."""
    done = chromium("--enable-logging=stderr", "--v=0", "--dump-dom", url)
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


def table_rows(dom: str) -> list[tuple[str, str]]:
    """(theme, actions) of each row the page's script put into the table of reports."""
    body = re.search(r'<tbody id="rows"[^>]*>(.*?)</tbody>', dom, re.S)[1]
    return re.findall(r'<tr data-theme="([^"]*)" data-actions="([^"]*)"', body)


def charts_rendered(dom: str) -> list[bool]:
    """Per chart: drew something (a mark in an SVG, an img or canvas) or said why not."""
    charts = re.findall(r'<figure class="chart">(.*?)</figure>', dom, re.S)
    return [
        bool(
            re.search(r"<(circle|rect|polyline)\b", c)
            or "<img" in c
            or "<canvas" in c
            or 'class="note empty"' in c
        )
        for c in charts
    ]


@pytest.fixture(scope="module")
def pages(tmp_path_factory, small_corpus, corpus):
    model = EnforcementClassifier(tfidf=True, thresholds="fixed").fit(
        [r.raw_document for r in small_corpus], small_corpus.themes, small_corpus.actions
    )
    seen = set(small_corpus.ids)
    pile = [r for r in corpus if r.id not in seen][:60]
    folder = tmp_path_factory.mktemp("pages")
    one = [Report(id="only", title="Police shut 40 gambling sites", text="No date here.")]
    return {
        name: write_report(build_report(reports, model, small_corpus), folder / name)
        for name, reports in (("pile", pile), ("single", one))
    }


def test_the_page_renders_without_errors_and_filters_its_table(pages):
    url = pages["pile"].as_uri()
    dom, console = open_page(url)
    assert not console, console
    assert 'data-ready="1"' in dom and "data-errors" not in dom
    rendered = charts_rendered(dom)
    assert len(rendered) == 5 and all(rendered)
    everything = int(re.search(r'data-matches="(\d+)"', dom)[1])
    assert everything == 60 and len(table_rows(dom)) == 60
    filtered, console = open_page(url + "#theme=rumors&action=criminal_enforcement")
    assert not console, console
    rows = table_rows(filtered)
    assert 0 < len(rows) < everything
    assert all(t == "rumors" and "criminal_enforcement" in a.split(";") for t, a in rows)
    # Each row links to its evidence; following one shows the report's evidence panel.
    link = re.search(r'<a href="(#[^"]*report=([^"&]+))"', filtered)
    shown, console = open_page(url + link[1].replace("&amp;", "&"))
    assert not console and f"<h3>{link[2]}: " in shown and "Evidence per action" in shown
    screenshot = pages["pile"].with_name("report.png")
    chromium("--window-size=1366,2000", f"--screenshot={screenshot}", url)
    assert screenshot.stat().st_size > 20_000


def test_a_single_undated_report_still_renders(pages):
    dom, console = open_page(pages["single"].as_uri())
    assert not console, console
    assert all(charts_rendered(dom)) and "Topics need at least 10 reports" in dom
    assert 'data-matches="1"' in dom
