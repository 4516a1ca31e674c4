"""Flow options and reading shared by ``audit`` and ``map --flows``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from socklock.flows.audit import Replay
    from socklock.flows.read import FlowRead
    from socklock.model import Inventory
    from socklock.policy import Connectivity

FORMAT_NAMES = ("hubble", "calico", "kernel-log", "vpc", "lab")  # socklock.flows.formats.FORMATS

flow_format_option = click.option(
    "--flow-format",
    type=click.Choice(FORMAT_NAMES),
    default=None,
    help="The format of every flow file (default: detected per file).",
)
addresses_option = click.option(
    "--addresses",
    type=click.Path(dir_okay=False),
    default=None,
    help="ADDRESS[/PREFIX] WORKLOAD lines: addresses the inputs do not give (nodes, VMs, "
    "lab addresses, outside ranges as external:NAME).",
)


def observe(
    inventory: Inventory,
    connectivity: Connectivity,
    flow_paths: Sequence[str],
    flow_format: str | None,
    addresses: str | None,
) -> tuple[FlowRead, Replay, list[str], bool]:
    """Read the flows and map them to workloads; print every warning on stderr. Returns the
    reading, the replay, the mapping warnings and whether every input could be read."""
    from socklock.flows.addresses import AddressBook, read_table
    from socklock.flows.audit import endpoints, replay
    from socklock.flows.read import read_flows

    ok = True
    table: dict[str, str] = {}
    if addresses is not None:
        try:
            table, table_warnings = read_table(addresses)
        except OSError as exc:
            click.echo(f"{addresses}: error: cannot read: {exc.strerror or exc}", err=True)
            table_warnings, ok = [], False
        for warning in table_warnings:
            click.echo(str(warning), err=True)
    read = read_flows(flow_paths, flow_format)
    for error in read.errors:
        click.echo(str(error).replace(": warning: ", ": error: "), err=True)
        ok = False
    for warning in read.warnings:
        click.echo(str(warning), err=True)
    book = AddressBook(inventory, endpoints(connectivity), table)
    for message in book.warnings:
        click.echo(f"warning: {message}", err=True)
    return read, replay(read, book), book.warnings, ok
