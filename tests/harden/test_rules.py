"""Every rule against its fixture folder: exact positions, no false positive, fix then recheck.

Regenerate expectations after a deliberate change with ``SOCKLOCK_UPDATE_FIXTURES=1`` and
review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.harden.conftest import (
    FIXTURES,
    UPDATE,
    bad_files,
    describe,
    findings,
    fix_copy,
    fixable,
    fixed_name,
    good_files,
    options_for,
)

from socklock.harden.registry import RULES
from socklock.harden.rule import DOC_SECTIONS, RULE_ID, RULE_NAME, Rule
from socklock.model import Applicability

IDS = [rule.id for rule in RULES]


def _rule(rule_id: str) -> type[Rule]:
    return next(rule for rule in RULES if rule.id == rule_id)


@pytest.mark.parametrize("rule_id", IDS)
def test_bad_fixture_positions(rule_id: str) -> None:
    rule = _rule(rule_id)
    directory = FIXTURES / rule_id
    options = options_for(rule, directory)
    lines: list[str] = []
    for bad in bad_files(directory):
        found = findings(bad, options)
        assert found, f"{bad.name}: {rule_id} found nothing"
        assert {f.rule_id for f in found} == {rule_id}
        lines += [describe(f, bad.name) for f in found]
    expected = directory / "expected.txt"
    text = "\n".join(lines) + "\n"
    if UPDATE:
        expected.write_text(text, encoding="utf-8")
    assert expected.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("rule_id", IDS)
def test_good_fixture_is_clean(rule_id: str) -> None:
    rule = _rule(rule_id)
    directory = FIXTURES / rule_id
    goods = good_files(directory)
    assert goods, f"{rule_id} has no good fixture"
    for good in goods:
        assert findings(good, options_for(rule, directory)) == [], good.name


@pytest.mark.parametrize("rule_id", IDS)
def test_fix_then_recheck(rule_id: str, tmp_path: Path) -> None:
    rule = _rule(rule_id)
    directory = FIXTURES / rule_id
    options = options_for(rule, directory)
    for bad in bad_files(directory):
        before = findings(bad, options)
        if not any(fixable(f) for f in before):
            assert not (directory / fixed_name(bad)).exists()
            continue
        copy = fix_copy(bad, options, tmp_path)
        fixed = directory / fixed_name(bad)
        if UPDATE:
            fixed.write_text(copy.read_text(encoding="utf-8"), encoding="utf-8")
        assert copy.read_text(encoding="utf-8") == fixed.read_text(encoding="utf-8")
        manual = {f.key for f in before if not fixable(f)}
        after = findings(copy, options)
        assert {f.key for f in after} <= manual, [describe(f, bad.name) for f in after]


@pytest.mark.parametrize("rule_id", IDS)
def test_fix_is_idempotent(rule_id: str, tmp_path: Path) -> None:
    from socklock.harden import fix_paths

    rule = _rule(rule_id)
    directory = FIXTURES / rule_id
    options = options_for(rule, directory)
    for bad in bad_files(directory):
        fixed = directory / fixed_name(bad)
        if not fixed.exists():
            continue
        copy = tmp_path / bad.name
        copy.write_bytes(fixed.read_bytes())
        run = fix_paths([str(copy)], options, unsafe=True)
        assert run.changes == ()
        assert copy.read_bytes() == fixed.read_bytes()


@pytest.mark.parametrize("rule_id", IDS)
def test_rule_metadata_and_docs(rule_id: str) -> None:
    rule = _rule(rule_id)
    assert RULE_ID.match(rule.id)
    assert RULE_NAME.match(rule.name)
    assert rule.title and rule.references
    doc = rule.doc()
    position = 0
    for section in DOC_SECTIONS:
        found = doc.find(f"## {section}\n", position)
        assert found >= 0, f"{rule_id}: docstring lacks the section {section!r} (in order)"
        position = found
    if rule.fix_applicability not in (None, Applicability.DISPLAY_ONLY):
        assert any(
            (FIXTURES / rule_id / fixed_name(b)).exists() for b in bad_files(FIXTURES / rule_id)
        ), f"{rule_id} offers fixes but has no bad.fixed fixture"


def test_registry_is_unique_and_sorted() -> None:
    ids = [rule.id for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)
    assert ids == sorted(ids)


def test_every_fixture_folder_has_a_rule() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name.startswith("SLK")}
    assert folders == set(IDS)
