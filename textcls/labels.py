"""The label scheme: themes (one per report) and actions (any number).

The scheme is data (``configs/labels.yaml``, shipped in the wheel too) so a user can swap in
their own.

Example
-------
>>> from textcls.labels import LabelScheme
>>> scheme = LabelScheme.from_yaml("configs/labels.yaml")   # doctest: +SKIP
>>> scheme.themes[:2]                                       # doctest: +SKIP
['financial_speculation', 'influencer_misconduct']
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .bundled import bundled_file
from .errors import ConfigError

DEFAULT_LABELS = bundled_file("configs/labels.yaml")


@dataclass(frozen=True)
class Label:
    name: str
    description: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class LabelScheme:
    """Names, descriptions and keywords of every theme and action."""

    theme_labels: tuple[Label, ...]
    action_labels: tuple[Label, ...]
    source: str = field(default="", compare=False)

    @property
    def themes(self) -> list[str]:
        return [label.name for label in self.theme_labels]

    @property
    def actions(self) -> list[str]:
        return [label.name for label in self.action_labels]

    def describe(self, name: str) -> str:
        """Description plus keywords of a label, the text used to match topics to it."""
        for label in self.theme_labels + self.action_labels:
            if label.name == name:
                return f"{label.description} {' '.join(label.keywords)}".strip()
        raise KeyError(name)

    def action_keywords(self) -> dict[str, list[str]]:
        """Each action's keywords: the weak sentence labels of the sentence-level model."""
        return {label.name: list(label.keywords) for label in self.action_labels}

    def fingerprint(self) -> str:
        """A short hash that changes whenever a label is added, removed or renamed."""
        names = json.dumps([self.themes, self.actions])
        return hashlib.sha256(names.encode()).hexdigest()[:16]

    def to_dict(self) -> dict:
        def dump(labels):
            return {
                label.name: {"description": label.description, "keywords": list(label.keywords)}
                for label in labels
            }

        return {"themes": dump(self.theme_labels), "actions": dump(self.action_labels)}

    @classmethod
    def from_dict(cls, data: dict, source: str = "<dict>") -> LabelScheme:
        if not isinstance(data, dict):
            raise ConfigError(f"{source}: expected a mapping with 'themes' and 'actions'")
        groups = []
        for group in ("themes", "actions"):
            entries = data.get(group)
            if not isinstance(entries, dict) or not entries:
                raise ConfigError(
                    f"{source}: '{group}' must map each label name to {{description, keywords}}"
                )
            labels = []
            for name, spec in entries.items():
                spec = spec or {}
                if not isinstance(spec, dict):
                    raise ConfigError(f"{source}: {group}.{name} must be a mapping")
                unknown = set(spec) - {"description", "keywords"}
                if unknown:
                    raise ConfigError(
                        f"{source}: {group}.{name}: unknown key(s) "
                        f"{sorted(unknown)}; expected description, keywords"
                    )
                keywords = spec.get("keywords") or []
                if not isinstance(keywords, list):
                    raise ConfigError(f"{source}: {group}.{name}.keywords must be a list")
                labels.append(
                    Label(
                        str(name), str(spec.get("description", "")), tuple(str(k) for k in keywords)
                    )
                )
            groups.append(tuple(labels))
        return cls(groups[0], groups[1], source=source)

    @classmethod
    def from_yaml(cls, path: str | Path = DEFAULT_LABELS) -> LabelScheme:
        """Read a scheme file: ``themes`` and ``actions``, each mapping a label name to
        ``{description, keywords}``. The default is the shipped scheme."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: label scheme file not found") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML ({_yaml_where(exc)})") from None
        return cls.from_dict(data, source=str(path))


def _yaml_where(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return problem
