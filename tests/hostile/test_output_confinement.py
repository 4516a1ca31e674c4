"""Names a contributor controls never become paths outside the output directory.

Each case runs the real command line and asserts the exact error line, the exit code,
that the good objects beside the hostile one were still processed, and that nothing
outside the output directory changed (a hash of the whole tree before and after).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
spec:
  selector: {{matchLabels: {{app: {app}}}}}
  template:
    metadata: {{labels: {{app: {app}}}}}
    spec:
      containers:
        - name: main
          image: example/{app}:1
          ports: [{{containerPort: 8080}}]
"""
GOOD = DEPLOYMENT.format(name="good", namespace="shop", app="good")
VICTIM_TEXT = "the user's file\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "socklock", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def tree_hash(root: Path, skip: Path | None = None) -> str:
    """Every path, link target and file content under ``root`` (``skip`` left out)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if skip is not None and path.is_relative_to(skip):
            continue
        digest.update(str(path.relative_to(root)).encode())
        if path.is_symlink():
            digest.update(str(path.readlink()).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "important.yaml").write_text(VICTIM_TEXT)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.yaml").write_text(GOOD)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "namespace", "line", "column", "field", "rule"),
    [
        (
            "../../victim/important",
            "shop",
            4,
            3,
            "metadata.name '../../victim/important'",
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            "characters, '-' or '.', and must start and end with an alphanumeric character",
        ),
        (
            "important",
            "../../victim",
            5,
            3,
            "metadata.namespace '../../victim'",
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
            "or '-', and must start and end with an alphanumeric character",
        ),
    ],
)
def test_hostile_names_are_input_errors_never_paths(
    workspace: Path, name: str, namespace: str, line: int, column: int, field: str, rule: str
) -> None:
    hostile = workspace / "in" / "hostile.yaml"
    hostile.write_text(DEPLOYMENT.format(name=name, namespace=namespace, app="x"))
    before = tree_hash(workspace, skip=workspace / "out")
    result = run("policy", "generate", "in", "-o", "out", "--no-code", cwd=workspace)
    assert result.returncode == 2
    assert (
        f"in/hostile.yaml:{line}:{column}: error: Deployment: {field} is invalid: {rule}"
        in result.stderr.splitlines()
    )
    assert tree_hash(workspace, skip=workspace / "out") == before
    assert (workspace / "victim" / "important.yaml").read_text() == VICTIM_TEXT
    written = sorted(str(p.relative_to(workspace / "out")) for p in (workspace / "out").rglob("*"))
    # the good Deployment beside it was processed: its namespace got its policies
    assert written == [
        "shop",
        "shop/_default-deny.yaml",
        "shop/good.yaml",
    ]


def test_a_symlink_in_the_output_directory_cannot_lead_outside(workspace: Path) -> None:
    (workspace / "out").mkdir()
    (workspace / "out" / "shop").symlink_to(workspace / "victim")
    before = tree_hash(workspace)
    result = run("policy", "generate", "in", "-o", "out", "--no-code", "--force", cwd=workspace)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: refusing to write out/shop/_default-deny.yaml: it resolves to "
        f"{workspace / 'victim' / '_default-deny.yaml'}, outside {workspace / 'out'}"
    ]
    assert tree_hash(workspace) == before


def test_generate_never_writes_over_an_input(workspace: Path) -> None:
    """Regenerating into the input directory would replace what the run read."""
    old = workspace / "in" / "shop" / "good.yaml"
    old.parent.mkdir()
    old.write_text("# socklock:generated (an earlier run)\n")
    before = tree_hash(workspace)
    result = run("policy", "generate", "in", "-o", "in", "--no-code", cwd=workspace)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "skipped 1 file that is not a manifest (1 YAML without apiVersion/kind); --verbose "
        "lists them",
        "error: refusing to write in/shop/good.yaml: it is an input of this run",
    ]
    assert tree_hash(workspace) == before


def test_report_output_never_replaces_an_input(workspace: Path) -> None:
    before = tree_hash(workspace)
    result = run("map", "in", "--no-code", "-o", "in/good.yaml", cwd=workspace)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: refusing to write in/good.yaml: it is an input of this run"
    ]
    assert tree_hash(workspace) == before


def test_scan_keeps_the_users_own_artifacts_unless_forced(workspace: Path) -> None:
    (workspace / "out").mkdir()
    mine = workspace / "out" / "graph.json"
    mine.write_text('{"mine": true}\n')
    before = tree_hash(workspace)
    result = run("scan", "in", "--no-code", "--out-dir", "out", cwd=workspace)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "error: refusing to overwrite 1 file(s) socklock did not write: out/graph.json "
        "(use --force to overwrite them, or another output directory)"
    )
    assert tree_hash(workspace) == before

    forced = run("scan", "in", "--no-code", "--out-dir", "out", "--force", cwd=workspace)
    assert forced.returncode == 0, forced.stderr
    assert '"schema": "socklock/graph/v1"' in mine.read_text()
    again = run("scan", "in", "--no-code", "--out-dir", "out", cwd=workspace)
    assert again.returncode == 0, again.stderr  # its own artifacts are rewritten freely


def test_hostile_compose_project_name(workspace: Path) -> None:
    compose = workspace / "app" / "docker-compose.yml"
    compose.parent.mkdir()
    compose.write_text("name: ../../victim/x\nservices:\n  web:\n    image: nginx:1\n")
    before = tree_hash(workspace, skip=workspace / "out")
    result = run(
        "policy", "generate", "app", "--flavor", "compose", "-o", "out", "--no-code", cwd=workspace
    )
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "app/docker-compose.yml:1:1: error: compose name '../../victim/x' is invalid: a "
        "compose project name must contain only lowercase letters, decimal digits, dashes "
        "and underscores, and must begin with a lowercase letter or decimal digit; using 'app'"
    )
    assert tree_hash(workspace, skip=workspace / "out") == before
    assert sorted(p.name for p in (workspace / "out").iterdir()) == ["compose.socklock.yml"]
