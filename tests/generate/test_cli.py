"""``generate`` as a command (standalone here; the policy group attaches it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import DEMO_SHOP, REPO

from socklock._cli.generate import generate


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(generate, list(args), standalone_mode=False, catch_exceptions=False)
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.stdout, result.stderr


def test_prints_the_set_and_the_proof(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, err = invoke("examples/sockshop", "--no-code")
    assert code == 0
    assert "kind: NetworkPolicy" in out
    assert "verified: 43 connections allowed, 0 missing, 0 excess" in err


def test_writes_a_directory_and_refuses_a_users_file(tmp_path: Path) -> None:
    code, out, _ = invoke(str(DEMO_SHOP), "--no-code", "-o", str(tmp_path), "--flavor", "calico")
    assert code == 0
    assert "verified: 43 connections allowed" in out
    assert (tmp_path / "_default-deny.yaml").exists()
    mine = tmp_path / "sock-shop" / "carts.yaml"
    mine.write_text("kind: NetworkPolicy  # mine\n")
    from socklock.policy.generate import WriteConflict

    with pytest.raises(WriteConflict):
        invoke(str(DEMO_SHOP), "--no-code", "-o", str(tmp_path), "--flavor", "calico")
    assert mine.read_text() == "kind: NetworkPolicy  # mine\n"
    code, _, _ = invoke(
        str(DEMO_SHOP), "--no-code", "-o", str(tmp_path), "--flavor", "calico", "--force"
    )
    assert code == 0 and "socklock:generated" in mine.read_text()


def test_graph_file_input(tmp_path: Path) -> None:
    from socklock._cli.main import cli

    result = CliRunner().invoke(
        cli, ["map", str(DEMO_SHOP), "--no-code", "--format", "json"], standalone_mode=False
    )
    graph = tmp_path / "graph.json"
    graph.write_text(result.stdout)
    document = json.loads(result.stdout)
    document["edges"] = [e for e in document["edges"] if e["to"] != "sock-shop/carts-db"]
    graph.write_text(json.dumps(document))
    code, _, _ = invoke(str(DEMO_SHOP), "--graph", str(graph), "-o", str(tmp_path / "out"))
    assert code == 0
    assert not (tmp_path / "out" / "sock-shop" / "carts-db.yaml").read_text().count("ingress:")


def test_caller_labels_show_the_diff(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(REPO)
    code, out, _ = invoke(
        "examples/sockshop", "--no-code", "--mode", "caller-labels", "-o", str(tmp_path)
    )
    assert code == 0
    assert '+        socklock.io/to.carts: "true"' in out
    assert "apply with --write" in out


def test_wrong_mode_for_flavor_is_a_usage_error() -> None:
    from socklock.errors import UsageError

    with pytest.raises(UsageError):
        invoke(str(DEMO_SHOP), "--no-code", "--mode", "log")
