"""Load, validate and split enforcement reports.

Three input shapes give the same :class:`Report` records:

* JSONL, one object a line: ``id``, ``text`` and optionally ``title``, ``theme``,
  ``actions`` (a list), ``date``, ``style``, ``event``, ``basis``;
* CSV with at least the columns ``id`` and ``text`` (``actions`` separated by ``;``);
* a folder of ``.txt`` files (one report each, the file name is the id), with an
  optional ``labels.jsonl`` beside them holding ``{"file", "theme", "actions"}``.

Every problem is reported as an :class:`~textcls.errors.InputError` naming the
file, line and field. With ``on_error="skip"`` bad rows are left out and listed
in :attr:`Corpus.problems` instead.

Example
-------
>>> corpus = load_corpus("corpus/reports.jsonl")               # doctest: +SKIP
>>> len(corpus), corpus.themes[:2]                            # doctest: +SKIP
(560, ['fraud_platforms', 'rumors'])
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator, Literal

from .cleaning import clean, junk_share, removed_characters
from .errors import InputError
from .labels import LabelScheme

OnError = Literal["raise", "skip"]
_LIST_FIELDS = ("actions",)
_TEXT_FIELDS = ("id", "title", "text", "theme", "date", "style", "event", "basis", "note")


@dataclass(frozen=True)
class Report:
    """One enforcement report. ``theme`` and ``actions`` are ``None`` when unlabeled."""

    id: str
    text: str
    title: str = ""
    theme: str | None = None
    actions: tuple[str, ...] | None = None
    date: str | None = None
    style: str | None = None
    event: str | None = None
    basis: str | None = None
    note: str | None = None
    origin: str = field(default="", compare=False)

    @cached_property
    def cleaned_text(self) -> str:
        """The body without scraped junk (:func:`~textcls.cleaning.clean`), cleaned once."""
        return clean(self.text)

    @cached_property
    def cleaned_title(self) -> str:
        """The headline without scraped junk."""
        return clean(self.title)

    @property
    def document(self) -> str:
        """Headline and cleaned body: what the models read."""
        body, title = self.cleaned_text, self.cleaned_title
        return f"{title}\n\n{body}" if title else body

    @property
    def raw_document(self) -> str:
        """Headline and body as given, junk included: what offsets of predictions refer to."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text

    def locate(self, start: int, end: int) -> tuple[str, int, int]:
        """The field (``title`` or ``text``) and offsets in it of a span of :attr:`raw_document`."""
        if self.title and start < len(self.title):
            return "title", start, min(end, len(self.title))
        offset = len(self.title) + 2 if self.title else 0
        return "text", max(0, start - offset), max(0, end - offset)

    @property
    def labeled(self) -> bool:
        return self.theme is not None


@dataclass
class Corpus:
    """An ordered collection of reports plus the rows that were skipped."""

    reports: list[Report]
    problems: list[InputError] = field(default_factory=list)
    path: str = ""

    def __len__(self) -> int:
        return len(self.reports)

    def __iter__(self) -> Iterator[Report]:
        return iter(self.reports)

    def __getitem__(self, index: int) -> Report:
        return self.reports[index]

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.reports]

    @property
    def documents(self) -> list[str]:
        return [r.document for r in self.reports]

    @property
    def themes(self) -> list[str | None]:
        return [r.theme for r in self.reports]

    @property
    def actions(self) -> list[list[str]]:
        return [list(r.actions or ()) for r in self.reports]

    @property
    def labeled(self) -> bool:
        return bool(self.reports) and all(r.labeled for r in self.reports)

    def subset(self, ids: Iterable[str]) -> Corpus:
        """The reports with these ids, in the order given."""
        by_id = {r.id: r for r in self.reports}
        return Corpus([by_id[i] for i in ids], path=self.path)


def load_corpus(
    path: str | Path,
    scheme: LabelScheme | None = None,
    *,
    require_labels: bool = False,
    on_error: OnError = "raise",
) -> Corpus:
    """Read reports from a JSONL or CSV file or a folder of ``.txt`` files.

    Parameters
    ----------
    path : str or Path
        ``*.jsonl``, ``*.csv``, a ``.txt`` file, or a folder of ``.txt`` files.
    scheme : LabelScheme, optional
        When given, every theme and action must belong to it.
    require_labels : bool
        Fail (or skip) on reports without a theme.
    on_error : {"raise", "skip"}
        Stop at the first bad row, or leave bad rows out and list them in
        ``Corpus.problems``. A file that cannot be read at all always raises.

    Examples
    --------
    >>> corpus = load_corpus("corpus/reports.jsonl", on_error="skip")  # doctest: +SKIP
    >>> [str(p) for p in corpus.problems]                              # doctest: +SKIP
    []
    """
    path = Path(path)
    reports, problems = read_reports(path, scheme, require_labels=require_labels, on_error=on_error)
    if not reports:
        reason = "contains no reports" if not problems else "contains no valid reports"
        raise InputError(reason, path)
    return Corpus(reports, problems, str(path))


def read_reports(
    path: str | Path,
    scheme: LabelScheme | None = None,
    *,
    require_labels: bool = False,
    on_error: OnError = "raise",
) -> tuple[list[Report], list[InputError]]:
    """The reports of one file or folder and its bad rows; :func:`load_corpus` without
    the check that something was left.

    A bad row's :class:`~textcls.errors.InputError` carries the row itself (the
    record, or the raw line when it could not be parsed) in ``row``.

    Example
    -------
    >>> reports, problems = read_reports("new.jsonl", on_error="skip")  # doctest: +SKIP
    """
    reports: list[Report] = []
    problems: list[InputError] = []
    for item in iter_reports(path, scheme, require_labels=require_labels):
        if isinstance(item, Report):
            reports.append(item)
        elif on_error == "raise":
            raise item
        else:
            problems.append(item)
    return reports, problems


def iter_reports(
    path: str | Path,
    scheme: LabelScheme | None = None,
    *,
    require_labels: bool = False,
    default_ids: bool = False,
    unique_ids: bool = True,
) -> Iterator[Report | InputError]:
    """Each report of one file or folder, or the :class:`~textcls.errors.InputError` of
    its bad row, in file order, reading one line (or file) at a time.

    A problem with the whole file (missing, wrong type, bad header) is raised, at
    the start or, for an encoding error, where it is met.

    Parameters
    ----------
    default_ids : bool
        Give a row without an ``id`` the id ``FILE:LINE`` instead of rejecting it.
    unique_ids : bool
        Reject a row whose id an earlier row of the file has. Off for a batch to
        label: every row is labeled, and memory stays flat (no set of ids).

    Example
    -------
    >>> [r.id for r in iter_reports("new.jsonl") if isinstance(r, Report)]  # doctest: +SKIP
    ['n1', 'n2']
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", path)
    yield from _rows_of(path, scheme, require_labels, default_ids, unique_ids)


def _rows_of(
    path: Path,
    scheme: LabelScheme | None,
    require_labels: bool,
    default_ids: bool,
    unique_ids: bool,
) -> Iterator[Report | InputError]:
    rows: Iterable[tuple[int | None, dict | InputError]]
    if path.is_dir():
        rows = _read_txt_folder(path)
    elif path.suffix.lower() == ".csv":
        rows = _read_csv(path)
    elif path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        rows = read_jsonl_rows(path)
    elif path.suffix.lower() == ".txt":
        rows = [(None, {"id": path.stem, "text": _decode(path.read_bytes(), path, None)})]
    else:
        raise InputError("unsupported file type; use .jsonl, .csv, .txt or a folder of .txt", path)
    return validate_rows(
        rows,
        path,
        scheme,
        require_labels=require_labels,
        default_ids=default_ids,
        unique_ids=unique_ids,
    )


def validate_rows(
    rows: Iterable[tuple[int | None, dict | InputError]],
    path: str | Path,
    scheme: LabelScheme | None = None,
    *,
    require_labels: bool = False,
    default_ids: bool = False,
    unique_ids: bool = True,
) -> Iterator[Report | InputError]:
    """:func:`iter_reports` for rows already read: ``(line, record or InputError)`` pairs.

    Example
    -------
    >>> [r.id for r in validate_rows([(1, {"text": "Police shut 3 sites."})], "x.jsonl",
    ...                              default_ids=True)]
    ['x.jsonl:1']
    """
    seen: dict[str, int | None] = {}
    for line, row in rows:
        if isinstance(row, InputError):
            yield row
            continue
        if default_ids and isinstance(row, dict) and str(row.get("id") or "").strip() == "":
            row = {**row, "id": f"{path}:{line}" if line else str(path)}
        try:
            report = to_report(row, path, line, scheme, require_labels)
            if unique_ids and report.id in seen:
                first = seen[report.id]
                raise InputError(
                    f"duplicate id '{report.id}'"
                    + (f" (first seen on line {first})" if first else ""),
                    path,
                    line,
                    "id",
                )
        except InputError as problem:
            if problem.row is None:
                problem.row = row
            yield problem
            continue
        if unique_ids:
            seen[report.id] = line
        yield report


def to_report(
    row: dict,
    path: str | Path,
    line: int | None,
    scheme: LabelScheme | None = None,
    require_labels: bool = False,
) -> Report:
    """Validate one record (a parsed JSONL line, CSV row or text file) into a :class:`Report`.

    Raises
    ------
    InputError
        Naming ``path``, ``line`` and the field at fault.
    """
    if not isinstance(row, dict):
        raise InputError(f"expected a JSON object, got {type(row).__name__}", path, line)
    values: dict = {}
    for name in ("id", "text"):
        if row.get(name) is None or (name == "id" and str(row[name]).strip() == ""):
            raise InputError("required field is missing", path, line, name)
    for name in _TEXT_FIELDS:
        value = row.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise InputError(f"expected text, got {type(value).__name__}", path, line, name)
        values[name] = str(value)
    if not values["text"].strip():
        raise InputError("text is empty", path, line, "text")

    actions = row.get("actions")
    if isinstance(actions, str):
        actions = [a.strip() for a in actions.replace(",", ";").split(";") if a.strip()]
    if actions is not None:
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
            raise InputError("expected a list of action names", path, line, "actions")
        actions = tuple(dict.fromkeys(actions))
    theme = values.pop("theme", None)
    if require_labels and theme is None:
        raise InputError("required field is missing", path, line, "theme")
    if scheme is not None:
        if theme is not None and theme not in scheme.themes:
            raise InputError(
                f"unknown theme '{theme}'; expected one of {', '.join(scheme.themes)}",
                path,
                line,
                "theme",
            )
        for action in actions or ():
            if action not in scheme.actions:
                raise InputError(
                    f"unknown action '{action}'; expected any of {', '.join(scheme.actions)}",
                    path,
                    line,
                    "actions",
                )
    if theme is not None and actions is None:
        actions = ()
    origin = f"{path}:{line}" if line else str(path)
    report = Report(theme=theme, actions=actions, origin=origin, **values)
    if not report.cleaned_text:
        raise InputError("text is empty", path, line, "text")
    return report


def _decode(data: bytes, path: Path, line: int | None) -> str:
    try:
        return data.decode("utf-8-sig" if line in (None, 1) else "utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte {exc.start} of the {'line' if line else 'file'})", path, line
        ) from None


def read_jsonl_rows(
    path: Path, start: int = 0, stop: int | None = None, first_line: int = 1
) -> Iterator[tuple[int | None, dict | InputError]]:
    """The parsed lines of a JSONL file, or of its bytes ``start:stop`` (whole lines,
    the first numbered ``first_line``), one at a time."""
    with path.open("rb") as lines:
        lines.seek(start)
        position = start
        for number, raw in enumerate(lines, start=first_line):
            if stop is not None and position >= stop:
                break
            position += len(raw)
            raw = raw.rstrip(b"\r\n")
            try:
                text = _decode(raw, path, number)
                if not text.strip():
                    continue
                try:
                    yield number, json.loads(text)
                except json.JSONDecodeError as exc:
                    raise InputError(
                        f"not valid JSON ({exc.msg} at column {exc.colno})", path, number, row=text
                    ) from None
            except InputError as problem:
                if problem.row is None:
                    problem.row = raw.decode("utf-8", errors="replace")
                yield number, problem


def _read_csv(path: Path) -> Iterator[tuple[int | None, dict | InputError]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        try:
            columns = reader.fieldnames or []
            missing = [c for c in ("id", "text") if c not in columns]
            if missing:
                raise InputError(
                    f"missing column(s) {', '.join(missing)}; found "
                    f"{', '.join(columns) or 'no header'}; expected at least "
                    "id, text",
                    path,
                    1,
                    missing[0],
                )
            for row in reader:
                line = reader.line_num
                if None in row:
                    yield line, InputError("more values than columns", path, line, row=row)
                    continue
                yield line, {k: (v if v != "" else None) for k, v in row.items()}
        except UnicodeDecodeError as exc:
            # Read in blocks, so the line is the last one parsed before the bad block.
            raise InputError(
                f"not valid UTF-8 (byte {exc.start} of a block after line {reader.line_num})", path
            ) from None


def _read_txt_folder(folder: Path) -> Iterator[tuple[int | None, dict | InputError]]:
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise InputError("folder holds no .txt files", folder)
    labels: dict[str, dict] = {}
    labels_path = folder / "labels.jsonl"
    if labels_path.exists():
        for line, row in read_jsonl_rows(labels_path):
            if isinstance(row, InputError):
                raise row
            if not isinstance(row, dict) or "file" not in row:
                raise InputError("required field is missing", labels_path, line, "file")
            labels[str(row["file"])] = row
    for file in files:
        try:
            row = {"id": file.stem, "text": _decode(file.read_bytes(), file, None)}
        except InputError as problem:
            yield None, problem
            continue
        label = labels.get(file.name)
        if label:
            row.update({k: v for k, v in label.items() if k != "file"})
        yield None, row


def corpus_stats(corpus: Corpus) -> dict:
    """Counts per theme and action, cleaned length in words, and junk share.

    Example
    -------
    >>> corpus_stats(load_corpus("corpus/reports.jsonl"))["reports"]  # doctest: +SKIP
    560
    """
    cleaned = [r.cleaned_text for r in corpus]
    lengths = sorted(len(text.split()) for text in cleaned)
    shares = [junk_share(r.text, text) for r, text in zip(corpus, cleaned)]

    def quantile(q: float) -> int:
        return lengths[min(len(lengths) - 1, int(q * len(lengths)))]

    return {
        "reports": len(corpus),
        "labeled": sum(r.labeled for r in corpus),
        "themes": dict(Counter(r.theme or "(unlabeled)" for r in corpus).most_common()),
        "actions": dict(Counter(a for r in corpus for a in (r.actions or ())).most_common()),
        "words": {
            "min": lengths[0],
            "p10": quantile(0.1),
            "median": quantile(0.5),
            "p90": quantile(0.9),
            "max": lengths[-1],
        },
        "with_junk": sum(share > 0.01 for share in shares),
        "junk_share_of_characters": round(sum(shares) / len(shares), 4),
    }


def cleaning_summary(corpus: Iterable[Report], limit: float = 0.5) -> dict:
    """What cleaning removed from the headlines and texts of ``corpus`` (read once).

    Whitespace is not counted. Reports that lost more than ``limit`` of their
    characters are listed: that much junk is rare, and lost content is likelier.

    Example
    -------
    >>> cleaning_summary(load_corpus("corpus/reports.jsonl"))["reports_over_half"]  # doctest: +SKIP
    []
    """
    removed = total = 0
    heavy = []
    for report in corpus:
        cut, size = map(
            sum,
            zip(
                removed_characters(report.text, report.cleaned_text),
                removed_characters(report.title, report.cleaned_title),
            ),
        )
        removed, total = removed + cut, total + size
        if size and cut / size > limit:
            heavy.append(
                {"id": report.id, "origin": report.origin, "removed_share": round(cut / size, 4)}
            )
    return {
        "characters_removed": removed,
        "characters": total,
        "share_removed": round(removed / total, 4) if total else 0.0,
        "reports_over_half": heavy,
    }


def make_splits(
    corpus: Corpus, seed: int = 0, fractions: tuple[float, float, float] = (0.7, 0.15, 0.15)
) -> dict:
    """Split reproducibly into train/dev/test, stratified by theme, grouped by event.

    Reports about the same ``event`` always land in the same split, so a
    paraphrase of a training report never turns up in the test split.

    Example
    -------
    >>> splits = make_splits(load_corpus("corpus/reports.jsonl"), seed=13)  # doctest: +SKIP
    >>> sorted(splits)                                                     # doctest: +SKIP
    ['dev', 'seed', 'test', 'train']
    """
    names = ("train", "dev", "test")
    groups: dict[str, list[Report]] = defaultdict(list)
    for report in corpus:
        groups[report.event or f"id:{report.id}"].append(report)
    by_theme: dict[str, list[str]] = defaultdict(list)
    for key, members in groups.items():
        theme = Counter(r.theme or "" for r in members).most_common(1)[0][0]
        by_theme[theme].append(key)
    rng = random.Random(seed)
    assigned: dict[str, list[str]] = {name: [] for name in names}
    for theme in sorted(by_theme):
        keys = sorted(by_theme[theme])
        rng.shuffle(keys)
        total = sum(len(groups[k]) for k in keys)
        filled = dict.fromkeys(names, 0)
        for key in keys:
            # Give the group to the split furthest below its share of this theme.
            name = max(names, key=lambda n: fractions[names.index(n)] * total - filled[n])
            filled[name] += len(groups[key])
            assigned[name].extend(r.id for r in groups[key])
    order = {r.id: i for i, r in enumerate(corpus)}
    return {"seed": seed, **{n: sorted(ids, key=order.__getitem__) for n, ids in assigned.items()}}


def load_splits(path: str | Path, corpus: Corpus) -> dict[str, Corpus]:
    """Read a splits file and return the train/dev/test corpora it names."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("splits file not found", path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", path, exc.lineno) from None
    known = set(corpus.ids)
    result = {}
    for name in ("train", "dev", "test"):
        ids = data.get(name) if isinstance(data, dict) else None
        if not isinstance(ids, list):
            raise InputError("expected a list of report ids", path, None, name)
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise InputError(
                f"{len(unknown)} id(s) not in {corpus.path}, e.g. '{unknown[0]}'", path, None, name
            )
        result[name] = corpus.subset(ids)
    return result
