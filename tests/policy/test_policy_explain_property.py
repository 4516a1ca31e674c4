"""explain agrees with the verdict on random clusters and policies (hypothesis).

For every pair of workloads and every port the pods declare (and one none does): the
explanation carries the engine's verdict; ALLOWED exactly when every side it shows allows;
DENIED only when some side does not; and an ALLOWED ingress side names a rule that admits
(or no policy isolating it). Pods have IPs, and rules ipBlocks, so the partial cases come up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.policy.test_policy_nca import _manifests, pods, policies

from socklock.load import load_paths
from socklock.policy import PolicyErrors, Verdict, analyse, explain

blocks = st.sampled_from(["10.0.0.0/24", "10.0.0.0/31", "0.0.0.0/0", "192.168.0.0/16"])


def _with_ips(docs: list[Any], ips: list[bool], block_rules: list[tuple[int, str]]) -> list[Any]:
    """Give some pods the IP 10.0.0.<n>, and add an ipBlock peer to some policy rules."""
    pod_index = 0
    policy_index = 0
    for doc in docs:
        if doc["kind"] == "Pod":
            if ips[pod_index % len(ips)]:
                doc["status"] = {"podIP": f"10.0.0.{pod_index + 1}"}
            pod_index += 1
        elif doc["kind"] == "NetworkPolicy":
            for which, cidr in block_rules:
                if which != policy_index:
                    continue
                for direction, key in (("ingress", "from"), ("egress", "to")):
                    for rule in doc["spec"].get(direction, []):
                        if key in rule:
                            rule[key] = [*rule[key], {"ipBlock": {"cidr": cidr}}]
            policy_index += 1
    return docs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(pods, min_size=2, max_size=4),
    st.lists(policies, min_size=1, max_size=3),
    st.lists(st.booleans(), min_size=1, max_size=4),
    st.lists(st.tuples(st.integers(0, 2), blocks), max_size=2),
)
def test_explain_agrees_with_the_verdict(
    tmp_path_factory: Any,
    pod_list: list[dict[str, Any]],
    policy_list: list[dict[str, Any]],
    ips: list[bool],
    block_rules: list[tuple[int, str]],
) -> None:
    directory: Path = tmp_path_factory.mktemp("explain")
    docs = _with_ips(_manifests(pod_list, policy_list), ips, block_rules)
    text = "---\n".join(yaml.safe_dump(d, sort_keys=False) for d in docs)
    (directory / "all.yaml").write_text(text)
    try:
        connectivity = analyse(load_paths([str(directory)]))
    except PolicyErrors:
        return
    ports = sorted({p for e in connectivity.cluster.endpoints for p in e.ports} | {(9, "TCP")})
    for source in connectivity.endpoints:
        for target in connectivity.endpoints:
            for port, protocol in ports:
                verdict = connectivity.verdict(source, target, port, protocol)
                explanation = explain(connectivity, source, target, port, protocol)
                where = f"{source} -> {target} {port}/{protocol}"
                assert explanation.verdict is verdict, where
                if source == target:
                    continue  # a bare Pod reaches itself whatever its sides say
                sides = [s for s in (explanation.egress, explanation.ingress) if s is not None]
                if verdict is Verdict.ALLOWED:
                    assert all(s.allowed for s in sides), where
                else:
                    assert not all(s.allowed for s in sides), where
                ingress = explanation.ingress
                if ingress is not None and ingress.allowed and ingress.isolated:
                    assert ingress.admitting, where
