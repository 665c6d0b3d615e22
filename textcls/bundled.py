"""Files shipped with textcls: the label scheme, the example configs and the starter corpus.

A clone keeps them in ``configs/``, ``corpus/`` and ``experiments/README.md``. The wheel
carries the same files as package data under ``textcls/_data/`` (``pyproject.toml`` maps the
folders there, so git holds a single copy). :func:`bundled_file` finds them in either place;
:func:`init_folder` copies them into a working folder laid out like the clone, so the shipped
configs, whose paths are relative to their own folder, run there unchanged.

Example
-------
>>> from textcls.bundled import bundled_file
>>> bundled_file("configs/labels.yaml").name
'labels.yaml'
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .atomic import write_atomic
from .errors import InputError

_CLONE = Path(__file__).resolve().parent.parent
# The folders a working folder gets, and which of the shipped files go into each.
_LAYOUT = {"configs": "*.yaml", "corpus": "*", "corpus/gold": "*", "experiments": "README.md"}


def bundled_file(relative: str) -> Path:
    """The path of a shipped file or folder, e.g. ``"corpus/reports.jsonl"``.

    Parameters
    ----------
    relative : str
        The path as it is in a clone of the repository.

    Examples
    --------
    >>> bundled_file("corpus/reports.jsonl").is_file()
    True
    """
    packaged = resources.files(__package__) / "_data" / relative
    if packaged.is_file() or packaged.is_dir():
        return Path(str(packaged))
    return _CLONE / relative


def init_folder(folder: str | Path, force: bool = False) -> list[Path]:
    """Write a working folder: ``configs/``, ``corpus/`` and ``experiments/``.

    The configs and the starter corpus (about 1.2 MB) are copied, so a user can edit them
    and ``textcls run FOLDER/configs/default.yaml`` writes its runs into
    ``FOLDER/experiments/``.

    Parameters
    ----------
    folder : str or Path
        Created if missing; other files in it are left alone.
    force : bool
        Overwrite files of the same names; otherwise an existing one is an error and
        nothing is written.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InputError
        When a file to write exists already and ``force`` is false.

    Examples
    --------
    >>> import tempfile
    >>> written = init_folder(Path(tempfile.mkdtemp()) / "work")
    >>> sorted({p.parent.name for p in written})
    ['configs', 'corpus', 'experiments', 'gold']
    """
    folder = Path(folder)
    copies = {
        folder / name / source.name: source
        for name, pattern in _LAYOUT.items()
        for source in sorted(bundled_file(name).glob(pattern))
        if source.is_file()
    }
    existing = [target for target in copies if target.exists()]
    if existing and not force:
        raise InputError(
            f"{len(existing)} file(s) exist already; use --force to overwrite them", existing[0]
        )
    for target, source in copies.items():
        write_atomic(target, source.read_bytes())
    return list(copies)
