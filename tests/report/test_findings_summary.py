"""The scan's overview of findings by rule: a count and the first finding of each rule,
taken from the findings one at a time (a one-pass iterable is enough)."""

from __future__ import annotations

from socklock.model import Finding, Location, Severity
from socklock.report.findings_summary import findings_by_rule


def _finding(rule: str, name: str, severity: Severity, file: str, line: int, ref: str) -> Finding:
    return Finding(rule, name, severity, "message", Location(file, line, 3), "spec", ref)


FINDINGS = [
    _finding("SLK101", "run-as-non-root", Severity.HIGH, "b.yaml", 9, "Deployment a/late"),
    _finding("SLK203", "memory-limit", Severity.MEDIUM, "a.yaml", 20, "Deployment a/one"),
    _finding("SLK101", "run-as-non-root", Severity.HIGH, "a.yaml", 4, "Deployment a/first"),
    _finding("SLK101", "run-as-non-root", Severity.HIGH, "a.yaml", 4, "Deployment a/same"),
    _finding("SLK203", "memory-limit", Severity.MEDIUM, "a.yaml", 30, "Deployment a/two"),
]


def _table(text: str) -> tuple[str, list[list[str]], list[list[str]]]:
    """(title, header rows' cells, body rows' cells) of the rendered table."""
    lines = text.splitlines()

    def cells(edge: str) -> list[list[str]]:
        return [[c.strip() for c in x.split(edge)[1:-1]] for x in lines if x.startswith(edge)]

    return lines[0].strip(), cells("┃"), cells("│")


def test_counts_and_first_location_per_rule() -> None:
    text = findings_by_rule(iter(FINDINGS), width=200)  # a one-pass iterator is enough
    # high before medium; the earliest location of each rule
    assert _table(text) == (
        "Hardening (5 findings)",
        [["rule", "severity", "count", "first seen"]],
        [
            ["SLK101 run-as-non-root", "high", "3", "a.yaml:4:3"],
            ["SLK203 memory-limit", "medium", "2", "a.yaml:20:3"],
        ],
    )


def test_no_findings() -> None:
    text = findings_by_rule([], width=200)
    assert _table(text) == (
        "Hardening (0 findings)",
        [["rule", "severity", "count", "first seen"]],
        [],
    )
