"""The lab's plan and its nftables compilation, without creating anything (no root needed)."""

from __future__ import annotations

import re

import pytest
from tests.policy.test_cnp_conformance import CNP_FIXTURES
from tests.policy.truth import FIXTURES

from socklock.lab import parse, plan
from socklock.lab.nft import port_matches
from socklock.lab.state import topology_from_dict, topology_to_dict
from socklock.lab.topology import Topology
from socklock.load import load_paths
from socklock.model import Location, Protocol
from socklock.policy.api import PolicyPort
from socklock.policy.result import PolicyErrors


def _plan(scenario: str, cluster: str = "_cluster") -> tuple[Topology, dict[str, str]]:
    inventory = load_paths([str(FIXTURES / cluster), str(FIXTURES / scenario)])
    return plan(inventory, parse(inventory), "t0")


def _script(topology: Topology, rules: dict[str, str], endpoint: str) -> str:
    return rules[topology.pods_of(endpoint)[0].netns]


def _sets(script: str) -> dict[str, set[str]]:
    found = re.findall(r"set (\w+) \{ [^}]*?(?:elements = \{ ([^}]*) \})? \}", script)
    return {name: set(filter(None, body.split(", "))) for name, body in found}


def test_and_peer_admits_exactly_the_pod_of_both_selectors() -> None:
    topology, rules = _plan("07-and-peer")
    script = _script(topology, rules, "x/a")
    y_b = topology.pods_of("y/b")[0]
    sets = _sets(script)
    used = re.findall(r"(ip6?) saddr @(pods\d+) accept", script)
    assert sorted(sets[name] == {y_b.address(4 if f == "ip" else 6)} for f, name in used) == [
        True,
        True,
    ]
    assert "reject with tcp reset" in script
    assert "# not isolated for egress" in script
    # y/b itself is not isolated: no reject in its ingress or egress
    assert "reject" not in _script(topology, rules, "y/b")


def test_named_port_in_egress_resolves_per_destination_pod() -> None:
    topology, rules = _plan("24-named-port-egress-differs-per-pod", "_cluster-named")
    script = _script(topology, rules, "n/c")
    p, q, r = (topology.pods_of(f"n/{n}")[0] for n in "pqr")
    assert f"ip daddr {p.address(4)} tcp dport {{ 80 }} accept" in script
    assert f"ip daddr {q.address(4)} tcp dport {{ 8080 }} accept" in script
    assert f"ip6 daddr {q.address(6)} tcp dport {{ 8080 }} accept" in script
    assert f"daddr {r.address(4)} " not in script  # r has no port named web


def test_ipblock_never_matches_lab_assigned_addresses() -> None:
    topology, rules = _plan("36-ipblock-v4-except-external")
    script = _script(topology, rules, "x/a")
    sets = _sets(script)
    (line,) = [x for x in script.splitlines() if "spec.ingress[0]" in x]
    cidr, hole, lab = re.findall(r"@(\w+)", line)
    assert sets[cidr] == {"192.168.0.0/16"} and sets[hole] == {"192.168.1.0/24"}
    assert sets[lab] == {p.address(4) for p in topology.pods}
    assert "!= @" + hole in line and "!= @" + lab in line


def test_outside_has_one_sample_per_atom() -> None:
    topology, _ = _plan("36-ipblock-v4-except-external")
    samples = topology.outside.samples
    # cut at 192.168.0.0/16 and its hole 192.168.1.0/24: five atoms of IPv4
    assert samples["external:0.0.0.0/0"] == (
        "192.0.2.1",
        "192.168.0.1",
        "192.168.1.1",
        "192.168.2.1",
        "198.51.100.1",
    )
    assert samples["external:192.168.0.0/16"] == ("192.168.0.1", "192.168.1.1", "192.168.2.1")
    assert samples["external:192.168.1.0/24"] == ("192.168.1.1",)
    assert samples["external:::/0"] == ("2001:db8::1",)
    assert topology.outside.unsampled == ()


def test_link_local_ranges_are_unsampled_with_a_reason() -> None:
    inventory = load_paths([str(FIXTURES / "_cluster")])
    topology, _ = plan(inventory, (), "t0", externals=["external:fe80::/10"])
    whole, part = sorted(topology.outside.unsampled, key=lambda u: u.name, reverse=True)
    assert (whole.name, whole.whole) == ("external:fe80::/10", True)
    # ::/0 is probed on its other atoms; its link-local part is noted, not probed
    assert (part.name, part.whole) == ("external:::/0", False)
    assert "link-local" in part.reason
    assert topology.outside.samples["external:::/0"] == ("2001:db8::1", "fec0::1")


def test_a_workload_gets_two_pods_and_a_bare_pod_one() -> None:
    topology, _ = _plan("41-replicas-are-distinct-pods", "_cluster")
    assert len(topology.pods_of("w/web")) == 2
    assert len(topology.pods_of("w/solo")) == 1
    assert "w/solo" in topology.single_pod and "w/web" not in topology.single_pod


def test_given_pod_ips_are_used_as_they_are() -> None:
    topology, _ = _plan("38-ipblock-matches-pod-ips", "_cluster-ips")
    (y_a,) = topology.pods_of("y/a")
    assert y_a.given and y_a.addresses == ("10.0.1.1", "fd00:0:0:1::1")
    assert topology.lab_assigned == ()


def test_every_name_the_lab_creates_has_the_prefix() -> None:
    topology, rules = _plan("07-and-peer")
    names = [p.netns for p in topology.pods] + [topology.outside.netns, topology.bridge_netns]
    assert all(n.startswith("socklock-t0-") for n in names)
    assert all("table inet socklock_lab {" in script for script in rules.values())


def test_ports_are_merged_by_protocol() -> None:
    here = Location("p.yaml", 1, 1)
    ports = [
        PolicyPort(Protocol.TCP, 80, 81, here),
        PolicyPort(Protocol.TCP, 79, None, here),
        PolicyPort(Protocol.UDP, 53, None, here),
        PolicyPort(Protocol.SCTP, None, None, here),
        PolicyPort(Protocol.TCP, "web", None, here),  # no pod to resolve it on
    ]
    assert port_matches(ports, None) == [
        "tcp dport { 79-81 }",
        "udp dport { 53 }",
        "meta l4proto sctp",
    ]
    assert port_matches([], None) == [""]


def test_state_round_trip() -> None:
    topology, _ = _plan("36-ipblock-v4-except-external")
    assert topology_from_dict(topology_to_dict(topology)) == topology


def test_cluster_network_policy_baseline_chain_by_priority_pass_accepts() -> None:
    """ClusterNetworkPolicy's Baseline tier: its policies by priority (z-skips-baseline-into-x,
    10, before deny-all, 20, whatever the names), a Pass there accepting (the default tier)."""
    folder = CNP_FIXTURES / "10-baseline-pass-skips-the-rest-of-the-tier"
    inventory = load_paths([str(FIXTURES / "_cluster"), str(folder)])
    topology, rules = plan(inventory, parse(inventory), "t0")
    script = _script(topology, rules, "x/a")
    chain = script[script.index("chain baseline_ingress {") :]
    chain = chain[: chain.index("}")]
    verdicts = re.findall(r"(accept|goto deny_ingress) comment \"([^\"]+)\"", chain)
    assert verdicts == [
        ("accept", "ClusterNetworkPolicy z-skips-baseline-into-x spec.ingress[0]"),
        ("accept", "ClusterNetworkPolicy z-skips-baseline-into-x spec.ingress[0]"),
        ("goto deny_ingress", "ClusterNetworkPolicy deny-all spec.ingress[0]"),
        ("goto deny_ingress", "ClusterNetworkPolicy deny-all spec.ingress[0]"),
        ("accept", "no tier denies"),
    ]


def test_the_lab_refuses_v1alpha1_beside_v1alpha2() -> None:
    """As the engine does: the reference orders neither API version's tiers against the other."""
    folder = CNP_FIXTURES / "36-error-mixed-api-versions"
    inventory = load_paths([str(FIXTURES / "_cluster"), str(folder)])
    with pytest.raises(PolicyErrors) as refused:
        parse(inventory)
    assert [d.message for d in refused.value.diagnostic_list] == [
        "ClusterNetworkPolicy new (policy.networking.k8s.io/v1alpha2) is beside "
        "AdminNetworkPolicy old (policy.networking.k8s.io/v1alpha1, "
        f"{folder}/policies.yaml:1:1): the API does not order v1alpha1 "
        "AdminNetworkPolicy/BaselineAdminNetworkPolicy against v1alpha2 ClusterNetworkPolicy "
        "(v1alpha2 replaces them), so no verdict is given: migrate every object to one version"
    ]
