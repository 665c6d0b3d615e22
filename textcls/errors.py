"""Errors a user can act on.

Everything textcls raises for bad input derives from :class:`TextclsError`;
the CLI turns these into a one-line message and exit code 2, so a user never
sees a traceback from deep inside a library for a problem in their own files.
"""

from __future__ import annotations

from pathlib import Path


class TextclsError(Exception):
    """Base class for errors caused by the user's input, files or settings."""


class InputError(TextclsError, ValueError):
    """A corpus file or record is malformed.

    The message names the file, the line (when there is one) and the field.
    """

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        row=None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        self.reason = message
        self.row = row  # the record or raw line, when known: for files of rejected rows
        where = ", ".join(
            part
            for part in (
                self.path,
                f"line {line}" if line is not None else None,
                f"field '{field}'" if field else None,
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class ConfigError(TextclsError, ValueError):
    """An experiment config is malformed, names an unknown key or a missing file."""


class ModelIntegrityError(TextclsError):
    """A model file's bytes do not match the hash recorded for it, or a ``.skops``
    file is damaged or names a type that textcls does not trust."""


class ModelCompatibilityWarning(UserWarning):
    """A saved model was made with other library versions than the ones installed."""
