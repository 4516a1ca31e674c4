"""Pod addresses as the policies see them: address classes, and ipBlocks matched by bisection.

The ipBlocks of a set of policies cut each address family into *atoms*: ranges no block
boundary falls inside. Two pod IPs in one atom are inside exactly the same blocks, so pods
whose IPs fall in the same atoms are one *address class* (and, with the same namespace,
labels and named ports, one pod class): the policies cannot tell them apart.

Which classes an ipBlock admits is found without intersecting every block with every pod:
the atoms that hold a pod are sorted, a block's ranges are located among them by bisection
(cost ~ log atoms per range, plus the atoms found), and the result is kept per distinct set of
addresses (a thousand rules admitting ``0.0.0.0/0`` are one question).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from socklock.policy.addresses import AddressSet
from socklock.policy.classset import EMPTY as NO_CLASSES
from socklock.policy.classset import ClassSet
from socklock.policy.intervals import IntervalSet

AddressKey = tuple[tuple[int, ...], tuple[int, ...]]
"""(IPv4 atoms, IPv6 atoms) a pod's IPs fall in, sorted."""


class AddressCuts:
    """Where the ipBlocks of a set of policies start and stop, per address family."""

    def __init__(self, sets: Iterable[AddressSet]) -> None:
        v4: set[int] = set()
        v6: set[int] = set()
        for addresses in sets:
            v4 |= addresses.v4.cuts()
            v6 |= addresses.v6.cuts()
        self.v4 = tuple(sorted(v4))
        self.v6 = tuple(sorted(v6))

    def key(self, addresses: AddressSet) -> AddressKey:
        """The atoms ``addresses`` (a pod's IPs) fall in: its address class."""
        return (_atoms(self.v4, addresses.v4), _atoms(self.v6, addresses.v6))


def _atoms(cuts: Sequence[int], ranges: IntervalSet) -> tuple[int, ...]:
    found: set[int] = set()
    for low, high in ranges:
        first = bisect.bisect_right(cuts, low)
        last = bisect.bisect_right(cuts, high)
        found.update(range(first, last + 1))
    return tuple(sorted(found))


class _Family:
    """The pod IPs of one family: sorted distinct IPs and, for each, the classes holding it."""

    def __init__(self, pairs: list[tuple[int, int]]) -> None:
        pairs.sort()
        self.points: list[int] = []
        self.holders: list[list[int]] = []
        for point, index in pairs:
            if self.points and self.points[-1] == point:
                self.holders[-1].append(index)
            else:
                self.points.append(point)
                self.holders.append([index])

    def inside(self, ranges: IntervalSet) -> tuple[list[int], int]:
        """(classes holding an IP in ``ranges``, how many of the family's IPs are in it)."""
        found: list[int] = []
        count = 0
        for low, high in ranges:
            first = bisect.bisect_left(self.points, low)
            last = bisect.bisect_right(self.points, high)
            count += last - first
            for holders in self.holders[first:last]:
                found.extend(holders)
        return found, count


class PodAddressIndex:
    """Which pod classes an address set holds all, or some, of the given IPs of."""

    def __init__(self, classes: Sequence[tuple[int, AddressSet]]) -> None:
        v4: list[tuple[int, int]] = []
        v6: list[tuple[int, int]] = []
        self._sizes: dict[int, int] = {}
        for index, addresses in classes:
            size = 0
            for target, ranges in ((v4, addresses.v4), (v6, addresses.v6)):
                for low, high in ranges:
                    target.extend((point, index) for point in range(low, high + 1))
                    size += high - low + 1
            self._sizes[index] = size
        self._v4 = _Family(v4)
        self._v6 = _Family(v6)
        self._cache: dict[AddressSet, tuple[ClassSet, ClassSet]] = {}

    def match(self, addresses: AddressSet) -> tuple[ClassSet, ClassSet]:
        """(classes every given IP of which is in ``addresses``, classes some of whose are)."""
        cached = self._cache.get(addresses)
        if cached is None:
            cached = self._cache[addresses] = self._match(addresses)
        return cached

    def _match(self, addresses: AddressSet) -> tuple[ClassSet, ClassSet]:
        if not addresses:
            return NO_CLASSES, NO_CLASSES
        hits: dict[int, int] = {}
        for family, ranges in ((self._v4, addresses.v4), (self._v6, addresses.v6)):
            found, _ = family.inside(ranges)
            for index in found:
                hits[index] = hits.get(index, 0) + 1
        full = [c for c, n in hits.items() if n == self._sizes[c]]
        partial = [c for c, n in hits.items() if n != self._sizes[c]]
        return ClassSet.of(full), ClassSet.of(partial)
