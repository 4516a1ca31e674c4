"""Canonical immutable sets of integers, stored as sorted disjoint inclusive ranges.

One type serves ports (1-65535) and IP addresses (IPv4 and IPv6 as integers). The canonical
form (sorted, disjoint, never adjacent) makes equality of sets equality of values, so sets
can be compared, hashed and used as dictionary keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

Range = tuple[int, int]
"""(low, high), both inclusive, low <= high."""


def _normalise(ranges: Iterable[Range]) -> tuple[Range, ...]:
    ordered = sorted(r for r in ranges if r[0] <= r[1])
    out: list[Range] = []
    for low, high in ordered:
        if out and low <= out[-1][1] + 1:
            if high > out[-1][1]:
                out[-1] = (out[-1][0], high)
        else:
            out.append((low, high))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class IntervalSet:
    """A set of integers; build it with :meth:`of`, :meth:`point` or :meth:`span`."""

    ranges: tuple[Range, ...] = ()

    def __post_init__(self) -> None:
        previous: Range | None = None
        for low, high in self.ranges:
            if low > high or (previous is not None and low <= previous[1] + 1):
                raise ValueError(f"not a canonical interval set: {self.ranges!r}")
            previous = (low, high)

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def of(cls, ranges: Iterable[Range]) -> IntervalSet:
        return cls(_normalise(ranges))

    @classmethod
    def point(cls, value: int) -> IntervalSet:
        return cls(((value, value),))

    @classmethod
    def span(cls, low: int, high: int) -> IntervalSet:
        return cls(((low, high),)) if low <= high else cls()

    # -- algebra -----------------------------------------------------------------------------

    def __or__(self, other: IntervalSet) -> IntervalSet:
        if not other.ranges:
            return self
        if not self.ranges:
            return other
        return IntervalSet(_normalise(self.ranges + other.ranges))

    def __and__(self, other: IntervalSet) -> IntervalSet:
        out: list[Range] = []
        i = j = 0
        a, b = self.ranges, other.ranges
        while i < len(a) and j < len(b):
            low = max(a[i][0], b[j][0])
            high = min(a[i][1], b[j][1])
            if low <= high:
                out.append((low, high))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return IntervalSet(tuple(out))

    def __sub__(self, other: IntervalSet) -> IntervalSet:
        out: list[Range] = []
        b = other.ranges
        j = 0
        for low, high in self.ranges:
            while j < len(b) and b[j][1] < low:
                j += 1
            k = j
            current = low
            while k < len(b) and b[k][0] <= high:
                if b[k][0] > current:
                    out.append((current, b[k][0] - 1))
                current = max(current, b[k][1] + 1)
                k += 1
            if current <= high:
                out.append((current, high))
        return IntervalSet(tuple(out))

    def complement(self, low: int, high: int) -> IntervalSet:
        """Everything in ``low..high`` that is not in the set."""
        return IntervalSet.span(low, high) - self

    # -- questions ---------------------------------------------------------------------------

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int):
            return False
        lo, hi = 0, len(self.ranges)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.ranges[mid][1] < value:
                lo = mid + 1
            else:
                hi = mid
        return lo < len(self.ranges) and self.ranges[lo][0] <= value

    def __iter__(self) -> Iterator[Range]:
        return iter(self.ranges)

    def __len__(self) -> int:
        """Number of ranges (not of integers: see :meth:`size`)."""
        return len(self.ranges)

    def size(self) -> int:
        return sum(high - low + 1 for low, high in self.ranges)

    def issubset(self, other: IntervalSet) -> bool:
        return not (self - other)

    def isdisjoint(self, other: IntervalSet) -> bool:
        return not (self & other)

    def cuts(self) -> set[int]:
        """Where the set starts or stops: ``low`` and ``high + 1`` of every range."""
        out: set[int] = set()
        for low, high in self.ranges:
            out.add(low)
            out.add(high + 1)
        return out

    def split(self, cuts: Iterable[int]) -> list[Range]:
        """The ranges of the set, cut further at every point in ``cuts`` (a range starts there)."""
        points = sorted(set(cuts))
        out: list[Range] = []
        index = 0
        for low, high in self.ranges:
            while index < len(points) and points[index] <= low:
                index += 1
            start = low
            k = index
            while k < len(points) and points[k] <= high:
                out.append((start, points[k] - 1))
                start = points[k]
                k += 1
            out.append((start, high))
        return out

    def __str__(self) -> str:
        return ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in self.ranges) or "{}"


EMPTY = IntervalSet()
PORT_MIN = 1
PORT_MAX = 65535
ALL_PORTS = IntervalSet.span(PORT_MIN, PORT_MAX)
