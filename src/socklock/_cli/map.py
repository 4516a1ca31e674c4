"""``socklock map``: the service graph, with the evidence of every call."""

from __future__ import annotations

import click

from socklock._cli.common import (
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
@output_option
def map_command(
    paths: tuple[str, ...],
    fmt: str,
    code: bool,
    manifests: bool,
    deployment: str | None,
    output: str | None,
) -> int:
    """Map who calls whom in PATHS (manifests, compose files, source code)."""
    from socklock.discover import discover

    inventory = load(paths)
    chosen = choose_deployment(inventory, deployment)
    with code_progress() as progress:
        graph = discover(chosen, code=code, manifests=manifests, progress=progress)
    write_output(render_graph(graph, fmt, color=color_wanted() and output is None), output)
    return input_exit_code(inventory, EXIT_OK)


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
