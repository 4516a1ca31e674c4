"""The command line through click's runner, and once through the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import DEMO_CALLS, DEMO_SHOP, REPO

from socklock._cli.main import cli


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.stdout, result.stderr


def test_map_json_is_the_published_schema() -> None:
    import jsonschema

    code, out, _ = invoke("map", str(DEMO_SHOP), "--format", "json", "--no-code")
    assert code == 0
    document = json.loads(out)
    assert document["schema"] == "socklock/graph/v1"
    edges = {(e["from"], e["to"], e["port"], e["protocol"]) for e in document["edges"]}
    assert edges == DEMO_CALLS
    schema = json.loads((REPO / "schemas" / "graph.v1.json").read_text())
    jsonschema.validate(document, schema)
    ids = {w["id"] for w in document["workloads"]}
    assert "sock-shop/front-end" in ids and len(ids) == 13


def test_map_dot() -> None:
    code, out, _ = invoke("map", str(DEMO_SHOP / "kubernetes"), "--format", "dot", "--no-code")
    assert code == 0
    assert out.startswith("digraph socklock {")
    assert '"sock-shop/front-end" -> "sock-shop/catalogue" [label="8080/TCP"];' in out
    assert '"outside" -> "sock-shop/front-end" [label="8080/TCP", style=dashed];' in out


def test_input_errors_exit_2_after_the_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [\n")
    shutil.copy(DEMO_SHOP / "kubernetes" / "front-end.yaml", tmp_path / "front-end.yaml")
    code, out, err = invoke("map", str(tmp_path), "--format", "json", "--no-code")
    assert code == 2
    assert err.startswith(f"{bad}:2:1: error: invalid YAML:")
    assert json.loads(out)["schema"] == "socklock/graph/v1"


def test_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "graph.json"
    code, out, _ = invoke(
        "map", str(DEMO_SHOP / "kubernetes"), "--format", "json", "-o", str(target), "--no-code"
    )
    assert (code, out) == (0, "")
    assert json.loads(target.read_text())["schema"] == "socklock/graph/v1"
    assert [p.name for p in target.parent.iterdir()] == ["graph.json"]


def test_console_script_help_and_errors() -> None:
    script = Path(sys.executable).parent / "socklock"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    for command in ("map", "scan", "demo", "policy", "harden"):
        assert f"  {command} " in done.stdout
    missing = subprocess.run(
        [str(script), "map", "/nonexistent/x"], capture_output=True, text=True, check=False
    )
    assert missing.returncode == 2
    assert missing.stderr == "/nonexistent/x: error: no such file or directory\n"
    module = subprocess.run(
        [sys.executable, "-m", "socklock", "--version"], capture_output=True, text=True, check=False
    )
    assert module.stdout.startswith("socklock, version ")


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from socklock._cli.main import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('rich', 'pydantic', 'yaml', 'tree_sitter', 'ruamel', "
        "'kubernetes') if m in sys.modules]\nprint(heavy, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"


def test_demo_writes_out(tmp_path: Path) -> None:
    code, out, _ = invoke("demo", "--out-dir", str(tmp_path / "out"))
    assert code == 0
    assert "Calls (14)" in out and "Entry points (1)" in out
    assert (
        json.loads((tmp_path / "out" / "graph.json").read_text())["schema"] == "socklock/graph/v1"
    )


def test_map_begins_the_code_scan_while_loading_and_maps_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from socklock.discover.code import scan

    args = ("map", str(DEMO_SHOP), "--format", "json")
    monkeypatch.setattr(scan, "start", lambda paths: None)
    _, after_loading, _ = invoke(*args)
    monkeypatch.undo()
    begun: list[object] = []
    taken: list[object] = []
    real_start, real_take = scan.start, scan._take_started

    def start(paths: object) -> None:
        real_start(paths)  # type: ignore[arg-type]
        begun.append(scan._started)

    def take(roots: object) -> object:
        taken.append(real_take(roots))  # type: ignore[arg-type]
        return taken[-1]

    monkeypatch.setattr(scan, "PARALLEL_MIN_FILES", 2)  # the shop's 15 files use workers
    monkeypatch.setattr(scan, "start", start)
    monkeypatch.setattr(scan, "_take_started", take)
    code, beside_loading, _ = invoke(*args)
    assert code == 0
    assert begun[0] is not None  # workers scanned while the manifests loaded
    assert taken == begun  # and the discovery read that scan, not a second one
    assert beside_loading == after_loading
    assert scan._started is None
