"""The report page: one self-contained HTML file, no network, charts as inline SVG.

Charts are drawn here as SVG (hover a point for its value or headline); the
table of reports is filled by a small script from the JSON embedded in the
page. Filters live in the URL hash (``#theme=rumors&action=summons``), so a
filtered view can be bookmarked, and ``&report=ID`` opens a report's evidence.

Example
-------
>>> write_report(build_report(reports, model, guide), "out/")    # doctest: +SKIP
PosixPath('out/report.html')
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path
from typing import Sequence

import numpy as np

from .atomic import write_atomic
from .report import REPORT_FILES, UNDATED, ReportData, check_outdir

MAP_POINTS = 2000
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#17becf",
    "#bcbd22",
)
_W, _H, _PAD = 560, 260, 40

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222}
main{max-width:1240px;margin:0 auto;padding:1rem 1.5rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:1.2rem}
figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:.6rem}
figcaption{font-weight:600;margin-bottom:.3rem}svg{max-width:100%;height:auto}
.legend span{display:inline-block;margin-right:.8rem;font-size:.85rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.25rem;vertical-align:-1px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #e5e5e5;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f6f6f6;position:sticky;top:0}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.5rem .8rem}
.controls{display:flex;flex-wrap:wrap;gap:1rem;align-items:end;margin:.5rem 0}
label{display:flex;flex-direction:column;font-size:.85rem;font-weight:600}
select,input,button{font:inherit;padding:.25rem .4rem}
a:focus,select:focus,input:focus,button:focus,aside:focus{
  outline:3px solid #f0b400;outline-offset:1px}
aside{border:2px solid #1f77b4;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}
.scroll{max-height:34rem;overflow:auto}
mark{background:#fff2a8}
"""

_SCRIPT = r"""
(function () {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const rows = data.rows, byId = new Map(rows.map(r => [r.id, r]));
  const theme = document.getElementById('f-theme'), action = document.getElementById('f-action');
  const query = document.getElementById('f-query'), body = document.getElementById('rows');
  const status = document.getElementById('shown'), more = document.getElementById('more');
  const panel = document.getElementById('evidence');
  let limit = 200;
  const entities = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'};
  function esc(s) { return String(s).replace(/[&<>"]/g, c => entities[c]); }
  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    theme.value = p.get('theme') || ''; action.value = p.get('action') || '';
    query.value = p.get('q') || ''; return p.get('report');
  }
  function filters() {
    const p = new URLSearchParams();
    if (theme.value) p.set('theme', theme.value);
    if (action.value) p.set('action', action.value);
    if (query.value) p.set('q', query.value);
    return p;
  }
  function link(id) { const p = filters(); p.set('report', id); return '#' + p.toString(); }
  function render() {
    const q = query.value.toLowerCase();
    const hits = rows.filter(r => (!theme.value || r.theme === theme.value) &&
      (!action.value || r.actions.split(';').includes(action.value)) &&
      (!q || r.title.toLowerCase().includes(q) || r.id.toLowerCase().includes(q)));
    body.innerHTML = hits.slice(0, limit).map(r => '<tr data-theme="' + esc(r.theme) +
      '" data-actions="' + esc(r.actions) + '"><td><a href="' + esc(link(r.id)) + '">' +
      esc(r.id) + '</a></td><td>' + esc(r.title) + '</td><td>' + esc(r.month) + '</td><td>' +
      esc(r.theme) + ' (' + Number(r.confidence).toFixed(2) + ')</td><td>' +
      esc(r.actions.split(';').join(', ')) + '</td><td>' + esc(r.topic < 0 ? '' : r.topic) +
      (r.emerging ? ' emerging' : '') + '</td></tr>').join('');
    status.textContent = hits.length + ' of ' + rows.length + ' reports match' +
      (hits.length > limit ? '; showing the first ' + limit : '');
    status.dataset.matches = hits.length; body.dataset.rows = Math.min(hits.length, limit);
    more.hidden = hits.length <= limit;
  }
  function show(id) {
    const r = id && byId.get(id);
    if (!r) { panel.hidden = true; return; }
    const ev = Object.entries(r.evidence).map(([a, e]) => '<li><b>' + esc(a) + '</b> (' +
      esc(e.field) + ' ' + e.start + '-' + e.end + ', score ' + Number(e.score).toFixed(2) +
      '): <mark>' + esc(e.sentence) + '</mark></li>').join('');
    const fig = r.figures.map(f => '<li>' + esc(Number(f.value).toLocaleString('en')) + ' ' +
      esc(f.unit) + (f.action ? ' (' + esc(f.action) + ')' : '') + ': “' + esc(f.text) +
      '”</li>').join('');
    panel.innerHTML = '<h3>' + esc(r.id) + ': ' + esc(r.title) + '</h3><p>Theme ' +
      esc(r.theme) + ', month ' + esc(r.month) + '.</p><h4>Evidence per action</h4><ul>' +
      (ev || '<li>No action found.</li>') + '</ul><h4>Figures</h4><ul>' +
      (fig || '<li>None stated.</li>') + '</ul><p><a href="#' + filters().toString() +
      '">Close</a></p>';
    panel.hidden = false; panel.focus();
  }
  function update() {
    limit = 200; history.replaceState(null, '', '#' + filters().toString()); render();
  }
  [theme, action].forEach(el => el.addEventListener('change', update));
  query.addEventListener('input', update);
  more.addEventListener('click', () => { limit += 500; render(); });
  window.addEventListener('hashchange', () => { const id = readHash(); render(); show(id); });
  const id = readHash(); render(); show(id);
  document.body.dataset.ready = '1';
})();
"""


def _e(value) -> str:
    return html.escape(str(value))


def _color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _legend(labels: Sequence[str]) -> str:
    return (
        '<div class="legend">'
        + "".join(
            f'<span><i style="background:{_color(i)}"></i>{_e(label)}</span>'
            for i, label in enumerate(labels)
        )
        + "</div>"
    )


def line_chart(months: list[str], series: dict[str, list[int]], title: str) -> str:
    """Counts per month, one line per label, as SVG; each point names its value on hover."""
    top = max([max(v) for v in series.values() if v] + [1])
    step = (_W - 2 * _PAD) / max(1, len(months) - 1)
    x = [_PAD + i * step for i in range(len(months))] if len(months) > 1 else [_W / 2]

    def y(value: int) -> float:
        return _H - _PAD - value / top * (_H - 2 * _PAD)

    parts = [
        f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" stroke="#999"/>',
        f'<text x="4" y="{_PAD - 8}" font-size="11">{top}</text>',
    ]
    ticks = max(1, len(months) // 8)
    parts += [
        f'<text x="{x[i]:.1f}" y="{_H - _PAD + 16}" font-size="11" text-anchor="middle">'
        f"{_e(m)}</text>"
        for i, m in enumerate(months)
        if i % ticks == 0
    ]
    for i, (label, values) in enumerate(series.items()):
        if not any(values):
            continue
        points = " ".join(f"{x[j]:.1f},{y(v):.1f}" for j, v in enumerate(values))
        parts.append(
            f'<polyline fill="none" stroke="{_color(i)}" stroke-width="2" points="{points}"/>'
        )
        parts += [
            f'<circle cx="{x[j]:.1f}" cy="{y(v):.1f}" r="3" fill="{_color(i)}">'
            f"<title>{_e(label)}, {_e(months[j])}: {v}</title></circle>"
            for j, v in enumerate(values)
            if v
        ]
    return (
        f'<svg viewBox="0 0 {_W} {_H}" role="img" aria-label="{_e(title)}">'
        + "".join(parts)
        + "</svg>"
        + _legend(list(series))
    )


def bar_chart(counts: dict[str, int], title: str) -> str:
    """Horizontal bars with their counts, as SVG."""
    top = max([*counts.values(), 1])
    height = 24 * len(counts) + 10
    parts = []
    for i, (label, count) in enumerate(counts.items()):
        width = count / top * (_W - 260)
        parts.append(
            f'<text x="0" y="{24 * i + 17}" font-size="12">{_e(label)}</text>'
            f'<rect x="180" y="{24 * i + 5}" width="{max(width, 1):.1f}" height="16" '
            f'fill="{_color(i)}"><title>{_e(label)}: {count}</title></rect>'
            f'<text x="{186 + width:.1f}" y="{24 * i + 17}" font-size="12">{count}'
            "</text>"
        )
    return (
        f'<svg viewBox="0 0 {_W} {height}" role="img" aria-label="{_e(title)}">'
        + "".join(parts)
        + "</svg>"
    )


def scatter(points: np.ndarray, colors: list[int], tips: list[str], title: str) -> str:
    """A document map: one circle per report, its headline on hover."""
    lo, hi = points.min(0), points.max(0)
    span = np.where(hi - lo > 0, hi - lo, 1)
    xy = (points - lo) / span * [_W - 2 * 10, 360 - 2 * 10] + 10
    circles = "".join(
        f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{_color(c)}" '
        f'fill-opacity=".7"><title>{_e(t)}</title></circle>'
        for (a, b), c, t in zip(xy, colors, tips)
    )
    return f'<svg viewBox="0 0 {_W} 360" role="img" aria-label="{_e(title)}">{circles}</svg>'


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.3g}"
    return str(value)


def table(frame, limit: int = 200) -> str:
    """A pandas table as HTML, first ``limit`` rows."""
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(_cell(v))}</td>" for v in row) + "</tr>"
        for row in frame.head(limit).itertuples(index=False)
    )
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
        "</table></div>"
    )


def _chart(title: str, content: str) -> str:
    return f'<figure class="chart"><figcaption>{_e(title)}</figcaption>{content}</figure>'


def _over_time(data: ReportData, key: str, labels: list[str], title: str) -> str:
    months = data.months
    if not months:
        return _chart(
            title,
            f'<p class="note empty">No report has a date (a <code>date</code> '
            f"field or a date in its text), so there is nothing to draw over "
            f"time: all {len(data.rows)} are undated.</p>",
        )
    frame = data.tables[f"{key}_by_month.csv"].set_index("month")
    frame = frame.drop(index=UNDATED, errors="ignore").reindex(months, fill_value=0)
    if len(months) > 36:  # years of sparse months read as noise: count per year instead
        frame = frame.groupby(frame.index.str[:4]).sum()
        title = title.replace("per month", "per year")
    return _chart(
        title,
        line_chart(
            list(frame.index), {label: [int(v) for v in frame[label]] for label in labels}, title
        ),
    )


def _document_map(data: ReportData) -> str:
    title = "Document map (PCA of the reports' TF-IDF features, coloured by theme)"
    if data.points is None or len(data.rows) < 3 or not np.any(data.points):
        return _chart(title, '<p class="note empty">The map needs more reports.</p>')
    index = np.arange(len(data.rows))
    note = ""
    if len(index) > MAP_POINTS:
        index = np.sort(np.random.default_rng(0).choice(index, MAP_POINTS, replace=False))
        note = (
            f"<p>A random sample of {MAP_POINTS:,} of the {len(data.rows):,} reports is "
            "shown, to keep the page small.</p>"
        )
    rows = [data.rows[i] for i in index]
    colors = [data.themes.index(r["theme"]) for r in rows]
    tips = [f"{r['id']}: {r['title']} ({r['theme']})" for r in rows]
    return _chart(
        title, scatter(data.points[index], colors, tips, title) + _legend(data.themes) + note
    )


def _select(name: str, label: str, options: list[str]) -> str:
    items = "".join(f'<option value="{_e(o)}">{_e(o)}</option>' for o in options)
    return (
        f'<label for="f-{name}">{_e(label)}<select id="f-{name}">'
        f'<option value="">all</option>{items}</select></label>'
    )


def charts(data: ReportData) -> list[str]:
    """The page's charts, each a ``<figure>`` of inline SVG (or a note saying why not)."""
    theme_counts = {t: sum(r["theme"] == t for r in data.rows) for t in data.themes}
    action_counts = {a: sum(a in r["actions"].split(";") for r in data.rows) for a in data.actions}
    return [
        _chart("Reports per theme", bar_chart(theme_counts, "Reports per theme")),
        _chart("Reports per action", bar_chart(action_counts, "Reports per action")),
        _over_time(data, "themes", data.themes, "Themes over time (reports per month)"),
        _over_time(data, "actions", data.actions, "Actions over time (reports per month)"),
        _document_map(data),
    ]


def render_page(data: ReportData) -> str:
    """The whole page as one HTML string."""
    n = len(data.rows)
    dated = (
        f"{n - data.undated} of {n} reports have a date; {data.undated} are undated "
        "and counted only in the totals."
    )
    topics = data.tables["topics.csv"]
    emerging = data.tables["emerging.csv"]
    sections = [
        f"<h1>textcls report: {n:,} reports</h1><p>{_e(dated)}</p>",
        '<h2 id="overview">Overview</h2><div class="grid">',
        *charts(data),
        "</div>",
        '<h2 id="topics">Topics</h2>',
        (
            f'<p class="note">{_e(data.topics_note)}</p>'
            if data.topics_note
            else "<p>Each theme's reports split into topics (TF-IDF, k-means); top words are those "
            "most above the pile's average; examples are the headlines nearest the topic's "
            "centre.</p>" + table(topics)
        ),
        '<h2 id="emerging">Emerging: reports that fit no theme well</h2>',
        (
            "<p>Reports where the classifier is unsure (best theme probability under 0.5) and "
            "that lie far from every theme of the labeled corpus.</p>" + table(emerging)
            if len(emerging)
            else "<p>None: every report fits a theme.</p>"
        ),
        '<h2 id="figures">Figures stated in the reports</h2>',
        (
            table(
                data.tables["figures.csv"]
                .groupby(["unit", "theme"], as_index=False)[["total", "mentions"]]
                .sum()
                .sort_values("mentions", ascending=False)
            )
            + "<p>Totals per month are in <code>figures.csv</code>.</p>"
            if len(data.tables["figures.csv"])
            else "<p>No figures found.</p>"
        ),
    ]
    if data.scores:
        scores = ", ".join(
            f"{k.replace('_', ' ')} {v:.3f}" for k, v in data.scores.items() if isinstance(v, float)
        )
        sections += [
            '<h2 id="scores">Scores against the labels given</h2>',
            f"<p>{_e(scores)}</p>",
            table(data.tables["confusion.csv"]),
            table(data.tables["scores.csv"]),
        ]
    sections += [
        '<h2 id="reports">Reports</h2><div class="controls" role="search">',
        _select("theme", "Theme", data.themes),
        _select("action", "Action", data.actions),
        '<label for="f-query">Headline or id contains<input id="f-query" type="search">'
        "</label></div>",
        '<p id="shown" aria-live="polite"></p>',
        '<aside id="evidence" tabindex="-1" hidden aria-label="Evidence"></aside>',
        '<div class="scroll"><table><thead><tr><th scope="col">id (evidence)</th>'
        '<th scope="col">headline</th><th scope="col">month</th><th scope="col">theme</th>'
        '<th scope="col">actions</th><th scope="col">topic</th></tr></thead>'
        '<tbody id="rows"></tbody></table></div><button id="more" type="button" hidden>'
        "Show more</button>",
    ]
    payload = json.dumps(
        {"rows": data.rows}, ensure_ascii=False, separators=(",", ":"), default=_plain
    ).replace("</", "<\\/")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>textcls report ({n} reports)</title><style>{_CSS}</style>"
        "<script>window.addEventListener('error',function(e){var d=document."
        "documentElement;d.dataset.errors=(+(d.dataset.errors||0)+1)+'';});</script>"
        "</head><body><main>" + "".join(sections) + "</main>"
        f'<script type="application/json" id="report-data">{payload}</script>'
        f"<script>{_SCRIPT}</script></body></html>"
    )


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write_report(data: ReportData, folder: str | Path, overwrite: bool = False) -> Path:
    """Write the CSV tables and ``report.html`` into ``folder``; return the page's path."""
    folder = Path(folder)
    check_outdir(folder, overwrite)
    folder.mkdir(parents=True, exist_ok=True)
    for name in REPORT_FILES:  # a table this pile has none of must not linger from a last run
        if name.endswith(".csv") and name not in data.tables:
            (folder / name).unlink(missing_ok=True)
    for name, table in data.tables.items():
        buffer = io.StringIO()
        table.to_csv(buffer, index=False)
        write_atomic(folder / name, buffer.getvalue().encode("utf-8"))
    page = folder / "report.html"
    write_atomic(page, render_page(data).encode("utf-8"))
    return page
