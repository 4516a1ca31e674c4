"""The findings table is rendered a batch of rows at a time (rich keeps every cell of a
table until it prints it), and the text is that of one rich table of every row."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.harden import HardenOptions, audit
from socklock.load import load_paths
from socklock.model import Finding
from socklock.report.findings_table import _cells, _table, iter_findings_table, summary_line
from socklock.report.terminal import render

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def findings() -> tuple[Finding, ...]:
    result = audit(load_paths([str(REPO / "examples" / "sockshop")]), HardenOptions())
    assert len(result.findings) > 50
    return result.findings


def one_table(findings: tuple[Finding, ...], width: int, color: bool) -> str:
    table = _table([None] * 6)
    for finding in findings:
        table.add_row(*_cells(finding))
    return render(table, summary_line(findings, 2), width=width, color=color)


@pytest.mark.parametrize(("width", "color"), [(160, False), (160, True), (80, False), (40, False)])
def test_batches_give_the_text_of_one_table(
    findings: tuple[Finding, ...], width: int, color: bool
) -> None:
    expected = one_table(findings, width, color)
    pieces = list(iter_findings_table(findings, 2, width=width, color=color, batch=7))
    assert "".join(pieces) == expected
    if width >= 160:  # a table wider than the terminal is rendered whole
        assert len(pieces) == -(-len(findings) // 7) + 1  # the batches, then the summary
    # the widest row alone is still laid out as in the whole table
    assert pieces[0].splitlines()[0] == expected.splitlines()[0]
