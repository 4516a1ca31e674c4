"""The web server and the workers that run its image: processes of one program.

A program is given its own address (``BACKEND_URL=http://backend:8000``: the host it
builds links with, the name it checks requests against), and a deployment often hands the
same settings block to every process of the image (compose ``x-backend-variables``, one
ConfigMap in ``envFrom``). The variable names the server for the server itself; the
workers sharing the block are not its clients through it. A variable is such an own
address when the callee runs the image's own command (the server) and is given the same
variable with the same value, the caller runs the same image or build with a command of
its own (a worker), and the value names that one address (a list of peers is a cluster's
membership: its nodes do meet).
"""

from __future__ import annotations

from collections.abc import Mapping

from socklock.model import ComposeService, Inventory

Program = tuple[str, bool]  # (what it runs: its image or build, whether with its own command)


def programs(inventory: Inventory, aliases: Mapping[str, str]) -> dict[str, Program]:
    """Graph id → the program it runs: a compose service's build (context and Dockerfile)
    or image, a Kubernetes workload's images; workloads without one are left out."""
    found: dict[str, Program] = {}
    for workload in inventory.workloads:
        images = sorted(c.image for c in workload.containers if c.image)
        if workload.owner is None and images:
            default = not any(
                c.run.get("command") or c.run.get("args")
                for c in workload.containers
                if c.role.value == "containers"
            )
            found[workload.id] = ("images " + " ".join(images), default)
    for project in inventory.compose_projects:
        for service in project.services:
            program = compose_program(service)
            if program is not None:
                found.setdefault(aliases.get(service.id, service.id), program)
                found.setdefault(service.id, program)
    return found


def compose_program(service: ComposeService) -> Program | None:
    """What a compose service runs: its build (context and Dockerfile), else its image; and
    whether it keeps the image's command."""
    default = not (service.body.get("command") or service.body.get("entrypoint"))
    if service.build_context:
        return f"build {service.build_context}|{service.dockerfile or 'Dockerfile'}", default
    return (f"image {service.image}", default) if service.image else None


def own_address(
    ran: Mapping[str, Program],
    caller: str,
    callee: str,
    setting: tuple[str, str],
    callee_value: str | None,
) -> bool:
    """Whether ``setting`` (the env var and value that name ``callee`` alone) is the
    callee's own address handed to ``caller``, a worker of its program: ``callee_value``
    is the callee's own value of that variable."""
    mine, theirs = ran.get(caller), ran.get(callee)
    if mine is None or theirs is None or mine[0] != theirs[0]:
        return False
    return theirs[1] and not mine[1] and callee_value == setting[1]
