"""verify without --intent discovers the graph from the same inputs (issue 3)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tests.conftest import DEMO_SHOP

from socklock._cli.main import cli


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.stdout, result.stderr


def test_open_shop_has_excess_against_its_discovered_graph() -> None:
    code, out, err = _run("policy", "verify", str(DEMO_SHOP))
    assert code == 1
    assert "intent: 14 calls discovered in the inputs" in err
    assert "Missing (needed, not allowed): 0" in out
    assert "Excess (allowed, not needed): 206" in out


def test_generated_policies_verify_clean(tmp_path: Path) -> None:
    code, out, err = _run("policy", "generate", str(DEMO_SHOP), "-o", str(tmp_path), "-q")
    assert code == 0, err
    assert out.endswith("verified: 43 connections allowed, 0 missing, 0 excess\n")
    code, out, _ = _run("policy", "verify", str(DEMO_SHOP / "kubernetes"), str(tmp_path))
    assert code == 0
    assert "Missing (needed, not allowed): 0" in out
    assert "Excess (allowed, not needed): 0" in out


def test_no_intent_reports_connectivity_only() -> None:
    code, out, err = _run("policy", "verify", str(DEMO_SHOP), "--no-intent")
    assert code == 0
    assert "intent:" not in err and "Excess" not in out
