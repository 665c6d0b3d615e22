"""Read the reports of a prediction batch without losing the batch to one bad row.

Training data is validated strictly (:func:`~textcls.corpus.load_corpus`), but
a batch to label is different: one bad row among 100,000 must not cost the
others. :class:`Batch` reads files, folders and standard input one after the
other, one line at a time, and yields every good report (or, with
:meth:`Batch.chunks`, lists of them), so memory stays flat however long the
input. A row without an ``id`` gets ``FILE:LINE``; ids are not checked for
repeats (every row is labeled, and a set of a million ids would not be flat).
With ``on_error="skip"`` each bad row (or unreadable file) is set aside in
:attr:`Batch.rejected` with its reason and reported to ``warn``; with
``on_error="fail"`` the first one raises.

Example
-------
>>> batch = Batch(["new.jsonl"], warn=print)                       # doctest: +SKIP
>>> reports = list(batch)                                          # doctest: +SKIP
>>> batch.tally(written=len(reports))                              # doctest: +SKIP
'read 5 = written 4 + rejected 1'
>>> for chunk in Batch(["big.jsonl"]).chunks(1000): ...            # doctest: +SKIP
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal, Sequence, TextIO

from .atomic import write_atomic
from .corpus import Report, iter_reports, to_report
from .errors import InputError

OnError = Literal["skip", "fail"]
STDIN = "<stdin>"


class Batch:
    """The reports of some files, folders or ``-`` (stdin), and the rows rejected.

    Parameters
    ----------
    paths : sequence of str or Path
        JSONL, CSV or ``.txt`` files, folders of ``.txt``, or ``-`` for stdin
        (JSONL objects with ``text``, or one report per line).
    on_error : {"skip", "fail"}
        Set bad rows aside and go on, or raise :class:`~textcls.errors.InputError`
        at the first one.
    warn : callable, optional
        Called with each rejected row's error as it is met.
    stdin : file, optional
        Where ``-`` reads from; default ``sys.stdin``.

    Attributes
    ----------
    rejected : list of InputError
        Every bad row (or unreadable file) met so far, with ``path``, ``line``,
        ``field``, ``reason`` and ``row``.
    read : int
        Reports yielded plus rows rejected so far.
    """

    def __init__(
        self,
        paths: Sequence[str | Path],
        on_error: OnError = "skip",
        warn: Callable[[InputError], None] | None = None,
        stdin: TextIO | None = None,
    ) -> None:
        if on_error not in ("skip", "fail"):
            raise ValueError("on_error must be 'skip' or 'fail'")
        self.paths = list(paths)
        self.on_error = on_error
        self.warn = warn
        self.stdin = stdin
        self.rejected: list[InputError] = []
        self.read = 0

    def __iter__(self) -> Iterator[Report]:
        for path in self.paths:
            source: Iterable[Report | InputError]
            if str(path) == "-":
                source = _stdin_rows(self.stdin or sys.stdin)
            else:
                source = self._file(Path(path))
            for item in source:
                self.read += 1
                if isinstance(item, Report):
                    yield item
                else:
                    self._reject(item)

    def chunks(self, size: int) -> Iterator[list[Report]]:
        """The good reports in lists of ``size`` (the last one shorter), in input order."""
        if size < 1:
            raise ValueError("size must be at least 1")
        chunk: list[Report] = []
        for report in self:
            chunk.append(report)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _file(self, path: Path) -> Iterator[Report | InputError]:
        try:
            yield from iter_reports(path, default_ids=True, unique_ids=False)
        except InputError as problem:  # the whole file: missing, wrong type, bad header
            yield problem

    def _reject(self, problem: InputError) -> None:
        if self.on_error == "fail":
            raise problem
        self.rejected.append(problem)
        if self.warn is not None:
            self.warn(problem)

    def tally(self, written: int) -> str:
        """The closing line: ``read N = written W + rejected R``."""
        return f"read {self.read} = written {written} + rejected {len(self.rejected)}"

    def write_rejects(self, path: str | Path) -> Path:
        """Write the rejected rows as JSONL: file, line, field, reason and the row itself."""
        write_atomic(Path(path), rejects_jsonl(self.rejected))
        return Path(path)


def _stdin_rows(stream: TextIO) -> Iterator[Report | InputError]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        if not line.lstrip().startswith("{"):
            row = {"id": str(number), "text": line.strip()}
        else:
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield InputError(
                    f"not valid JSON ({exc.msg} at column {exc.colno})",
                    STDIN,
                    number,
                    row=line.rstrip("\n"),
                )
                continue
            if isinstance(row, dict):
                row = {"id": str(number), **row}
        try:
            yield to_report(row, STDIN, number)
        except InputError as problem:
            problem.row = row
            yield problem


def rejects_jsonl(problems) -> bytes:
    """Rejected rows as JSONL bytes: file, line, field, reason and the row itself."""
    lines = [
        json.dumps(
            {"file": p.path, "line": p.line, "field": p.field, "reason": p.reason, "row": p.row},
            ensure_ascii=False,
            default=str,
        )
        + "\n"
        for p in problems
    ]
    return "".join(lines).encode("utf-8")
