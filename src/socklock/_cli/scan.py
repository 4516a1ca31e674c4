"""``socklock scan``: everything at once: map, harden, generate, verify, report."""

from __future__ import annotations

from pathlib import Path

import click

from socklock._cli.common import (
    EXIT_OK,
    color_wanted,
    input_exit_code,
    paths_argument,
    write_atomic,
)


@click.command("scan")
@paths_argument
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Also write every artifact (graph.json, ...) into DIR.",
)
@click.option(
    "--code/--no-code",
    default=True,
    show_default=True,
    help="Analyse source code for calls (besides manifests).",
)
def scan(paths: tuple[str, ...], out_dir: str | None, code: bool) -> int:
    """Scan PATHS: inventory, service graph (more stages join as they land)."""
    return run_scan(paths, out_dir, code=code)


def run_scan(paths: tuple[str, ...], out_dir: str | None, *, code: bool = True) -> int:
    from socklock._cli.common import load
    from socklock._cli.map import render_graph
    from socklock.discover import discover
    from socklock.report.summary import inventory_summary

    inventory = load(paths)
    graph = discover(inventory, code=code)
    click.echo(inventory_summary(inventory))
    click.echo(render_graph(graph, "table", color=color_wanted()), nl=False)
    if out_dir is not None:
        target = Path(out_dir)
        write_atomic(target / "graph.json", render_graph(graph, "json"))
        click.echo(f"\nwrote {target / 'graph.json'}")
    return input_exit_code(inventory, EXIT_OK)
