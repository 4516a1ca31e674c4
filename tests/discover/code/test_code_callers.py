"""Calls through helpers, end to end: reported at the callers' arguments and joined."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DEMO_CALLS, DEMO_SHOP
from tests.discover.shop import write_shop

from socklock.discover import discover
from socklock.discover.code.registry import analyser_for
from socklock.load import load_paths


def test_demo_shop_reports_every_edge_at_its_call_site_and_nothing_unresolved() -> None:
    graph = discover(load_paths([str(DEMO_SHOP)]), manifests=False)
    assert {e.key for e in graph.edges} == DEMO_CALLS
    assert graph.unresolved == ()
    for edge in graph.edges:
        (evidence,) = edge.evidence
        assert evidence.kind.value == "env-read"
        assert evidence.expression is not None
        assert "os.environ" not in evidence.expression, edge  # not the module-level read
        assert "os.getenv" not in evidence.expression, edge
    front = {
        e.target: (e.evidence[0].location.line, e.evidence[0].expression)
        for e in graph.edges
        if e.source == "sock-shop/front-end"
    }
    assert front["sock-shop/catalogue"][1] == 'f"{CATALOGUE_URL}/catalogue"'
    catalogue = next(e for e in graph.edges if e.target == "sock-shop/catalogue")
    assert "CATALOGUE_URL=http://catalogue" in catalogue.evidence[0].detail


def test_helper_argument_is_joined_with_the_manifest_value(tmp_path: Path) -> None:
    code = (
        "import os, urllib.request\n"
        'API = os.environ["API_URL"]\n'
        "def get(url):\n"
        "    return urllib.request.urlopen(url)\n"
        'get(API + "/items")\n'
    )
    write_shop(
        tmp_path, "{name: API_URL, value: 'http://api'}", code, code_dir="web", file="app.py"
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    (edge,) = graph.edges
    assert (edge.source, edge.target, edge.port) == ("shop/web", "shop/api", 8080)
    (evidence,) = edge.evidence
    assert (evidence.location.line, evidence.location.column) == (5, 5)
    assert evidence.expression == 'API + "/items"'
    assert graph.unresolved == ()


def test_dockerfile_in_a_generic_src_directory_belongs_to_the_named_parent(
    tmp_path: Path,
) -> None:
    code = 'import urllib.request\nurllib.request.urlopen("http://api/x")\n'
    write_shop(tmp_path, "", code, code_dir="web/src", file="app.py")
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert {(e.source, e.target, e.port) for e in graph.edges} == {("shop/web", "shop/api", 8080)}


def test_a_bare_host_from_a_host_value_object_resolves_to_the_service(tmp_path: Path) -> None:
    code = (
        "class Uris {\n"
        '    java.net.URI api() { return new ServiceUri(new Hostname("api"), "/x").toUri(); }\n'
        "}\n"
    )
    write_shop(tmp_path, "", code, code_dir="web", file="Uris.java")
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert {(e.source, e.target, e.port) for e in graph.edges} == {("shop/web", "shop/api", 8080)}


def test_callers_are_found_once_per_file_and_capped() -> None:
    calls = "".join(f'get("http://api-{i}/x")\n' for i in range(200))
    code = f"import requests\ndef get(url):\n    return requests.get(url)\n{calls}"
    analyser = analyser_for(Path("many.py"))
    assert analyser is not None
    results = list(analyser.analyse("many.py", code.encode()))
    assert len(results) == 200  # literals at the callers the cap skips are still reported
    assert all(r.line >= 4 for r in results)
