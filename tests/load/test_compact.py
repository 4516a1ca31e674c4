"""Compact bodies (model/compact.py): a loaded document is kept as bytes and rebuilt when
``obj.body`` is read. The rebuilt tree has the values, types and positions of the tree the
loader built; documents that are not laid out as the loader lays them out stay as built;
the cache of rebuilt trees is bounded; a change made to a rebuilt body does not last."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from socklock.load import Limits, load_paths
from socklock.load.yamlread import Document, load_yaml
from socklock.model import YMap, YSeq
from socklock.model import compact as compact_module
from socklock.model.compact import CompactDocument, compact, held, release

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: "1"}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: web:1
          ports: [{containerPort: 8080}, {containerPort: 9090, protocol: UDP}]
          securityContext:
            runAsNonRoot: true
            capabilities: {drop: [ALL]}
          resources: {limits: {cpu: 0.5, memory: 64Mi}}
          args: [a, 2, 3.5, null, true, "", [x, {y: z}]]
        - name: side
          image: side:1
          securityContext: [not, a, mapping]
      initContainers:
        - {name: init, image: "init:1"}
"""


def _same(built: Any, rebuilt: Any, where: str = "") -> None:
    """Values, types and every position equal, node by node."""
    assert type(rebuilt) is type(built), where
    if isinstance(built, YMap):
        assert rebuilt.position == built.position, where
        assert rebuilt.key_positions == built.key_positions, where
        assert list(rebuilt) == list(built), where
        for key in built:
            _same(built[key], rebuilt[key], f"{where}.{key}")
    elif isinstance(built, YSeq):
        assert rebuilt.position == built.position, where
        assert rebuilt.item_positions == built.item_positions, where
        assert len(rebuilt) == len(built), where
        for index, item in enumerate(built):
            _same(item, rebuilt[index], f"{where}[{index}]")
    else:
        assert rebuilt == built, where


def _loaded(text: str) -> list[Any]:
    out = list(load_yaml(text, "f.yaml", Limits()))
    assert all(isinstance(d, Document) for d in out)
    return [d.value for d in out]  # type: ignore[union-attr]


def test_a_rebuilt_body_has_the_loaded_values_and_positions(write) -> None:  # type: ignore[no-untyped-def]
    path = write("app.yaml", DEPLOYMENT + "---\n" + DEPLOYMENT.replace("web", "api"))
    inventory = load_paths([str(path)])
    eager = _loaded(path.read_text())
    assert [type(o.document) for o in inventory.objects] == [CompactDocument, CompactDocument]
    release()
    for obj, built in zip(inventory.objects, eager, strict=True):
        _same(built, obj.body)
        assert obj.body == built
        assert obj.document == built


def test_typed_parts_read_through_the_body(write) -> None:  # type: ignore[no-untyped-def]
    path = write("app.yaml", DEPLOYMENT)
    inventory = load_paths([str(path)])
    release()
    (workload,) = inventory.workloads
    built = _loaded(path.read_text())[0]
    pod_spec = built["spec"]["template"]["spec"]
    _same(pod_spec, workload.pod_spec)
    app, side, init = workload.containers
    _same(pod_spec["containers"][0], app.body)
    _same(pod_spec["containers"][0]["securityContext"], app.security_context)
    _same(pod_spec["containers"][0]["resources"], app.resources)
    assert side.security_context is None  # not a mapping: an error, read as none
    assert side.resources is None
    _same(pod_spec["initContainers"][0], init.body)
    assert [str(d) for d in inventory.diagnostics] == [
        f"{path}:27:11: error: Deployment shop/web: "
        "spec.template.spec.containers[1].securityContext must be a mapping, not a list"
    ]


def test_a_workload_without_a_pod_spec_reads_an_empty_one(write) -> None:  # type: ignore[no-untyped-def]
    path = write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")
    inventory = load_paths([str(path)])
    (workload,) = inventory.workloads
    assert workload.pod_spec == YMap()
    assert type(workload.pod_spec) is YMap


def test_documents_not_laid_out_as_loaded_stay_as_built(write) -> None:  # type: ignore[no-untyped-def]
    aliased = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: &l {x: y}}\n"
        "data: {k: v}\nextra: *l\n"
    )
    merged = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: &m {name: b}\n  namespace: n\n"
        "data: {<<: *m}\n"
    )
    listed = "apiVersion: v1\nkind: PodList\nitems:\n  - metadata: {name: c}\n    spec: {}\n"
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: d}\ndata: {k: djE=}\n"
    plain = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: e}\n"
    path = write("all.yaml", "---\n".join([aliased, merged, listed, secret, plain]))
    inventory = load_paths([str(path)])
    kinds = {o.name: type(o.document) for o in inventory.objects}
    # a: a mapping shared by an alias; c: a List item given its kind; d: a redacted Secret
    assert kinds == {"a": YMap, "b": CompactDocument, "c": YMap, "d": YMap, "e": CompactDocument}
    release()
    eager = _loaded(path.read_text())
    for obj in inventory.objects:
        if obj.name in ("b", "e"):  # merge keys without a shared node are laid out as usual
            _same(eager[1 if obj.name == "b" else 4], obj.body)
    (pod,) = [o for o in inventory.objects if o.name == "c"]
    assert pod.body["kind"] == "Pod"  # the kind a List gives its items is kept
    (secret_obj,) = [o for o in inventory.objects if o.name == "d"]
    assert secret_obj.body["data"] == {"k": "<redacted>"}


def test_an_inline_merge_key_is_rebuilt_with_its_positions() -> None:
    (value,) = _loaded("a:\n  <<: {x: 1, y: [2]}\n  y: [3]\n  z: {w: 4}\nb: [5]\n")
    document = compact(value)
    assert isinstance(document, CompactDocument)
    release()
    _same(value, document.tree())


def test_compact_refuses_what_it_cannot_rebuild() -> None:
    (value,) = _loaded("a: {b: [1, 2]}\nc: d\n")
    document = compact(value)
    assert isinstance(document, CompactDocument)
    assert document.tree() is value  # the loaded tree is the first one held
    value["e"] = 1  # a key the positions do not know
    assert compact(value) is value
    (hand,) = _loaded("a: {b: 1}\n")
    hand["a"].position = (3, 4)  # a position set by hand
    assert compact(hand) is hand
    (other,) = _loaded("a: 1\n")
    other["b"] = b"bytes"  # not a plain scalar
    assert compact(other) is other


def test_the_cache_is_bounded_and_a_held_tree_is_the_same_object(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release()
    monkeypatch.setattr(compact_module, "KEEP", 3)
    documents = []
    for index in range(5):
        (value,) = _loaded(f"a{index}: {{b: [{index}]}}\n")
        document = compact(value)
        assert isinstance(document, CompactDocument)
        documents.append(document)
    assert held() == 3
    first, last = documents[0], documents[-1]
    assert last.tree() is last.tree()  # held: read again, the same tree
    rebuilt = first.tree()  # let go: rebuilt, equal, positions included
    assert rebuilt == {"a0": {"b": [0]}}
    assert rebuilt["a0"].position == (1, 5)
    assert rebuilt["a0"]["b"].item_positions == [(1, 10)]
    assert held() == 3
    assert first.tree() is rebuilt
    release()
    assert held() == 0


def test_the_cache_is_bounded_by_encoded_size(monkeypatch: pytest.MonkeyPatch) -> None:
    release()
    (value,) = _loaded("k: " + "x" * 100 + "\n")
    size = compact(value).size  # type: ignore[union-attr]
    release()
    monkeypatch.setattr(compact_module, "KEEP_BYTES", 2 * size)
    for _ in range(4):
        (value,) = _loaded("k: " + "x" * 100 + "\n")
        compact(value)
    assert held() == 2


def test_a_change_to_a_rebuilt_body_does_not_last() -> None:
    """Bodies are read only: a change stays while the tree is held, and is gone after."""
    (value,) = _loaded("a: {b: 1}\n")
    document = compact(value)
    assert isinstance(document, CompactDocument)
    document.tree()["a"]["b"] = 2
    assert document.tree() == {"a": {"b": 2}}
    release()
    assert document.tree() == {"a": {"b": 1}}


def test_a_compact_document_pickles_without_its_tree() -> None:
    (value,) = _loaded("a: [x, {y: 2}]\n")
    document = compact(value)
    copy = pickle.loads(pickle.dumps(document))
    assert isinstance(copy, CompactDocument)
    _same(value, copy.tree())


def test_a_file_is_read_again_by_parts_after_a_parse_error(write: Any) -> None:
    good = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"
    path: Path = write("c.yaml", good % "one" + "---\nbad: [\n---\n" + good % "two")
    inventory = load_paths([str(path)])
    assert [o.name for o in inventory.objects] == ["one", "two"]
    assert [str(d) for d in inventory.diagnostics] == [
        f"{path}:6:1: error: invalid YAML: did not find expected node content "
        "(while parsing a flow node started at line 6)"
    ]


def test_a_document_before_the_first_manifest_is_added_in_order(write: Any) -> None:
    """Documents are added as they are read, once one says the file holds manifests; one
    that only looks like a manifest before it waits and is added first."""
    loose = "kind: Widget\nmetadata: {name: w}\n"
    good = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n"
    path: Path = write("c.yaml", loose + "---\n" + good)
    inventory = load_paths([str(path)])
    assert [o.name for o in inventory.objects] == ["one"]
    assert [str(d) for d in inventory.diagnostics] == [
        f"{path}:1:1: error: Widget has no apiVersion"
    ]
