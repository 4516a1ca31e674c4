"""Kustomize overlays that could not be rendered beside siblings that were.

Overlays of one base (``deploy/basic``, ``deploy/cloud``) are variants of one application.
When one renders and another does not (a file a build makes is missing), the loader reads
the unrendered one's own files as written, while the base's files went to the sibling's
rendering. Grouped by directory, those files would join the rendered sibling as if they
were more of its workloads. They are the unrendered overlay's instead: a deployment of its
own (its files as written, its base included), an alternative of the sibling whose
rendering read the same base, never merged into it, and never the default while a sibling
renders as committed (it is a variant: named, it is read as written).
"""

from __future__ import annotations

from pathlib import Path

from socklock.model import Inventory, SkipKind

_RENDERED_IN = "rendered in "


def unrendered_overlays(
    inventory: Inventory, names_in: dict[Path, set[str]], files_in: dict[Path, set[str]]
) -> list[tuple[Path, set[str], set[str]]]:
    """Take out of ``names_in``/``files_in`` the directories of unrendered overlays whose
    base a rendered overlay read; give each as (directory, workload names, files), its
    names including those of the sibling renderings (the same base's workloads)."""
    from socklock.discover.kustomize_base import written_files
    from socklock.load.kustomize import kustomization_file
    from socklock.load.kustomize_render import stream_name

    read_by: dict[str, str] = {}  # resolved input file -> the rendering that read it
    for item in inventory.skipped:
        if item.kind is SkipKind.KUSTOMIZE_INPUT and item.reason.startswith(_RENDERED_IN):
            stream = item.reason.removeprefix(_RENDERED_IN)
            read_by[str(Path(item.path).resolve())] = str(Path(stream).resolve())
    if not read_by:
        return []
    in_stream: dict[str, set[str]] = {}
    for workload in inventory.workloads:
        in_stream.setdefault(str(Path(workload.location.file).resolve()), set()).add(workload.name)
    found: list[tuple[Path, set[str], set[str]]] = []
    for directory in sorted(names_in):
        if not directory.is_dir() or kustomization_file(str(directory)) is None:
            continue
        if stream_name(str(directory)) in in_stream:
            continue  # rendered
        files = written_files(directory)
        siblings = {read_by[f] for f in files if f in read_by}
        if not siblings:
            continue
        names = names_in.pop(directory).union(*(in_stream.get(s, set()) for s in siblings))
        found.append((directory, names, files_in.pop(directory) | set(files)))
    return found
