"""Sets of pod classes as *offset* bitsets: ``(base, mask)`` holds class ``base + i`` for
every bit ``i`` of ``mask``.

A plain Python int bitset costs as many bits as its highest member, so a set holding only
class 200,000 costs 25 KB, and a cluster with one selector, policy or workload per class
(n sets of one class each) costs n²/16 bytes: 3 GB at 224,000 classes. Shifting each
set down to its lowest member makes a set cost its *span* (highest − lowest member):
a single class, or the classes of one namespace (numbered together), stay small whatever
the cluster's size, while the algebra stays whole-word bit arithmetic.

Values are immutable and normalised (the lowest bit of ``mask`` is set, or the set is
:data:`EMPTY`), so equal sets compare and hash equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence


class ClassSet:
    """An immutable set of non-negative class indices."""

    __slots__ = ("base", "mask")

    base: int
    mask: int

    def __init__(self, base: int = 0, mask: int = 0) -> None:
        # callers pass a normalised pair (see :func:`_make`) and never change it
        self.base = base
        self.mask = mask

    @staticmethod
    def single(index: int) -> ClassSet:
        return ClassSet(index, 1)

    @staticmethod
    def first(count: int) -> ClassSet:
        """Classes ``0..count-1``."""
        return ClassSet(0, (1 << count) - 1) if count else EMPTY

    @staticmethod
    def of(indices: Iterable[int]) -> ClassSet:
        """The set of ``indices`` (any order, repeats allowed), built in time ~ span."""
        found = sorted(set(indices))
        if not found:
            return EMPTY
        base = found[0]
        if len(found) == 1:
            return ClassSet(base, 1)
        buffer = bytearray((found[-1] - base) // 8 + 1)
        for index in found:
            offset = index - base
            buffer[offset >> 3] |= 1 << (offset & 7)
        return ClassSet(base, int.from_bytes(buffer, "little"))

    # -- the algebra -------------------------------------------------------------------------

    def __or__(self, other: ClassSet) -> ClassSet:
        if not other.mask:
            return self
        if not self.mask:
            return other
        if self.base <= other.base:
            return ClassSet(self.base, self.mask | other.mask << (other.base - self.base))
        return ClassSet(other.base, other.mask | self.mask << (self.base - other.base))

    def __and__(self, other: ClassSet) -> ClassSet:
        if not self.mask or not other.mask:
            return EMPTY
        if self.base <= other.base:
            return _make(other.base, self.mask >> (other.base - self.base) & other.mask)
        return _make(self.base, other.mask >> (self.base - other.base) & self.mask)

    def __sub__(self, other: ClassSet) -> ClassSet:
        if not self.mask or not other.mask:
            return self
        if other.base >= self.base:
            return _make(self.base, self.mask & ~(other.mask << (other.base - self.base)))
        return _make(self.base, self.mask & ~(other.mask >> (self.base - other.base)))

    def __xor__(self, other: ClassSet) -> ClassSet:
        return (self | other) - (self & other)

    def __le__(self, other: ClassSet) -> bool:
        """Subset."""
        return not (self - other).mask

    def isdisjoint(self, other: ClassSet) -> bool:
        return not (self & other).mask

    def __contains__(self, index: int) -> bool:
        offset = index - self.base
        return offset >= 0 and bool(self.mask >> offset & 1)

    def __rshift__(self, shift: int) -> int:
        """The plain-int bitset shifted right (``s >> i & 1``: is ``i`` a member?)."""
        if shift >= self.base:
            return self.mask >> (shift - self.base)
        return self.mask << (self.base - shift)

    def __bool__(self) -> bool:
        return bool(self.mask)

    def __len__(self) -> int:
        return self.mask.bit_count()

    def __iter__(self) -> Iterator[int]:
        """Members, ascending (linear in the span, whatever the count)."""
        mask = self.mask
        if not mask:
            return
        if mask & (mask + 1) == 0:  # a run of ones
            yield from range(self.base, self.base + mask.bit_length())
            return
        text = bin(mask)[:1:-1]  # bit i is character i
        at = text.find("1")
        while at >= 0:
            yield self.base + at
            at = text.find("1", at + 1)

    def members(self) -> Sequence[int]:
        """The members, ascending, as a ``range`` when they are a run (a set of every class
        is one): a hot loop then steps through them in C, not through this generator."""
        mask = self.mask
        if mask & (mask + 1) == 0:  # a run of ones, or no member
            return range(self.base, self.base + mask.bit_length())
        return list(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClassSet):
            return NotImplemented
        return self.base == other.base and self.mask == other.mask

    def __hash__(self) -> int:
        return hash((self.base, self.mask))

    def __repr__(self) -> str:
        return f"ClassSet({list(self)!r})"


def _make(base: int, mask: int) -> ClassSet:
    """Normalise: shift the lowest member to bit 0."""
    if not mask:
        return EMPTY
    low = (mask & -mask).bit_length() - 1
    return ClassSet(base + low, mask >> low) if low else ClassSet(base, mask)


EMPTY = ClassSet()
