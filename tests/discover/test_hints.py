"""``depends_on`` and ``links`` say start order, not calls: hint edges, kept apart."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from socklock._cli.main import cli
from socklock.discover import discover
from socklock.load import load_paths
from socklock.policy.generate import Flavor, GenerateOptions, generate

HINTS = Path(__file__).resolve().parents[1] / "fixtures" / "repos" / "compose-hints"


def _graph():  # type: ignore[no-untyped-def]
    return discover(load_paths([str(HINTS)]), code=False)


def test_edges_with_only_start_order_evidence_are_hints() -> None:
    graph = _graph()
    assert sorted((e.source, e.target, e.port, e.hint) for e in graph.edges) == [
        ("hints/api", "hints/db", 5432, True),  # links only
        ("hints/web", "hints/api", 9000, False),  # depends_on and an env URL: a call
        ("hints/web", "hints/cache", 6379, True),  # depends_on only
    ]
    assert [(e.source, e.target) for e in graph.calls] == [("hints/web", "hints/api")]


def test_graph_json_carries_the_hint_flag_and_reads_it_back(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["map", str(HINTS), "--no-code", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert sorted((e["from"], e["to"], e["hint"]) for e in document["edges"]) == [
        ("hints/api", "hints/db", True),
        ("hints/web", "hints/api", False),
        ("hints/web", "hints/cache", True),
    ]
    from socklock.schemas.graph import GraphDocument, from_document

    back = from_document(GraphDocument.model_validate(document))
    assert sorted((e.target, e.hint) for e in back.edges) == [
        ("hints/api", False),
        ("hints/cache", True),
        ("hints/db", True),
    ]


def test_table_shows_hints_apart() -> None:
    from socklock.report.graph_table import graph_table

    text = graph_table(_graph(), width=200)
    calls, _, rest = text.partition("Start-order hints, not calls (2): depends_on / links")
    assert "Calls (1)" in calls and "hints/cache" not in calls and "hints/db" not in calls
    assert "hints/cache" in rest and "hints/db" in rest


def test_generation_leaves_hints_out_and_lists_them_unless_asked() -> None:
    inventory = load_paths([str(HINTS)])
    graph = discover(inventory, code=False)
    generated = generate(inventory, graph, GenerateOptions(flavor=Flavor.COMPOSE))
    hint_notes = sorted(str(n) for n in generated.notes if "start-order" in n.message)
    compose = HINTS / "docker-compose.yml"
    assert hint_notes == [
        f"{compose}:13:9: warning: hints/api -> hints/db:5432: not allowed: start-order "
        "evidence only (depends_on/links), no call found; review it, and allow it with "
        "--include-hints if it is a call",
        f"{compose}:8:23: warning: hints/web -> hints/cache:6379: not allowed: start-order "
        "evidence only (depends_on/links), no call found; review it, and allow it with "
        "--include-hints if it is a call",
    ]
    assert _service_networks(generated) == {
        "api": ["to-api"],
        "cache": [],  # network_mode: none: nobody calls it
        "db": [],
        "web": ["edge", "to-api"],
    }

    included = generate(
        inventory, graph, GenerateOptions(flavor=Flavor.COMPOSE, include_hints=True)
    )
    assert _service_networks(included) == {
        "api": ["to-api", "to-db"],
        "cache": ["to-cache"],
        "db": ["to-db"],
        "web": ["edge", "to-api", "to-cache"],
    }
    assert sorted(n.level.value for n in included.notes if "start-order" in n.message) == [
        "info",
        "info",
    ]


def _service_networks(generated) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    import yaml

    (file,) = [f for f in generated.files if f.path.endswith((".yml", ".yaml"))]
    document = yaml.safe_load(file.text.replace("!override", ""))
    return {name: sorted(body.get("networks") or []) for name, body in document["services"].items()}


def test_kubernetes_generation_proves_the_set_with_and_without_hints() -> None:
    root = HINTS.parent / "hints-k8s"
    inventory = load_paths([str(root)])
    graph = discover(inventory, code=False)
    assert sorted((e.source, e.target, e.port, e.hint) for e in graph.edges) == [
        ("shop/web", "shop/api", 9000, False),
        ("shop/web", "shop/cache", None, True),  # compose depends_on only
    ]
    plain = generate(inventory, graph)
    assert plain.verification is not None
    assert plain.verification.summary() == "verified: 7 connections allowed, 0 missing, 0 excess"
    assert [str(n) for n in plain.notes if "start-order" in n.message] == [
        f"{root}/docker-compose.yml:4:23: warning: shop/web -> shop/cache: not allowed: "
        "start-order evidence only (depends_on/links), no call found; review it, and allow "
        "it with --include-hints if it is a call"
    ]
    cache_policy = next(f.text for f in plain.files if f.path.endswith("cache.yaml"))
    assert "app: web" not in cache_policy
    asked = generate(inventory, graph, GenerateOptions(include_hints=True))
    assert asked.verification is not None
    assert asked.verification.summary() == "verified: 8 connections allowed, 0 missing, 0 excess"
    cache_policy = next(f.text for f in asked.files if f.path.endswith("cache.yaml"))
    assert "app: web" in cache_policy


def test_cli_flag(tmp_path: Path) -> None:
    from socklock._cli.generate import generate as generate_command

    args = [str(HINTS), "--no-code", "--flavor", "compose"]
    plain = CliRunner().invoke(generate_command, args, standalone_mode=False)
    assert "hints/web -> hints/cache:6379: not allowed" in plain.stderr
    asked = CliRunner().invoke(generate_command, [*args, "--include-hints"], standalone_mode=False)
    assert "hints/web -> hints/cache:6379: allowed from start-order evidence only" in asked.stderr
