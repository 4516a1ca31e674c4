"""Hardening findings as a terminal table (rich, imported when called)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from socklock.model import Applicability, Finding, Severity

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
    from rich.table import Table
    from rich.text import Text

    from socklock.report.terminal import render

    if not findings:
        return summary_line(findings, suppressed) + "\n"
    table = Table(show_lines=False, expand=False, pad_edge=False, box=None, header_style="bold")
    table.add_column("location", no_wrap=True)
    table.add_column("rule", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("object / field")
    table.add_column("message")
    table.add_column("fix", no_wrap=True)
    for finding in findings:
        loc = finding.location
        table.add_row(
            str(loc),
            f"{finding.rule_id} {finding.rule_name}",
            Text(finding.severity.value, style=_STYLE[finding.severity]),
            f"{finding.object_ref}\n{finding.field_path}",
            finding.message,
            _FIX[finding.fix.applicability] if finding.fix else "",
        )
    return render(table, summary_line(findings, suppressed), width=width, color=color)
