"""`-` reads a manifest stream from standard input (`helm template ... | socklock scan -`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

STREAM = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: client
spec:
  selector:
    matchLabels:
      app: client
  template:
    metadata:
      labels:
        app: client
    spec:
      containers:
        - name: c
          image: busybox
          env:
            - name: URL
              value: http://web:80/
          securityContext:
            allowPrivilegeEscalation: true
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: c
          image: nginx
          ports:
            - containerPort: 80
"""


def run(*args: str, stdin: str | bytes = STREAM) -> tuple[int, str, str]:
    """As a user pipes: a real process, so exit codes and messages are the CLI's own."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    done = subprocess.run(
        [sys.executable, "-m", "socklock", *args], input=data, capture_output=True, check=False
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def test_map_reads_the_stream_like_a_file(tmp_path: Path) -> None:
    (tmp_path / "all.yaml").write_text(STREAM)
    code, out, err = run("map", "-", "--format", "json")
    assert (code, err) == (0, "")
    _, from_file, _ = run("map", str(tmp_path / "all.yaml"), "--format", "json")
    piped, filed = json.loads(out), json.loads(from_file)
    assert [(e["from"], e["to"], e["port"]) for e in piped["edges"]] == [
        ("default/client", "default/web", 80)
    ]
    assert piped["edges"][0]["evidence"][0]["file"] == "<stdin>"
    assert piped["edges"][0]["evidence"][0]["line"] == 28
    assert [w["id"] for w in piped["workloads"]] == [w["id"] for w in filed["workloads"]]


def test_stream_errors_name_stdin_and_exit_2() -> None:
    code, _, err = run("map", "-", stdin="apiVersion: v1\nkind: Service\nmetadata: [\n")
    assert code == 2
    assert err.splitlines()[0].startswith("<stdin>:4:1: error: invalid YAML:")


def test_binary_stream_is_one_error_line() -> None:
    code, _, err = run("map", "-", stdin=b"\xff\xfe\x00\x01")
    assert code == 2
    assert err.splitlines()[0] == "<stdin>: error: binary file (contains NUL bytes), not text"
    code, _, err = run("map", "-", stdin=b"kind: \xff\n")
    assert code == 2
    assert err.splitlines()[0] == "<stdin>:1:7: error: not UTF-8 text: invalid byte 0xff"


def test_stdin_given_twice_is_a_usage_error() -> None:
    code, _, err = run("map", "-", "-")
    assert code == 2
    assert err.strip() == "error: '-' (standard input) can be given once"


def test_harden_shows_the_fix_diff_of_the_stream_and_refuses_to_write_it() -> None:
    code, out, _ = run("harden", "-", "--fail-on", "never")
    assert code == 0
    assert "--- a/<stdin>\n+++ b/<stdin>\n" in out
    assert "-            allowPrivilegeEscalation: true\n" in out
    assert "+            allowPrivilegeEscalation: false\n" in out
    code, _, err = run("harden", "-", "--fix")
    assert code == 2
    assert err.strip() == "error: --fix cannot write to standard input: drop --fix to see the diff"


def test_scan_of_the_stream_writes_its_artifacts(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, _ = run("scan", "-", "--out-dir", str(out_dir))
    assert code == 0  # no --fail-on: findings alone do not fail a scan
    assert out.startswith("Read 1 file from <stdin>.\n")
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "findings.json",
        "findings.sarif",
        "graph.json",
        "policies",
        "report.html",
    ]
