"""One --fail-on vocabulary: `never` wherever a --fail-on exists, and scan and harden give the
same exit code on the same findings (0 none at or above the threshold, 1 some, 2 input
errors, whatever the threshold)."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from tests.conftest import REPO

from socklock._cli.main import COMMANDS, cli

FIXTURE = REPO / "tests" / "fixtures" / "sarif"


def _code(*args: str) -> int:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    return result.return_value if isinstance(result.return_value, int) else result.exit_code


def _commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    context = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        assert command is not None
        if isinstance(command, click.Group):
            for sub in command.list_commands(context):
                child = command.get_command(context, sub)
                assert child is not None
                found.append((f"{name} {sub}", child))
        else:
            found.append((name, command))
    return found


def test_every_fail_on_accepts_never() -> None:
    with_fail_on = {
        name: option
        for name, command in _commands()
        for option in command.params
        if isinstance(option, click.Option) and "--fail-on" in option.opts
    }
    assert sorted(with_fail_on) == ["audit", "harden", "scan"]
    for name, option in with_fail_on.items():
        assert isinstance(option.type, click.Choice), name
        assert "never" in option.type.choices, name
    severities = ["info", "low", "medium", "high", "critical", "never"]
    assert list(with_fail_on["scan"].type.choices) == severities  # type: ignore[attr-defined]
    assert list(with_fail_on["harden"].type.choices) == severities  # type: ignore[attr-defined]


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """Workloads with high, medium and low findings, none critical; no policies."""
    target = tmp_path / "shop"
    target.mkdir()
    shutil.copy(FIXTURE / "shop.yaml", target / "shop.yaml")
    return target


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [
        ("info", 1),
        ("low", 1),
        ("medium", 1),
        ("high", 1),
        ("critical", 0),
        ("never", 0),
    ],
)
def test_scan_and_harden_agree(shop: Path, fail_on: str, expected: int) -> None:
    harden = _code("harden", str(shop), "--no-diff", "--fail-on", fail_on)
    scan = _code("scan", str(shop), "--no-code", "--fail-on", fail_on)
    assert (harden, scan) == (expected, expected)


def test_scan_reads_socklock_toml_as_harden_does(shop: Path) -> None:
    (shop / "socklock.toml").write_text('[harden]\nselect = ["SLK204"]\n')  # cpu-limit: low
    for fail_on, expected in (("medium", 0), ("low", 1)):
        assert _code("harden", str(shop), "--no-diff", "--fail-on", fail_on) == expected
        assert _code("scan", str(shop), "--no-code", "--fail-on", fail_on) == expected


def test_defaults_harden_checks_scan_reports(shop: Path) -> None:
    assert _code("harden", str(shop), "--no-diff") == 1  # --fail-on low
    assert _code("scan", str(shop), "--no-code") == 0  # --fail-on never


def test_scan_fails_on_connections_the_policies_would_break(shop: Path) -> None:
    """scan's findings are harden's plus the network ones: a broken call (high) fails it."""
    (shop / "socklock.toml").write_text('[harden]\nselect = ["SLK204"]\n')
    shutil.copy(FIXTURE / "policies.yaml", shop / "policies.yaml")
    assert _code("harden", str(shop), "--no-diff", "--fail-on", "high") == 0
    assert _code("scan", str(shop), "--no-code", "--fail-on", "high") == 1  # SLK-NP002
    assert _code("scan", str(shop), "--no-code", "--fail-on", "critical") == 0


@pytest.mark.parametrize("command", ["harden", "scan"])
def test_input_errors_exit_2_even_with_never(shop: Path, command: str) -> None:
    (shop / "broken.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: [\n")
    extra = ["--no-code"] if command == "scan" else ["--no-diff"]
    assert _code(command, str(shop), *extra, "--fail-on", "never") == 2


def test_scan_names_a_namespace_it_could_not_lock_once_and_exits_2(tmp_path: Path) -> None:
    """Every policy flavour leaves the same namespace unlocked (two workloads with the same
    labels): scan says so once, writes the rest, and exits 2 (the input must change)."""
    from tests.generate.helpers import deployment

    manifests = tmp_path / "in"
    manifests.mkdir()
    documents = [deployment("a", "x", {"app": "same"}), deployment("a", "y", {"app": "same"})]
    (manifests / "app.yaml").write_text("---\n".join([*documents, deployment("b", "api")]))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["scan", str(manifests), "--no-code", "--out-dir", str(out)],
        standalone_mode=False,
        catch_exceptions=False,
    )
    assert result.return_value == 2
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[1][:50] for line in lines] == [
        "namespace a: not locked down (no policy generated "
    ]
    assert (out / "policies" / "kubernetes-enforce" / "b" / "api.yaml").is_file()
    assert not (out / "policies" / "kubernetes-enforce" / "a").exists()
