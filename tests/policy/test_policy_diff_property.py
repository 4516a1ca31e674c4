"""diff, written once over any decider, agrees with the two tables (hypothesis): a random
NetworkPolicy set against a random Calico set on the same pods.

Every row either table lists (``include_denied``) whose verdicts differ is inside a change
with those verdicts (a row to or from outside: inside a change of an address range that meets
it); every change has its verdicts at its first and its last port.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.policy.test_policy_explain_property import (
    EXTERNALS,
    _write,
    calico_documents,
    calico_policies,
)
from tests.policy.test_policy_nca import _manifests, pods, policies

from socklock.load import load_paths
from socklock.model import Protocol
from socklock.policy import Change, PolicyErrors, Verdict, analyse, diff, equivalent
from socklock.policy.addresses import external_addresses, is_external
from socklock.policy.calico_model import API_VERSION, CalicoErrors, analyse_calico
from socklock.policy.table import Decider, iter_rows, verdict_of


def _covers(
    change: Change,
    source: str,
    target: str,
    port: int,
    protocol: Protocol,
    before: Verdict,
    after: Verdict,
) -> bool:
    """Does ``change`` hold the row? A change to outside names the largest address range that
    changed: it holds an external row when its range meets the row's addresses."""
    if change.protocol is not protocol or not change.port <= port <= change.end_port:
        return False
    if is_external(source) or is_external(target):
        mine, theirs = (source, change.source) if is_external(source) else (target, change.target)
        other = (target, change.target) if is_external(source) else (source, change.source)
        return (
            other[0] == other[1]
            and is_external(theirs)
            and bool(external_addresses(mine) & external_addresses(theirs))
        )
    return (change.source, change.target, change.before, change.after) == (
        source,
        target,
        before,
        after,
    )


def _check(old: Decider, new: Decider) -> None:
    changes = diff(old, new).changes
    for change in changes:
        for port in (change.port, change.end_port):
            before = verdict_of(old, change.source, change.target, port, change.protocol)
            after = verdict_of(new, change.source, change.target, port, change.protocol)
            assert (before, after) == (change.before, change.after), change
    for decider in (old, new):
        for source, target, low, protocol, _, end in iter_rows(decider, include_denied=True):
            for port in {low, end or low}:
                before = verdict_of(old, source, target, port, protocol)
                after = verdict_of(new, source, target, port, protocol)
                if before is after:
                    continue
                assert any(
                    _covers(c, source, target, port, protocol, before, after) for c in changes
                ), (source, target, port, protocol, before, after)
    assert equivalent(old, new) is (not changes)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(pods, min_size=2, max_size=4),
    st.lists(policies, min_size=1, max_size=3),
    st.lists(calico_policies, min_size=1, max_size=3),
)
def test_diff_of_a_kubernetes_and_a_calico_set_agrees_with_both_tables(
    tmp_path_factory: Any,
    pod_list: list[dict[str, Any]],
    kubernetes: list[dict[str, Any]],
    calico: list[dict[str, Any]],
) -> None:
    directory: Path = tmp_path_factory.mktemp("diff")
    _write(directory, _manifests(pod_list, kubernetes) + calico_documents(calico))
    inventory = load_paths([str(directory)])
    calico_objects = [o for o in inventory.objects if o.api_version == API_VERSION]
    kubernetes_objects = [o for o in inventory.objects if o.kind == "NetworkPolicy"]
    kubernetes_objects = [o for o in kubernetes_objects if o.api_version != API_VERSION]
    try:
        old = analyse(inventory, kubernetes_objects, externals=EXTERNALS)
        new = analyse_calico(inventory, calico_objects, externals=EXTERNALS)
    except (PolicyErrors, CalicoErrors):
        return
    _check(old, new)
    _check(new, old)
    _check(old, old)
