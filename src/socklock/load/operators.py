"""Custom resources that an operator turns into pods and Services.

A ``RabbitmqCluster`` (the RabbitMQ Cluster Operator, ``rabbitmq.com/v1beta1``) is a broker
the cluster runs, though no manifest in the input names its pods: the operator makes a
StatefulSet ``<name>-server`` running RabbitMQ, a client Service ``<name>`` (amqp 5672,
management 15672, prometheus 15692) and a headless ``<name>-nodes`` (epmd 4369, clustering
25672), all selecting ``app.kubernetes.io/name: <name>`` (the operator's "Using the
Operator" docs, Service and StatefulSet sections). The objects are read as if written, at
the custom resource's position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from socklock.model import YMap, YSeq

_RABBITMQ_IMAGE = "rabbitmq:3-management"
_CLIENT_PORTS = (("amqp", 5672), ("management", 15672), ("prometheus", 15692))
_NODE_PORTS = (("epmd", 4369), ("cluster-links", 25672))


def operated(body: YMap) -> list[YMap]:
    """The objects the operator makes of the custom resource ``body`` (none for any other
    object)."""
    api_version, kind = body.get("apiVersion"), body.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return []
    maker = _OPERATORS.get((api_version.split("/", 1)[0], kind))
    metadata = body.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if maker is None or not isinstance(name, str) or not name:
        return []
    namespace = metadata.get("namespace") if isinstance(metadata, dict) else None
    given = body.get("spec")
    spec: dict[str, Any] = given if isinstance(given, dict) else {}
    return [_positioned(made, body.position) for made in maker(name, namespace, spec)]


def _rabbitmq_cluster(name: str, namespace: Any, spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    meta = {"name": name, **({"namespace": namespace} if isinstance(namespace, str) else {})}
    labels = {"app.kubernetes.io/name": name}
    image = spec.get("image") if isinstance(spec.get("image"), str) else _RABBITMQ_IMAGE
    replicas = spec.get("replicas") if isinstance(spec.get("replicas"), int) else 1
    ports = [*_CLIENT_PORTS, *_NODE_PORTS]
    yield {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {**meta, "name": f"{name}-server", "labels": labels},
        "spec": {
            "replicas": replicas,
            "serviceName": f"{name}-nodes",
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": "rabbitmq",
                            "image": image,
                            "ports": [{"name": n, "containerPort": p} for n, p in ports],
                        }
                    ]
                },
            },
        },
    }
    given = spec.get("service")
    service: dict[str, Any] = given if isinstance(given, dict) else {}
    kind = service.get("type") if isinstance(service.get("type"), str) else "ClusterIP"
    yield _service(meta, labels, _CLIENT_PORTS, {"type": kind})
    yield _service({**meta, "name": f"{name}-nodes"}, labels, _NODE_PORTS, {"clusterIP": "None"})


def _service(
    meta: dict[str, Any],
    labels: dict[str, str],
    ports: tuple[tuple[str, int], ...],
    extra: dict[str, Any],
) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta,
        "spec": {
            **extra,
            "selector": labels,
            "ports": [{"name": n, "port": p, "targetPort": p} for n, p in ports],
        },
    }


def _positioned(value: Any, position: tuple[int, int]) -> Any:
    """``value`` as the loader's nodes, every one at ``position``."""
    if isinstance(value, dict):
        node = YMap((k, _positioned(v, position)) for k, v in value.items())
        node.position = position
        node.key_positions = dict.fromkeys(node, position)
        return node
    if isinstance(value, list):
        items = YSeq(_positioned(v, position) for v in value)
        items.position = position
        items.item_positions = [position] * len(items)
        return items
    return value


_OPERATORS: dict[
    tuple[str, str], Callable[[str, Any, dict[str, Any]], Iterator[dict[str, Any]]]
] = {
    ("rabbitmq.com", "RabbitmqCluster"): _rabbitmq_cluster,
}
