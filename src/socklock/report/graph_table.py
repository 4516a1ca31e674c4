"""The service graph as a terminal table: one row per call, with its evidence."""

from __future__ import annotations

from socklock.model import Edge, ServiceGraph
from socklock.report.terminal import render


def graph_table(graph: ServiceGraph, *, width: int = 120, color: bool = False) -> str:
    from rich.table import Table

    parts: list[object] = [_edges(f"Calls ({len(graph.calls)})", graph.calls)]
    if graph.hints:
        title = f"Start-order hints, not calls ({len(graph.hints)}): depends_on / links"
        parts.append(_edges(title, graph.hints))
    if graph.entry_points:
        entries = Table(title=f"Entry points ({len(graph.entry_points)})", title_justify="left")
        for column in ("workload", "port", "evidence"):
            entries.add_column(column, overflow="fold")
        for entry in graph.entry_points:
            entries.add_row(
                entry.workload,
                f"{entry.port}/{entry.protocol}",
                "\n".join(f"{ev.location}  {ev.detail}" for ev in entry.evidence),
            )
        parts.append(entries)
    if graph.unresolved:
        unresolved = Table(title=f"Unresolved ({len(graph.unresolved)})", title_justify="left")
        for column in ("from", "where", "expression", "why"):
            unresolved.add_column(column, overflow="fold")
        for item in graph.unresolved:
            unresolved.add_row(item.source, str(item.location), item.expression, item.reason)
        parts.append(unresolved)
    return render(*parts, width=width, color=color)


def _edges(title: str, edges: tuple[Edge, ...]) -> object:
    from rich.table import Table

    table = Table(title=title, title_justify="left", expand=False)
    for column in ("from", "to", "port", "evidence"):
        table.add_column(column, overflow="fold")
    for edge in edges:
        port = f"{edge.port}/{edge.protocol}" if edge.port else f"?/{edge.protocol}"
        evidence = "\n".join(f"{ev.location}  {ev.detail}" for ev in edge.evidence)
        table.add_row(edge.source, edge.target, port, evidence)
    return table
