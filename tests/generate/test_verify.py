"""The proof catches a set that allows too little or too much, in both flavours."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import REPO

from socklock.discover import discover
from socklock.load import load_paths
from socklock.model import Inventory, Protocol, ServiceGraph
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
from socklock.policy.generate.intent import Call, Intent, Port
from socklock.policy.generate.verify import WORLD_V4, compare
from socklock.policy.result import Connection, Verdict
from socklock.policy.table import Row as TableRow


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


class _Endpoint:
    def __init__(self, id_: str, single_pod: bool = False) -> None:
        self.id = id_
        self.single_pod = single_pod


class _Cluster:
    def __init__(self, endpoints: list[_Endpoint]) -> None:
        self.endpoints = endpoints
        self.classes: list[object] = []


class _Reach:
    """A decider that lists the rows it is given, in that order, duplicates included."""

    def __init__(self, endpoints: list[_Endpoint], rows: list[tuple[str, str, int]]) -> None:
        self.cluster = _Cluster(endpoints)
        self.externals: tuple[str, ...] = ()
        self._rows = rows

    def iter_rows(self, include_denied: bool = False, summary: bool = False) -> Iterator[TableRow]:
        for source, target, port in self._rows:
            yield source, target, port, Protocol.TCP, Verdict.ALLOWED, None

    def connections(self, include_denied: bool = False) -> tuple[Connection, ...]:
        return tuple(Connection(*row) for row in self.iter_rows(include_denied))


def test_compare_takes_the_rows_one_at_a_time_and_counts_a_repeated_row_once() -> None:
    intent = Intent(
        scope=("ns/a", "ns/b", "ns/solo"),
        namespaces=("ns",),
        calls=(
            Call("ns/a", "ns/b", Port("TCP", 80)),
            Call("ns/a", "ns/b", Port("TCP", 81)),
            Call("ns/solo", "ns/solo", Port("TCP", 5)),
        ),
        address_calls=(),
        entries=(),
        unexpressed=(),
        notes=(),
        dns=False,
        ingress_namespace=None,
    )
    endpoints = [_Endpoint("ns/a"), _Endpoint("ns/b"), _Endpoint("ns/solo", single_pod=True)]
    reach = _Reach(
        endpoints,
        [
            ("ns/a", "ns/b", 80),
            ("ns/b", "ns/a", 9),  # not asked for: excess
            ("ns/a", "ns/b", 80),  # the same row again: still one allowed, not excess
            ("ns/b", "ns/a", 9),  # the same excess again: listed once
            ("ns/solo", "ns/solo", 5),  # a single Pod to itself: not a row
            ("out/x", "out/y", 1),  # no workload in scope: not a row
        ],
    )
    verification = compare("engine", reach, intent, None)
    assert verification.allowed == 1
    assert [str(r) for r in verification.missing] == ["ns/a -> ns/b 81/TCP"]
    assert [str(r) for r in verification.excess] == ["ns/b -> ns/a 9/TCP"]
