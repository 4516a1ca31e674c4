"""Label sets that select one workload and nothing else in its namespace.

A policy names pods by labels, so a selector that also matches another workload's pods
would silently extend every rule to that workload. For each workload this module tries, in
order: one identity label of the pod template (``app.kubernetes.io/name``, ``app``, ...),
the selector of a Service in front of it, two or three template labels, every template
label; the first candidate that matches all of the workload's pods and no other pod of the
namespace wins. When none does, the workload cannot be singled out and is reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from socklock.model import Service

IDENTITY_KEYS = (
    "app.kubernetes.io/name",
    "app",
    "name",
    "k8s-app",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
    "component",
    "service",
)
# Labels a controller adds per revision or per pod: never part of an identity.
VOLATILE_KEYS = frozenset(
    {
        "pod-template-hash",
        "controller-revision-hash",
        "pod-template-generation",
        "statefulset.kubernetes.io/pod-name",
        "apps.kubernetes.io/pod-index",
        "controller-uid",
        "batch.kubernetes.io/controller-uid",
    }
)
SOCKLOCK_PREFIX = "socklock.io/"


@dataclass(frozen=True, slots=True)
class Selection:
    """How a workload is named in policies."""

    workload: str
    labels: Mapping[str, str]  # matchLabels; empty when the workload cannot be singled out
    source: str  # "pod template label", "Service sock-shop/carts selector", ...

    @property
    def ok(self) -> bool:
        return bool(self.labels)


def _usable(key: str) -> bool:
    return key not in VOLATILE_KEYS and not key.startswith(SOCKLOCK_PREFIX)


def _key_order(key: str) -> tuple[int, str]:
    try:
        return (IDENTITY_KEYS.index(key), key)
    except ValueError:
        return (len(IDENTITY_KEYS), key)


class Selectors:
    """Chooses and caches the selector of every workload of one inventory.

    ``members`` maps a workload id to the label sets of its pods (one per pod class);
    ``namespace_of`` gives each id's namespace.
    """

    def __init__(
        self,
        members: Mapping[str, Sequence[Mapping[str, str]]],
        namespace_of: Mapping[str, str],
        services: Iterable[Service] = (),
    ) -> None:
        self.members = members
        self.namespace_of = namespace_of
        self.by_namespace: dict[str, list[str]] = defaultdict(list)
        for workload in sorted(members):
            self.by_namespace[namespace_of[workload]].append(workload)
        self.services: dict[str, list[Service]] = defaultdict(list)
        for service in sorted(services, key=lambda s: s.id):
            if service.selector:
                self.services[service.namespace].append(service)
        self._cache: dict[str, Selection] = {}
        # every pod label set numbered; (namespace, key, value) -> the sets that carry it, so
        # a check costs the pods that share a label, not every pod of the namespace
        self._owner: list[str] = []
        self._sets_of: dict[str, list[int]] = {}
        self._pairs: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for workload in sorted(members):
            namespace = namespace_of[workload]
            mine = self._sets_of[workload] = []
            for labels in members[workload]:
                mine.append(len(self._owner))
                for key, value in labels.items():
                    self._pairs[(namespace, key, value)].append(len(self._owner))
                self._owner.append(workload)

    def _matching(self, namespace: str, selector: Mapping[str, str]) -> set[int]:
        """The label sets of ``namespace`` that ``selector`` (non-empty) matches."""
        lists = sorted(
            (self._pairs.get((namespace, k, v), []) for k, v in selector.items()), key=len
        )
        found = set(lists[0])
        for more in lists[1:]:
            found.intersection_update(more)
        return found

    def singles_out(self, workload: str, selector: Mapping[str, str]) -> bool:
        if not selector:
            return False
        found = self._matching(self.namespace_of[workload], selector)
        if not found.issuperset(self._sets_of[workload]):
            return False
        return all(self._owner[i] == workload for i in found)

    def others_selected(self, workload: str, selector: Mapping[str, str]) -> list[str]:
        if not selector:  # the empty selector matches every pod of the namespace
            others = [o for o in self.by_namespace[self.namespace_of[workload]] if self._sets_of[o]]
        else:
            found = self._matching(self.namespace_of[workload], selector)
            others = sorted({self._owner[i] for i in found})
        return [other for other in others if other != workload]

    def common_labels(self, workload: str) -> dict[str, str]:
        sets = self.members[workload]
        if not sets:
            return {}
        common = {k: v for k, v in sets[0].items() if _usable(k)}
        for labels in sets[1:]:
            common = {k: v for k, v in common.items() if labels.get(k) == v}
        return common

    def select(self, workload: str) -> Selection:
        cached = self._cache.get(workload)
        if cached is None:
            cached = self._choose(workload)
            self._cache[workload] = cached
        return cached

    def _choose(self, workload: str) -> Selection:
        common = self.common_labels(workload)
        keys = sorted(common, key=_key_order)
        for key in keys:
            candidate = {key: common[key]}
            if self.singles_out(workload, candidate):
                return Selection(workload, candidate, "pod template label")
        for service in self.services[self.namespace_of[workload]]:
            candidate = dict(service.selector or {})
            if _usable_all(candidate) and self.singles_out(workload, candidate):
                return Selection(workload, candidate, f"selector of Service {service.id}")
        for size in (2, 3):
            for combo in combinations(keys, size):
                candidate = {k: common[k] for k in combo}
                if self.singles_out(workload, candidate):
                    return Selection(workload, candidate, "pod template labels")
        if common and self.singles_out(workload, common):
            return Selection(workload, common, "every pod template label")
        if not common:
            reason = "its pods have no label in common"
        else:
            others = ", ".join(self.others_selected(workload, common))
            reason = f"its pod template labels also select {others}"
        return Selection(workload, {}, reason)


def _usable_all(selector: Mapping[str, str]) -> bool:
    return all(_usable(k) for k in selector)
