"""``socklock policy verify | explain | diff`` through click's runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
from click.testing import CliRunner
from tests.conftest import REPO
from tests.policy.truth import FIXTURES

from socklock._cli.main import cli

CLUSTER = FIXTURES / "_cluster"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.stdout, result.stderr


def scenario(name: str) -> str:
    return str(FIXTURES / name)


def test_verify_json_is_the_published_schema() -> None:
    code, out, err = invoke(
        "policy", "verify", str(CLUSTER), scenario("19-rules-are-a-union"), "--format", "json"
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    jsonschema.validate(document, json.loads((REPO / "schemas/connectivity.v1.json").read_text()))
    assert document["schema"] == "socklock/connectivity/v1"
    into_a = [c for c in document["connections"] if c["to"] == "x/a" and c["from"] != "x/a"]
    assert sorted((c["from"], c["port"], c["protocol"]) for c in into_a) == [
        ("x/b", 80, "TCP"),
        ("y/a", 81, "TCP"),
        ("y/b", 81, "TCP"),
        ("y/c", 81, "TCP"),
    ]
    summary = document["summary"]
    assert (summary["workloads"], summary["policies"], summary["rows"]) == (9, 1, 9 * 9 * 6)
    assert (summary["allowed"], summary["denied"], summary["partial"]) == (486 - 44, 44, 0)
    assert summary["missing"] is None and document["missing"] == []
    assert len(document["unprotected"]) == 9
    assert document["unprotected"][0] == {
        "workload": "x/a",
        "kind": "Pod",
        "ingress_isolated": True,
        "egress_isolated": False,
        "rule_id": "SLK209",
        "severity": "medium",
        "message": "Pod x/a is not isolated for egress: no NetworkPolicy selects it for "
        "egress, so it can connect anywhere, inside the cluster and out",
        "file": f"{CLUSTER}/cluster.yaml",
        "line": 26,
    }


def test_verify_all_lists_denied_rows() -> None:
    code, out, _ = invoke(
        "policy", "verify", str(CLUSTER), scenario("03-ingress-empty-list"), "--format",
        "json", "--all",
    )  # fmt: skip
    rows = json.loads(out)["connections"]
    assert code == 0 and len(rows) == 486
    denied = [r for r in rows if not r["allowed"]]
    assert {r["to"] for r in denied} == {"x/a"} and len(denied) == 8 * 6
    assert all(r["verdict"] == "denied" for r in denied)


def test_verify_refuses_invalid_policies_with_exit_2() -> None:
    code, out, err = invoke("policy", "verify", str(CLUSTER), scenario("44-error-invalid-cidrs"))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == (
        f"{scenario('44-error-invalid-cidrs')}/policies.yaml:11:13: error: NetworkPolicy "
        "x/bad-cidrs: spec.ingress[0].from[0].ipBlock.cidr: '10.0.0.0/33' is not a valid IPv4 "
        "or IPv6 CIDR"
    )
    assert len(lines) == 6 and lines[-1].startswith("error: 5 policy error(s); no verdict")


def test_verify_refuses_unreadable_input(tmp_path: Path) -> None:
    shutil.copy(CLUSTER / "cluster.yaml", tmp_path / "cluster.yaml")
    (tmp_path / "broken.yaml").write_text("kind: [\n")
    code, out, err = invoke("policy", "verify", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.startswith(f"{tmp_path}/broken.yaml:2:1: error: invalid YAML")
    assert "no verdict is given" in err


def _graph(tmp_path: Path, edges: list[tuple[str, str, int]]) -> str:
    document = {
        "schema": "socklock/graph/v1",
        "workloads": [{"id": f"{n}/{p}", "kind": "Pod"} for n in "xyz" for p in "abc"],
        "edges": [{"from": s, "to": t, "port": p, "protocol": "TCP"} for s, t, p in edges],
    }
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(document))
    return str(path)


def test_verify_intent_missing_and_excess(tmp_path: Path) -> None:
    graph = _graph(tmp_path, [("x/b", "x/a", 80), ("x/c", "x/a", 80)])
    code, out, _ = invoke(
        "policy", "verify", str(CLUSTER), scenario("19-rules-are-a-union"), "--intent", graph,
        "--format", "json",
    )  # fmt: skip
    document = json.loads(out)
    assert code == 1
    assert document["missing"] == [
        {"from": "x/c", "to": "x/a", "port": 80, "protocol": "TCP", "verdict": "denied",
         "needed_by": "edge"}
    ]  # fmt: skip
    excess_into_a = [e for e in document["excess"] if e["to"] == "x/a"]
    assert sorted((e["from"], e["port"]) for e in excess_into_a) == [
        ("y/a", 81), ("y/b", 81), ("y/c", 81)
    ]  # fmt: skip
    assert document["summary"]["missing"] == 1


def test_verify_intent_exact_policy_exits_0(tmp_path: Path) -> None:
    # Every namespace locked down both ways, and a graph that needs nothing: no missing,
    # no excess (a bare Pod reaching itself is never excess), nothing left unprotected.
    lockdown = (FIXTURES / "40-pod-reaches-itself" / "policies.yaml").read_text()
    policies = tmp_path / "p.yaml"
    policies.write_text(
        "---\n".join(lockdown.replace("namespace: x", f"namespace: {ns}") for ns in "xyz")
    )
    code, out, _ = invoke(
        "policy", "verify", str(CLUSTER), str(policies), "--intent", _graph(tmp_path, []),
        "--format", "json",
    )  # fmt: skip
    document = json.loads(out)
    assert (code, document["missing"], document["excess"]) == (0, [], [])
    assert document["unprotected"] == []
    assert document["summary"]["allowed"] == 9 * 6  # each pod to itself


def test_verify_table() -> None:
    code, out, _ = invoke("policy", "verify", str(CLUSTER), scenario("07-and-peer"))
    assert code == 0
    assert "│ y/b  │ x/a │ 80/TCP  │ allowed │" in out
    assert "│ y/a  │ x/a │" not in out
    assert out.splitlines()[-1] == (
        "9 workloads, 1 policies, 0 external endpoints: 444 allowed, 0 partial, 42 denied of "
        "486 rows; 9 not isolated"
    )


def test_explain() -> None:
    folder = scenario("19-rules-are-a-union")
    policies = f"{folder}/policies.yaml"
    code, out, _ = invoke(
        "policy", "explain", str(CLUSTER), folder, "--from", "x/c", "--to", "x/a", "--port",
        "80",
    )  # fmt: skip
    assert code == 1
    assert out.splitlines() == [
        "x/c -> x/a 80/TCP: denied",
        "egress of x/c: allows: no policy selects x/c for egress: egress is open",
        "ingress of x/a: DENIES: isolated for ingress by 1 policy(ies), and none of their "
        "rules admits it on 80/TCP",
        f"  selected by x/a-two-rules ({policies}:1:1)",
        f"  not this: x/a-two-rules spec.ingress[0] ({policies}:12:7) covers the port, but "
        "admits pods pod=b only",
    ]
    code, out, _ = invoke(
        "policy", "explain", str(CLUSTER), folder, "--from", "y/b", "--to", "x/a", "--port",
        "81/tcp",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines() == [
        "y/b -> x/a 81/TCP: allowed",
        "egress of y/b: allows: no policy selects y/b for egress: egress is open",
        "ingress of x/a: allows: admitted by 1 rule(s)",
        f"  selected by x/a-two-rules ({policies}:1:1)",
        f"  admitted by x/a-two-rules spec.ingress[1] ({policies}:18:7): namespaces ns=y on 81/TCP",
    ]


def test_explain_usage_errors() -> None:
    code, _, err = invoke(
        "policy", "explain", str(CLUSTER), "--from", "x/a", "--to", "x/nope", "--port", "80"
    )
    assert code == 2 and err.strip() == "error: no workload 'x/nope' in the input"


def test_diff(tmp_path: Path) -> None:
    code, out, _ = invoke(
        "policy", "diff", scenario("16-port-default-protocol-tcp"),
        scenario("20-named-port-ingress"), "--cluster", str(CLUSTER),
    )  # fmt: skip
    assert (code, out.splitlines()[0]) == (0, "equivalent: 1 and 1 policies allow exactly the "
                                               "same connections between 9 workloads")  # fmt: skip
    code, out, _ = invoke(
        "policy", "diff", scenario("16-port-default-protocol-tcp"),
        scenario("25-endport-range"), "--cluster", str(CLUSTER),
    )  # fmt: skip
    assert code == 1
    lines = out.splitlines()
    assert lines[-1] == "10 opened, 0 closed"
    assert "+ x/b -> x/a 81/TCP: denied -> allowed" in lines
    assert "+ external:0.0.0.0/0 -> x/a 81/TCP: denied -> allowed" in lines
    code, _, err = invoke("policy", "diff", scenario("16-port-default-protocol-tcp"),
                          scenario("25-endport-range"))  # fmt: skip
    assert code == 2 and "no workloads" in err


def test_verify_summary_groups_what_every_workload_reaches() -> None:
    """--summary: a (target, port) every workload reaches is one row from "*"; x/a, which
    admits some only, keeps its rows; the counts are those of the full listing."""
    args = ("policy", "verify", str(CLUSTER), scenario("19-rules-are-a-union"), "--format", "json")
    _, full_out, _ = invoke(*args)
    code, out, err = invoke(*args, "--summary")
    assert (code, err) == (0, "")
    document, full = json.loads(out), json.loads(full_out)
    jsonschema.validate(document, json.loads((REPO / "schemas/connectivity.v1.json").read_text()))
    grouped = [r for r in document["connections"] if r["from"] == "*"]
    assert sorted({r["to"] for r in grouped}) == [
        "x/b",
        "x/c",
        "y/a",
        "y/b",
        "y/c",
        "z/a",
        "z/b",
        "z/c",
    ]
    assert len(grouped) == 8 * 6 and all(r["verdict"] == "allowed" for r in grouped)
    assert document["connections"][: len(grouped)] == grouped  # listed first
    rest = [r for r in document["connections"] if r["from"] != "*"]
    assert rest == [r for r in full["connections"] if r["to"] == "x/a"]
    assert document["summary"] == full["summary"]


def test_verify_cni_decides_whether_ipblocks_admit_pods() -> None:
    """Scenario 38's block holds y/a's IPv4: generic (the default) lets y/a in over IPv4
    (partial), cilium never matches pods with ipBlocks (y/a is not listed into x/a)."""
    base = ("policy", "verify", scenario("_cluster-ips"), scenario("38-ipblock-matches-pod-ips"))
    for cni, want in (("generic", ["partial"]), ("cilium", [])):
        code, out, _ = invoke(*base, "--format", "json", "--cni", cni)
        rows = json.loads(out)["connections"]
        found = [r["verdict"] for r in rows if (r["from"], r["to"], r["port"]) == ("y/a", "x/a", 80)
                 and r["protocol"] == "TCP"]  # fmt: skip
        assert (code, found) == (0, want), cni


def _schema(name: str) -> dict[str, object]:
    found: dict[str, object] = json.loads((REPO / f"schemas/{name}.v1.json").read_text())
    return found


def test_explain_json_is_the_published_schema() -> None:
    code, out, _ = invoke(
        "policy", "explain", str(CLUSTER), scenario("19-rules-are-a-union"),
        "--from", "y/b", "--to", "x/a", "--port", "81", "--format", "json",
    )  # fmt: skip
    document = json.loads(out)
    jsonschema.validate(document, _schema("explain"))
    policies = f"{scenario('19-rules-are-a-union')}/policies.yaml"
    assert code == 0
    assert (document["from"], document["to"], document["verdict"]) == ("y/b", "x/a", "allowed")
    assert document["egress"]["isolated"] is False
    assert document["ingress"]["selecting"] == [
        {"policy": "x/a-two-rules", "file": policies, "line": 1}
    ]
    assert document["ingress"]["admitting"] == [
        {"policy": "x/a-two-rules", "rule": "spec.ingress[1]", "file": policies, "line": 18,
         "peers": "namespaces ns=y", "ports": "81/TCP"}
    ]  # fmt: skip


def test_diff_json_is_the_published_schema() -> None:
    code, out, _ = invoke(
        "policy", "diff", scenario("16-port-default-protocol-tcp"),
        scenario("25-endport-range"), "--cluster", str(CLUSTER), "--format", "json",
    )  # fmt: skip
    document = json.loads(out)
    jsonschema.validate(document, _schema("diff"))
    assert (code, document["equivalent"], document["closed"]) == (1, False, [])
    assert (document["workloads"], document["old_policies"], document["new_policies"]) == (9, 1, 1)
    assert {"from": "x/b", "to": "x/a", "port": 81, "end_port": 81, "protocol": "TCP",
            "before": "denied", "after": "allowed"} in document["opened"]  # fmt: skip
    assert len(document["opened"]) == 10


def test_diff_of_ipblocks_over_pods_with_ips() -> None:
    """The two sides cut pod addresses differently (38's block against none): both are
    classed by the cuts of both, so the diff answers (y/a, y/b lose IPv4 into x/a)."""
    code, out, err = invoke(
        "policy", "diff", scenario("38-ipblock-matches-pod-ips"),
        scenario("02-deny-all-ingress-namespace"), "--cluster", scenario("_cluster-ips"),
        "--format", "json",
    )  # fmt: skip
    assert (code, err) == (1, "")
    closed = {(c["from"], c["to"], c["before"], c["after"]) for c in json.loads(out)["closed"]}
    assert ("y/a", "x/a", "partial", "denied") in closed
    assert ("y/c", "x/a", "denied", "denied") not in closed


def _table_tail(document: dict[str, object]) -> list[str]:
    """What the verify table prints after its connections, from the JSON document."""
    summary = document["summary"]
    assert isinstance(summary, dict)
    lines: list[str] = []
    unprotected = document["unprotected"]
    assert isinstance(unprotected, list)
    if unprotected:
        lines += ["", "Not isolated (SLK209):"]
        lines += [
            f"  {u['file']}:{u['line']}: {u['severity']}: {u['message']}" for u in unprotected
        ]
    if summary["missing"] is not None:
        lines += ["", f"Missing (needed, not allowed): {summary['missing']}"]
        for m in document["missing"]:  # type: ignore[attr-defined]
            lines.append(f"  {m['from']} -> {m['to']} {m['port']}/{m['protocol']}: {m['verdict']}")
        lines.append(f"Excess (allowed, not needed): {summary['excess']}")
        for e in document["excess"]:  # type: ignore[attr-defined]
            ports = f"{e['port']}-{e['end_port']}" if e["end_port"] else str(e["port"])
            lines.append(f"  {e['from']} -> {e['to']} {ports}/{e['protocol']}: {e['verdict']}")
        lines += [f"  skipped: {note}" for note in summary["skipped_intent"]]
    lines += [
        "",
        f"{summary['workloads']} workloads, {summary['policies']} policies, "
        f"{summary['externals']} external endpoints: {summary['allowed']} allowed, "
        f"{summary['partial']} partial, {summary['denied']} denied of {summary['rows']} rows; "
        f"{summary['unprotected']} not isolated",
    ]
    return lines


def test_verify_table_tail_is_the_documents(tmp_path: Path) -> None:
    # The table is written in pieces (the unprotected list a batch of lines at a time): what
    # follows the connections is the JSON document's unprotected, missing and excess, line
    # for line, and the last piece is the summary.
    graph = _graph(tmp_path, [("x/b", "x/a", 80), ("x/c", "x/a", 80)])
    text = (FIXTURES / "40-pod-reaches-itself" / "policies.yaml").read_text()
    locked = []
    for namespaces in ("xz", "xyz"):
        lockdown = tmp_path / f"lockdown-{namespaces}"
        lockdown.mkdir()
        (lockdown / "p.yaml").write_text(
            "---\n".join(text.replace("namespace: x", f"namespace: {ns}") for ns in namespaces)
        )
        locked.append(str(lockdown))
    unprotected = []
    for extra in (["--intent", graph], ["--no-intent"]):
        for policies in (scenario("19-rules-are-a-union"), *locked):
            args = ("policy", "verify", str(CLUSTER), policies, *extra)
            code, out, _ = invoke(*args)
            json_code, document_text, _ = invoke(*args, "--format", "json")
            document = json.loads(document_text)
            tail = _table_tail(document)
            lines = out.splitlines()
            assert code == json_code
            assert lines[len(lines) - len(tail) :] == tail
            assert lines[len(lines) - len(tail) - 1].startswith("└")  # the table's last line
            unprotected.append(document["summary"]["unprotected"])
    assert unprotected == [9, 3, 0, 9, 3, 0]
