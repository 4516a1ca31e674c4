"""The connectivity table and its listing, written once for every decider.

A *decider* answers for one policy flavour (Kubernetes NetworkPolicy in
:mod:`socklock.policy.engine`, Calico in :mod:`socklock.policy.calico_model`): which classes
reach a pod class on a port, which external addresses it admits, and the rows (port ranges)
worth listing for a target. Everything built on those answers is here, so the flavours list,
count and summarise alike: the table in its own terms (a :class:`Cell` per target and port
range, holding sets of pod classes), and the rows a report lists, one source at a time.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol as TypingProtocol

from socklock.errors import UsageError
from socklock.model import Protocol
from socklock.policy.addresses import AddressSet, is_external
from socklock.policy.classset import EMPTY as NO_CLASSES
from socklock.policy.classset import ClassSet
from socklock.policy.intervals import ALL_PORTS, PORT_MAX, PORT_MIN, IntervalSet
from socklock.policy.intervals import EMPTY as NO_PORTS
from socklock.policy.pods import Cluster, Endpoint, PodClass
from socklock.policy.result import Verdict

PROTOCOLS = (Protocol.TCP, Protocol.UDP, Protocol.SCTP)

EVERY_WORKLOAD = "*"
"""The source of a summary row: every workload of the input."""

Row = tuple[str, str, int, Protocol, Verdict, int | None]
"""(source, target, port, protocol, verdict, end port): a :class:`Connection`'s fields."""


@dataclass(frozen=True, slots=True)
class PortRange:
    """Ports ``low``..``high`` of ``protocol``."""

    low: int
    high: int
    protocol: Protocol


@dataclass(frozen=True, slots=True)
class Cell:
    """One row of the table: traffic to endpoint ``target`` (its index) on ``atom``."""

    target: int
    atom: PortRange
    every: ClassSet  # classes whose pods reach every pod of the target
    some: ClassSet  # classes whose pods reach some


class Decider(TypingProtocol):
    """What a policy flavour answers; the table and the listing ask nothing else."""

    cluster: Cluster
    externals: tuple[str, ...]

    def rows(self, target: Endpoint) -> list[PortRange]:
        """The port ranges listed for ``target`` (its ports, and those the rules mention)."""
        ...

    def class_sources(
        self, target: PodClass, port: int, protocol: Protocol
    ) -> tuple[ClassSet, ClassSet]:
        """(classes that reach every pod of ``target`` on the port, classes that reach some)."""
        ...

    def ingress_addresses(self, target: PodClass, port: int, protocol: Protocol) -> AddressSet:
        """External addresses ``target`` admits on the port."""
        ...

    def egress_addresses(self, source: PodClass, port: int, protocol: Protocol) -> AddressSet:
        """External addresses ``source`` may reach on the port."""
        ...

    def external_verdict(self, name: str, sets: Sequence[AddressSet]) -> Verdict:
        """The verdict for external endpoint ``name`` (any ``external:...`` name) given each
        class's admitted addresses."""
        ...

    def egress_cuts(self, source: PodClass, protocol: Protocol) -> set[int]:
        """The ports where what ``source``'s egress admits of external addresses may change
        (the bounds of its egress rules' ports)."""
        ...


def port_rows(
    target: Endpoint, mentioned: Mapping[Protocol, tuple[IntervalSet, set[int]]]
) -> list[PortRange]:
    """The rows listed for ``target``: its declared container ports, then, per protocol, the
    other ports its rules mention (``mentioned[protocol][0]``) split at every port where some
    rule's answer may change (``mentioned[protocol][1]``), so that each row is uniform."""
    out = [PortRange(p, p, proto) for p, proto in target.ports]
    for protocol in PROTOCOLS:
        ports, cuts = mentioned.get(protocol, (NO_PORTS, set()))
        declared = IntervalSet.of((p, p) for p, proto in target.ports if proto is protocol)
        for lo, hi in (ports - declared).split(cuts | declared.cuts()):
            out.append(PortRange(lo, hi, protocol))
    return out


def mask_verdict(sources: ClassSet, every: ClassSet, some: ClassSet) -> Verdict:
    if sources and sources <= every:
        return Verdict.ALLOWED
    if not sources.isdisjoint(some):
        return Verdict.PARTIAL
    return Verdict.DENIED


def pair_verdict(source: Endpoint, target: Endpoint, every: ClassSet, some: ClassSet) -> Verdict:
    """The verdict of ``source -> target`` given the classes that reach every pod of the target
    (``every``) and some (``some``). A single Pod always reaches itself."""
    if source is target and source.single_pod:
        return Verdict.ALLOWED
    return mask_verdict(source.classes, every, some)


def target_sources(
    decider: Decider, target: Endpoint, port: int, protocol: Protocol
) -> tuple[ClassSet, ClassSet]:
    """(classes that reach every pod of ``target`` on the port, classes that reach some)."""
    classes_of = decider.cluster.classes
    every, some = decider.cluster.all_classes, NO_CLASSES
    for i in target.classes:
        found, reached = decider.class_sources(classes_of[i], port, protocol)
        every &= found
        some |= reached
    return every, some


def cells(decider: Decider) -> Iterator[Cell]:
    """The table: for each workload target (sorted by id) and each of its rows (sorted by
    port), the classes that reach every pod of it and those that reach some."""
    for position, target in enumerate(decider.cluster.endpoints):
        for atom in sorted(decider.rows(target), key=_atom_key):
            every, some = target_sources(decider, target, atom.low, atom.protocol)
            yield Cell(position, atom, every, some)


def endpoint_of(decider: Decider, endpoint_id: str) -> Endpoint:
    """The workload ``endpoint_id``; a :class:`UsageError` when the input has none."""
    found = decider.cluster.endpoint(endpoint_id)
    if found is None:
        raise UsageError(f"no workload {endpoint_id!r} in the input")
    return found


def verdict_of(
    decider: Decider, source: str, target: str, port: int, protocol: Protocol
) -> Verdict:
    """May ``source`` open ``port``/``protocol`` on ``target`` (workload ids or
    ``external:...``)? The table's answer for one port, by the same questions to the decider
    and the same rules as :func:`iter_rows`."""
    if not PORT_MIN <= port <= PORT_MAX:
        raise UsageError(f"port {port} is not in 1-65535")
    if is_external(source) and is_external(target):
        raise UsageError("one side must be a workload: policies do not govern external traffic")
    classes_of = decider.cluster.classes
    if is_external(source):
        dst = endpoint_of(decider, target)
        sets = [decider.ingress_addresses(classes_of[c], port, protocol) for c in dst.classes]
        return decider.external_verdict(source, sets)
    if is_external(target):
        src = endpoint_of(decider, source)
        sets = [decider.egress_addresses(classes_of[c], port, protocol) for c in src.classes]
        return decider.external_verdict(target, sets)
    src, dst = endpoint_of(decider, source), endpoint_of(decider, target)
    if src is dst and src.single_pod:
        return Verdict.ALLOWED
    every, some = target_sources(decider, dst, port, protocol)
    return pair_verdict(src, dst, every, some)


def universal(decider: Decider, cell: Cell) -> bool:
    """Does every workload (the target itself included) reach the cell's target?"""
    everything = decider.cluster.all_classes
    return bool(everything) and everything <= cell.every


DENIED_CODE, PARTIAL_CODE, ALLOWED_CODE = 0, 1, 2
VERDICTS = (Verdict.DENIED, Verdict.PARTIAL, Verdict.ALLOWED)
"""A listed row into the table is the int ``cell index << 2 | verdict code`` (an index into
:data:`VERDICTS`): one small int per row, where a tuple would be seven references."""

Item = int | Row
"""One row of a :class:`Listing` block: a coded row into the table, or a row to an external
endpoint (those are not cells of the table)."""


@dataclass(frozen=True, slots=True)
class Listing:
    """What a report lists, in the table's own terms: the cells, and per source (sorted by
    name) its rows, sorted, as :data:`Item` values. Renderers encode the cells once and the
    rows from them (:meth:`rows` gives the plain tuples)."""

    decider: Decider
    table: list[Cell]
    blocks: Iterator[tuple[str, Sequence[Item]]]

    def target_ids(self) -> list[str]:
        """The id of each cell's target, by cell index."""
        endpoints = self.decider.cluster.endpoints
        return [endpoints[cell.target].id for cell in self.table]

    def rows(self) -> Iterator[Row]:
        """Every row as a plain tuple, in order."""
        ids = self.target_ids()
        for source, items in self.blocks:
            yield from self.decode(source, items, ids)

    def decode(self, source: str, items: Sequence[Item], ids: list[str]) -> Iterator[Row]:
        """The plain tuples of one block (``ids``: :meth:`target_ids`)."""
        table = self.table
        for item in items:
            if isinstance(item, int):
                yield _row(source, ids[item >> 2], table[item >> 2], VERDICTS[item & 3])
            else:
                yield item


def listing(decider: Decider, include_denied: bool = False, summary: bool = False) -> Listing:
    """Every (source, target, port, protocol) row, sorted: to each workload on the ports
    :meth:`Decider.rows` lists, from every workload and external endpoint; from each workload
    to each external endpoint (ranges of uniform verdict). Without ``include_denied``, only
    ALLOWED and PARTIAL rows. One source at a time (memory: the table and one int per listed
    row, not the rows). A single Pod always reaches itself. ``summary``: a cell every
    workload reaches is one row from ``*`` (listed first) instead of one per workload."""
    table = list(cells(decider))
    grouped = [i for i, cell in enumerate(table) if summary and universal(decider, cell)]
    return Listing(decider, table, _blocks(decider, table, grouped, include_denied))


def iter_rows(
    decider: Decider, include_denied: bool = False, summary: bool = False
) -> Iterator[Row]:
    """The rows of :func:`listing`, as plain tuples."""
    return listing(decider, include_denied, summary).rows()


def _blocks(
    decider: Decider, table: list[Cell], grouped: list[int], include_denied: bool
) -> Iterator[tuple[str, Sequence[Item]]]:
    endpoints = decider.cluster.endpoints
    if grouped:
        yield EVERY_WORKLOAD, [index << 2 | ALLOWED_CODE for index in grouped]
    grouped_set = set(grouped)
    by_source = None if include_denied else _reached(decider, table, grouped_set)
    sources: list[tuple[str, int]] = [(e.id, i) for i, e in enumerate(endpoints)]
    sources += [(name, -1) for name in decider.externals]
    sources.sort()
    ids = [endpoints[cell.target].id for cell in table]
    for name, position in sources:
        if position < 0:  # an external endpoint: into every cell
            yield name, _from_external(decider, name, table, grouped_set, include_denied)
            continue
        source = endpoints[position]
        codes: list[int]
        if by_source is None:
            codes = []
            for index, cell in enumerate(table):
                if index not in grouped_set:
                    verdict = pair_verdict(source, endpoints[cell.target], cell.every, cell.some)
                    codes.append(index << 2 | _CODES[verdict])
        else:
            codes = by_source[position]
            by_source[position] = []  # memory: the rows listed so far are not kept
        if not decider.externals:
            yield source.id, codes
            continue
        # the rows to external endpoints, each where its target sorts among the cells'
        items: list[Item] = []
        done = 0
        for row in sorted(external_rows(decider, source, include_denied), key=_tuple_key):
            at = bisect.bisect_left(codes, row[1], lo=done, key=lambda c: ids[c >> 2])
            items += codes[done:at]
            items.append(row)
            done = at
        items += codes[done:]
        yield source.id, items


def _reached(decider: Decider, table: list[Cell], grouped: set[int]) -> list[list[int]]:
    """For each workload source, its ALLOWED and PARTIAL rows into the table, coded, in
    table order (which is the rows' order: targets by id, then port and protocol).

    A source of one class (most) is reached where its class is in the cell's ``some``, and
    allowed where it is in ``every`` too: found by walking the cell's members once, with no
    test per source. Sources of several classes, and a single Pod's row to itself, go
    through :func:`pair_verdict`. A cell every class is allowed into (a rule admitting
    ``0.0.0.0/0`` under the generic CNI) is a row of every source when no source has
    several classes: it is added to all of them at the end, by a sort that merges."""
    endpoints = decider.cluster.endpoints
    one_class: list[list[int]] = [[] for _ in decider.cluster.classes]
    several: list[list[int]] = [[] for _ in decider.cluster.classes]
    for position, endpoint in enumerate(endpoints):
        members = list(endpoint.classes)
        for c in members:
            (one_class if len(members) == 1 else several)[c].append(position)
    any_several = any(several)
    by_source: list[list[int]] = [[] for _ in endpoints]
    # per class, the appends of its one-class sources' rows (a row is one call, in C)
    adders = [[by_source[e].append for e in sources] for sources in one_class]
    everything = decider.cluster.all_classes
    shared: list[int] = []  # cells every source is allowed into: added to all at the end
    for index, cell in enumerate(table):
        if index in grouped:
            continue
        every_some = cell.every & cell.some
        if not any_several and not endpoints[cell.target].single_pod and everything <= every_some:
            shared.append(index << 2 | ALLOWED_CODE)
            continue
        code = index << 2 | ALLOWED_CODE
        for c in every_some.members():
            for add in adders[c]:
                add(code)
        code = index << 2 | PARTIAL_CODE
        for c in (cell.some - every_some).members():
            for add in adders[c]:
                add(code)
        mixed: set[int] = set()
        if any_several:
            for c in cell.some:
                mixed.update(several[c])
        target = endpoints[cell.target]
        if target.single_pod:  # reaches itself, whatever the policies say
            mixed.add(cell.target)
            rows = by_source[cell.target]
            if rows and rows[-1] >> 2 == index:  # listed above from its one class
                rows.pop()
        for e in sorted(mixed):
            verdict = pair_verdict(endpoints[e], target, cell.every, cell.some)
            if verdict is not Verdict.DENIED:
                by_source[e].append(index << 2 | _CODES[verdict])
    if shared:  # both in table order: one sort merges the two runs, in C
        for e, rows in enumerate(by_source):
            by_source[e] = sorted(shared + rows)
    return by_source


def _from_external(
    decider: Decider, name: str, table: list[Cell], grouped: set[int], include_denied: bool
) -> list[Item]:
    endpoints = decider.cluster.endpoints
    classes_of = decider.cluster.classes
    items: list[Item] = []
    for index, cell in enumerate(table):
        if index in grouped:
            continue
        target = endpoints[cell.target]
        sets = [
            decider.ingress_addresses(classes_of[c], cell.atom.low, cell.atom.protocol)
            for c in target.classes
        ]
        verdict = decider.external_verdict(name, sets)
        if include_denied or verdict is not Verdict.DENIED:
            items.append(index << 2 | _CODES[verdict])
    return items


_CODES = {Verdict.DENIED: DENIED_CODE, Verdict.PARTIAL: PARTIAL_CODE, Verdict.ALLOWED: ALLOWED_CODE}


def external_rows(decider: Decider, source: Endpoint, include_denied: bool) -> Iterator[Row]:
    """Rows from ``source`` to every external endpoint of the decider, per protocol, as
    maximal port ranges of one verdict."""
    classes = [decider.cluster.classes[i] for i in source.classes]
    for protocol in PROTOCOLS:
        cuts: set[int] = set()
        for c in classes:
            cuts |= decider.egress_cuts(c, protocol)
        atoms = ALL_PORTS.split(cuts)
        verdicts = []
        for low, _ in atoms:
            sets = [decider.egress_addresses(c, low, protocol) for c in classes]
            verdicts.append([decider.external_verdict(n, sets) for n in decider.externals])
        for e, name in enumerate(decider.externals):
            start = 0
            for i in range(1, len(atoms) + 1):
                if i == len(atoms) or verdicts[i][e] is not verdicts[start][e]:
                    verdict = verdicts[start][e]
                    if include_denied or verdict is not Verdict.DENIED:
                        low, high = atoms[start][0], atoms[i - 1][1]
                        yield (
                            source.id,
                            name,
                            low,
                            protocol,
                            verdict,
                            high if high != low else None,
                        )
                    start = i


def row_count(decider: Decider) -> int:
    """How many rows ``iter_rows(decider, include_denied=True)`` lists, without listing
    the workload rows."""
    endpoints = decider.cluster.endpoints
    per_source = len(endpoints) + len(decider.externals)
    total = sum(len(decider.rows(t)) * per_source for t in endpoints)
    if decider.externals:
        for source in endpoints:
            total += sum(1 for _ in external_rows(decider, source, True))
    return total


def _tuple_key(row: Row) -> tuple[str, int, str, int]:
    # str() of a StrEnum is its value without enum's slow ``.value`` descriptor (per row).
    return (row[1], row[2], str(row[3]), row[5] or 0)


def _atom_key(atom: PortRange) -> tuple[int, str, int]:
    return (atom.low, atom.protocol.value, atom.high)


def _end(atom: PortRange) -> int | None:
    return atom.high if atom.high != atom.low else None


def _row(source: str, target: str, cell: Cell, verdict: Verdict) -> Row:
    return (source, target, cell.atom.low, cell.atom.protocol, verdict, _end(cell.atom))
