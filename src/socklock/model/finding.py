"""Findings (what is wrong, exactly where) and fixes (as data, applied by a generic fixer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from socklock.model.document import PathElement
from socklock.model.location import Location


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


class Applicability(StrEnum):
    SAFE = "safe"  # applied by --fix
    UNSAFE = "unsafe"  # applied by --unsafe-fixes; can change behaviour
    DISPLAY_ONLY = "display-only"  # shown, never applied


@dataclass(frozen=True, slots=True)
class YamlEdit:
    """Set, merge into, append to or remove a field of one YAML document.

    ``path`` starts at the mapping written at ``anchor`` (1-based line, column of its first
    key: the object's or compose file's ``body.position``); with no anchor, at the root of
    document number ``document``. Operations:

    - ``set``: write ``value`` at ``path`` (creating missing mappings on the way);
    - ``setdefault``: write ``value`` only when ``path`` is absent;
    - ``append``: add ``value`` to the list at ``path`` (created when absent) unless an equal
      item, or a mapping item with the same ``name``, is already there;
    - ``remove``: delete the key at ``path``; with a ``value``, delete the list items equal to it;
    - ``replace``: in the list at ``path``, replace items equal to ``value[0]`` by ``value[1]``.
    """

    document: int  # index of the document in its file (used when anchor is (0, 0))
    path: tuple[PathElement, ...]
    op: str  # "set", "setdefault", "append", "remove", "replace"
    value: Any = None
    anchor: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class LineEdit:
    """Replace lines ``start``..``end`` (1-based, inclusive; end = start - 1 inserts)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    applicability: Applicability
    description: str
    file: str
    edits: tuple[YamlEdit | LineEdit, ...]
    why_unsafe: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    location: Location
    field_path: str  # e.g. spec.template.spec.containers[0].securityContext
    object_ref: str  # e.g. Deployment sock-shop/carts, compose sockshop/carts, Dockerfile
    fix: Fix | None = None
    references: tuple[str, ...] = field(default=())
    key: str = ""  # stable identity for baselines: no line numbers, container names not indices
