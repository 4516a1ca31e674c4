"""The service graph in Graphviz DOT: workloads as boxes, externals as ellipses."""

from __future__ import annotations

import json

from socklock.model import ServiceGraph


def _quote(text: str) -> str:
    return json.dumps(text)


def graph_dot(graph: ServiceGraph) -> str:
    lines = ["digraph socklock {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    entries = {e.workload for e in graph.entry_points}
    if entries:
        lines.append('  "outside" [shape=doublecircle, label="outside"];')
    for node in graph.nodes:
        shape = "ellipse" if node.is_external else "box"
        lines.append(f"  {_quote(node.id)} [shape={shape}];")
    for entry in graph.entry_points:
        lines.append(
            f'  "outside" -> {_quote(entry.workload)} '
            f"[label={_quote(f'{entry.port}/{entry.protocol}')}, style=dashed];"
        )
    for edge in graph.edges:
        label = f"{edge.port}/{edge.protocol}" if edge.port else edge.protocol
        style = ", style=dotted, color=gray" if edge.hint else ""  # start order, not a call
        lines.append(
            f"  {_quote(edge.source)} -> {_quote(edge.target)} [label={_quote(label)}{style}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
