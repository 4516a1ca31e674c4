"""Findings are kept compressed in batches, and come out sorted without a sort of them all
when each kind of subject was audited in file order."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.harden import HardenOptions, audit
from socklock.harden import store as store_module
from socklock.harden.engine import Baseline, sort_key
from socklock.harden.store import FindingStore
from socklock.load import load_paths
from socklock.model import Applicability, Finding, Fix, LineEdit, Location, Severity, YamlEdit

REPO = Path(__file__).resolve().parents[2]


def finding(index: int) -> Finding:
    edits = (YamlEdit(0, ("spec", 0), "set", {"a": [1, None]}, (3, 5)), LineEdit(2, 1, "USER 1"))
    fix = Fix(Applicability.UNSAFE, "fix it", "a.yaml", edits, "why") if index % 2 else None
    return Finding(
        rule_id="SLK101",
        rule_name="run-as-non-root",
        severity=Severity.MEDIUM,
        message=f"message {index}",
        location=Location("a.yaml", index + 1, 3),
        field_path="spec",
        object_ref=f"Pod ns/p{index}",
        key=f"k{index}",
        fix=fix,
        references=("PSS x",),
    )


def test_store_is_a_sequence_across_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BATCH", 4)
    items = [finding(i) for i in range(11)]
    store = FindingStore(items)
    assert len(store) == 11
    assert list(store) == items and list(store) == items  # iterated twice
    assert store[0] == items[0] and store[5] == items[5] and store[-1] == items[10]
    assert store[3:9] == items[3:9]
    assert store == items and store == tuple(items) and store != items[:-1]
    assert FindingStore() == ()
    with pytest.raises(IndexError):
        store[11]


SERVICE = """\
---
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: ns}}
spec:
  type: NodePort
  selector: {{app: {name}}}
  ports: [{{port: 80}}]
"""
DEPLOYMENT = """\
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
        - {{name: app, image: "app:1"}}
"""


def test_merged_streams_give_the_sorted_findings(tmp_path: Path) -> None:
    # services and deployments interleaved in one file, and a second file before it
    text = "".join((SERVICE if i % 2 else DEPLOYMENT).format(name=f"s{i}") for i in range(6))
    (tmp_path / "b.yaml").write_text(text)
    (tmp_path / "a.yaml").write_text(DEPLOYMENT.format(name="first"))
    inventory = load_paths([str(tmp_path)])
    merged = audit(inventory, HardenOptions())
    # an empty baseline takes the path that sorts every finding at once
    sorted_all = audit(inventory, HardenOptions(), baseline=Baseline(tmp_path))
    assert isinstance(merged.findings, FindingStore)
    assert list(merged.findings) == list(sorted_all.findings)
    assert list(merged.findings) == sorted(merged.findings, key=sort_key)
    rules = {f.rule_id for f in merged.findings}
    assert {"SLK208", "SLK101"} <= rules  # service and workload findings both merged
    files = [f.location.file for f in merged.findings]
    assert files == sorted(files)
