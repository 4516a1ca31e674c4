"""The HTML report: its data (each connection's state and why, from the engine), the page
(self-contained, nothing fetched, data that cannot break out of its element) and the scan
that writes it."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.conftest import REPO

from socklock._cli.main import cli
from socklock.files import NotOurs
from socklock.model import (
    Edge,
    EntryPoint,
    Evidence,
    EvidenceKind,
    GraphNode,
    Location,
    NodeKind,
    PortSpec,
    ServiceGraph,
)
from socklock.pipeline import scan
from socklock.report.html import embedded_json, iter_html, render_html
from socklock.report.html_data import PolicySource, build_report

FIXTURE = REPO / "tests" / "fixtures" / "report"
SHOP = f"{FIXTURE}/shop.yaml"
POLICIES = f"{FIXTURE}/policies.yaml"
HOSTILE = '</script><script>alert(1)</script><!-- </SCRIPT > & "quotes" \u2028 end'
DATA_RE = re.compile(r'<script type="application/json" id="socklock-data">(.*?)</script>', re.S)


def _data(page: str) -> dict[str, Any]:
    found = DATA_RE.search(page)
    assert found is not None
    return json.loads(found.group(1))


def _shop_report() -> dict[str, Any]:
    result = scan([str(FIXTURE)], code=False)
    policies = tuple(o for o in result.inventory.objects if o.kind == "NetworkPolicy")
    source = PolicySource("input", "the input's NetworkPolicies", policies)
    return build_report(result.inventory, result.graph, (), policies=source)


def _edges(data: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {(e["source"], e["target"], e["ports"], e["state"]) for e in data["edges"]}


def _edge(data: dict[str, Any], source: str, target: str) -> dict[str, Any]:
    (found,) = [e for e in data["edges"] if e["source"] == source and e["target"] == target]
    return found


# -- states and why ---------------------------------------------------------------------------


def test_each_connection_has_its_state_against_the_input_policies() -> None:
    data = _shop_report()
    assert _edges(data) == {
        ("shop/web", "shop/api", "8080/TCP", "allowed"),
        ("shop/api", "shop/db", "5432/TCP", "breaks"),
        ("external:0.0.0.0/0", "shop/web", "8080/TCP", "allowed"),
        ("shop/web", "shop/db", "5432/TCP", "open"),
    }
    assert data["policies"] == {
        "origin": "input",
        "description": "the input's NetworkPolicies",
        "count": 4,
        "error": None,
    }


def test_an_allowed_call_names_its_evidence_and_the_rules_that_admit_it() -> None:
    edge = _edge(_shop_report(), "shop/web", "shop/api")
    assert edge["neededBy"] == "call"
    assert [ev["where"] for ev in edge["evidence"]] == [f"{SHOP}:15:15"]
    explanation = edge["explanation"]
    assert explanation["verdict"] == "allowed"
    egress, ingress = explanation["egress"], explanation["ingress"]
    assert [(r["policy"], r["rule"], r["where"]) for r in egress["admitting"]] == [
        ("shop/web", "spec.egress[0]", f"{POLICIES}:18:7")
    ]
    assert [(r["policy"], r["rule"], r["where"]) for r in ingress["admitting"]] == [
        ("shop/api", "spec.ingress[0]", f"{POLICIES}:30:7")
    ]


def test_a_call_that_would_break_says_which_side_denies_it() -> None:
    edge = _edge(_shop_report(), "shop/api", "shop/db")
    assert edge["verdict"] == "denied"
    ingress = edge["explanation"]["ingress"]
    assert ingress["allowed"] is False
    assert ingress["admitting"] == []
    assert ingress["nearMisses"] == [
        f"shop/db spec.ingress[0] ({POLICIES}:43:7) covers the port, but admits pods app=web only"
    ]
    assert edge["explanation"]["egress"]["allowed"] is True


def test_a_connection_nothing_needs_is_still_open_and_has_no_evidence() -> None:
    edge = _edge(_shop_report(), "shop/web", "shop/db")
    assert edge["evidence"] == []
    assert edge["neededBy"] is None
    admitting = edge["explanation"]["ingress"]["admitting"]
    assert [r["where"] for r in admitting] == [f"{POLICIES}:43:7"]


def test_an_entry_point_is_a_connection_from_outside() -> None:
    data = _shop_report()
    edge = _edge(data, "external:0.0.0.0/0", "shop/web")
    assert edge["neededBy"] == "entry point"
    assert [ev["where"] for ev in edge["evidence"]] == [f"{SHOP}:51:11"]
    assert edge["explanation"]["egress"] is None
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["external:0.0.0.0/0"]["group"] == "outside"
    assert nodes["external:0.0.0.0/0"]["kind"] == "external"


def test_a_workload_says_where_it_is_declared_and_what_isolates_it() -> None:
    nodes = {n["id"]: n for n in _shop_report()["nodes"]}
    db = nodes["shop/db"]
    assert (db["group"], db["label"], db["where"]) == ("shop", "db", f"{SHOP}:32:1")
    assert db["policy"] == {
        "ingressIsolated": True,
        "egressIsolated": True,
        "selecting": {
            "ingress": [
                {"policy": "shop/db", "where": f"{POLICIES}:36:1"},
                {"policy": "shop/default-deny", "where": f"{POLICIES}:2:1"},
            ],
            "egress": [{"policy": "shop/default-deny", "where": f"{POLICIES}:2:1"}],
        },
    }


def _graph(*edges: Edge, entry: bool = False) -> ServiceGraph:
    nodes = tuple(
        GraphNode(f"app/{n}", NodeKind.WORKLOAD, "compose-service", {}, (PortSpec(80, "TCP"),))
        for n in ("a", "b")
    )
    entries = (EntryPoint("app/a", 80, "TCP"),) if entry else ()
    return ServiceGraph(nodes=nodes, edges=edges, entry_points=entries)


def _evidence(kind: EvidenceKind, detail: str = "x") -> Evidence:
    return Evidence(kind, Location("compose.yaml", 3, 5), detail)


def test_without_policies_calls_are_unchecked_and_hints_stay_hints() -> None:
    result = scan([str(FIXTURE / "shop.yaml")], code=False)
    graph = _graph(
        Edge("app/a", "app/b", 80, "TCP", (_evidence(EvidenceKind.ENV),)),
        Edge("app/b", "app/a", 80, "TCP", (_evidence(EvidenceKind.DEPENDS_ON),)),
        Edge("app/a", "app/b", None, "TCP", (_evidence(EvidenceKind.LITERAL),)),
    )
    data = build_report(result.inventory, graph, ())
    assert _edges(data) == {
        ("app/a", "app/b", "80/TCP", "unchecked"),
        ("app/b", "app/a", "80/TCP", "hint"),
        ("app/a", "app/b", "?/TCP", "unchecked"),
    }
    assert {e["explanation"] for e in data["edges"]} == {None}
    assert data["policies"]["origin"] == "none"


def test_policies_with_errors_are_reported_not_used(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: bad, namespace: shop}\n"
        "spec: {podSelector: {}, ingress: [{ports: [{port: 0}]}]}\n"
    )
    result = scan([str(FIXTURE / "shop.yaml"), str(bad)], code=False)
    policies = tuple(o for o in result.inventory.objects if o.kind == "NetworkPolicy")
    data = build_report(
        result.inventory, result.graph, (), policies=PolicySource("input", "given", policies)
    )
    error = data["policies"]["error"]
    assert error.startswith("not evaluated, they have errors:\n")
    assert f"{bad}:4:" in error
    assert {e["state"] for e in data["edges"]} == {"unchecked"}


def test_generated_policies_are_named_from_where_the_report_is() -> None:
    result = scan([str(FIXTURE / "shop.yaml")], code=False)
    from socklock.policy.generate import Flavor, GenerateOptions, Mode, generate

    generated = generate(
        result.inventory, result.graph, GenerateOptions(flavor=Flavor.KUBERNETES, mode=Mode.ENFORCE)
    )
    source = PolicySource("generated", "generated", generated.policies, prefix="policies/k/")
    data = build_report(result.inventory, result.graph, (), policies=source)
    edge = _edge(data, "shop/web", "shop/api")
    assert edge["state"] == "allowed"
    admitting = edge["explanation"]["ingress"]["admitting"]
    assert [r["where"].split(":")[0] for r in admitting] == ["policies/k/shop/api.yaml"]


# -- the page ---------------------------------------------------------------------------------


def _hostile_page() -> tuple[str, dict[str, Any]]:
    result = scan([str(FIXTURE / "shop.yaml")], code=False)
    graph = _graph(Edge("app/a", "app/b", 80, "TCP", (_evidence(EvidenceKind.ENV, HOSTILE),)))
    data = build_report(result.inventory, graph, (), title=HOSTILE, inputs=[HOSTILE])
    return render_html(data), data


def test_hostile_evidence_cannot_leave_the_data_element() -> None:
    page, data = _hostile_page()
    assert "<script>alert(1)" not in page
    assert "</SCRIPT >" not in page
    # the data element ends where the page put its end: the JSON reads back whole
    assert _data(page) == data
    (edge,) = _data(page)["edges"]
    assert edge["evidence"][0]["detail"] == HOSTILE
    # the page's scripts: the data element and the two inlined ones, nothing else
    assert page.lower().count("<script") == 3
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)" in page


def test_embedded_json_escapes_what_could_end_a_script_element() -> None:
    text = embedded_json({"k": "</script><!--&\u2028\u2029"})
    assert text == '{"k":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029"}'
    assert json.loads(text) == {"k": "</script><!--&\u2028\u2029"}


def test_a_list_given_item_by_item_makes_the_same_page() -> None:
    """report.html's findings are encoded one at a time as the page is written."""
    _, data = _hostile_page()
    items = [{"rule": "SLK1", "message": HOSTILE}, {"where": "ü.yaml:1:1", "fix": None}]
    for listed in (items, []):
        whole = render_html({**data, "findings": listed})
        pieces = list(iter_html(data, {"findings": iter(listed)}))
        assert "".join(pieces) == whole
        assert _data(whole)["findings"] == listed
        # each item ends a piece of its own: "[" or "," then the item
        encoded = [embedded_json(item) for item in listed]
        assert [p[1:] for p in pieces if p[1:] in encoded] == encoded


def test_several_lists_given_item_by_item_make_the_same_page() -> None:
    """report.html's nodes, edges and findings are encoded one at a time; a streamed key the
    data lacks comes after its keys, and an empty list is ``[]``."""
    _, data = _hostile_page()
    nodes, edges = list(data["nodes"]), list(data["edges"])
    streamed = {"edges": iter(edges), "nodes": iter(nodes), "extra": iter([])}
    pieces = list(iter_html(data, streamed))
    whole = render_html({**data, "extra": []})
    assert "".join(pieces) == whole
    assert list(_data(whole)) == [*data, "extra"]
    encoded = [embedded_json(item) for item in (*nodes, *edges)]
    assert all(any(p.endswith(e) for p in pieces) for e in encoded)


def test_the_page_fetches_nothing() -> None:
    page, _ = _hostile_page()
    assert re.findall(r"<script[^>]*\bsrc\s*=", page, re.I) == []
    assert re.findall(r"<link\b", page, re.I) == []
    assert re.findall(r"<(?:img|iframe|object|embed)\b", page, re.I) == []
    assert re.findall(r"""url\(\s*['"]?\s*(?:https?:)?//""", page, re.I) == []
    assert re.findall(r"@import|@font-face", page, re.I) == []
    assert re.findall(r"""(?:src|href)\s*=\s*['"]?\s*(?:https?:)?//""", page, re.I) == []
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp is not None
    assert csp.group(1).startswith("default-src 'none'; script-src 'sha256-")
    assert "connect-src" not in csp.group(1)  # default-src 'none' covers it


def test_the_page_carries_the_generated_marker() -> None:
    from socklock.files import written_by_socklock

    page, _ = _hostile_page()
    assert written_by_socklock(page)


# -- the vendored library ---------------------------------------------------------------------

ASSETS = REPO / "src" / "socklock" / "report" / "assets"


def test_the_vendored_library_is_the_one_its_notice_names() -> None:
    notice = (ASSETS / "NOTICE").read_text()
    digest = hashlib.sha256((ASSETS / "cytoscape.min.js").read_bytes()).hexdigest()
    assert f"sha256 of the file: {digest}" in notice
    assert "Licence: MIT" in notice
    licence = (ASSETS / "cytoscape.LICENSE").read_text()
    assert licence.startswith("Copyright (c) 2016-2026, The Cytoscape Consortium.")
    assert "Permission is hereby granted, free of charge" in licence


def test_the_assets_are_package_data() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["socklock"]
    package = REPO / "src" / "socklock"
    for path in ASSETS.iterdir():
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch(relative, p) for p in patterns), relative
        assert resources.files("socklock.report").joinpath("assets", path.name).is_file()


# -- scan --out-dir ---------------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.stdout


def test_scan_writes_the_report_checked_against_the_input_policies(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout = _run("scan", str(FIXTURE), "--no-code", "--out-dir", str(out))
    assert code == 0
    assert f"wrote {out / 'report.html'}" in stdout
    data = _data((out / "report.html").read_text())
    assert data["policies"]["origin"] == "input"
    assert ("shop/api", "shop/db", "5432/TCP", "breaks") in _edges(data)
    findings = data["findings"]
    assert "SLK209" not in {f["rule"] for f in findings}
    assert {
        "rule": "SLK101",
        "name": "run-as-non-root",
        "severity": "high",
        "message": 'runAsNonRoot != true (pod or container "web" must set '
        "securityContext.runAsNonRoot=true)",
        "where": f"{SHOP}:11:11",
        "object": "Deployment shop/web",
        "fix": 'run container "web" as non-root; runAsUser 10001 from socklock\'s default 10001',
    } in findings
    # rerun: the report is socklock's own, rewritten
    code, _ = _run("scan", str(FIXTURE), "--no-code", "--out-dir", str(out))
    assert code == 0


def test_scan_without_policies_checks_the_generated_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _ = _run("scan", str(FIXTURE / "shop.yaml"), "--no-code", "--out-dir", str(out))
    assert code == 0
    data = _data((out / "report.html").read_text())
    assert data["policies"]["origin"] == "generated"
    assert {e["state"] for e in data["edges"]} == {"allowed"}
    edge = _edge(data, "shop/api", "shop/db")
    (rule,) = edge["explanation"]["ingress"]["admitting"]
    where = rule["where"]
    assert where.startswith("policies/kubernetes-enforce/shop/db.yaml:")
    # the name is relative to the report: the file is there, beside it
    assert (out / where.split(":")[0]).is_file()


def test_a_report_of_the_users_in_the_way_stops_the_run_before_any_write(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("<p>mine</p>\n")
    with pytest.raises(NotOurs) as caught:
        _run("scan", str(FIXTURE), "--no-code", "--out-dir", str(out))
    assert caught.value.paths == (out / "report.html",)
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
    assert (out / "report.html").read_text() == "<p>mine</p>\n"
