"""Intent a person writes: socklock's YAML, Otterize ClientIntents, the graph JSON (issue 13)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import DEMO_SHOP

from socklock.errors import InputErrors
from socklock.intent import read_intent
from socklock.load import load_paths

SHOP = DEMO_SHOP / "kubernetes"


@pytest.fixture(scope="module")
def shop():  # type: ignore[no-untyped-def]
    return load_paths([str(SHOP)])


def socklock(*args: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "socklock", *args], capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout, done.stderr


def test_calls_and_entry_points_read_with_their_lines(tmp_path: Path, shop) -> None:  # type: ignore[no-untyped-def]
    intent = tmp_path / "intent.yaml"
    intent.write_text(
        "calls:\n"
        "  - front-end -> catalogue:8080\n"
        "  - sock-shop/orders -> payment:8080/TCP\n"
        "  - orders -> external:203.0.113.7/32:443\n"
        "entry:\n"
        "  - front-end:8079\n"
    )
    graph = read_intent(str(intent), shop)
    assert [(e.source, e.target, e.port, e.protocol) for e in graph.edges] == [
        ("sock-shop/front-end", "sock-shop/catalogue", 8080, "TCP"),
        ("sock-shop/orders", "external:203.0.113.7/32", 443, "TCP"),
        ("sock-shop/orders", "sock-shop/payment", 8080, "TCP"),
    ]
    (first, *_) = graph.edges
    assert str(first.evidence[0].location) == f"{intent}:2:5"
    assert first.evidence[0].detail == "intent: front-end -> catalogue:8080"
    assert [(p.workload, p.port) for p in graph.entry_points] == [("sock-shop/front-end", 8079)]


def test_every_problem_is_one_located_line(tmp_path: Path, shop) -> None:  # type: ignore[no-untyped-def]
    intent = tmp_path / "intent.yaml"
    intent.write_text(
        "calls:\n"
        "  - front-end => catalogue:8080\n"
        "  - nobody -> catalogue:8080\n"
        "  - front-end -> catalogue:70000\n"
        "  - front-end -> catalogue:80/HTTP\n"
        "  - 42\n"
        "routes: []\n"
    )
    with pytest.raises(InputErrors) as raised:
        read_intent(str(intent), shop)
    assert raised.value.diagnostics().splitlines() == [
        f"{intent}:2:5: error: 'front-end => catalogue:8080': write a call as "
        "'caller -> callee:port[/TCP]'",
        f"{intent}:3:5: error: no workload 'nobody' in the input",
        f"{intent}:4:5: error: port 70000 is not in 1-65535",
        f"{intent}:5:5: error: protocol must be TCP, UDP or SCTP, not 'HTTP'",
        f"{intent}:6:5: error: calls[4] must be a string, not 42",
        f"{intent}:7:1: error: unknown key 'routes' (an intent file has calls: and entry:)",
    ]


def test_an_ambiguous_bare_name_must_be_qualified(tmp_path: Path) -> None:
    for namespace in ("a", "b"):
        (tmp_path / f"{namespace}.yaml").write_text(
            "apiVersion: apps/v1\nkind: Deployment\n"
            f"metadata: {{name: web, namespace: {namespace}}}\n"
            "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n"
            "    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: i}]}\n"
        )
    intent = tmp_path / "intent.yml"
    intent.write_text("calls:\n  - web -> a/web:80\n")
    with pytest.raises(InputErrors) as raised:
        read_intent(str(intent), load_paths([str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]))
    assert raised.value.diagnostics() == (
        f"{intent}:2:5: error: 'web' is ambiguous: a/web, b/web; write one of them"
    )


def test_otterize_client_intents_v2_and_v1(tmp_path: Path, shop) -> None:  # type: ignore[no-untyped-def]
    intent = tmp_path / "intents.yaml"
    intent.write_text(
        "apiVersion: k8s.otterize.com/v2beta1\nkind: ClientIntents\n"
        "metadata: {name: front-end, namespace: sock-shop}\n"
        "spec:\n  workload: {name: front-end, kind: Deployment}\n  targets:\n"
        "    - kubernetes: {name: catalogue, kind: Deployment}\n"
        "    - service: {name: carts}\n"
        "    - kafka: {name: orders-topic}\n"
        "---\n"
        "apiVersion: k8s.otterize.com/v1alpha3\nkind: ClientIntents\n"
        "metadata: {name: orders, namespace: sock-shop}\n"
        "spec:\n  service: {name: orders}\n  calls:\n"
        "    - name: payment\n    - name: orders-db\n      type: database\n"
        "    - name: shipping.sock-shop\n"
    )
    graph = read_intent(str(intent), shop)
    assert [(e.source, e.target, e.port) for e in graph.edges] == [
        ("sock-shop/front-end", "sock-shop/carts", 8080),  # the Service's target port
        ("sock-shop/front-end", "sock-shop/catalogue", None),  # a workload: any port
        ("sock-shop/orders", "sock-shop/payment", None),
        ("sock-shop/orders", "sock-shop/shipping", None),
    ]
    assert graph.edges[0].evidence[0].detail == "ClientIntents front-end: front-end -> carts"


def test_graph_json_errors_name_their_line(tmp_path: Path, shop) -> None:  # type: ignore[no-untyped-def]
    graph = tmp_path / "graph.json"
    graph.write_text(
        '{"schema": "socklock/graph/v1",\n'
        ' "workloads": [],\n'
        ' "edges": [{"from": "a", "to": "b", "port": "eighty"}]}\n'
    )
    with pytest.raises(InputErrors) as raised:
        read_intent(str(graph), shop)
    assert raised.value.diagnostics().splitlines() == [
        f"{graph}:3:37: error: edges.0.port: Input should be a valid integer, unable to parse "
        "string as an integer"
    ]


def test_verify_and_generate_take_the_intent_file(tmp_path: Path) -> None:
    intent = tmp_path / "intent.yaml"
    intent.write_text("calls:\n  - front-end -> catalogue:8080\nentry:\n  - front-end:8079\n")
    out = tmp_path / "policies"
    code, _, err = socklock(
        "policy", "generate", str(SHOP), "--graph", str(intent), "-o", str(out), "-q"
    )
    assert code == 0, err
    code, stdout, err = socklock(
        "policy", "verify", str(SHOP), str(out), "--intent", str(intent), "--format", "json"
    )
    assert code == 0, err
    summary = json.loads(stdout)["summary"]
    assert (summary["missing"], summary["excess"]) == (0, 0)
    bad = tmp_path / "bad.yaml"
    bad.write_text("calls:\n  - front-end -> nowhere:80\n")
    code, _, err = socklock("policy", "verify", str(SHOP), "--intent", str(bad))
    assert (code, err.strip()) == (2, f"{bad}:2:5: error: no workload 'nowhere' in the input")
