"""scan judges the NetworkPolicies it finds against the graph it discovers."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import DEMO_SHOP

from socklock._cli.main import cli


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.stdout


def test_a_policy_that_breaks_a_call_is_reported(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    code, _ = _run("policy", "generate", str(DEMO_SHOP), "-o", str(policies), "-q")
    assert code == 0
    (policies / "sock-shop" / "payment.yaml").write_text(
        (policies / "sock-shop" / "payment.yaml")
        .read_text()
        .replace("app.kubernetes.io/name: orders", "app.kubernetes.io/name: order")
    )
    out_dir = tmp_path / "out"
    code, out = _run("scan", str(DEMO_SHOP), str(policies), "--out-dir", str(out_dir))
    assert code == 0
    assert (
        "Existing NetworkPolicies (26) against the graph: 1 needed connection(s) denied, "
        "0 allowed but not needed, 0 workload(s) not isolated" in out
    )
    assert "  breaks sock-shop/orders -> sock-shop/payment 8080/TCP (edge: denied)" in out
    document = json.loads((out_dir / "connectivity.json").read_text())
    assert document["schema"] == "socklock/connectivity/v1"
    assert [(m["from"], m["to"], m["port"]) for m in document["missing"]] == [
        ("sock-shop/orders", "sock-shop/payment", 8080)
    ]
