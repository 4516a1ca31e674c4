"""Fix files in place, pass after pass, until nothing more changes (at most a few passes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from socklock.harden.context import HardenOptions
from socklock.harden.engine import AuditResult, Baseline, audit
from socklock.harden.fixer import FileChange, Skipped, plan_fixes, write_plan
from socklock.model import Inventory

MAX_PASSES = 4


@dataclass(frozen=True, slots=True)
class FixRun:
    changes: tuple[FileChange, ...]  # every write, in order (a file may appear per pass)
    skipped: tuple[Skipped, ...]
    before: AuditResult
    after: AuditResult
    inventory: Inventory  # as loaded after the last pass
    passes: int


def broken_files(inventory: Inventory) -> set[str]:
    return {d.location.file for d in inventory.errors}


def fix_paths(
    paths: Sequence[str],
    options: HardenOptions,
    *,
    unsafe: bool = False,
    baseline: Baseline | None = None,
    write: bool = True,
    inventory: Inventory | None = None,
) -> FixRun:
    """Audit, apply the fixes (safe ones, plus unsafe ones when asked), re-load, repeat.

    ``inventory``: the paths already loaded (the first pass then reuses it)."""
    from socklock.load import load_paths

    if inventory is None:
        inventory = load_paths(list(paths))
    first = audit(inventory, options, baseline=baseline)
    current = first
    changes: list[FileChange] = []
    skipped: dict[str, Skipped] = {}
    passes = 0
    while passes < MAX_PASSES:
        plan = plan_fixes(current.findings, unsafe=unsafe, broken_files=broken_files(inventory))
        for skip in plan.skipped:
            skipped[skip.file] = skip
        if not plan.changes:
            break
        passes += 1
        if not write:
            changes.extend(plan.changes)
            break
        written, refused = write_plan(plan, paths)
        changes.extend(written)
        for skip in refused:
            skipped[skip.file] = skip
        if not written:
            break
        inventory = load_paths(list(paths))
        current = audit(inventory, options, baseline=baseline)
    return FixRun(tuple(changes), tuple(skipped.values()), first, current, inventory, passes)
