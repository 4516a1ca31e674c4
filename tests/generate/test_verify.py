"""The proof catches a set that allows too little or too much, in both flavours."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from tests.conftest import REPO

from socklock.discover import discover
from socklock.load import load_paths
from socklock.model import Inventory, ServiceGraph
from socklock.policy.calico_model import analyse_calico, parse_selector
from socklock.policy.emit import OutputFile, parse_objects
from socklock.policy.generate import (
    Flavor,
    GeneratedSet,
    GenerateOptions,
    Mode,
    generate,
    verify_generated,
)
from socklock.policy.generate.verify import WORLD_V4


@pytest.fixture(scope="module")
def shop() -> tuple[Inventory, ServiceGraph]:
    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        inventory = load_paths(["examples/sockshop"])
        return inventory, discover(inventory, code=False)
    finally:
        os.chdir(cwd)


def tampered(generated: GeneratedSet, path: str, old: str, new: str) -> GeneratedSet:
    files = []
    for file in generated.files:
        if file.path == path:
            assert old in file.text
            text = file.text.replace(old, new, 1)
            file = OutputFile(path, text, parse_objects(text, path))
        files.append(file)
    return dataclasses.replace(
        generated,
        files=tuple(files),
        policies=tuple(o for f in files for o in f.objects),
    )


def test_a_missing_peer_is_missing(shop: tuple[Inventory, ServiceGraph]) -> None:
    inventory, graph = shop
    generated = generate(inventory, graph)
    broken = tampered(
        generated,
        "sock-shop/carts-db.yaml",
        "app.kubernetes.io/name: carts\n",
        "app.kubernetes.io/name: nobody\n",
    )
    result = verify_generated(inventory, graph, broken)
    assert not result.ok
    assert [str(r) for r in result.missing] == ["sock-shop/carts -> sock-shop/carts-db 27017/TCP"]
    assert result.excess == ()


def test_a_wider_peer_is_excess(shop: tuple[Inventory, ServiceGraph]) -> None:
    inventory, graph = shop
    generated = generate(inventory, graph)
    broken = tampered(
        generated,
        "sock-shop/carts-db.yaml",
        "        - podSelector:\n            matchLabels:\n"
        "              app.kubernetes.io/name: carts\n",
        "        - namespaceSelector: {}\n",
    )
    result = verify_generated(inventory, graph, broken)
    assert result.missing == ()
    # every pod whose egress no policy restricts now reaches carts-db (here: the DNS pod)
    assert [str(r) for r in result.excess] == [
        "kube-system/kube-dns -> sock-shop/carts-db 27017/TCP"
    ]


def test_an_extra_port_on_both_sides_is_excess(shop: tuple[Inventory, ServiceGraph]) -> None:
    inventory, graph = shop
    generated = generate(inventory, graph)
    extra = "        - port: 28017\n          protocol: TCP\n"
    ports = "      ports:\n        - port: mongo\n          protocol: TCP\n"
    broken = tampered(generated, "sock-shop/carts-db.yaml", ports, ports + extra)
    broken = tampered(broken, "sock-shop/carts.yaml", ports, ports + extra)
    result = verify_generated(inventory, graph, broken)
    assert [str(r) for r in result.excess] == ["sock-shop/carts -> sock-shop/carts-db 28017/TCP"]


def test_calico_tampering_is_caught_too(shop: tuple[Inventory, ServiceGraph]) -> None:
    inventory, graph = shop
    generated = generate(inventory, graph, GenerateOptions(flavor=Flavor.CALICO))
    broken = tampered(
        generated,
        "sock-shop/catalogue-db.yaml",
        "    - action: Allow\n      protocol: TCP\n      source:",
        "    - action: Deny\n      protocol: TCP\n      source:",
    )
    result = verify_generated(inventory, graph, broken)
    assert [str(r) for r in result.missing] == [
        "sock-shop/catalogue -> sock-shop/catalogue-db 3306/TCP"
    ]


def test_log_mode_logs_and_allows_everything_else(shop: tuple[Inventory, ServiceGraph]) -> None:
    inventory, graph = shop
    generated = generate(inventory, graph, GenerateOptions(flavor=Flavor.CALICO, mode=Mode.LOG))
    assert generated.verification is not None and generated.verification.ok
    # Calico's own semantics (Log goes on, the last rule allows): nothing is denied.
    really = analyse_calico(inventory, generated.policies, externals=[WORLD_V4])
    rows = really.connections(include_denied=True)
    assert rows and all(r.verdict.value == "allowed" for r in rows)
    # as enforcement would read it (Log = the deny it announces): only the graph
    enforced = analyse_calico(inventory, generated.policies, externals=[WORLD_V4], log_as_deny=True)
    assert any(r.verdict.value == "denied" for r in enforced.connections(include_denied=True))


def test_staged_policies_enforce_nothing(shop: tuple[Inventory, ServiceGraph]) -> None:
    inventory, graph = shop
    generated = generate(inventory, graph, GenerateOptions(flavor=Flavor.CALICO, mode=Mode.STAGED))
    assert {p.kind for p in generated.policies} == {
        "StagedGlobalNetworkPolicy",
        "StagedNetworkPolicy",
    }
    now = analyse_calico(inventory, generated.policies, externals=[WORLD_V4])
    assert all(r.verdict.value == "allowed" for r in now.connections(include_denied=True))


def test_calico_selector_syntax() -> None:
    assert parse_selector("a == 'x' && !has(b) || c in {'1', '2'}") == (
        "or",
        ("and", ("eq", "a", "x"), ("not", ("has", "b"))),
        ("in", "c", ("1", "2")),
    )
    assert parse_selector("") == ("all",)
    assert parse_selector("k not in {'v'}") == ("not", ("in", "k", ("v",)))
    with pytest.raises(ValueError):
        parse_selector("a ==")
