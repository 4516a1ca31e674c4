"""``socklock map``: the service graph, with the evidence of every call."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from socklock._cli.common import (
    EXIT_INPUT_ERROR,
    EXIT_OK,
    code_progress,
    color_wanted,
    input_exit_code,
    load,
    output_option,
    paths_argument,
    write_output,
)
from socklock._cli.deployment import choose_deployment, deployment_option
from socklock._cli.flows import addresses_option, flow_format_option

if TYPE_CHECKING:
    from socklock.model import Inventory, ServiceGraph


@click.command("map")
@paths_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "dot"]),
    default="table",
    show_default=True,
)
@click.option(
    "--code/--no-code",
    default=True,
    show_default=True,
    help="Analyse source code for calls (besides manifests).",
)
@click.option(
    "--manifests/--no-manifests",
    default=True,
    show_default=True,
    help="Take calls from manifest env values, ConfigMaps and compose files.",
)
@deployment_option
@click.option(
    "--flows",
    "flow_paths",
    multiple=True,
    type=click.Path(exists=False),
    help="Observed flows (Hubble, Calico, kernel LOG, VPC, the lab's log): add their calls "
    "as evidence of kind 'observed'. Repeatable.",
)
@flow_format_option
@addresses_option
@output_option
def map_command(
    paths: tuple[str, ...],
    fmt: str,
    code: bool,
    manifests: bool,
    deployment: str | None,
    flow_paths: tuple[str, ...],
    flow_format: str | None,
    addresses: str | None,
    output: str | None,
) -> int:
    """Map who calls whom in PATHS (manifests, compose files, source code, observed flows)."""
    from socklock.discover import discover

    inventory = load(paths, code_next=code)
    chosen = choose_deployment(inventory, deployment)
    with code_progress() as progress:
        graph = discover(chosen, code=code, manifests=manifests, progress=progress)
    flows_ok = True
    if flow_paths:
        graph, flows_ok = _add_flows(chosen, graph, flow_paths, flow_format, addresses)
    write_output(render_graph(graph, fmt, color=color_wanted() and output is None), output)
    if not flows_ok:
        return EXIT_INPUT_ERROR
    return input_exit_code(inventory, EXIT_OK)


def _add_flows(
    inventory: Inventory,
    graph: ServiceGraph,
    flow_paths: tuple[str, ...],
    flow_format: str | None,
    addresses: str | None,
) -> tuple[ServiceGraph, bool]:
    """The graph with the observed calls added; unmapped addresses are said on stderr."""
    from socklock._cli.flows import observe
    from socklock.flows.graph import add_observed
    from socklock.policy import PolicyErrors, analyse

    try:
        connectivity = analyse(inventory, [])
    except PolicyErrors as refused:
        click.echo(refused.diagnostics(), err=True)
        return graph, False
    _, replayed, _, ok = observe(inventory, connectivity, flow_paths, flow_format, addresses)
    for u in sorted(replayed.unmapped.values(), key=lambda u: (u.side, u.what)):
        click.echo(
            f"{u.location}: warning: {u.side} {u.what} not mapped to a workload: {u.reason} "
            f"({u.flows} flow(s))",
            err=True,
        )
    return add_observed(graph, replayed.tuples), ok


def render_graph(graph: object, fmt: str, *, color: bool = False) -> str:
    from socklock.model import ServiceGraph

    assert isinstance(graph, ServiceGraph)
    if fmt == "json":
        from socklock.schemas.graph import to_document

        return to_document(graph).model_dump_json(by_alias=True, indent=2) + "\n"
    if fmt == "dot":
        from socklock.report.graph_dot import graph_dot

        return graph_dot(graph)
    from socklock.report.graph_table import graph_table

    return graph_table(graph, color=color)
