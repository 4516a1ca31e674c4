"""The caller-labels patch: minimal, comment-preserving, convergent, atomic."""

from __future__ import annotations

from pathlib import Path

from tests.generate.helpers import graph_of

from socklock.load import load_paths
from socklock.policy.emit.caller_labels import apply_patches, guess_indent, patch_caller_labels
from socklock.policy.generate import GenerateOptions, Mode, generate

MANIFEST = """# The web tier.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # the shop front
  namespace: a
spec:
  template:
    metadata:
      labels:
        app: web
        socklock.io/to.old: "true"   # stale: no longer called
    spec:
      containers:
      - name: web
        image: web:1
        ports:
        - containerPort: 8080
---
# The API.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: a
spec:
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: api:1
        ports:
        - containerPort: 9000
"""


def test_patch_adds_removes_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(MANIFEST)
    inventory = load_paths([str(path)])
    graph = graph_of([("a/web", "a/api", 9000)])
    generated = generate(inventory, graph, GenerateOptions(mode=Mode.CALLER_LABELS))
    assert generated.verification is not None and generated.verification.ok
    patches, skipped = patch_caller_labels(inventory, generated.caller_labels)
    assert skipped == []
    assert len(patches) == 1
    diff = patches[0].diff()
    assert '-        socklock.io/to.old: "true"   # stale: no longer called' in diff
    assert '+        socklock.io/to.api: "true"' in diff
    changed = [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2  # nothing else moves
    assert "# The API." in patches[0].new and "# the shop front" in patches[0].new
    apply_patches(patches)
    again = load_paths([str(path)])
    assert dict(next(w for w in again.workloads if w.name == "web").labels) == {
        "app": "web",
        "socklock.io/to.api": "true",
    }
    assert patch_caller_labels(again, generated.caller_labels)[0] == []  # converged


def test_indentation_is_guessed_per_file() -> None:
    assert guess_indent(MANIFEST) == (2, 0)
    assert guess_indent("a:\n    b:\n        - c\n") == (4, 4)


MIXED = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: a}
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        securityContext:
          capabilities:
            drop:
              - all
        ports:
        - containerPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: a}
spec:
  template:
    metadata:
      labels: {app: api}
    spec:
      containers: [{name: api, image: api, ports: [{containerPort: 9000}]}]
"""


def test_mixed_styles_are_kept_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(MIXED)
    inventory = load_paths([str(path)])
    generated = generate(
        inventory, graph_of([("a/web", "a/api", 9000)]), GenerateOptions(mode=Mode.CALLER_LABELS)
    )
    (patch,) = patch_caller_labels(inventory, generated.caller_labels)[0]
    assert patch.new == MIXED.replace(
        "        app: web\n", '        app: web\n        socklock.io/to.api: "true"\n'
    )
