"""Read the objects socklock uses from a live cluster, through the official client.

The ``kubernetes`` package is the ``cluster`` extra: it is imported here only, when
``--cluster`` is given. Every object becomes one manifest stream named
``cluster:<context>/<namespace>/<Kind>/<name>``, in the YAML ``kubectl get -o yaml``
prints, so the loader reads it as it reads files and every message names the object.

What is read is what a dump would hold (``kubectl get -A -o yaml`` of these kinds), minus
what the controllers make: a ReplicaSet or Job owned by a controller is left out (its
Deployment or CronJob is read), Pods are read for their addresses. Secrets are not read:
socklock never uses their values, and a token allowed to read them is not needed.
An error (no kubeconfig, no such context, connection refused, RBAC) is one line; a kind
that cannot be listed does not stop the others.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from socklock.model import Diagnostic, Location

PAGE = 500  # objects per list call; the API server's continue token walks the rest


@dataclass(frozen=True, slots=True)
class Resource:
    """One list call: the client's API class and the method names it has for it."""

    api: str  # the client class, e.g. "AppsV1Api"
    plural: str  # for messages: "deployments.apps"
    method: str  # e.g. "deployment": list_deployment_for_all_namespaces / list_namespaced_...
    api_version: str
    kind: str
    namespaced: bool = True


RESOURCES = (
    Resource("CoreV1Api", "namespaces", "namespace", "v1", "Namespace", namespaced=False),
    Resource("AppsV1Api", "deployments.apps", "deployment", "apps/v1", "Deployment"),
    Resource("AppsV1Api", "statefulsets.apps", "stateful_set", "apps/v1", "StatefulSet"),
    Resource("AppsV1Api", "daemonsets.apps", "daemon_set", "apps/v1", "DaemonSet"),
    Resource("AppsV1Api", "replicasets.apps", "replica_set", "apps/v1", "ReplicaSet"),
    Resource("BatchV1Api", "jobs.batch", "job", "batch/v1", "Job"),
    Resource("BatchV1Api", "cronjobs.batch", "cron_job", "batch/v1", "CronJob"),
    Resource("CoreV1Api", "pods", "pod", "v1", "Pod"),
    Resource("CoreV1Api", "services", "service", "v1", "Service"),
    Resource("CoreV1Api", "serviceaccounts", "service_account", "v1", "ServiceAccount"),
    Resource("CoreV1Api", "configmaps", "config_map", "v1", "ConfigMap"),
    Resource(
        "NetworkingV1Api",
        "networkpolicies.networking.k8s.io",
        "network_policy",
        "networking.k8s.io/v1",
        "NetworkPolicy",
    ),
    Resource(
        "NetworkingV1Api",
        "ingresses.networking.k8s.io",
        "ingress",
        "networking.k8s.io/v1",
        "Ingress",
    ),
)
_MADE_BY_CONTROLLERS = frozenset({"ReplicaSet", "Job"})


@dataclass
class ClusterRead:
    """Manifest streams by name, and the problems met, each one line."""

    streams: dict[str, bytes]
    diagnostics: list[Diagnostic]


def read_cluster(context: str | None = None, namespace: str | None = None) -> ClusterRead:
    """Every object socklock uses, from the kubeconfig's ``context`` (default: current)."""
    out = ClusterRead({}, [])
    try:
        api_client, name = _client(context)
    except Exception as exc:  # the client raises plain exceptions for config problems
        out.diagnostics.append(_error(f"cluster:{context or ''}", _config_problem(exc)))
        return out
    where = f"cluster:{name}"
    try:
        for resource in RESOURCES:
            if namespace is not None and not resource.namespaced:
                continue
            try:
                for item in _items(api_client, resource, namespace):
                    if _made_by_controller(item, resource.kind):
                        continue
                    display = _display(name, item, resource.kind)
                    out.streams[display] = _manifest(item, resource)
            except _Unreachable as exc:
                out.diagnostics.append(_error(where, str(exc)))
                return out
            except _Refused as exc:
                out.diagnostics.append(_error(where, str(exc)))
    finally:
        api_client.close()
    return out


class _Refused(Exception):
    """The API server answered with an error for one kind (RBAC, not found...)."""


class _Unreachable(Exception):
    """No answer at all: nothing more can be read."""


def _client(context: str | None) -> tuple[Any, str]:
    from kubernetes import client, config

    files = os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config")  # noqa: PTH111
    contexts, active = config.list_kube_config_contexts(config_file=files)  # type: ignore[no-untyped-call]
    chosen = context or (active or {}).get("name")
    if context is not None and context not in {c["name"] for c in contexts}:
        raise ValueError(f"no context {context!r} in the kubeconfig")
    configuration = client.Configuration()
    config.load_kube_config(  # type: ignore[no-untyped-call]
        config_file=files, context=context, client_configuration=configuration
    )
    configuration.retries = 0  # a refused connection is said at once, not after retries
    return client.ApiClient(configuration), str(chosen or "")


def _config_problem(exc: Exception) -> str:
    message = str(exc).strip() or type(exc).__name__
    if isinstance(exc, FileNotFoundError):
        return f"no kubeconfig: {message}"
    return f"cannot use the kubeconfig: {message}"


def _items(api_client: Any, resource: Resource, namespace: str | None) -> Iterator[dict[str, Any]]:
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException
    from urllib3.exceptions import HTTPError

    api = getattr(client, resource.api)(api_client)
    if namespace is not None:
        call = getattr(api, f"list_namespaced_{resource.method}")
        args: tuple[str, ...] = (namespace,)
    elif resource.namespaced:
        call = getattr(api, f"list_{resource.method}_for_all_namespaces")
        args = ()
    else:
        call = getattr(api, f"list_{resource.method}")
        args = ()
    token: str | None = None
    while True:
        extra = {"_continue": token} if token else {}
        try:
            response = call(*args, limit=PAGE, _preload_content=False, **extra)
        except ApiException as exc:
            raise _Refused(_api_problem(exc, resource, namespace)) from exc
        except (HTTPError, OSError) as exc:
            raise _Unreachable(f"cannot reach the API server: {_reason(exc)}") from exc
        page = json.loads(response.data)
        yield from page.get("items") or ()
        token = (page.get("metadata") or {}).get("continue")
        if not token:
            return


def _api_problem(exc: Any, resource: Resource, namespace: str | None) -> str:
    scope = f"in namespace {namespace!r}" if namespace else "at the cluster scope"
    reason = ""
    try:
        reason = json.loads(exc.body or "{}").get("message", "")
    except (ValueError, AttributeError):
        reason = str(exc.reason or "")
    status = exc.status
    if status == 403:
        what = f"forbidden to list {resource.plural} {scope} (RBAC)"
    elif status == 401:
        what = "unauthorised: the kubeconfig's credentials were refused"
    else:
        what = f"cannot list {resource.plural} {scope}: HTTP {status}"
    return f"{what}: {reason}" if reason and status != 401 else what


def _reason(exc: BaseException) -> str:
    """The innermost cause urllib3 wraps (``MaxRetryError`` -> ``NewConnectionError`` ...)."""
    inner: object = exc
    while isinstance(getattr(inner, "reason", None), BaseException):
        inner = getattr(inner, "reason")  # noqa: B009
    text = str(inner)
    return text.split(": ", 1)[-1] if ": " in text else text


def _made_by_controller(item: dict[str, Any], kind: str) -> bool:
    if kind not in _MADE_BY_CONTROLLERS:
        return False
    refs = (item.get("metadata") or {}).get("ownerReferences") or ()
    return any(isinstance(ref, dict) and ref.get("controller") for ref in refs)


def _display(context: str, item: dict[str, Any], kind: str) -> str:
    metadata = item.get("metadata") or {}
    namespace = metadata.get("namespace")
    name = metadata.get("name", "")
    scope = f"{namespace}/" if namespace else ""
    return f"cluster:{context}/{scope}{kind}/{name}"


def _manifest(item: dict[str, Any], resource: Resource) -> bytes:
    """The object as ``kubectl get -o yaml`` shows it (List items carry no kind)."""
    body = {"apiVersion": resource.api_version, "kind": resource.kind, **item}
    metadata = body.get("metadata")
    if isinstance(metadata, dict):
        metadata.pop("managedFields", None)  # server bookkeeping, thousands of lines
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(body, Dumper=dumper, sort_keys=False, allow_unicode=True)
    return text.encode()


def _error(where: str, message: str) -> Diagnostic:
    return Diagnostic(Location(where), message)
