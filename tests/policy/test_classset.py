"""ClassSet (offset bitsets) against Python's own sets: the same algebra, whatever the offset."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from socklock.policy.classset import EMPTY, ClassSet

members = st.sets(st.integers(min_value=0, max_value=300), max_size=12)


@given(members, members)
def test_algebra_agrees_with_sets(a: set[int], b: set[int]) -> None:
    x, y = ClassSet.of(a), ClassSet.of(b)
    assert list(x | y) == sorted(a | b)
    assert list(x & y) == sorted(a & b)
    assert list(x - y) == sorted(a - b)
    assert list(x ^ y) == sorted(a ^ b)
    assert (x <= y) == (a <= b)
    assert x.isdisjoint(y) == a.isdisjoint(b)
    assert len(x) == len(a) and bool(x) == bool(a)


@given(members, members)
def test_equal_sets_are_equal_values(a: set[int], b: set[int]) -> None:
    """Normalised: however a set was reached, equal members mean equal, same-hash values."""
    reached = (ClassSet.of(a | b) - ClassSet.of(b - a)) | ClassSet.of(a & b)
    assert reached == ClassSet.of(a)
    assert hash(reached) == hash(ClassSet.of(a))
    assert (ClassSet.of(a) == ClassSet.of(b)) == (a == b)


@given(members, st.integers(min_value=0, max_value=310))
def test_membership_and_the_int_view(a: set[int], i: int) -> None:
    x = ClassSet.of(a)
    assert (i in x) == (i in a)
    assert x >> i == sum(1 << m for m in a) >> i


def test_a_far_single_class_is_small() -> None:
    """The point of the offset: class 10**6 alone costs a word, not 125 KB."""
    far = ClassSet.single(10**6)
    assert far.mask == 1 and list(far) == [10**6]
    assert far | ClassSet.single(10**6 + 3) == ClassSet.of([10**6, 10**6 + 3])
    assert (far | ClassSet.single(10**6 + 3)).mask.bit_length() == 4


def test_first_and_empty() -> None:
    assert list(ClassSet.first(5)) == [0, 1, 2, 3, 4]
    assert ClassSet.first(0) == EMPTY == ClassSet.of([])
    assert list(ClassSet.first(5) - ClassSet.of([0, 4])) == [1, 2, 3]


@given(members)
def test_members_are_the_iteration(a: set[int]) -> None:
    assert list(ClassSet.of(a).members()) == sorted(a)


def test_members_of_a_run_are_a_range() -> None:
    assert ClassSet.of([3, 4, 5]).members() == range(3, 6)
    assert ClassSet.first(4).members() == range(0, 4)
    assert EMPTY.members() == range(0, 0)
    assert ClassSet.of([1, 3]).members() == [1, 3]
