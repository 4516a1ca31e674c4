"""Checked-in generated files are current: docs/rules/ and schemas/findings.v1.json."""

from __future__ import annotations

from pathlib import Path

from socklock.harden.docs import stale
from socklock.schemas.findings import DOCUMENT
from socklock.schemas.publish import render

REPO = Path(__file__).resolve().parents[2]


def test_rule_docs_are_current() -> None:
    problems = stale(REPO / "docs" / "rules")
    assert problems == [], "run: python -m socklock.harden.docs"


def test_findings_schema_is_current() -> None:
    path = REPO / "schemas" / "findings.v1.json"
    assert path.read_text(encoding="utf-8") == render(DOCUMENT), (
        "run: python -m socklock.schemas.publish"
    )
