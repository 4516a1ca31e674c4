"""Fix files in place, pass after pass, until nothing more changes (at most a few passes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from socklock.harden.context import HardenOptions
from socklock.harden.engine import AuditResult, Baseline, audit
from socklock.harden.fixer import FileChange, Skipped, plan_fixes, write_plan
from socklock.model import Inventory

MAX_PASSES = 4


@dataclass(frozen=True, slots=True)
class FixRun:
    changes: tuple[FileChange, ...]  # every write, in order (a file may appear per pass)
    skipped: tuple[Skipped, ...]
    found: int  # findings before the first pass
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

    ``inventory``: the paths already loaded (the first pass then reuses it). One pass's
    inventory and findings are dropped before the next pass loads: on a big input each
    costs hundreds of megabytes. The changes kept keep no fixes (they hold every finding's).
    """
    from socklock.load import load_paths

    if inventory is None:
        inventory = load_paths(list(paths), render_kustomize=not write)
    current = audit(inventory, options, baseline=baseline)
    found = len(current.findings)
    changes: list[FileChange] = []
    skipped: dict[str, Skipped] = {}
    passes = 0
    while passes < MAX_PASSES:
        plan = plan_fixes(current.findings, unsafe=unsafe, broken_files=broken_files(inventory))
        for skip in plan.skipped:
            skipped[skip.file] = replace(skip, fixes=())
        if not plan.changes:
            break
        passes += 1
        if not write:
            changes.extend(replace(change, fixes=()) for change in plan.changes)
            break
        written, refused = write_plan(plan, paths)
        changes.extend(replace(change, fixes=()) for change in written)
        for skip in refused:
            skipped[skip.file] = replace(skip, fixes=())
        if not written:
            break
        del plan, written, current, inventory
        inventory = load_paths(list(paths), render_kustomize=not write)
        current = audit(inventory, options, baseline=baseline)
    return FixRun(tuple(changes), tuple(skipped.values()), found, current, inventory, passes)
