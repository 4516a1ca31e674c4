"""Findings kept compressed, a batch at a time: a big input has millions of findings.

A 64 MiB manifest of 224,000 Deployments gives 2.2 million findings, about 2.4 GB as
objects; pickled and compressed in batches they take about 25 bytes each. Readers see a
sequence (length, iteration, indexing) and only ever hold one batch as objects.
"""

from __future__ import annotations

import dataclasses
import io
import operator
import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, overload

from socklock.model import Finding, Fix, LineEdit, Location, YamlEdit

BATCH = 4096


def _by_fields(cls: type[Any]) -> Callable[[Any], tuple[type[Any], tuple[Any, ...]]]:
    """Pickle a dataclass as its constructor's arguments: loading then calls the
    constructor, twice as fast as the generic state of a slotted dataclass."""
    names = [f.name for f in dataclasses.fields(cls)]
    values = operator.attrgetter(*names)
    return lambda obj: (cls, values(obj))


_REDUCERS = {cls: _by_fields(cls) for cls in (Finding, Location, Fix, YamlEdit, LineEdit)}


def _pack(findings: list[Finding]) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.dispatch_table = _REDUCERS  # type: ignore[assignment]
    pickler.dump(findings)
    return zlib.compress(out.getvalue(), 1)


class FindingStore(Sequence[Finding]):
    """An append-only sequence of findings, stored as compressed pickled batches."""

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self._batches: list[bytes] = []
        self._pending: list[Finding] = []
        self._count = 0
        self._cached: tuple[int, list[Finding]] = (-1, [])
        for finding in findings:
            self.append(finding)

    def append(self, finding: Finding) -> None:
        self._pending.append(finding)
        self._count += 1
        if len(self._pending) >= BATCH:
            self._batches.append(_pack(self._pending))
            self._pending = []

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Finding]:
        for index in range(len(self._batches)):
            yield from self._batch(index)
        yield from list(self._pending)

    def _batch(self, index: int) -> list[Finding]:
        if index == len(self._batches):
            return self._pending
        if self._cached[0] != index:
            batch: list[Finding] = pickle.loads(zlib.decompress(self._batches[index]))
            self._cached = (index, batch)
        return self._cached[1]

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return self._batch(index // BATCH)[index % BATCH]

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same findings (``result.findings == ()``)."""
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == self._count and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FindingStore({self._count} findings)"
