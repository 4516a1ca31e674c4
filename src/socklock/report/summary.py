"""One short paragraph on what was read: the first thing a user wants to see."""

from __future__ import annotations

from collections import Counter

from socklock.model import Inventory


def inventory_summary(inventory: Inventory) -> str:
    kinds = Counter(obj.kind for obj in inventory.objects)
    parts = [f"{count} {kind}" for kind, count in sorted(kinds.items())]
    services = sum(len(p.services) for p in inventory.compose_projects)
    lines = [
        f"Read {len(inventory.files)} file{'' if len(inventory.files) == 1 else 's'} from "
        f"{', '.join([*inventory.streams, *inventory.roots])}.",
        "Kubernetes: " + (", ".join(parts) if parts else "none") + ".",
        f"Compose: {len(inventory.compose_projects)} project(s), {services} service(s). "
        f"Dockerfiles: {len(inventory.dockerfiles)}.",
    ]
    if inventory.diagnostics:
        lines.append(
            f"Input problems: {len(inventory.errors)} error(s), "
            f"{len(inventory.diagnostics) - len(inventory.errors)} warning(s)."
        )
    return "\n".join(lines) + "\n"
