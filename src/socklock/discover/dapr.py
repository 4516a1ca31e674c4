"""Dapr app-ids: the workload each names and the port its sidecar forwards invocations to.

On Kubernetes the sidecar injector reads the pod annotations ``dapr.io/app-id`` and
``dapr.io/app-port``. In compose, a ``daprd`` service started with ``-app-id <id>
-app-port <port>`` and ``network_mode: service:<app>`` is the sidecar of ``<app>``.
"""

from __future__ import annotations

from socklock.discover.names import DAPR_APP_ID, DAPR_APP_PORT
from socklock.discover.resolve import Reached
from socklock.model import Inventory

_ID_FLAGS = frozenset({"-app-id", "--app-id"})
_PORT_FLAGS = frozenset({"-app-port", "--app-port"})


def dapr_apps(inventory: Inventory, aliases: dict[str, str]) -> dict[str, list[Reached]]:
    """App-id (lower case) → the workloads it names, on the port the sidecar forwards to."""
    found: dict[str, list[Reached]] = {}
    for workload in inventory.workloads:
        app_id = workload.pod_annotations.get(DAPR_APP_ID) if workload.owner is None else None
        if not app_id:
            continue
        declared = workload.pod_annotations.get(DAPR_APP_PORT, "")
        ports = {p.container_port for p in workload.ports}
        port = int(declared) if declared.isdigit() else (min(ports) if len(ports) == 1 else None)
        via = f"Dapr app-id {app_id} ({DAPR_APP_ID} of {workload.id})"
        found.setdefault(app_id.lower(), []).append(Reached(workload.id, port, "TCP", via))
    for project in inventory.compose_projects:
        for service in project.services:
            mode = service.network_mode or ""
            command = service.body.get("command")
            words = command.split() if isinstance(command, str) else command
            if not mode.startswith("service:") or not isinstance(words, list):
                continue
            flags = _flags([str(w) for w in words])
            app_id = flags.get("id")
            if not app_id:
                continue
            app = f"{project.name}/{mode.removeprefix('service:')}"
            port_text = flags.get("port", "")
            port = int(port_text) if port_text.isdigit() else None
            via = f"Dapr app-id {app_id} (daprd -app-id of {service.id}, the sidecar of {app})"
            found.setdefault(app_id.lower(), []).append(
                Reached(aliases.get(app, app), port, "TCP", via)
            )
    return found


def _flags(words: list[str]) -> dict[str, str]:
    """``-app-id x`` / ``--app-id=x`` and the app port."""
    out: dict[str, str] = {}
    for index, word in enumerate(words):
        name, equals, value = word.partition("=")
        key = "id" if name in _ID_FLAGS else "port" if name in _PORT_FLAGS else None
        if key is None:
            continue
        if not equals and index + 1 < len(words):
            value = words[index + 1]
        out.setdefault(key, value)
    return out
