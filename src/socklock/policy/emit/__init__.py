"""Emitters: one module per output flavour (kubernetes, calico, anp, cilium, compose), plus
the patcher that writes caller labels into the user's own manifests (caller_labels)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from socklock.load.kubernetes import KubernetesObjects, add_document
from socklock.load.limits import DEFAULT_LIMITS
from socklock.load.yamlread import Document, load_yaml
from socklock.model import K8sObject, YMap
from socklock.policy.emit.yamltext import render_documents


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of a generated set: ``path`` is relative to the output directory."""

    path: str
    text: str
    objects: tuple[K8sObject, ...] = field(default=(), compare=False)


class EmitError(Exception):
    """An emitter produced text that does not read back (a bug, never the user's fault)."""


def objects_of(roots: Sequence[YMap], file: str) -> tuple[K8sObject, ...]:
    """K8sObjects of documents the emitter rendered (positioned as the loader would)."""
    out = KubernetesObjects()
    for root in roots:
        add_document(root, file, out)
    if out.diagnostics:
        raise EmitError("; ".join(str(d) for d in out.diagnostics))
    return tuple(out.objects)


def rendered(documents: Sequence[Any], header: Sequence[str], path: str) -> OutputFile:
    """An output file of Kubernetes-style documents, with its objects."""
    text, roots = render_documents(documents, header)
    return OutputFile(path, text, objects_of(roots, path))


def parse_objects(text: str, file: str) -> tuple[K8sObject, ...]:
    """Read generated YAML back the way the loader reads any manifest (positions included)."""
    out = KubernetesObjects()
    for item in load_yaml(text, file, DEFAULT_LIMITS):
        if not isinstance(item, Document):
            raise EmitError(f"generated YAML does not read back: {item}")
        if item.value is not None:
            add_document(item.value, file, out)
    if out.diagnostics:
        raise EmitError("; ".join(str(d) for d in out.diagnostics))
    return tuple(out.objects)
