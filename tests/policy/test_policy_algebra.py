"""Property tests: interval sets behave as the sets of integers they stand for, and selectors
evaluated with bitsets agree with evaluating them one label set at a time."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from socklock.policy.addresses import AddressSet, external_addresses
from socklock.policy.intervals import IntervalSet
from socklock.policy.selectors import LabelIndex, LabelSelector, Operator, Requirement

UNIVERSE = range(0, 40)
ranges = st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=6).map(
    lambda pairs: [(min(a, b), max(a, b)) for a, b in pairs]
)


def members(s: IntervalSet) -> set[int]:
    return {v for lo, hi in s for v in range(lo, hi + 1)}


def plain(pairs: list[tuple[int, int]]) -> set[int]:
    return {v for lo, hi in pairs for v in range(lo, hi + 1)}


@given(ranges)
def test_canonical_form(pairs: list[tuple[int, int]]) -> None:
    s = IntervalSet.of(pairs)
    assert members(s) == plain(pairs)
    for (_, hi), (lo, _) in zip(s.ranges, s.ranges[1:], strict=False):
        assert lo > hi + 1  # disjoint and never adjacent
    assert IntervalSet.of(reversed(pairs)) == s  # order does not matter
    assert s.size() == len(plain(pairs))


@given(ranges, ranges)
def test_algebra_matches_sets(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> None:
    x, y = IntervalSet.of(a), IntervalSet.of(b)
    assert members(x | y) == plain(a) | plain(b)
    assert members(x & y) == plain(a) & plain(b)
    assert members(x - y) == plain(a) - plain(b)
    assert members(x.complement(0, 39)) == set(UNIVERSE) - plain(a)
    assert x.issubset(y) == plain(a).issubset(plain(b))
    assert x.isdisjoint(y) == plain(a).isdisjoint(plain(b))
    for v in range(-1, 41):
        assert (v in x) == (v in plain(a))


@given(ranges, st.lists(st.integers(0, 41), max_size=6))
def test_split_keeps_members_and_cuts_at_points(a: list[tuple[int, int]], cuts: list[int]) -> None:
    pieces = IntervalSet.of(a).split(cuts)
    assert plain(pieces) == plain(a)
    assert sum(hi - lo + 1 for lo, hi in pieces) == len(plain(a))
    for lo, hi in pieces:
        assert not any(lo < c <= hi for c in cuts)


def test_rejects_non_canonical() -> None:
    for bad in (((3, 1),), ((1, 2), (3, 4)), ((5, 6), (1, 2))):
        try:
            IntervalSet(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} accepted")


v4 = st.integers(0, 2**32 - 1)


@given(v4, st.integers(0, 32), v4, st.integers(0, 32))
def test_address_sets_match_ipaddress(a: int, pa: int, b: int, pb: int) -> None:
    n1 = ipaddress.ip_network((a, pa), strict=False)
    n2 = ipaddress.ip_network((b, pb), strict=False)
    s1, s2 = AddressSet.network(n1), AddressSet.network(n2)
    assert s2.issubset(s1) == n2.subnet_of(n1)
    assert bool(s1 & s2) == n1.overlaps(n2)
    assert [str(n) for n in ipaddress.collapse_addresses([n1])] == s1.cidrs()
    difference = (s1 - s2).cidrs()
    expected = [str(n) for n in n1.address_exclude(n2)] if n2.subnet_of(n1) else None
    if expected is not None:
        assert sorted(difference) == sorted(expected)


def test_external_endpoints() -> None:
    assert external_addresses("external:10.0.0.0/8") == AddressSet.network(
        ipaddress.ip_network("10.0.0.0/8")
    )
    assert external_addresses("external:::/0").cidrs() == ["::/0"]
    assert external_addresses("external:192.0.2.1").cidrs() == ["192.0.2.1/32"]
    assert external_addresses("external:api.example.com").cidrs() == ["0.0.0.0/0"]


KEYS = ("app", "tier", "team")
VALUES = ("a", "b", "c")
label_sets = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=3)
requirements = st.builds(
    lambda key, op, values: Requirement(
        key,
        op,
        tuple(sorted(set(values))) if op in (Operator.IN, Operator.NOT_IN) else (),
    ),
    st.sampled_from(KEYS),
    st.sampled_from(list(Operator)),
    st.lists(st.sampled_from(VALUES), min_size=1, max_size=3),
)
selectors = st.lists(requirements, max_size=4).map(lambda rs: LabelSelector(tuple(sorted(set(rs)))))


def by_hand(requirement: Requirement, labels: dict[str, str]) -> bool:
    """The API reference's wording, literally."""
    has = requirement.key in labels
    if requirement.operator is Operator.IN:
        return has and labels[requirement.key] in requirement.values
    if requirement.operator is Operator.NOT_IN:
        return not has or labels[requirement.key] not in requirement.values
    if requirement.operator is Operator.EXISTS:
        return has
    return not has


@settings(max_examples=200)
@given(st.lists(label_sets, max_size=8), selectors)
def test_index_agrees_with_one_at_a_time(
    labels: list[dict[str, str]], selector: LabelSelector
) -> None:
    index = LabelIndex(labels)
    mask = index.select(selector)
    for i, one in enumerate(labels):
        expected = all(by_hand(r, one) for r in selector.requirements)
        assert bool(mask >> i & 1) == expected == selector.matches(one)
    assert mask >> len(labels) == 0
    assert index.select(selector) == mask  # interned


@given(st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=3))
def test_match_labels_is_in_with_one_value(match: dict[str, str]) -> None:
    built = LabelSelector.build(match)
    as_expressions = LabelSelector.build(None, [(k, Operator.IN, [v]) for k, v in match.items()])
    assert built == as_expressions and hash(built) == hash(as_expressions)
    assert built.is_empty == (not match)
