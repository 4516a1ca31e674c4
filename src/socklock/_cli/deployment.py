"""``--deployment NAME|PATH``: which deployment of the input the graph speaks of."""

from __future__ import annotations

from collections.abc import Sized
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from socklock.discover.deployments import Selection
    from socklock.model import Inventory

deployment_option = click.option(
    "--deployment",
    "deployment",
    metavar="NAME|PATH",
    default=None,
    help="Map this deployment of the input (a compose file, a Kubernetes manifest directory "
    "or kustomize overlay, a directory over several (all applied), a Skaffold config, a deploy "
    "script of kubectl apply lines, an Aspire AppHost; compose "
    "files joined by + are layered as -f a -f b does); by default Kubernetes before Aspire "
    "before compose, the largest, and of compose files what docker compose reads without -f.",
)


def choose_deployment(inventory: Inventory, wanted: str | None) -> Inventory:
    """The input narrowed to one deployment; when there is a choice, say which (on stderr)."""
    from socklock.discover.deployments import select_deployment

    selection = select_deployment(inventory, wanted)
    say_selection(selection, wanted)
    return selection.inventory


def say_selection(selection: Selection, wanted: str | None) -> None:
    """Which deployment the graph speaks of, when there was a choice (on stderr), after
    what choosing it found (a deploy script's unresolved lines)."""
    for diagnostic in selection.diagnostics:
        click.echo(str(diagnostic), err=True)
    if selection.notes:
        context = click.get_current_context(silent=True)
        if context and (context.find_root().obj or {}).get("verbose"):
            for note in selection.notes:
                click.echo(str(note), err=True)
        else:
            files = len({n.location.file for n in selection.notes})
            click.echo(
                f"{len(selection.notes)} line{'' if len(selection.notes) == 1 else 's'} of "
                f"{files} deploy script{'' if files == 1 else 's'} not read (a variable "
                "the script does not set, a file that is not there); --verbose lists them",
                err=True,
            )
    chosen = selection.chosen
    alternatives = [*selection.folded, *selection.left_out, *selection.others]
    if chosen is not None and alternatives:
        kind = "deploy script" if chosen.script else chosen.kind
        click.echo(f"deployment: {chosen.name} ({kind}, {_count(chosen.services)})", err=True)
        for label, group in (
            ("folded onto it", selection.folded),
            ("left out", selection.left_out),
            ("other application", selection.others),
        ):
            for deployment in group:
                kind = f"{deployment.kind} variant" if deployment.variant else deployment.kind
                kind = "deploy script" if deployment.script else kind
                click.echo(
                    f"  {label}: {deployment.name} ({kind}, {_count(deployment.services)})",
                    err=True,
                )
        if wanted is None:
            click.echo("  choose another with --deployment NAME|PATH", err=True)
    # Helm charts are named once by the loader, at their Chart.yaml (load/helm.py).


def _count(services: Sized) -> str:
    n = len(services)
    return f"{n} workload{'' if n == 1 else 's'}"
