"""Hardening findings as a terminal table (rich, imported when called)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from socklock.model import Applicability, Finding, Severity

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_FIX = {
    Applicability.SAFE: "safe",
    Applicability.UNSAFE: "unsafe",
    Applicability.DISPLAY_ONLY: "manual",
}


def summary_line(findings: Sequence[Finding], suppressed: int) -> str:
    if not findings:
        text = "no findings"
    else:
        counts = Counter(f.severity for f in findings)
        parts = [f"{counts[s]} {s.value}" for s in reversed(Severity) if counts[s]]
        text = f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({', '.join(parts)})"
    safe = sum(1 for f in findings if f.fix and f.fix.applicability is Applicability.SAFE)
    unsafe = sum(1 for f in findings if f.fix and f.fix.applicability is Applicability.UNSAFE)
    if safe or unsafe:
        text += f"; {safe} fixable with --fix, {unsafe} more with --unsafe-fixes"
    if suppressed:
        text += f"; {suppressed} suppressed"
    return text


def render_findings_table(
    findings: Sequence[Finding], suppressed: int = 0, *, width: int = 160, color: bool = False
) -> str:
    return "".join(iter_findings_table(findings, suppressed, width=width, color=color))


BATCH = 2000
"""Rows rendered at a time: rich keeps a table's every cell and line until it is printed."""

_HEADERS = ("location", "rule", "severity", "object / field", "message", "fix")


def iter_findings_table(
    findings: Sequence[Finding],
    suppressed: int = 0,
    *,
    width: int = 160,
    color: bool = False,
    batch: int = BATCH,
) -> Iterator[str]:
    """The table in pieces of ``batch`` rows, the same text as one rich table of every row.

    The column widths of the whole table are rich's own, computed on a stand-in table that
    holds, per column, the cells with the widest line and the longest word (what rich
    measures a column by); each batch is then a table of those fixed widths. A table wider
    than ``width`` even then (rich crops its lines) is rendered whole, as one table."""
    from socklock.report.terminal import render

    if not findings:
        yield summary_line(findings, suppressed) + "\n"
        return
    widths: Sequence[int | None] = _column_widths(findings, width)
    if sum(w or 0 for w in widths) + 2 * (len(widths) - 1) > width:
        widths, batch = [None] * len(widths), len(findings)
    for start in range(0, len(findings), batch):
        table = _table(widths, header=start == 0)
        for finding in findings[start : start + batch]:
            table.add_row(*_cells(finding))
        yield render(table, width=width, color=color)
    yield render(summary_line(findings, suppressed), width=width, color=color)


def _table(widths: Sequence[int | None], *, header: bool = True) -> Table:
    from rich.table import Table

    table = Table(
        show_lines=False,
        expand=False,
        pad_edge=False,
        box=None,
        header_style="bold",
        show_header=header,
    )
    no_wraps = (True, True, True, False, False, True)
    for name, no_wrap, fixed in zip(_HEADERS, no_wraps, widths, strict=True):
        table.add_column(name, no_wrap=no_wrap, width=fixed)
    return table


def _cells(finding: Finding) -> tuple[str, str, Text, str, str, str]:
    from rich.text import Text

    return (
        str(finding.location),
        f"{finding.rule_id} {finding.rule_name}",
        Text(finding.severity.value, style=_STYLE[finding.severity]),
        f"{finding.object_ref}\n{finding.field_path}",
        finding.message,
        _FIX[finding.fix.applicability] if finding.fix else "",
    )


def _column_widths(findings: Sequence[Finding], width: int) -> list[int]:
    """Each column's content width in one rich table of all ``findings``."""
    from rich.cells import cell_len
    from rich.console import Console

    widest: list[tuple[int, int]] = [(-1, 0)] * len(_HEADERS)  # (width, row) per column
    longest: list[tuple[int, int]] = [(-1, 0)] * len(_HEADERS)
    for row, finding in enumerate(findings):
        for column, cell in enumerate(_cells(finding)):
            text = str(cell)
            line = max((cell_len(part) for part in text.splitlines()), default=0)
            word = max((cell_len(part) for part in text.split()), default=line)
            if line > widest[column][0]:
                widest[column] = (line, row)
            if word > longest[column][0]:
                longest[column] = (word, row)
    rows = sorted({row for _, row in widest} | {row for _, row in longest})
    stand_in = _table([None] * len(_HEADERS))
    for row in rows:
        stand_in.add_row(*_cells(findings[row]))
    console = Console(width=width, markup=False, no_color=True, color_system=None)
    padded = stand_in._calculate_column_widths(console, console.options.update_width(width))
    return [w - stand_in._get_padding_width(i) for i, w in enumerate(padded)]
