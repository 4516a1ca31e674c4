"""Object names as the Kubernetes API server and the Compose spec validate them.

Names become file paths (``<namespace>/<name>.yaml`` in a generated set), so a name the
API server would refuse is refused here too, before anything is built from it: a
Deployment called ``../../victim/important`` is an input error, never a path. The rules
and messages follow k8s.io/apimachinery/pkg/util/validation and apimachinery's
``path.IsValidPathSegmentName``; the Compose rule is the spec's project-name pattern.
"""

from __future__ import annotations

import re

_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL = re.compile(_LABEL)
_DNS1123_SUBDOMAIN = re.compile(rf"{_LABEL}(\.{_LABEL})*")
_DNS1035_LABEL = re.compile("[a-z]([-a-z0-9]*[a-z0-9])?")
_COMPOSE_PROJECT = re.compile("[a-z0-9][a-z0-9_-]*")

DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253

_LABEL_RULE = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
_SUBDOMAIN_RULE = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
    "'-' or '.', and must start and end with an alphanumeric character"
)
_DNS1035_RULE = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
    "with an alphabetic character, and end with an alphanumeric character"
)

# Kinds whose names the API server checks as a DNS-1035 label or a DNS-1123 label; every
# other kind socklock models is a DNS-1123 subdomain. Kinds socklock does not model (CRDs,
# RBAC) are held to the rule every object name obeys: a valid path segment.
_DNS1035_KINDS = frozenset({"Service"})
_LABEL_KINDS = frozenset({"Namespace"})
_SUBDOMAIN_KINDS = frozenset(
    {
        "Pod",
        "Deployment",
        "ReplicaSet",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "ReplicationController",
        "NetworkPolicy",
        "Ingress",
        "ConfigMap",
        "Secret",
        "ServiceAccount",
    }
)


def dns1123_label_error(value: str) -> str | None:
    """Why ``value`` is not a DNS-1123 label (namespaces), or None when it is one."""
    if len(value) > DNS1123_LABEL_MAX:
        return f"must be no more than {DNS1123_LABEL_MAX} characters"
    return None if _DNS1123_LABEL.fullmatch(value) else _LABEL_RULE


def dns1123_subdomain_error(value: str) -> str | None:
    if len(value) > DNS1123_SUBDOMAIN_MAX:
        return f"must be no more than {DNS1123_SUBDOMAIN_MAX} characters"
    return None if _DNS1123_SUBDOMAIN.fullmatch(value) else _SUBDOMAIN_RULE


def dns1035_label_error(value: str) -> str | None:
    if len(value) > DNS1123_LABEL_MAX:
        return f"must be no more than {DNS1123_LABEL_MAX} characters"
    return None if _DNS1035_LABEL.fullmatch(value) else _DNS1035_RULE


def path_segment_error(value: str) -> str | None:
    """The rule for every object name: it is one segment of an API path."""
    if value in (".", ".."):
        return f"may not be {value!r}"
    for bad in ("/", "%"):
        if bad in value:
            return f"may not contain {bad!r}"
    return None


def object_name_error(kind: str, name: str, *, generated: bool = False) -> str | None:
    """Why ``name`` is not a valid name for an object of ``kind``, or None.

    ``generated``: ``name`` is a ``metadata.generateName`` prefix, which the server
    completes with random characters before validating it.
    """
    checked = f"{name}x" if generated else name
    if kind in _DNS1035_KINDS:
        return dns1035_label_error(checked)
    if kind in _LABEL_KINDS:
        return dns1123_label_error(checked)
    if kind in _SUBDOMAIN_KINDS:
        return dns1123_subdomain_error(checked)
    return path_segment_error(name)


def compose_project_error(name: str) -> str | None:
    """The Compose spec: lowercase letters, digits, dashes and underscores, starting with
    a letter or a digit."""
    if _COMPOSE_PROJECT.fullmatch(name):
        return None
    return (
        "a compose project name must contain only lowercase letters, decimal digits, "
        "dashes and underscores, and must begin with a lowercase letter or decimal digit"
    )
