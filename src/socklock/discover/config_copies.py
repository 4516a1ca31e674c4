"""Which copy of a ConfigMap a workload reads when the input holds several of one name.

A cluster holds one object per kind, namespace and name; a repository may hold many: the
install manifests of each release kept in its docs, each a Deployment beside its own
ConfigMap of the same name (litmus keeps 173). A workload reads the copy written nearest
it: in its own file, else under the deepest folder both share. Copies equally near are all
kept, as before: which of them a cluster would hold is not in the input.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from types import MappingProxyType

from socklock.discover.once import Same, per_run
from socklock.model import ConfigMap, Inventory, Workload


def nearest(copies: Sequence[ConfigMap], near: str) -> tuple[ConfigMap, ...]:
    """The copies written nearest the file ``near``, in the input's order."""
    if len(copies) < 2:
        return tuple(copies)
    here = PurePath(os.path.normpath(near))
    folder = here.parent.parts

    def closeness(copy: ConfigMap) -> int:
        file = PurePath(os.path.normpath(copy.obj.location.file))
        if file == here:
            return len(folder) + 1  # the workload's own file: nearer than any folder
        shared = 0
        for a, b in zip(file.parent.parts, folder, strict=False):
            if a != b:
                break
            shared += 1
        return shared

    scores = [closeness(copy) for copy in copies]
    best = max(scores)
    return tuple(copy for copy, score in zip(copies, scores, strict=True) if score == best)


@per_run
def _by_name(inventory: Same[Inventory]) -> Mapping[tuple[str, str], tuple[ConfigMap, ...]]:
    found: dict[tuple[str, str], list[ConfigMap]] = {}
    for config_map in inventory.value.config_maps:
        found.setdefault((config_map.namespace, config_map.name), []).append(config_map)
    return MappingProxyType({key: tuple(copies) for key, copies in found.items()})


@per_run
def _positions(inventory: Same[Inventory]) -> Mapping[int, int]:
    return MappingProxyType({id(c): i for i, c in enumerate(inventory.value.config_maps)})


def in_input_order(inventory: Inventory, config_maps: list[ConfigMap]) -> list[ConfigMap]:
    """``config_maps`` in the order the input holds them."""
    positions = _positions(Same(inventory))
    return sorted(config_maps, key=lambda c: positions[id(c)])


def config_maps_for(
    workload: Workload, inventory: Inventory, name: str, namespace: str | None = None
) -> tuple[ConfigMap, ...]:
    """The copies of the ConfigMap ``name`` (in ``namespace``, by default the workload's)
    that ``workload`` reads: the nearest of its copies, none when the input has none."""
    copies = _by_name(Same(inventory)).get((namespace or workload.namespace, name), ())
    return nearest(copies, workload.location.file)


def config_map_for(
    workload: Workload, inventory: Inventory, name: str, namespace: str | None = None
) -> ConfigMap | None:
    """The one copy a single value is read from: the last of the nearest (as ``kubectl
    apply`` of them in the input's order would leave it)."""
    copies = config_maps_for(workload, inventory, name, namespace)
    return copies[-1] if copies else None
