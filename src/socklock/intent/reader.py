"""Intent a person writes: the calls an application needs, as a reviewed list.

Three forms, told apart by their content, each read into a :class:`ServiceGraph`:

- socklock's intent YAML::

      calls:
        - front-end -> catalogue:8080        # caller -> callee:port[/protocol]
        - sock-shop/orders -> payment:8080/TCP
        - orders -> external:203.0.113.7/32:443
      entry:
        - front-end:8079                     # workload:port[/protocol], reached from outside

  Names are ``name`` or ``namespace/name`` (compose: ``project/service``) of a workload of
  the input; the port is the callee's container port.
- Otterize ``ClientIntents`` (v1alpha2/v1alpha3/v1: ``spec.service`` + ``spec.calls``;
  v2alpha1/v2beta1/v2: ``spec.workload`` + ``spec.targets``). They name no port: the call's
  port is unknown (allowed on every port when checked), unless the target is a Service,
  whose ports then give the callee's ports.
- socklock's own graph JSON (``socklock/graph/v1``), as ``map --format json`` writes it.

Every problem is one ``file:line:col: error:`` line; all are reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from socklock.errors import InputError, InputErrors
from socklock.load.limits import DEFAULT_LIMITS
from socklock.load.text import read_text
from socklock.load.yamlread import Document, load_json, load_yaml
from socklock.model import (
    EXTERNAL_PREFIX,
    Diagnostic,
    Edge,
    EntryPoint,
    Evidence,
    EvidenceKind,
    GraphNode,
    Inventory,
    Location,
    NodeKind,
    ServiceGraph,
)
from socklock.model.document import PathElement, position_of

_CALL = re.compile(
    r"^\s*(?P<source>[^\s>]+)\s*->\s*(?P<target>\S+?):(?P<port>\d+)(?:/(?P<proto>[A-Za-z]+))?\s*$"
)
_ENTRY = re.compile(r"^\s*(?P<workload>[^\s:]+):(?P<port>\d+)(?:/(?P<proto>[A-Za-z]+))?\s*$")
_PROTOCOLS = ("TCP", "UDP", "SCTP")
_OTTERIZE_GROUP = "k8s.otterize.com/"
_NOT_NETWORK = frozenset({"database", "aws", "gcp", "azure"})  # v1 call types with no pod peer


@dataclass
class _Reader:
    file: str
    inventory: Inventory
    errors: list[InputError] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    entries: list[EntryPoint] = field(default_factory=list)

    def error(self, node: Any, key: PathElement | None, message: str) -> None:
        line, column = position_of(node, key)
        self.errors.append(InputError(message, Location(self.file, line, column)))

    def evidence(self, node: Any, key: PathElement | None, detail: str) -> Evidence:
        line, column = position_of(node, key)
        return Evidence(EvidenceKind.MANIFEST, Location(self.file, line, column), detail)


def read_intent(path: str, inventory: Inventory) -> ServiceGraph:
    """The graph a hand-written intent file describes; InputErrors lists every problem."""
    text = read_text_or_fail(path)
    if path.lower().endswith(".json") or text.lstrip().startswith("{"):
        return _graph_json(path, text)
    reader = _Reader(path, inventory)
    documents = _documents(load_yaml(text, path, DEFAULT_LIMITS), reader)
    otterize = [d for d in documents if _is_client_intents(d.value)]
    if otterize:
        for document in otterize:
            _client_intents(document.value, reader)
    elif len(documents) == 1 and isinstance(documents[0].value, dict):
        _socklock_intent(documents[0].value, reader)
    elif not reader.errors:
        reader.errors.append(
            InputError(
                "not an intent file: expected a mapping with calls:/entry:, Otterize "
                "ClientIntents, or a socklock/graph/v1 JSON document",
                Location(path, 1, 1),
            )
        )
    if reader.errors:
        raise InputErrors(sorted(reader.errors, key=_where))
    return _graph(reader)


def read_text_or_fail(path: str) -> str:
    from pathlib import Path

    text = read_text(Path(path), path, DEFAULT_LIMITS)
    if isinstance(text, Diagnostic):
        raise InputError(text.message, text.location)
    return text.text


def _where(error: InputError) -> tuple[int, int]:
    location = error.location
    return (location.line or 0, location.column or 0) if location is not None else (0, 0)


def _documents(items: Iterator[Document | Diagnostic], reader: _Reader) -> list[Document]:
    documents: list[Document] = []
    for item in items:
        if isinstance(item, Diagnostic):
            reader.errors.append(InputError(item.message, item.location))
        elif item.value is not None:
            documents.append(item)
    return documents


# -- socklock's intent YAML ------------------------------------------------------------


def _socklock_intent(body: Mapping[str, Any], reader: _Reader) -> None:
    unknown = sorted(set(body) - {"calls", "entry"})
    for key in unknown:
        reader.error(body, key, f"unknown key {key!r} (an intent file has calls: and entry:)")
    for key, parse in (("calls", _call), ("entry", _entry)):
        items = body.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            reader.error(body, key, f"{key} must be a list of strings")
            continue
        for index, item in enumerate(items):
            if not isinstance(item, str):
                reader.error(items, index, f"{key}[{index}] must be a string, not {item!r}")
                continue
            parse(items, index, item, reader)


def _call(items: list[Any], index: int, text: str, reader: _Reader) -> None:
    match = _CALL.match(text)
    if match is None:
        reader.error(items, index, f"{text!r}: write a call as 'caller -> callee:port[/TCP]'")
        return
    protocol = _protocol(match["proto"], items, index, reader)
    source = _workload(match["source"], items, index, reader)
    target = _target(match["target"], items, index, reader)
    port = _port(match["port"], items, index, reader)
    if source is None or target is None or port is None or protocol is None:
        return
    evidence = reader.evidence(items, index, f"intent: {text.strip()}")
    reader.edges.append(Edge(source, target, port, protocol, (evidence,)))


def _entry(items: list[Any], index: int, text: str, reader: _Reader) -> None:
    match = _ENTRY.match(text)
    if match is None:
        reader.error(items, index, f"{text!r}: write an entry point as 'workload:port[/TCP]'")
        return
    protocol = _protocol(match["proto"], items, index, reader)
    workload = _workload(match["workload"], items, index, reader)
    port = _port(match["port"], items, index, reader)
    if workload is None or port is None or protocol is None:
        return
    evidence = reader.evidence(items, index, f"intent entry: {text.strip()}")
    reader.entries.append(EntryPoint(workload, port, protocol, (evidence,)))


def _protocol(raw: str | None, node: Any, key: PathElement, reader: _Reader) -> str | None:
    protocol = (raw or "TCP").upper() if raw is None or raw.upper() == raw else raw
    if protocol not in _PROTOCOLS:
        reader.error(node, key, f"protocol must be TCP, UDP or SCTP, not {raw!r}")
        return None
    return protocol


def _port(raw: str, node: Any, key: PathElement, reader: _Reader) -> int | None:
    port = int(raw)
    if not 1 <= port <= 65535:
        reader.error(node, key, f"port {port} is not in 1-65535")
        return None
    return port


def _target(name: str, node: Any, key: PathElement, reader: _Reader) -> str | None:
    if name.startswith(EXTERNAL_PREFIX):
        return name if len(name) > len(EXTERNAL_PREFIX) else None
    return _workload(name, node, key, reader)


def _workload(name: str, node: Any, key: PathElement, reader: _Reader) -> str | None:
    """The id of the workload ``name`` (``name`` or ``namespace/name``) names."""
    ids = _workload_ids(reader.inventory)
    if name in ids:
        return name
    matches = sorted(i for i in ids if i.rsplit("/", 1)[-1] == name) if "/" not in name else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        reader.error(node, key, f"{name!r} is ambiguous: {', '.join(matches)}; write one of them")
    else:
        reader.error(node, key, f"no workload {name!r} in the input")
    return None


def _workload_ids(inventory: Inventory) -> frozenset[str]:
    ids = {w.id for w in inventory.workloads if w.owner is None}
    ids.update(s.id for p in inventory.compose_projects for s in p.services)
    return frozenset(ids)


# -- Otterize ClientIntents ------------------------------------------------------------


def _is_client_intents(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and value.get("kind") == "ClientIntents"
        and str(value.get("apiVersion", "")).startswith(_OTTERIZE_GROUP)
    )


def _client_intents(body: Mapping[str, Any], reader: _Reader) -> None:
    metadata = body.get("metadata") or {}
    namespace = metadata.get("namespace") or "default"
    spec = body.get("spec")
    if not isinstance(spec, dict):
        reader.error(body, "spec", "ClientIntents: spec is missing")
        return
    version = str(body["apiVersion"]).removeprefix(_OTTERIZE_GROUP)
    client_key, list_key = (
        ("workload", "targets") if version.startswith("v2") else ("service", "calls")
    )
    client = spec.get(client_key)
    if not isinstance(client, dict) or not isinstance(client.get("name"), str):
        reader.error(
            spec, client_key, f"ClientIntents {version}: spec.{client_key}.name is missing"
        )
        return
    source = _workload(f"{namespace}/{client['name']}", spec, client_key, reader)
    for index, item in enumerate(spec.get(list_key) or ()):
        if not isinstance(item, dict):
            reader.error(spec[list_key], index, f"spec.{list_key}[{index}] must be a mapping")
            continue
        target = _intent_target(item, version, namespace)
        if target is None:
            continue  # kafka topics, databases, clouds: no pod is called by name
        name, target_namespace, is_service = target
        where = (spec[list_key], index)
        detail = f"ClientIntents {metadata.get('name', '')}: {client['name']} -> {name}"
        if source is None:
            continue
        if is_service:
            _service_targets(source, f"{target_namespace}/{name}", where, detail, reader)
            continue
        callee = _workload(f"{target_namespace}/{name}", *where, reader)
        if callee is not None:
            evidence = reader.evidence(*where, detail)
            reader.edges.append(Edge(source, callee, None, "TCP", (evidence,)))


def _intent_target(
    item: Mapping[str, Any], version: str, namespace: str
) -> tuple[str, str, bool] | None:
    """(name, namespace, is a Service) of a pod-to-pod target; None for other targets."""
    if version.startswith("v2"):
        if isinstance(item.get("kubernetes"), dict):
            ref = item["kubernetes"]
            is_service = ref.get("kind") == "Service"
        elif isinstance(item.get("service"), dict):
            ref, is_service = item["service"], True
        else:
            return None
    else:
        if item.get("type") in _NOT_NETWORK:
            return None
        ref, is_service = item, False
    raw = ref.get("name")
    if not isinstance(raw, str) or not raw:
        return None
    name, _, other = raw.partition(".")  # name.namespace: another namespace
    return name, other or namespace, is_service


def _service_targets(
    source: str, service_id: str, where: tuple[Any, PathElement], detail: str, reader: _Reader
) -> None:
    """A Service target: the workloads it selects, on the container ports it sends to."""
    from socklock.discover.addresses import Target
    from socklock.discover.resolve import KubernetesResolver, NotFound

    namespace, name = service_id.split("/", 1)
    target = Target(name, None, None, "TCP", name)
    reached = KubernetesResolver(reader.inventory).resolve(target, namespace)
    if isinstance(reached, NotFound):
        reader.error(*where, f"{service_id}: {reached.reason}")
        return
    if not isinstance(reached, list):
        reader.error(*where, f"Service {service_id!r} names an address outside the cluster")
        return
    evidence = reader.evidence(*where, detail)
    for hit in reached:
        reader.edges.append(Edge(source, hit.workload, hit.port, hit.protocol, (evidence,)))


# -- socklock's graph JSON ---------------------------------------------------------------


def _graph_json(path: str, text: str) -> ServiceGraph:
    from pydantic import ValidationError

    from socklock.schemas.graph import GraphDocument, from_document

    items = list(load_json(text, path, DEFAULT_LIMITS))
    problems = [i for i in items if isinstance(i, Diagnostic)]
    if problems:
        raise InputErrors([InputError(p.message, p.location) for p in problems])
    (document,) = [i for i in items if isinstance(i, Document)]
    try:
        return from_document(GraphDocument.model_validate(document.value))
    except ValidationError as exc:
        errors = []
        for problem in exc.errors():
            node, key = _node_at(document.value, problem["loc"])
            line, column = position_of(node, key)
            where = ".".join(str(p) for p in problem["loc"]) or "document"
            errors.append(InputError(f"{where}: {problem['msg']}", Location(path, line, column)))
        raise InputErrors(sorted(errors, key=_where)) from None


def _node_at(root: Any, loc: tuple[Any, ...]) -> tuple[Any, PathElement | None]:
    """The deepest node of ``loc`` that exists, and the key in it (for its position)."""
    node: Any = root
    for index, step in enumerate(loc):
        child = node.get(step) if isinstance(node, dict) else None
        if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            child = node[step]
        if child is None or index == len(loc) - 1:
            return node, step if child is not None or isinstance(node, dict) else None
        node = child
    return node, None


def _graph(reader: _Reader) -> ServiceGraph:
    ids = sorted(
        {e.source for e in reader.edges}
        | {e.target for e in reader.edges}
        | {p.workload for p in reader.entries}
    )
    nodes = tuple(
        GraphNode(
            i, NodeKind.EXTERNAL if i.startswith(EXTERNAL_PREFIX) else NodeKind.WORKLOAD, None
        )
        for i in ids
    )
    edges = tuple(sorted(set(reader.edges)))
    return ServiceGraph(nodes=nodes, edges=edges, entry_points=tuple(sorted(set(reader.entries))))
