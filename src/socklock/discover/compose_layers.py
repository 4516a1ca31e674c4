"""Compose files named together (``--deployment a.yml+b.yml``): one project, as ``-f`` reads.

``docker compose -f a.yml -f b.yml`` reads exactly those files, in that order, each merged
over the one before; the directory's default override (``compose.override.yml``) is read
only when it is listed. The loader assembles each main file with its default override, so
naming ``compose.yml+compose.deploy.yml`` must not keep that project: the files named are
assembled again, into the one project the command line runs.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from socklock.model import Inventory


def named_layers(inventory: Inventory, wanted: str, base: Path) -> tuple[str, ...]:
    """The files ``wanted`` joins with ``+`` (as the input displays them, in its order) when
    it names two or more files the input read and the first is the main file of a compose
    project; else ``()``. A ``+`` inside a path (``owner+name/compose.yaml``) is kept."""
    shown = {_resolved(f, base): f for f in inventory.files}
    mains = {_resolved(p.file, base) for p in inventory.compose_projects}
    layers: list[str] = []
    pending = ""
    for token in wanted.split("+"):
        pending = f"{pending}+{token}" if pending else token
        resolved = _resolved(pending.strip(), base)
        if resolved in shown:
            layers.append(shown[resolved])
            pending = ""
    if pending or len(layers) < 2 or _resolved(layers[0], base) not in mains:
        return ()
    return tuple(layers)


def with_layers(inventory: Inventory, layers: tuple[str, ...]) -> Inventory:
    """``inventory`` whose projects of ``layers`` are replaced by the one project
    ``docker compose -f`` reads from them (unchanged when the first is not a compose file)."""
    from socklock.load.compose_project import assemble_layered
    from socklock.load.limits import DEFAULT_LIMITS

    project, problems = assemble_layered(layers, DEFAULT_LIMITS, inventory.roots)
    if project is None:
        return inventory
    named = {str(Path(f).resolve()) for f in layers}
    kept = [p for p in inventory.compose_projects if str(Path(p.file).resolve()) not in named]
    known = set(inventory.diagnostics)
    return dataclasses.replace(
        inventory,
        compose_projects=(*kept, project),
        diagnostics=tuple(
            sorted(
                [*inventory.diagnostics, *(d for d in problems if d not in known)],
                key=lambda d: d.location,
            )
        ),
    )


def _resolved(path: str, base: Path) -> str:
    """``path`` resolved as the command line gives it, else under the input's base."""
    given = Path(path)
    if given.exists():
        return str(given.resolve())
    return str((base / given).resolve())


def included_alone(inventory: Inventory, wanted: str, base: Path) -> Inventory:
    """``inventory`` with the project ``docker compose -f wanted`` reads, when ``wanted``
    is a compose file the input read that is no project of its own: another directory's
    file includes it (``collector/compose.yaml`` includes ``../quickstart/compose.yaml``),
    so the loader folded it into that project. Named alone, it runs alone: its own
    services, without the includer's. Unchanged otherwise."""
    resolved = _resolved(wanted, base)
    shown = {_resolved(f, base): f for f in inventory.files}
    if resolved not in shown:
        return inventory
    if any(_resolved(p.file, base) == resolved for p in inventory.compose_projects):
        return inventory
    return with_layers(inventory, (shown[resolved],))
