"""One copy of each object, as a cluster keeps it after ``kubectl apply -R -f DIR``.

Naming a directory that holds several deployments (``k8s/infrastructure/`` beside an older
copy in ``k8s/infra/``) applies every file under it; an object defined in two files is
created by the first and replaced by the second, so only the copy applied last (the later
path: kubectl walks a directory in name order) runs. Each pair of files that repeat objects
is named by the loader (:mod:`socklock.load.duplicates`); choosing the directory says once
that the later copies are the ones kept.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from socklock.discover.scripted import NAMESPACED_FIELDS
from socklock.load.duplicates import ObjectKey, object_key
from socklock.model import Diagnostic, DiagnosticLevel, Inventory, K8sObject


def applied_once(
    inventory: Inventory, name: str, files: frozenset[str]
) -> tuple[Inventory, list[Diagnostic]]:
    """``inventory`` with only the last-applied copy of each object of ``files`` (resolved
    paths: what the directory applies), and one warning when a copy was dropped (``name``:
    the deployment, for the message)."""
    applied = sorted(
        (str(Path(o.location.file).resolve()), index, o)
        for index, o in enumerate(inventory.objects)
        if str(Path(o.location.file).resolve()) in files
    )
    last: dict[ObjectKey, K8sObject] = {}
    for _, _, obj in applied:
        last[object_key(obj)] = obj
    dropped: dict[tuple[str, str], list[K8sObject]] = {}
    for _, _, obj in applied:
        kept = last[object_key(obj)]
        if kept is not obj and kept.location.file != obj.location.file:
            dropped.setdefault((obj.location.file, kept.location.file), []).append(obj)
    if not dropped:
        return inventory, []

    def keep(item: Any) -> bool:
        obj = item if isinstance(item, K8sObject) else item.obj
        if str(Path(obj.location.file).resolve()) not in files:
            return True
        kept = last.get(object_key(obj))
        return kept is None or kept.location.file == obj.location.file

    changes = {f: tuple(filter(keep, getattr(inventory, f))) for f in NAMESPACED_FIELDS}
    count = sum(len(objs) for objs in dropped.values())
    first = next(iter(dropped.values()))[0]
    problems = [
        Diagnostic(
            first.location,
            f"deployment {name} applies {count} object(s) twice (in {len(dropped)} pair(s) "
            "of files, named above): socklock keeps the copy applied last, as the cluster "
            "does",
            DiagnosticLevel.WARNING,
        )
    ]
    return dataclasses.replace(inventory, **changes), problems  # type: ignore[arg-type]
