"""SARIF that code scanning accepts: repository-relative locations, fingerprints that survive
line moves, rule help, and every finding kind of a scan (hardening, unprotected workloads,
connections the input's policies would break or leave open)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.conftest import DEMO_SHOP, REPO

from socklock._cli.main import cli
from socklock.report.source_root import source_root

FIXTURE = REPO / "tests" / "fixtures" / "sarif"
DOCS = "https://github.com/socklock/socklock/blob/main/docs/rules/{}.md"


def _run(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, list(args), input=stdin, standalone_mode=False, catch_exceptions=False
    )
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.stdout


def _schema_validator() -> Any:
    import jsonschema
    from tests.harden.test_cli import _sarif_schema

    schema = _sarif_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def _repo(tmp_path: Path) -> Path:
    """The fixture inside a git work tree (a ``.git`` entry marks its root), one level down."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "deploy")
    (repo / ".git").mkdir()
    return repo


def _scan_sarif(tmp_path: Path, target: str, out: str) -> dict[str, Any]:
    code, _ = _run("scan", target, "--no-code", "--out-dir", out)
    assert code == 0
    log: dict[str, Any] = json.loads((Path(out) / "findings.sarif").read_text())
    return log


def _results(log: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [r for r in log["runs"][0]["results"] if r["ruleId"] == rule]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The fixture's scan, run from the directory above the repository (not its root)."""
    repo = _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    log = _scan_sarif(tmp_path, "repo/deploy", "out")
    log["__root__"] = repo
    return log


def test_locations_are_relative_to_the_git_root(shop: dict[str, Any]) -> None:
    run = shop["runs"][0]
    assert run["originalUriBaseIds"] == {
        "%SRCROOT%": {
            "uri": shop["__root__"].resolve().as_uri() + "/",
            "description": {"text": "the root of the git work tree holding the inputs"},
        }
    }
    places = {
        json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"], sort_keys=True)
        for r in run["results"]
    }
    assert places == {
        '{"uri": "deploy/policies.yaml", "uriBaseId": "%SRCROOT%"}',
        '{"uri": "deploy/shop.yaml", "uriBaseId": "%SRCROOT%"}',
    }
    del shop["__root__"]
    _schema_validator().validate(shop)


def test_a_hardening_finding(shop: dict[str, Any]) -> None:
    (found,) = [
        r for r in _results(shop, "SLK101") if r["properties"]["object"] == "Deployment shop/a"
    ]
    rules = shop["runs"][0]["tool"]["driver"]["rules"]
    assert rules[found["ruleIndex"]]["id"] == "SLK101"
    assert {k: v for k, v in found.items() if k not in ("partialFingerprints", "ruleIndex")} == {
        "ruleId": "SLK101",
        "level": "error",
        "message": {
            "text": 'runAsNonRoot != true (pod or container "app" must set '
            "securityContext.runAsNonRoot=true)"
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "deploy/shop.yaml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 14, "startColumn": 11},
                },
                "logicalLocations": [
                    {
                        "name": "spec.template.spec.containers[0].securityContext.runAsNonRoot",
                        "fullyQualifiedName": "Deployment shop/a#spec.template.spec."
                        "containers[0].securityContext.runAsNonRoot",
                        "kind": "object",
                    }
                ],
            }
        ],
        "properties": {
            "severity": "high",
            "object": "Deployment shop/a",
            "fieldPath": "spec.template.spec.containers[0].securityContext.runAsNonRoot",
            "fix": found["properties"]["fix"],
        },
    }


def test_an_unprotected_workload(shop: dict[str, Any]) -> None:
    (found,) = _results(shop, "SLK209")  # only other/d: no policy in its namespace
    assert found["level"] == "error"  # open for ingress: high
    assert found["message"]["text"] == (
        "Deployment other/d is not isolated for ingress or egress: no NetworkPolicy selects it "
        "for ingress and egress, so any pod, and any address outside the cluster, can connect "
        "to it"
    )
    assert found["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "deploy/shop.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 76, "startColumn": 7},
    }
    assert found["properties"]["object"] == "Deployment other/d"


def test_a_connection_that_would_break(shop: dict[str, Any]) -> None:
    (found,) = _results(shop, "SLK-NP002")
    rules = shop["runs"][0]["tool"]["driver"]["rules"]
    assert rules[found["ruleIndex"]]["id"] == "SLK-NP002"
    assert found == {
        "ruleId": "SLK-NP002",
        "level": "error",
        "message": {
            "text": "the NetworkPolicies would break the call shop/a -> shop/b 8080/TCP "
            "(denied; Ingress: isolated for ingress by 2 policy(ies), and none of their rules "
            "admits it on 8080/TCP); policies: shop/b-ingress "
            "(repo/deploy/policies.yaml:11:1), shop/default-deny "
            "(repo/deploy/policies.yaml:1:1)"
        },
        "locations": [
            {
                # the evidence of the call: a's env B_URL=http://b:8080
                "physicalLocation": {
                    "artifactLocation": {"uri": "deploy/shop.yaml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 17, "startColumn": 15},
                },
                "logicalLocations": [
                    {
                        "name": "call shop/a -> shop/b",
                        "fullyQualifiedName": "call shop/a -> shop/b",
                        "kind": "object",
                    }
                ],
            }
        ],
        "partialFingerprints": {
            "socklock/v2": _sha("SLK-NP002|shop/a|shop/b|8080/TCP|deploy/shop.yaml")
        },
        "properties": {"severity": "high", "object": "call shop/a -> shop/b", "fieldPath": ""},
        "ruleIndex": found["ruleIndex"],
    }


def test_connections_still_open(shop: dict[str, Any]) -> None:
    found = _results(shop, "SLK-NP003")
    assert [
        (
            r["message"]["text"],
            r["locations"][0]["physicalLocation"]["region"],
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            r["level"],
            r["partialFingerprints"]["socklock/v2"],
        )
        for r in found
    ] == [
        (
            "shop/b-ingress spec.ingress[0] allows shop/a -> shop/b 9090/TCP, which no call of "
            "the graph needs (the rule admits pods app=a on 9090/TCP)",
            {"startLine": 20, "startColumn": 7},
            "NetworkPolicy shop/b-ingress#spec.ingress[0]",
            "warning",
            _sha("SLK-NP003|shop/a|shop/b|shop/b-ingress#spec.ingress[0]|deploy/policies.yaml"),
        ),
        (
            "shop/c-ingress spec.ingress[0] allows shop/a -> shop/c 7000/TCP, which no call of "
            "the graph needs (the rule admits pods (all) on every port)",
            {"startLine": 36, "startColumn": 7},
            "NetworkPolicy shop/c-ingress#spec.ingress[0]",
            "warning",
            _sha("SLK-NP003|shop/a|shop/c|shop/c-ingress#spec.ingress[0]|deploy/policies.yaml"),
        ),
    ]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in found} == {
        "deploy/policies.yaml"
    }


def test_network_rules_have_help_and_docs(shop: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in shop["runs"][0]["tool"]["driver"]["rules"]}
    for rule_id in ("SLK-NP002", "SLK-NP003", "SLK101", "SLK209"):
        rule = rules[rule_id]
        assert rule["helpUri"] == DOCS.format(rule_id)
        assert (REPO / "docs" / "rules" / f"{rule_id}.md").is_file()
        assert rule["help"]["text"].endswith(f"Documentation: {DOCS.format(rule_id)}")
        assert rule["help"]["markdown"].endswith(f"({DOCS.format(rule_id)})")
    assert rules["SLK-NP002"]["name"] == "connection-would-break"
    assert rules["SLK-NP002"]["properties"]["security-severity"] == "8.0"
    assert rules["SLK-NP003"]["defaultConfiguration"] == {"level": "warning"}


def test_fingerprints_survive_line_moves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = _scan_sarif(tmp_path, "repo/deploy", "out1")
    for name in ("shop.yaml", "policies.yaml"):  # every finding moves three lines down
        path = repo / "deploy" / name
        path.write_text("# moved\n#\n#\n" + path.read_text())
    after = _scan_sarif(tmp_path, "repo/deploy", "out2")

    def index(log: dict[str, Any]) -> dict[str, tuple[str, int]]:
        results = log["runs"][0]["results"]
        prints = [r["partialFingerprints"]["socklock/v2"] for r in results]
        assert len(set(prints)) == len(prints)  # one identity per result
        return {
            p: (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for p, r in zip(prints, results, strict=True)
        }

    old, new = index(before), index(after)
    assert old.keys() == new.keys()
    assert {rule for rule, _ in old.values()} >= {"SLK101", "SLK209", "SLK-NP002", "SLK-NP003"}
    for fingerprint, (rule, line) in old.items():
        assert new[fingerprint] == (rule, line + 3)


def test_without_git_the_inputs_common_directory_is_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURE, tmp_path / "a" / "deploy")
    (tmp_path / "a" / "extra").mkdir()
    monkeypatch.chdir(tmp_path / "a" / "extra")
    code, out = _run(
        "harden", "../deploy/shop.yaml", "../deploy/policies.yaml", "--format", "sarif"
    )
    assert code == 1
    log = json.loads(out)
    base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
    assert base["uri"] == (tmp_path / "a" / "deploy").resolve().as_uri() + "/"
    assert base["description"]["text"] == (
        "the directory common to the inputs (no git work tree holds them)"
    )
    assert {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    } == {"shop.yaml"}


def test_source_root_of_places_that_are_no_files(tmp_path: Path) -> None:
    assert source_root(["-"], cwd=tmp_path).path == tmp_path
    assert source_root(["cluster:kind/shop/Deployment/a"], cwd=tmp_path).how == "inputs"
    (tmp_path / "w" / "x").mkdir(parents=True)
    (tmp_path / "w" / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git file
    found = source_root([str(tmp_path / "w" / "x")])
    assert (found.path, found.how) == ((tmp_path / "w").resolve(), "git")


def test_stdin_findings_keep_their_name_without_a_base(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    manifest = (FIXTURE / "shop.yaml").read_bytes()
    code, out = _run("harden", "-", "--format", "sarif", "--fail-on", "never", stdin=manifest)
    assert code == 0
    log = json.loads(out)
    assert {
        json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"])
        for r in log["runs"][0]["results"]
    } == {'{"uri": "%3Cstdin%3E"}'}
    _schema_validator().validate(log)


def test_the_demo_validates_with_repository_relative_locations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validator = _schema_validator()
    monkeypatch.chdir(REPO / "examples")  # not the root: locations stay repository-relative
    scan_log = _scan_sarif(tmp_path, "sockshop", str(tmp_path / "out"))
    code, out = _run("harden", str(DEMO_SHOP), "--format", "sarif", "--fail-on", "never")
    assert code == 0
    harden_log = json.loads(out)
    for log in (scan_log, harden_log):
        validator.validate(log)
        run = log["runs"][0]
        git = (REPO / ".git").exists()
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == (
            (REPO if git else DEMO_SHOP).resolve().as_uri() + "/"
        )
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
        }
        prefix = "examples/sockshop/" if git else ""
        assert f"{prefix}kubernetes/carts.yaml" in uris
        assert f"{prefix}carts/Dockerfile" in uris
        assert all(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            for r in run["results"]
        )
    assert [r["ruleId"] for r in scan_log["runs"][0]["results"]] == [
        r["ruleId"] for r in harden_log["runs"][0]["results"]
    ]  # the demo has no NetworkPolicies: scan reports what harden does
