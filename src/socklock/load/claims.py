"""Does a file claim to be a Kubernetes manifest or a compose project?

A repository holds far more YAML and JSON than manifests: CI configs, Grafana and
Prometheus provisioning, OpenAPI specs, tsconfig. Only a file that claims to be a
Kubernetes object (a top-level mapping with ``apiVersion`` and ``kind``) or a compose
project is input; a problem in such a file is an error, anything else is skipped and
counted. A file that does not parse is judged on its text:

- it holds ``{{ ... }}`` (or ``{ { ... } }``, as a formatter spaces it): an unrendered
  template (Helm, Go, Jinja), not YAML until rendered: skipped, whatever it claims;
  a Carvel ytt template (``#@`` annotations) parses, but is skipped the same way;
- it has a top-level ``apiVersion:`` or ``kind:`` line (``"apiVersion":`` in JSON), or a
  top-level ``services:`` line in a file named like a compose file or whose services have
  an ``image:`` or ``build:`` (Symfony's ``services.yaml`` and its bundles' config have a
  ``services:`` of their own): it means to be input, so the parse error is an error;
- otherwise it is someone else's broken file: skipped.

A manifest whose name or namespace is a placeholder a script fills in (``<K8S_NAMESPACE>``,
``${NAMESPACE}``) or holds a template expression (an Ansible/Jinja ``"{{ item }}"``, quoted,
so the file parses) is an unrendered template too: skipped.
"""

from __future__ import annotations

import re
from typing import Any

from socklock.load.compose import is_compose_file_name
from socklock.model import WORKLOAD_KINDS

# ``{{ .Values.x }}``, and the same spaced out by a formatter (``{ { .Values.x } }``)
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{ \{ *[-.$A-Za-z][^{}\n]*\} \}", re.DOTALL)
_YAML_CLAIM = re.compile(r"^(?:apiVersion|kind)[ \t]*:", re.MULTILINE)
_SERVICES = re.compile(r"^services[ \t]*:", re.MULTILINE)
_SERVICE_KEY = re.compile(r"^[ \t]+(?:image|build)[ \t]*:", re.MULTILINE)
_JSON_CLAIM = re.compile(r'"(?:apiVersion|kind)"\s*:')


# Kubernetes API conventions: ``v1``, ``apps/v1``, ``networking.k8s.io/v1beta1``; CamelCase kinds.
_API_VERSION = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?$"
)
_KIND = re.compile(r"^[A-Z][A-Za-z0-9]*$")
# Kinds socklock reads: without metadata one is a broken object, not someone else's config.
_READ_KINDS = frozenset(
    {
        *WORKLOAD_KINDS,
        "Service",
        "Namespace",
        "NetworkPolicy",
        "Ingress",
        "ConfigMap",
        "Secret",
        "ServiceAccount",
        "GlobalNetworkPolicy",
        "AdminNetworkPolicy",
        "BaselineAdminNetworkPolicy",
        "ClusterNetworkPolicy",
        "CiliumNetworkPolicy",
        "CiliumClusterwideNetworkPolicy",
    }
)


def is_manifest(value: Any) -> bool:
    """A top-level mapping that claims to be a Kubernetes object: an ``apiVersion`` and a
    ``kind`` written as Kubernetes writes them, and metadata (or a kind socklock reads, or a
    List). Tool configs in the same envelope (``kind: helm-release``/``apiVersion: 1.1``, a
    kind cluster's ``Cluster`` without metadata) are not objects."""
    if not isinstance(value, dict):
        return False
    api_version, kind = value.get("apiVersion"), value.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return False
    if not _API_VERSION.match(api_version) or not _KIND.match(kind):
        return False
    return isinstance(value.get("metadata"), dict) or kind in _READ_KINDS or kind.endswith("List")


# a value a script fills in before it applies the file (``sed s/<K8S_NAMESPACE>/.../``,
# ``envsubst``): ``<K8S_NAMESPACE>``, ``${NAMESPACE}``, ``${NS:-shop}``, ``$NS``, ``__APP__``
_PLACEHOLDER = re.compile(
    r"^(?:<[A-Za-z_][A-Za-z0-9_.-]*>|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}]*)?\}"
    r"|\$[A-Z_][A-Z0-9_]*|__[A-Z][A-Z0-9_]*__)$"
)
# a template expression inside a quoted value (Ansible/Jinja, Go templates): ``"{{ item }}"``,
# ``"shop-{{ env }}"``; no Kubernetes name can hold braces
_TEMPLATE_VALUE = re.compile(r"\{\{[^{}]*\}\}")


def has_placeholder_identity(value: Any) -> bool:
    """A manifest whose name or namespace is a placeholder: a template a script fills in,
    not an object until then (a name no object can have, not a broken one)."""
    metadata = value.get("metadata") if isinstance(value, dict) else None
    if not isinstance(metadata, dict):
        return False
    return any(
        isinstance(metadata.get(key), str)
        and (
            _PLACEHOLDER.match(metadata[key]) is not None
            or _TEMPLATE_VALUE.search(metadata[key]) is not None
        )
        for key in ("name", "namespace")
    )


def is_template_text(text: str) -> bool:
    return _TEMPLATE.search(text) is not None


# Carvel ytt: ``#@ load("@ytt:data", "data")``, ``name: #@ data.values.name``,
# ``#@overlay/match``: YAML that parses, but whose values are filled in by ytt
_YTT = re.compile(r"^[ \t-]*#@(?:[ \t]|[a-z]+(?:/|\b))|:[ \t]+#@[ \t]", re.MULTILINE)


def is_ytt_template(text: str) -> bool:
    """A Carvel ytt template: its ``#@`` annotations are code, not comments, so the YAML it
    parses to is not the object it renders."""
    return "#@" in text and _YTT.search(text) is not None  # the search scans every line


def text_claims_input(text: str, *, json: bool, name: str = "") -> bool:
    """The text of a file that does not parse still says it means to be a manifest
    (``name``: the file's name, which may say it is a compose file)."""
    if json:
        return _JSON_CLAIM.search(text) is not None
    if _YAML_CLAIM.search(text) is not None:
        return True
    if _SERVICES.search(text) is None:
        return False
    return is_compose_file_name(name) or _SERVICE_KEY.search(text) is not None


def read_jsonc(text: str) -> Any | None:
    """JSON with comments and trailing commas (tsconfig, devcontainer, appsettings), or None."""
    import pyjson5

    try:
        return pyjson5.decode(text)
    except (pyjson5.Json5Exception, ValueError):
        return None
