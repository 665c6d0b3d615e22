"""Write files so that readers see the old content or the new, never half of either."""

from __future__ import annotations

import csv
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()  # what open() would give a new file: read once, umask is per process


def staging_folder(parent: str | Path, prefix: str) -> Path:
    """A new empty folder under ``parent`` to build an output in before renaming it, with
    the permissions ``mkdir`` would give (``mkdtemp``'s 0700 would hide it from the group)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(folder, _FILE_MODE | ((_FILE_MODE & 0o444) >> 2))  # x wherever r
    return folder


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Example
    -------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomic(target, b"done")
    >>> target.read_bytes()
    b'done'
    """
    with open_atomic(path, "wb") as out:
        out.write(data)


@contextmanager
def open_atomic(
    path: str | Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None
) -> Iterator[IO]:
    """Open a temporary file beside ``path`` for writing, renamed to ``path`` on success
    and removed if the block raises: for outputs written as a stream (``newline`` as in
    :func:`open`; ``""`` for CSV).

    Example
    -------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with open_atomic(target) as out:
    ...     _ = out.write("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.chmod(temporary, _FILE_MODE)  # mkstemp's 0600 would hide outputs from the user's group
    try:
        with os.fdopen(
            handle,
            mode,
            encoding=None if "b" in mode else encoding,
            newline=None if "b" in mode else newline,
        ) as out:
            yield out
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_csv(path: str | Path, rows: Iterable[dict], columns: list[str]) -> None:
    """Write ``rows`` (dicts; keys not in ``columns`` are left out) as a CSV, atomically.

    Example
    -------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> write_csv(target, [{"id": "r1", "theme": "other", "note": "x"}], ["id", "theme"])
    >>> target.read_text().splitlines()
    ['id,theme', 'r1,other']
    """
    with open_atomic(path, newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
