"""The Calico compilation (:mod:`socklock.lab.nft_calico`) read without creating anything (no
root needed): tiers as chains in order, Pass as return, Log as a statement without a verdict,
the end of a tier, and what the lab refuses."""

from __future__ import annotations

import re

import pytest
from tests.policy.test_calico_conformance import CALICO, calico_scenarios
from tests.policy.truth import FIXTURES

from socklock.lab import parse, plan
from socklock.lab.topology import Topology
from socklock.load import load_paths
from socklock.policy import PolicyErrors, analyse


def _plan(scenario: str) -> tuple[Topology, dict[str, str]]:
    inventory = load_paths([str(FIXTURES / "_cluster"), str(CALICO / scenario)])
    return plan(inventory, parse(inventory), "t0")


def _chain(script: str, name: str) -> list[str]:
    body = re.search(rf"\tchain {name} \{{\n(.*?)\n\t\}}", script, re.S)
    assert body is not None, name
    return [line.strip() for line in body.group(1).splitlines()]


def _pods(topology: Topology, script: str, chain: list[str], family: str) -> set[str]:
    """The pods whose addresses the set named in the first ``<family> saddr @set`` holds."""
    name = next(m.group(1) for line in chain if (m := re.search(rf"{family} saddr @(\w+)", line)))
    found = re.search(rf"set {name} \{{ [^}}]*elements = \{{ ([^}}]*) \}}", script)
    assert found is not None
    addresses = set(found.group(1).split(", "))
    return {p.name for p in topology.pods if set(p.addresses) & addresses}


def test_tiers_in_order_pass_returns_and_the_profile_allows() -> None:
    topology, rules = _plan("01-tier-first-decides-then-pass")
    script = rules[topology.pods_of("x/a")[0].netns]
    assert _chain(script, "ingress")[-3:] == [
        'jump t0_ingress comment "tier security"',
        'jump t1_ingress comment "tier default"',
        'accept comment "profile: allow"',
    ]
    first = _chain(script, "t0_ingress")
    assert first[2:] == [
        'return comment "GlobalNetworkPolicy security.deny-b spec.ingress[1]"',
        'goto deny_ingress comment "end of tier security: Deny"',
    ]
    assert _pods(topology, script, first, "ip") == {"x/b#0", "y/b#0", "z/b#0"}
    assert _pods(topology, script, _chain(script, "t1_ingress"), "ip6") == {"x/b#0"}
    # y/a: only the security tier selects it; nothing selects anyone's egress
    other = rules[topology.pods_of("y/a")[0].netns]
    assert "t1_ingress" not in other and "jump t0_ingress" in other
    assert _chain(other, "egress")[-1] == "# no Calico policy selects this pod for egress: open"


def test_default_action_pass_returns_at_the_end_of_the_tier() -> None:
    topology, rules = _plan("02-tier-default-action-pass")
    script = rules[topology.pods_of("x/a")[0].netns]
    assert _chain(script, "t0_ingress")[-1] == 'return comment "end of tier security: Pass"'


def test_log_writes_to_its_own_group_and_goes_on() -> None:
    topology, rules = _plan("10-log-goes-on")
    chain = _chain(rules[topology.pods_of("x/a")[0].netns], "t0_ingress")
    assert chain[0] == (
        'log prefix "socklock calico log-then-c spec.ingress[0]" group 8 '
        'comment "NetworkPolicy x/log-then-c spec.ingress[0]"'
    )
    assert [line.split(" comment ")[0] for line in chain[1:]] == [
        "ip saddr @pods2 accept",
        "ip6 saddr @pods3 accept",
        "goto deny_ingress",
    ]


def test_nets_match_outside_addresses_but_never_lab_assigned_ones() -> None:
    topology, rules = _plan("26-nets-admit-external-addresses")
    script = rules[topology.pods_of("x/a")[0].netns]
    assert _chain(script, "t0_ingress")[0] == (
        'ip saddr @nets2 ip saddr != @lab0 accept comment "NetworkPolicy x/nets spec.ingress[0]"'
    )
    nets = "set nets2 { type ipv4_addr; flags interval; auto-merge; elements = { 192.168.0.0/16 }"
    assert nets in script
    assert "external:192.168.0.0/16" in topology.outside.samples


def test_named_port_resolves_on_the_selected_pod() -> None:
    topology, rules = _plan("19-named-port")
    chain = _chain(rules[topology.pods_of("x/b")[0].netns], "t0_ingress")
    assert [line.split(" comment ")[0] for line in chain] == [
        "tcp dport { 81 } accept",
        "goto deny_ingress",
    ]


def test_kubernetes_policies_go_to_the_default_tier_after_lower_orders() -> None:
    """Scenario 37: a Calico Deny at order 500, then the KNP (order 1000) compiled by the lab's
    NetworkPolicy rules as accepts, then the end of the default tier."""
    topology, rules = _plan("37-calico-deny-order-500-before-knp")
    script = rules[topology.pods_of("x/a")[0].netns]
    assert _chain(script, "ingress")[-2:] == [
        'jump t0_ingress comment "tier default"',
        'accept comment "profile: allow"',
    ]
    chain = _chain(script, "t0_ingress")
    assert [line.split(" comment ")[1] for line in chain] == [
        '"NetworkPolicy x/deny-b spec.ingress[0]"',
        '"NetworkPolicy x/deny-b spec.ingress[0]"',
        '"x/all-to-a spec.ingress[0]"',
        '"x/all-to-a spec.ingress[0]"',
        '"end of tier default: Deny"',
    ]
    assert chain[0].startswith("ip saddr @") and " goto deny_ingress " in chain[0]
    assert chain[2].split(" comment ")[0].endswith(" accept")


def test_calico_beside_admin_or_cilium_is_refused_as_the_engine_refuses() -> None:
    for name in ("47-refused-anp-beside-calico", "48-refused-cilium-beside-calico"):
        inventory = load_paths([str(FIXTURES / "_cluster"), str(CALICO / name)])
        with pytest.raises(PolicyErrors) as refused:
            parse(inventory)
        with pytest.raises(PolicyErrors) as engine:
            analyse(inventory)
        assert refused.value.diagnostic_list == engine.value.diagnostic_list


def test_what_the_decider_refuses_the_lab_refuses() -> None:
    for folder in calico_scenarios(refused=True):
        inventory = load_paths([str(FIXTURES / "_cluster"), str(folder)])
        with pytest.raises(PolicyErrors) as refused:
            parse(inventory)
        with pytest.raises(PolicyErrors) as engine:
            analyse(inventory)
        assert refused.value.diagnostic_list == engine.value.diagnostic_list, folder.name


def test_cluster_network_policies_sit_in_kube_admin_before_the_default_tier() -> None:
    """The lab places the parsed CNP in its own kube-admin chain (order 1000, before the
    default tier holding the NetworkPolicy): Pass returns to the next tier, Accept accepts,
    and the tier's end passes."""
    topology, rules = _plan("53-cnp-admin-pass-to-knp")
    script = rules[topology.pods_of("x/a")[0].netns]
    assert _chain(script, "ingress")[-3:] == [
        'jump t0_ingress comment "tier kube-admin"',
        'jump t1_ingress comment "tier default"',
        'accept comment "profile: allow"',
    ]
    assert [line.split(" @")[1] for line in _chain(script, "t0_ingress")[:4]] == [
        'pods2 return comment "ClusterNetworkPolicy pass-y spec.ingress[0]"',
        'pods3 return comment "ClusterNetworkPolicy pass-y spec.ingress[0]"',
        'lab0 accept comment "ClusterNetworkPolicy pass-y spec.ingress[1]"',
        'lab1 accept comment "ClusterNetworkPolicy pass-y spec.ingress[1]"',
    ]
    assert _chain(script, "t0_ingress")[-1] == 'return comment "end of tier kube-admin: Pass"'
    assert _pods(topology, script, _chain(script, "t0_ingress"), "ip") == {
        "y/a#0",
        "y/b#0",
        "y/c#0",
    }


def test_a_calico_policy_in_kube_admin_goes_by_order_among_the_cnps() -> None:
    topology, rules = _plan("59-calico-policy-inside-kube-admin")
    chain = _chain(rules[topology.pods_of("x/c")[0].netns], "t0_ingress")
    assert [line.split(" comment ")[1] for line in chain] == [
        '"GlobalNetworkPolicy c-deny-z spec.ingress[0]"',
        '"GlobalNetworkPolicy c-deny-z spec.ingress[0]"',
        '"ClusterNetworkPolicy accept-all spec.ingress[0]"',
        '"ClusterNetworkPolicy accept-all spec.ingress[0]"',
        '"end of tier kube-admin: Pass"',
    ]
