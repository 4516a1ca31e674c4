"""A Kubernetes container's environment as the kubelet builds it: dependent ``$(VAR)``
references expanded, and the Service environment variables they may name.

The API reference (``EnvVar.value``): "Variable references $(VAR_NAME) are expanded using
the previously defined environment variables in the container and any service environment
variables. If a variable cannot be resolved, the reference in the input string will be
unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME)
syntax". The kubelet (``makeEnvironmentVariables``) first sets the ``envFrom`` keys, then
each ``env`` entry in order, expanding only literal values; a reference is looked up in
what is set so far, then in the Service variables. Those (``FromServices``) exist for each
Service of the pod's namespace that has a cluster IP (not headless, not ExternalName), unless
the pod sets ``enableServiceLinks: false``: ``<NAME>_SERVICE_HOST``, ``<NAME>_SERVICE_PORT``
(the first port), ``<NAME>_SERVICE_PORT_<PORTNAME>``, and the Docker-link style
``<NAME>_PORT`` (``tcp://ip:port`` of the first port), ``<NAME>_PORT_<port>_<PROTO>`` with
its ``_PROTO``, ``_PORT`` and ``_ADDR``; names upper-cased with ``-`` as ``_``. The cluster
IP is not in the manifests: the Service's name, which resolves to it, stands for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from socklock.load.kubelet_expansion import expand
from socklock.model import Service

__all__ = ["expand", "service_variables", "service_variables_by_service"]


def _env_name(name: str) -> str:
    return name.upper().replace("-", "_")


def service_variables(services: Iterable[Service], namespace: str) -> dict[str, str]:
    """The Service environment variables of a pod in ``namespace``."""
    return {
        name: value
        for name, (value, _) in service_variables_by_service(services, namespace).items()
    }


def service_variables_by_service(
    services: Iterable[Service], namespace: str
) -> dict[str, tuple[str, Service]]:
    """The Service environment variables of a pod in ``namespace``, each with the Service
    that defines it (its evidence)."""
    variables: dict[str, tuple[str, Service]] = {}
    for service in services:
        if service.namespace != namespace or not service.ports or not _has_cluster_ip(service):
            continue
        prefix = _env_name(service.name)
        host = service.name
        own: dict[str, str] = {}
        own[f"{prefix}_SERVICE_HOST"] = host
        own[f"{prefix}_SERVICE_PORT"] = str(service.ports[0].port)
        for index, port in enumerate(service.ports):
            if port.name:
                own[f"{prefix}_SERVICE_PORT_{_env_name(port.name)}"] = str(port.port)
            protocol = str(port.protocol)
            url = f"{protocol.lower()}://{host}:{port.port}"
            if index == 0:
                own[f"{prefix}_PORT"] = url
            link = f"{prefix}_PORT_{port.port}_{protocol.upper()}"
            own[link] = url
            own[f"{link}_PROTO"] = protocol.lower()
            own[f"{link}_PORT"] = str(port.port)
            own[f"{link}_ADDR"] = host
        variables.update({name: (value, service) for name, value in own.items()})
    return variables


def _has_cluster_ip(service: Service) -> bool:
    if service.type == "ExternalName":
        return False
    spec = service.obj.body.get("spec") if hasattr(service.obj.body, "get") else None
    cluster_ip = spec.get("clusterIP") if isinstance(spec, Mapping) else None
    return not (isinstance(cluster_ip, str) and cluster_ip.strip() == "None")  # headless
