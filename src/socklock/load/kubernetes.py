"""Kubernetes documents → typed objects (workloads, Services, policies, ...).

Unknown kinds (CRDs) are kept as plain objects and otherwise skipped. Secret values are
dropped here, at the door: only names and keys go further.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from socklock.load.fields import NO_STRINGS, FieldReader, given
from socklock.load.names import dns1123_label_error, object_name_error
from socklock.model import (
    NAMESPACE_NAME_LABEL,
    WORKLOAD_KINDS,
    ConfigMap,
    Container,
    ContainerPort,
    ContainerRole,
    Diagnostic,
    EnvFrom,
    EnvFromKind,
    EnvSource,
    EnvSourceKind,
    EnvVar,
    Ingress,
    IngressBackend,
    K8sObject,
    Location,
    Namespace,
    Protocol,
    Secret,
    Service,
    ServiceAccount,
    ServicePort,
    VolumeMount,
    Workload,
    YMap,
    YSeq,
)
from socklock.model.compact import compact
from socklock.model.document import PathElement

CLUSTER_SCOPED = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "Node",
    "GlobalNetworkPolicy",
    "PriorityClass",
    "IngressClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "APIService",
    "RuntimeClass",
}

_POD_SPEC_PATHS: dict[str, tuple[PathElement, ...]] = {
    "Pod": ("spec",),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
_TEMPLATE_PATH: tuple[PathElement, ...] = ("spec", "template")
_TEMPLATE_SPEC_PATH: tuple[PathElement, ...] = (*_TEMPLATE_PATH, "spec")
# the path of each container from its object's root, shared by every object written alike
_CONTAINER_PATHS: dict[tuple[PathElement, ...], tuple[PathElement, ...]] = {}
_SECRET_REDACTED = "<redacted>"
_MADE_BY_CONTROLLERS = frozenset({"Pod", "ReplicaSet", "Job"})


@dataclass(slots=True)
class KubernetesObjects:
    """What one file contributed."""

    objects: list[K8sObject] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    namespaces: list[Namespace] = field(default_factory=list)
    network_policies: list[K8sObject] = field(default_factory=list)
    ingresses: list[Ingress] = field(default_factory=list)
    config_maps: list[ConfigMap] = field(default_factory=list)
    secrets: list[Secret] = field(default_factory=list)
    service_accounts: list[ServiceAccount] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def extend(self, other: KubernetesObjects) -> None:
        """Add what ``other`` holds after what this holds, list by list."""
        for name in self.__slots__:
            getattr(self, name).extend(getattr(other, name))


def is_manifest(value: Any) -> bool:
    return isinstance(value, dict) and "apiVersion" in value and "kind" in value


def looks_like_manifest(value: Any) -> bool:
    """A mapping that means to be a Kubernetes object even if it is missing a field."""
    return isinstance(value, dict) and ("apiVersion" in value or "kind" in value)


def expand_lists(value: YMap, file: str, out: KubernetesObjects) -> Iterator[YMap]:
    """A ``List`` (or ``PodList``...) gives its items; any other object gives itself."""
    kind = value.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and "items" in value:
        items = value.get("items") or YSeq()
        if not isinstance(items, list):
            reader = FieldReader(file, kind)
            reader.error(value, "items", "items must be a list")
            out.diagnostics.extend(reader.diagnostics)
            return
        item_kind = kind[: -len("List")] if kind != "List" else None
        for item in items:
            if isinstance(item, YMap) and item_kind and "kind" not in item:
                item["kind"] = item_kind
                item.setdefault("apiVersion", value.get("apiVersion"))
            if isinstance(item, YMap):
                yield from expand_lists(item, file, out)
        return
    yield value


def add_document(
    value: YMap, file: str, out: KubernetesObjects, namespace: str = "default"
) -> None:
    """Add one manifest document (possibly a List) to ``out``; ``namespace``: where an
    object that names none lands (``kubectl apply -n``, an Argo CD destination)."""
    from socklock.load.operators import operated

    for item in expand_lists(value, file, out):
        _add_object(item, file, out, namespace)
        for made in operated(item):  # the pods and Services an operator makes of it
            _add_object(made, file, out, namespace)


def _add_object(body: YMap, file: str, out: KubernetesObjects, default: str = "default") -> None:
    line, column = body.position
    where = Location(file, line, column)
    kind = body.get("kind")
    api_version = body.get("apiVersion")
    if not isinstance(kind, str) or not kind:
        out.diagnostics.append(Diagnostic(where, "manifest has no kind"))
        return
    if not isinstance(api_version, str) or not api_version:
        out.diagnostics.append(Diagnostic(where, f"{kind} has no apiVersion"))
        return
    reader = FieldReader(file, kind)
    metadata = reader.mapping(body, "metadata")
    if metadata is None:
        reader.error(body, None, "metadata is missing")
        out.diagnostics.extend(reader.diagnostics)
        return
    name = reader.text(metadata, "name", ("metadata",))
    name_key = "name"
    if not name:
        if metadata.get("generateName"):
            name = str(metadata["generateName"])
            name_key = "generateName"
        elif kind in _BUILDERS or kind in WORKLOAD_KINDS:
            reader.error(metadata, None, "metadata.name is missing")
            out.diagnostics.extend(reader.diagnostics)
            return
        else:  # a kind the loader does not build (RBAC, most CRDs): often a sed template
            reader.warning(metadata, None, "metadata.name is missing: object not read")
            out.diagnostics.extend(reader.diagnostics)
            return
    namespace = (
        None if kind in CLUSTER_SCOPED else reader.text(metadata, "namespace", ("metadata",))
    )
    if kind not in CLUSTER_SCOPED and namespace is None:
        namespace = default
    if not _valid_names(kind, name, name_key, namespace, metadata, reader):
        out.diagnostics.extend(reader.diagnostics)
        return
    reader.what = f"{kind} {namespace + '/' if namespace else ''}{name}"
    if kind == "Secret":
        body = _redact_secret(body)
    obj = K8sObject(
        api_version=api_version,
        kind=kind,
        name=name,
        namespace=namespace,
        labels=reader.str_map(metadata, "labels", ("metadata",)),
        annotations=reader.str_map(metadata, "annotations", ("metadata",)),
        document=compact(body),
        location=where,
    )
    out.objects.append(obj)
    builder = _BUILDERS.get(kind)
    if builder is not None:
        builder(obj, reader, out)
    elif kind in WORKLOAD_KINDS and _runs_template(obj):
        _add_workload(obj, reader, out)
    out.diagnostics.extend(reader.diagnostics)


def _runs_template(obj: K8sObject) -> bool:
    """False for a Rollout that is not Argo's, or that runs a Deployment's template
    (``spec.workloadRef``: that Deployment is the workload)."""
    if obj.kind != "Rollout":
        return True
    spec = obj.body.get("spec")
    return (
        obj.api_version.split("/", 1)[0] == "argoproj.io"
        and isinstance(spec, dict)
        and isinstance(spec.get("template"), dict)
    )


def _valid_names(
    kind: str,
    name: str,
    name_key: str,
    namespace: str | None,
    metadata: YMap,
    reader: FieldReader,
) -> bool:
    """Names become paths of generated files: one the API server would refuse is an input
    error here, and the object is not used (see load/names.py). For a kind the loader does
    not build (a tool's config in the Kubernetes envelope, a CRD) it is a warning: the
    object is still not used, but the run does not fail over a file it does not need."""
    report = reader.error if kind in _BUILDERS or kind in WORKLOAD_KINDS else reader.warning
    problem = object_name_error(kind, name, generated=name_key == "generateName")
    if problem is not None:
        report(metadata, name_key, f"metadata.{name_key} {name!r} is invalid: {problem}")
        return False
    if namespace is not None and (problem := dns1123_label_error(namespace)) is not None:
        report(metadata, "namespace", f"metadata.namespace {namespace!r} is invalid: {problem}")
        return False
    return True


def _redact_secret(body: YMap) -> YMap:
    redacted = YMap(body)
    redacted.position = body.position
    redacted.key_positions = dict(body.key_positions)
    for section in ("data", "stringData"):
        values = body.get(section)
        if isinstance(values, YMap):
            masked = YMap((key, _SECRET_REDACTED) for key in values)
            masked.position = values.position
            masked.key_positions = dict(values.key_positions)
            redacted[section] = masked
    return redacted


# -- workloads -------------------------------------------------------------------------------


def _pod_template(
    obj: K8sObject, reader: FieldReader
) -> tuple[YMap | None, YMap, tuple[PathElement, ...]]:
    """(pod metadata, pod spec, path of the pod spec) of any workload kind."""
    body = obj.body
    if obj.kind == "Pod":
        spec = reader.mapping(body, "spec")
        return reader.mapping(body, "metadata"), spec if spec is not None else YMap(), ("spec",)
    path: tuple[PathElement, ...] = _POD_SPEC_PATHS.get(obj.kind, _TEMPLATE_SPEC_PATH)
    node: Any = body
    walked: tuple[PathElement, ...] = ()
    template: YMap | None = None
    for element in path[:-1]:
        assert isinstance(element, str)
        if not isinstance(node, YMap):
            break
        child = reader.mapping(node, element, walked)
        if child is None:
            reader.error(
                node,
                element if element in node else None,
                f"{'.'.join(map(str, (*walked, element)))} is missing",
            )
            return None, YMap(), path
        walked = (*walked, element)
        node = child
        template = child
    spec = reader.mapping(template, "spec", walked) if template is not None else None
    if spec is None:
        reader.error(
            template if template is not None else body,
            None,
            f"{'.'.join(map(str, path))} is missing",
        )
        return None, YMap(), path
    metadata = reader.mapping(template, "metadata", walked) if template is not None else None
    return metadata, spec, path


def _add_workload(obj: K8sObject, reader: FieldReader, out: KubernetesObjects) -> None:
    metadata, pod_spec, spec_path = _pod_template(obj, reader)
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    if obj.kind == "Pod":
        labels, annotations = obj.labels, obj.annotations
    elif metadata is not None:
        labels = reader.str_map(metadata, "labels", (*spec_path[:-1], "metadata"))
        annotations = reader.str_map(metadata, "annotations", (*spec_path[:-1], "metadata"))
    else:
        labels, annotations = NO_STRINGS, NO_STRINGS
    if obj.kind == "Job":
        labels = _with_job_labels(obj, labels)
    containers: list[Container] = []
    for role in ContainerRole:
        items = reader.sequence(pod_spec, role.value, spec_path) or YSeq()
        for index, item in enumerate(items):
            path = (*spec_path, role.value, index)
            path = _CONTAINER_PATHS.setdefault(path, path)
            container = _container(obj, item, role, path, reader, items, index)
            if container is not None:
                containers.append(container)
    if not any(c.role is ContainerRole.CONTAINER for c in containers) and pod_spec:
        reader.error(
            pod_spec, None, f"{'.'.join(map(str, spec_path))}.containers is missing or empty"
        )
    spec = obj.body.get("spec") if isinstance(obj.body.get("spec"), YMap) else None
    replicas = reader.integer(spec, "replicas", ("spec",)) if spec is not None else None
    if replicas is None and obj.kind in (
        "Deployment",
        "Rollout",
        "StatefulSet",
        "ReplicaSet",
        "ReplicationController",
    ):
        replicas = 1
    service_account = reader.text(pod_spec, "serviceAccountName", spec_path) or reader.text(
        pod_spec, "serviceAccount", spec_path
    )
    out.workloads.append(
        Workload(
            obj=obj,
            labels=labels,
            pod_annotations=annotations,
            replicas=replicas,
            pod_spec_path=spec_path,
            containers=tuple(containers),
            service_account=service_account,
            pod_ips=_pod_ips(obj) if obj.kind == "Pod" else (),
            # what a controller made (in a kubectl dump): the controller is the workload
            owner=_owner(obj) if obj.kind in _MADE_BY_CONTROLLERS else None,
            controller=_controller(obj.body),
            volumes=pod_spec.get("volumes"),
        )
    )


# The labels the Job controller adds to every pod of a Job whose selector it generates
# (``manualSelector`` unset or false; kubernetes.io/docs/concepts/workloads/controllers/job/):
# the legacy ``job-name`` and, since Kubernetes 1.27, ``batch.kubernetes.io/job-name``, both
# the Job's name; ``controller-uid`` too, whose value (the Job's uid) no manifest knows.
JOB_NAME_LABELS = ("batch.kubernetes.io/job-name", "job-name")


def _with_job_labels(obj: K8sObject, labels: Mapping[str, str]) -> Mapping[str, str]:
    """A Job's pod labels as its pods carry them: what a policy (the user's, or one socklock
    writes for two Jobs with the same template labels) can select them by."""
    spec = obj.body.get("spec")
    if isinstance(spec, dict) and spec.get("manualSelector") is True:
        return labels
    added = {key: obj.name for key in JOB_NAME_LABELS if key not in labels}
    return {**labels, **added} if added else labels


def _controller(body: YMap) -> tuple[str, str] | None:
    """The workload an object's ``ownerReferences`` name as its controller, as written."""
    metadata = body.get("metadata")
    refs = metadata.get("ownerReferences") if isinstance(metadata, dict) else None
    for ref in refs if isinstance(refs, list) else ():
        if not isinstance(ref, dict) or not given(ref, "controller", True):
            continue
        kind, name = ref.get("kind"), ref.get("name")
        if isinstance(kind, str) and isinstance(name, str) and kind in WORKLOAD_KINDS:
            return kind, name
    return None


def _pod_ips(obj: K8sObject) -> tuple[str, ...]:
    status = obj.body.get("status")
    if not isinstance(status, dict):
        return ()
    ips: list[str] = []
    for entry in status.get("podIPs") or ():
        if isinstance(entry, dict) and isinstance(entry.get("ip"), str):
            ips.append(entry["ip"])
    if not ips and isinstance(status.get("podIP"), str):
        ips.append(status["podIP"])
    return tuple(ips)


def _owner(obj: K8sObject) -> tuple[str, str] | None:
    """The workload that owns a dumped Pod, ReplicaSet or Job: a ReplicaSet of a Deployment
    is seen through."""
    refs = obj.body.get("metadata", {}).get("ownerReferences") or ()
    for ref in refs:
        if not isinstance(ref, dict) or not given(ref, "controller", True):
            continue
        kind, name = ref.get("kind"), ref.get("name")
        if not isinstance(kind, str) or not isinstance(name, str):
            continue
        template_hash = obj.labels.get("pod-template-hash")
        if kind == "ReplicaSet" and template_hash and name.endswith(f"-{template_hash}"):
            return ("Deployment", name[: -len(template_hash) - 1])
        if kind == "Job" and re.fullmatch(r".+-\d{8,}", name):
            return ("CronJob", name.rsplit("-", 1)[0])
        return (kind, name)
    return None


def _protocol(raw: Any, node: YMap, key: str, reader: FieldReader) -> Protocol:
    if raw is None:
        return Protocol.TCP
    try:
        return Protocol(raw)
    except ValueError:
        reader.error(node, key, f"protocol must be TCP, UDP or SCTP, not {raw!r}")
        return Protocol.TCP


def _container(
    obj: K8sObject,
    item: Any,
    role: ContainerRole,
    path: tuple[PathElement, ...],
    reader: FieldReader,
    parent: YSeq,
    index: int,
) -> Container | None:
    if not isinstance(item, YMap):
        reader.error(parent, index, f"{_dotted(path)} must be a mapping")
        return None
    name = reader.text(item, "name", path)
    if not name:
        reader.error(item, None, f"{_dotted(path)}.name is missing")
        name = f"#{index}"
    ports: list[ContainerPort] = []
    for i, port in enumerate(reader.sequence(item, "ports", path) or ()):
        if not isinstance(port, YMap):
            continue
        number = reader.integer(port, "containerPort", (*path, "ports", i))
        if number is None:
            reader.error(port, None, f"{_dotted((*path, 'ports', i))}.containerPort is missing")
            continue
        if not 1 <= number <= 65535:
            reader.error(port, "containerPort", f"containerPort {number} is not in 1-65535")
            continue
        ports.append(
            ContainerPort(
                container_port=number,
                protocol=_protocol(port.get("protocol"), port, "protocol", reader),
                name=reader.text(port, "name", (*path, "ports", i)),
                host_port=reader.integer(port, "hostPort", (*path, "ports", i)),
                location=reader.location(port),
            )
        )
    env: list[EnvVar] = []
    for i, var in enumerate(reader.sequence(item, "env", path) or ()):
        if not isinstance(var, YMap) or not isinstance(var.get("name"), str):
            reader.error(item, "env", f"{_dotted((*path, 'env', i))} needs a name")
            continue
        value = var.get("value")
        if value is not None and not isinstance(value, str):
            value = _unquoted(
                reader, var, "value", value, f"env {var['name']}: value must be a string"
            )
        env.append(EnvVar(var["name"], value, _env_source(var), reader.location(var)))
    env_from: list[EnvFrom] = []
    for source in reader.sequence(item, "envFrom", path) or ():
        if not isinstance(source, YMap):
            continue
        for kind in EnvFromKind:
            ref = source.get(kind.value)
            if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                env_from.append(
                    EnvFrom(
                        kind,
                        ref["name"],
                        str(source.get("prefix") or ""),
                        bool(ref.get("optional", False)),
                        reader.location(source),
                    )
                )
    mounts = tuple(
        VolumeMount(str(m.get("name")), str(m.get("mountPath")), bool(m.get("readOnly", False)))
        for m in reader.sequence(item, "volumeMounts", path) or ()
        if isinstance(m, dict)
    )
    # read for their errors only: the container reads them through its object's body
    reader.mapping(item, "securityContext", path)
    reader.mapping(item, "resources", path)
    return Container(
        name=name,
        image=reader.text(item, "image", path),
        role=role,
        ports=tuple(ports),
        env=tuple(env),
        env_from=tuple(env_from),
        volume_mounts=mounts,
        run={key: item[key] for key in _RUN_KEYS if key in item} if _has_run(item) else NO_RUN,
        path=path,
        location=reader.location(item),
        obj=obj,
    )


_RUN_KEYS = ("command", "args")
NO_RUN: Mapping[str, object] = MappingProxyType({})


def _has_run(item: YMap) -> bool:
    return "command" in item or "args" in item


def _env_source(var: YMap) -> EnvSource | None:
    value_from = var.get("valueFrom")
    if not isinstance(value_from, dict):
        return None
    for kind in EnvSourceKind:
        ref = value_from.get(kind.value)
        if isinstance(ref, dict):
            key = ref.get("key") or ref.get("fieldPath") or ref.get("resource")
            return EnvSource(kind, ref.get("name"), key, bool(ref.get("optional", False)))
    return None


def _dotted(path: tuple[PathElement, ...]) -> str:
    from socklock.model import format_path

    return format_path(path)


# -- other kinds ---------------------------------------------------------------------------


def _add_service(obj: K8sObject, reader: FieldReader, out: KubernetesObjects) -> None:
    spec = reader.mapping(obj.body, "spec") or YMap()
    ports: list[ServicePort] = []
    for i, port in enumerate(reader.sequence(spec, "ports", ("spec",)) or ()):
        if not isinstance(port, YMap):
            continue
        number = reader.integer(port, "port", ("spec", "ports", i))
        if number is None:
            reader.error(port, None, f"spec.ports[{i}].port is missing")
            continue
        target = given(port, "targetPort", number)
        if not isinstance(target, int | str) or isinstance(target, bool):
            reader.error(port, "targetPort", "targetPort must be a number or a port name")
            target = number
        if isinstance(target, str) and target.isdigit():
            target = int(target)
        if target in (0, ""):  # the API server defaults these as it does an absent one
            target = number
        ports.append(
            ServicePort(
                port=number,
                target_port=target,
                protocol=_protocol(port.get("protocol"), port, "protocol", reader),
                name=reader.text(port, "name", ("spec", "ports", i)),
                node_port=reader.integer(port, "nodePort", ("spec", "ports", i)),
                location=reader.location(port),
            )
        )
    selector = reader.str_map(spec, "selector", ("spec",)) if "selector" in spec else None
    out.services.append(
        Service(
            obj=obj,
            type=reader.text(spec, "type", ("spec",)) or "ClusterIP",
            selector=selector or None,
            ports=tuple(ports),
            external_name=reader.text(spec, "externalName", ("spec",)),
        )
    )


def _add_namespace(obj: K8sObject, reader: FieldReader, out: KubernetesObjects) -> None:
    labels = dict(obj.labels)
    labels[NAMESPACE_NAME_LABEL] = obj.name
    out.namespaces.append(Namespace(obj, labels))


# resources a JVM build merges into what it generates: Quarkus (Dekorate), Eclipse JKube
_BUILD_FRAGMENTS = (("src", "main", "kubernetes"), ("src", "main", "jkube"))


def _unquoted(reader: FieldReader, node: Any, key: PathElement, value: object, what: str) -> str:
    """A number or boolean where Kubernetes wants a string: an error (the API server refuses
    it), read as its text. In a JVM build's ``src/main/kubernetes/`` fragment it is no
    error: the build reads it with Jackson, which converts scalars (``true``, ``80``)."""
    parts = Path(reader.file).parts
    fragment = any(parts[i : i + len(f)] == f for f in _BUILD_FRAGMENTS for i in range(len(parts)))
    if fragment:
        return json.dumps(value) if isinstance(value, bool) else str(value)
    reader.error(node, key, f"{what} (quote {value!r})")
    return str(value)


def _add_network_policy(obj: K8sObject, reader: FieldReader, out: KubernetesObjects) -> None:
    if obj.api_version.startswith("networking.k8s.io/"):
        out.network_policies.append(obj)


def _add_config_map(obj: K8sObject, reader: FieldReader, out: KubernetesObjects) -> None:
    data = reader.mapping(obj.body, "data") or YMap()
    values: dict[str, str] = {}
    locations: dict[str, Location] = {}
    for key, value in data.items():
        if value is None:  # the API server decodes null into a string field as ""
            value = ""
        elif not isinstance(value, str):
            value = _unquoted(reader, data, key, value, f"data.{key} must be a string")
        values[str(key)] = value
        locations[str(key)] = reader.location(data, key)
    out.config_maps.append(ConfigMap(obj, values, locations))


def _add_secret(obj: K8sObject, reader: FieldReader, out: KubernetesObjects) -> None:
    keys: list[str] = []
    for section in ("data", "stringData"):
        values = obj.body.get(section)
        if isinstance(values, dict):
            keys.extend(str(k) for k in values)
    out.secrets.append(Secret(obj, str(obj.body.get("type") or "Opaque"), tuple(keys)))


def _add_ingress(obj: K8sObject, reader: FieldReader, out: KubernetesObjects) -> None:
    spec = reader.mapping(obj.body, "spec") or YMap()
    backends: list[IngressBackend] = []

    def backend(node: Any, host: str | None, path: str | None) -> None:
        if not isinstance(node, YMap):
            return
        service = node.get("service")
        if isinstance(service, dict):  # networking.k8s.io/v1
            port = service.get("port") or {}
            number = port.get("number") if isinstance(port, dict) else None
            port_name = port.get("name") if isinstance(port, dict) else None
            port_ref = number or port_name
            if isinstance(service.get("name"), str) and isinstance(port_ref, int | str):
                backends.append(
                    IngressBackend(service["name"], port_ref, host, path, reader.location(node))
                )
        elif isinstance(node.get("serviceName"), str):  # extensions/v1beta1
            backends.append(
                IngressBackend(
                    node["serviceName"],
                    given(node, "servicePort", 80),
                    host,
                    path,
                    reader.location(node),
                )
            )

    backend(spec.get("defaultBackend") or spec.get("backend"), None, None)
    for rule in spec.get("rules") or ():
        if not isinstance(rule, dict):
            continue
        http = rule.get("http")
        for entry in (http.get("paths") if isinstance(http, dict) else None) or ():
            if isinstance(entry, dict):
                backend(entry.get("backend"), rule.get("host"), entry.get("path"))
    out.ingresses.append(Ingress(obj, tuple(backends)))


def _add_service_account(obj: K8sObject, reader: FieldReader, out: KubernetesObjects) -> None:
    out.service_accounts.append(
        ServiceAccount(obj, reader.flag(obj.body, "automountServiceAccountToken"))
    )


_BUILDERS = {
    "Service": _add_service,
    "Namespace": _add_namespace,
    "NetworkPolicy": _add_network_policy,
    "ConfigMap": _add_config_map,
    "Secret": _add_secret,
    "Ingress": _add_ingress,
    "ServiceAccount": _add_service_account,
}
