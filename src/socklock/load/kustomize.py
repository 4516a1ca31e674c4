"""The files a ``kustomization.yaml`` names as patches: partial objects, not manifests.

A strategic-merge patch looks like a Deployment (apiVersion, kind, metadata) but holds only
the fields it changes; read as an object it would be a broken Deployment, or a second copy
of one. The kustomization that applies it is the evidence that it is a patch.
"""

# ruff: noqa: PTH100, PTH118, PTH120
# (paths compared as normalised strings, as the walk gives them)

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from socklock.load.limits import Limits
from socklock.load.text import read_text
from socklock.load.walk import InputFile
from socklock.load.yamlread import Document, load_yaml
from socklock.model import Diagnostic

_PATCH_LISTS = ("patchesStrategicMerge", "patchesJson6902", "patches")


def kustomize_patches(
    kustomizations: Sequence[InputFile], limits: Limits, diagnostics: list[Diagnostic]
) -> frozenset[str]:
    """Absolute paths of the patch files the kustomizations name."""
    out: set[str] = set()
    for entry in kustomizations:
        text = read_text(entry.path, entry.display, limits)
        if isinstance(text, Diagnostic):
            diagnostics.append(text)
            continue
        base = os.path.dirname(os.path.abspath(entry.path))
        for item in load_yaml(text.text, entry.display, limits):
            if isinstance(item, Document) and isinstance(item.value, dict):
                out.update(
                    os.path.normpath(os.path.join(base, p)) for p in _patch_paths(item.value)
                )
    return frozenset(out)


def _patch_paths(kustomization: dict[str, Any]) -> list[str]:
    paths: list[str] = []
    for key in _PATCH_LISTS:
        entries = kustomization.get(key)
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, str) and "\n" not in entry:
                paths.append(entry)  # a file name (an inline patch has newlines)
            elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
                paths.append(entry["path"])
    return paths
