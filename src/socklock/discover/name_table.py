"""Names to the graph ids they stand for, at the cost of one dictionary entry a name.

Discovery keeps several such tables per pass (a workload's own name, its images' names, the
names its Services give it). Nearly every name stands for one workload, and a ``set`` per
name costs 216 bytes whatever it holds (46 MiB a table at 224,565 workloads). A lone id is
kept as the string itself; a set only where a name stands for several.
"""

from __future__ import annotations

from collections.abc import Iterator

_NONE: frozenset[str] = frozenset()


class NameTable:
    """A name → graph ids table (read as sets, made afresh on each read)."""

    __slots__ = ("_ids",)

    def __init__(self) -> None:
        self._ids: dict[str, str | set[str]] = {}

    def add(self, name: str, graph_id: str) -> None:
        found = self._ids.get(name)
        if found is None:
            self._ids[name] = graph_id
        elif isinstance(found, str):
            if found != graph_id:
                self._ids[name] = {found, graph_id}
        else:
            found.add(graph_id)

    def update(self, name: str, graph_ids: frozenset[str]) -> None:
        for graph_id in graph_ids:
            self.add(name, graph_id)

    def get(self, name: str) -> frozenset[str]:
        """The ids ``name`` stands for; empty when it names none."""
        found = self._ids.get(name)
        if found is None:
            return _NONE
        if isinstance(found, str):
            return frozenset((found,))
        return frozenset(found)

    def items(self) -> Iterator[tuple[str, frozenset[str]]]:
        for name in self._ids:
            yield name, self.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._ids

    def __len__(self) -> int:
        return len(self._ids)
