"""The anp and cilium sets socklock generates, enforced for real: the small two-namespace
graph of tests/generate/small.py generated in each flavour (proven by its decider), brought
up in the lab (:mod:`socklock.lab.nft_admin` / :mod:`socklock.lab.nft_cilium` compile the
objects, never the decider's answers), probed, and every row compared with the flavour's
decider; the rows the kernel lets through are exactly the graph's calls, the entry point
and the external address the graph calls. DNS is not probed: the input has no kube-dns pod.
"""

from __future__ import annotations

import pytest
from tests.generate.small import small_app

from socklock.lab import check, running
from socklock.policy.admin import analyse_admin
from socklock.policy.cilium import analyse_cilium
from socklock.policy.generate import Flavor, GenerateOptions, generate
from socklock.policy.generate.verify import externals_for

pytestmark = pytest.mark.lab

DECIDERS = {Flavor.ANP: analyse_admin, Flavor.CILIUM: analyse_cilium}


@pytest.mark.parametrize("flavor", [Flavor.ANP, Flavor.CILIUM], ids=str)
def test_generated_set_in_the_kernel_is_the_graph(flavor: Flavor, lab_run_id: str) -> None:
    inventory, graph = small_app()
    generated = generate(inventory, graph, GenerateOptions(flavor=flavor))
    assert generated.intent is not None
    externals = externals_for(generated.intent)
    with running(inventory, generated.policies, run_id=lab_run_id, externals=externals) as lab:
        assert len(lab.topology.endpoints) == 4
        decider = DECIDERS[flavor](inventory, generated.policies, externals=externals)
        comparison = check(lab, decider)
    assert [str(d) for d in comparison.differences] == []
    assert comparison.skipped == ()
    allowed = sorted(
        (r.source, r.target, r.port, str(r.protocol), r.kernel.value)
        for r in comparison.rows
        if r.kernel.value != "denied"
    )
    assert allowed == [
        ("external:0.0.0.0/0", "shop/web", 8080, "TCP", "allowed"),
        ("external:203.0.113.0/24", "shop/web", 8080, "TCP", "allowed"),
        ("external:::/0", "shop/web", 8080, "TCP", "allowed"),
        ("shop/api", "data/db", 5432, "TCP", "allowed"),
        ("shop/api", "external:0.0.0.0/0", 443, "TCP", "partial"),  # the /24 of it only
        ("shop/api", "external:203.0.113.0/24", 443, "TCP", "allowed"),
        ("shop/web", "shop/api", 8080, "TCP", "allowed"),
    ]
    # every workload probed from every workload, on their ports and the ports the set names
    pairs = {(r.source, r.target) for r in comparison.rows if "external:" not in r.source}
    assert len({p for p in pairs if "external:" not in p[1]}) == 4 * 4
