"""Label selectors (matchLabels + matchExpressions), and their evaluation as sets of members.

A :class:`LabelSelector` is a canonical value: ``matchLabels: {a: b}`` and the expression
``a In [b]`` are the same requirement, so equal selectors compare and hash equal and are
evaluated once. :class:`LabelIndex` evaluates a selector over many label sets at once with
set algebra on an inverted index (``(key, value) -> members``), so its cost depends on
the selector, not on the number of members.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from socklock.policy.classset import EMPTY, ClassSet


class Operator(StrEnum):
    IN = "In"
    NOT_IN = "NotIn"
    EXISTS = "Exists"
    DOES_NOT_EXIST = "DoesNotExist"


@dataclass(frozen=True, slots=True, order=True)
class Requirement:
    key: str
    operator: Operator
    values: tuple[str, ...] = ()  # sorted, distinct; empty for Exists/DoesNotExist

    def matches(self, labels: Mapping[str, str]) -> bool:
        value = labels.get(self.key)
        if self.operator is Operator.IN:
            return value is not None and value in self.values
        if self.operator is Operator.NOT_IN:
            return value is None or value not in self.values
        if self.operator is Operator.EXISTS:
            return value is not None
        return value is None

    def __str__(self) -> str:
        if self.operator is Operator.IN and len(self.values) == 1:
            return f"{self.key}={self.values[0]}"
        if self.operator is Operator.EXISTS:
            return self.key
        if self.operator is Operator.DOES_NOT_EXIST:
            return f"!{self.key}"
        words = "in" if self.operator is Operator.IN else "notin"
        return f"{self.key} {words} ({','.join(self.values)})"


@dataclass(frozen=True, slots=True)
class LabelSelector:
    """Requirements ANDed together; no requirement selects everything."""

    requirements: tuple[Requirement, ...] = ()  # sorted, distinct

    @classmethod
    def build(
        cls,
        match_labels: Mapping[str, str] | None = None,
        expressions: Sequence[tuple[str, Operator, Sequence[str]]] = (),
    ) -> LabelSelector:
        if not expressions and cls is LabelSelector:  # most selectors: a few repeated labels
            return _of_labels(tuple((match_labels or {}).items()))
        found: dict[tuple[str, str, tuple[str, ...]], Requirement] = {}
        for k, v in (match_labels or {}).items():
            found[(k, Operator.IN.value, (v,))] = Requirement(k, Operator.IN, (v,))
        for key, operator, values in expressions:
            distinct = tuple(sorted(set(values)))
            found[(key, operator.value, distinct)] = Requirement(key, operator, distinct)
        return cls(tuple(found[k] for k in sorted(found)))

    @property
    def is_empty(self) -> bool:
        return not self.requirements

    def matches(self, labels: Mapping[str, str]) -> bool:
        return all(r.matches(labels) for r in self.requirements)

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements) or "(all)"


EVERYTHING = LabelSelector()


@functools.lru_cache(maxsize=65536)
def _of_labels(pairs: tuple[tuple[str, str], ...]) -> LabelSelector:
    """The selector of ``matchLabels`` alone, built once per distinct labels: a cluster's
    policies name the same few labels of each workload over and over."""
    requirements = {(k, v): Requirement(k, Operator.IN, (v,)) for k, v in pairs}
    return LabelSelector(tuple(requirements[k] for k in sorted(requirements)))


class LabelIndex:
    """Label sets numbered 0..n-1; ``select`` answers a selector as a set of members.

    Each ``(key, value)`` and each key maps to the members that carry it, kept as
    :class:`ClassSet` (their cost is their span, not the index size: a label held by one
    member is one small value)."""

    def __init__(self, label_sets: Sequence[Mapping[str, str]]) -> None:
        self.size = len(label_sets)
        self.all = ClassSet.first(self.size)
        pairs: dict[tuple[str, str], list[int]] = {}
        keys: dict[str, list[int]] = {}
        for index, labels in enumerate(label_sets):
            for key, value in labels.items():
                pairs.setdefault((key, value), []).append(index)
                keys.setdefault(key, []).append(index)
        self._pairs = {pair: ClassSet.of(members) for pair, members in pairs.items()}
        self._keys = {key: ClassSet.of(members) for key, members in keys.items()}
        self._cache: dict[LabelSelector, ClassSet] = {}

    def pair(self, key: str, value: str) -> ClassSet:
        """Members whose label ``key`` is ``value``."""
        return self._pairs.get((key, value), EMPTY)

    def key(self, key: str) -> ClassSet:
        """Members that carry label ``key``."""
        return self._keys.get(key, EMPTY)

    def _requirement(self, requirement: Requirement) -> ClassSet:
        if requirement.operator in (Operator.IN, Operator.NOT_IN):
            found = EMPTY
            for value in requirement.values:
                found |= self.pair(requirement.key, value)
            return found if requirement.operator is Operator.IN else self.all - found
        present = self.key(requirement.key)
        return present if requirement.operator is Operator.EXISTS else self.all - present

    def select(self, selector: LabelSelector) -> ClassSet:
        cached = self._cache.get(selector)
        if cached is not None:
            return cached
        result = self.all
        for requirement in selector.requirements:
            result &= self._requirement(requirement)
            if not result:
                break
        self._cache[selector] = result
        return result
