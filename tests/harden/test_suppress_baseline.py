"""Suppression (annotations, compose labels, comments) and baselines keyed without lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socklock.harden import Baseline, HardenOptions, audit
from socklock.harden.engine import parse_ignore
from socklock.load import load_paths

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: shop
  annotations:
    socklock.io/ignore: "SLK101,read-only-root-filesystem the image runs as root by design"
spec:
  selector: {{matchLabels: {{app: app}}}}
  template:
    metadata:
      labels: {{app: app}}
      annotations:
        socklock.io/ignore: SLK204 {pod_reason}
    spec:
      containers:
        - name: app
          # socklock: ignore SLK205 pinned by the release pipeline
          image: app:1.0
"""


def ids(path: Path, **kw: object) -> tuple[list[str], list[tuple[str, str, str]]]:
    result = audit(load_paths([str(path)]), HardenOptions(), **kw)  # type: ignore[arg-type]
    return (
        sorted({f.rule_id for f in result.findings}),
        sorted((s.finding.rule_id, s.kind, s.reason) for s in result.suppressed),
    )


def test_parse_ignore() -> None:
    ignore = parse_ignore("SLK101,SLK104 runs as root: vendor image")
    assert ignore.rules == {"SLK101", "SLK104"} and ignore.reason == "runs as root: vendor image"
    ignore = parse_ignore("run-as-non-root: because")
    assert ignore.rules == {"SLK101"} and ignore.reason == "because"
    assert parse_ignore("SLK999 no such rule").rules == frozenset()


def test_annotations_and_comments_suppress(write) -> None:  # type: ignore[no-untyped-def]
    path = write("app.yaml", DEPLOYMENT.format(pod_reason="throttling hurts latency"))
    found, suppressed = ids(path)
    for rule in ("SLK101", "SLK201", "SLK204", "SLK205"):
        assert rule not in found
    assert ("SLK101", "annotation", "the image runs as root by design") in suppressed
    assert ("SLK204", "annotation", "throttling hurts latency") in suppressed
    assert ("SLK205", "comment", "pinned by the release pipeline") in suppressed
    assert "SLK103" in found


def test_dockerfile_and_compose_comments(write) -> None:  # type: ignore[no-untyped-def]
    dockerfile = write(
        "Dockerfile",
        "# socklock: ignore-file SLK308 health is checked by the orchestrator\n"
        "FROM alpine:3.20\n# socklock: ignore SLK303 fixture data\nADD a.txt /a\n",
    )
    compose = write(
        "docker-compose.yml",
        "services:\n  # socklock: ignore SLK409 local development only\n  web:\n"
        "    image: web:1.0\n    ports: ['8080:8080']\n"
        "    labels:\n      socklock.io/ignore: SLK410 tiny\n",
    )
    found, suppressed = ids(dockerfile)
    assert "SLK308" not in found and "SLK303" not in found and "SLK301" in found
    found, suppressed = ids(compose)
    assert "SLK409" not in found and "SLK410" not in found and "SLK405" in found
    assert ("SLK410", "annotation", "tiny") in suppressed


def test_baseline_survives_line_shifts(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("app.yaml", DEPLOYMENT.format(pod_reason="x"))
    result = audit(load_paths([str(path)]), HardenOptions())
    baseline = Baseline(tmp_path)
    data = json.loads(json.dumps(baseline.to_json(result.findings)))
    assert data["schema"] == "socklock/baseline/v1"
    loaded = Baseline.from_json(data, tmp_path)
    # insert lines at the top: every finding moves, none is new
    path.write_text("# a new comment\n# another\n" + path.read_text())
    again = audit(load_paths([str(path)]), HardenOptions(), baseline=loaded)
    assert again.findings == ()
    assert len([s for s in again.suppressed if s.kind == "baseline"]) == len(result.findings)
    # a new container is new
    text = path.read_text() + "        - name: second\n          image: b:1.0\n"
    path.write_text(text)
    third = audit(load_paths([str(path)]), HardenOptions(), baseline=loaded)
    assert third.findings and all(
        "second" in f.message or "SLK" in f.rule_id for f in third.findings
    )
    assert {
        f.key.split("|")[-1].split(".")[0] for f in third.findings if "containers" in f.key
    } == {"containers[name=second]"}


@pytest.mark.parametrize("at", [0, 1, 3, 4, 5, 8, 9])
def test_comment_search_finds_the_marker_across_chunks(tmp_path: Path, at: int) -> None:
    """Files are searched for ``socklock:`` a chunk at a time (never held as text when it
    is absent); a marker cut by a chunk boundary is still found."""
    from socklock.harden.engine import _mentions

    path = tmp_path / "f.yaml"
    path.write_bytes(b"x" * at + b"# socklock: ignore SLK101" + b"y" * 7)
    assert _mentions(str(path), b"socklock:", chunk=4)
    path.write_bytes(b"x" * at + b"# socklock ignore socklock :y socklock")
    assert not _mentions(str(path), b"socklock:", chunk=4)
