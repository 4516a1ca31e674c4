"""Emitters: one module per output flavour (kubernetes, calico, anp, cilium, compose), plus
the patcher that writes caller labels into the user's own manifests (caller_labels)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

from socklock.load.kubernetes import KubernetesObjects, add_document
from socklock.load.limits import DEFAULT_LIMITS
from socklock.load.yamlread import Document, load_yaml
from socklock.model import K8sObject, YMap
from socklock.policy.emit.yamltext import render_documents


class OutputFile:
    """One file of a generated set: ``path`` is relative to the output directory.

    The text is held compressed (zlib, fastest level) and decompressed when ``text`` is
    read: a set is held whole until it is proven and written, and its text is about 1 KB a
    workload that compresses about tenfold. Equal when path and text are (not the objects)."""

    __slots__ = ("_data", "objects", "path")

    def __init__(self, path: str, text: str, objects: tuple[K8sObject, ...] = ()) -> None:
        self.path = path
        self._data = zlib.compress(text.encode("utf-8"), 1)
        self.objects = objects

    @property
    def text(self) -> str:
        return zlib.decompress(self._data).decode("utf-8")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OutputFile):
            return NotImplemented
        return self.path == other.path and self.text == other.text

    def __hash__(self) -> int:
        return hash((self.path, self._data))

    def __repr__(self) -> str:
        return f"OutputFile(path={self.path!r}, {len(self._data)} compressed bytes)"


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
