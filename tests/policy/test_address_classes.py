"""Address classes: pods are classed by the ipBlock atoms their IPs fall in, and blocks are
matched by bisection with the same answer as intersecting every block with every pod."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socklock.load import load_paths
from socklock.policy import analyse
from socklock.policy.address_classes import AddressCuts, PodAddressIndex
from socklock.policy.addresses import AddressSet
from socklock.policy.intervals import IntervalSet

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web-5d8f-{n}
  namespace: shop
  labels: {{app: web, pod-template-hash: 5d8f}}
  ownerReferences: [{{kind: ReplicaSet, name: web-5d8f, controller: true}}]
spec:
  containers: [{{name: c, image: i, ports: [{{containerPort: 80}}]}}]
status:
  podIP: {ip}
---
"""
CLIENT = """\
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec:
  containers: [{name: c, image: i}]
status:
  podIP: 10.0.9.9
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-from-internal, namespace: shop}
spec:
  podSelector: {matchLabels: {app: client}}
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.2.0/24]}}]}]
"""


def _cluster(tmp_path: Path, ips: list[str]) -> Path:
    text = "".join(POD.format(n=n, ip=ip) for n, ip in enumerate(ips)) + CLIENT
    (tmp_path / "dump.yaml").write_text(text)
    return tmp_path


def test_replicas_with_ips_in_one_atom_are_one_class(tmp_path: Path) -> None:
    connectivity = analyse(load_paths([str(_cluster(tmp_path, ["10.0.1.1", "10.0.1.2"]))]))
    web = connectivity.endpoint("shop/web")
    assert len(web.classes) == 1
    (only,) = connectivity.pod_classes(web)
    assert only.addresses == AddressSet.addresses(["10.0.1.1", "10.0.1.2"])
    assert connectivity.verdict("shop/web", "shop/client", 80) == "allowed"


def test_replicas_on_both_sides_of_an_except_stay_apart(tmp_path: Path) -> None:
    """Negative: 10.0.2.7 is in the except, 10.0.1.1 is not: two classes, and PARTIAL."""
    connectivity = analyse(load_paths([str(_cluster(tmp_path, ["10.0.1.1", "10.0.2.7"]))]))
    web = connectivity.endpoint("shop/web")
    assert len(web.classes) == 2
    assert connectivity.verdict("shop/web", "shop/client", 80) == "partial"


def test_cuts_key_by_atom() -> None:
    cuts = AddressCuts([AddressSet.network(ipaddress.ip_network("10.0.0.0/16"))])
    inside = [cuts.key(AddressSet.addresses([a])) for a in ("10.0.0.1", "10.0.255.255")]
    outside = cuts.key(AddressSet.addresses(["10.1.0.0"]))
    assert inside[0] == inside[1] != outside
    assert cuts.key(AddressSet.addresses(["fd00::1"])) == ((), (0,))


addresses = st.lists(st.integers(min_value=0, max_value=63), min_size=1, max_size=3)
blocks = st.lists(st.tuples(st.integers(0, 63), st.integers(0, 63)), max_size=4)


@given(st.lists(addresses, max_size=6), blocks)
def test_bisection_agrees_with_intersection(
    pods: list[list[int]], spans: list[tuple[int, int]]
) -> None:
    """The index's (full, partial) is exactly what intersecting each pod's IPs gives."""
    sets = [AddressSet.addresses(str(ipaddress.IPv4Address(a)) for a in ips) for ips in pods]
    block = AddressSet(v4=IntervalSet.of((min(a, b), max(a, b)) for a, b in spans))
    full, partial = PodAddressIndex(list(enumerate(sets))).match(block)
    expected_full = [i for i, s in enumerate(sets) if (s & block) == s]
    expected_partial = [i for i, s in enumerate(sets) if s & block and (s & block) != s]
    assert list(full) == expected_full
    assert list(partial) == expected_partial


def test_pod_addresses_parse_as_ipaddress_does() -> None:
    """The C parser reads IPv4 first; IPv6 and every refusal are ipaddress's."""
    assert AddressSet.addresses(["10.0.0.1", "0.0.0.0", "255.255.255.255", "fd00::1"]) == (
        AddressSet(
            IntervalSet.of([(167772161, 167772161), (0, 0), (2**32 - 1, 2**32 - 1)]),
            IntervalSet.of([(int(ipaddress.IPv6Address("fd00::1")),) * 2]),
        )
    )
    for bad in ("01.2.3.4", "1.2.3", "256.1.1.1", " 1.2.3.4", "1.2.3.4\0", "x", ""):
        with pytest.raises(ValueError):
            AddressSet.addresses([bad])
