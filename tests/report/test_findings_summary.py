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


def test_counts_and_first_location_per_rule() -> None:
    text = findings_by_rule(iter(FINDINGS), width=200)  # a one-pass iterator is enough
    lines = [line for line in text.splitlines() if "SLK" in line]
    assert "Hardening (5 findings)" in text
    assert len(lines) == 2
    # high before medium; the earliest location of each rule
    assert "SLK101 run-as-non-root" in lines[0]
    assert " 3 " in lines[0] and "a.yaml:4:3" in lines[0]
    assert "b.yaml" not in text
    assert "SLK203 memory-limit" in lines[1]
    assert " 2 " in lines[1] and "a.yaml:20:3" in lines[1]
    assert "a.yaml:30:3" not in text


def test_no_findings() -> None:
    text = findings_by_rule([], width=200)
    assert "Hardening (0 findings)" in text
    assert "SLK" not in text
