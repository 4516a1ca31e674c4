"""``harden --fix --unsafe-fixes`` on public repositories (see :mod:`benchmarks.fixer_proof`).

The repositories are fetched by hand and never committed: ``SOCKLOCK_FIXER_REPOS`` names
them (``NAME=PATH[,PATH];NAME=PATH``); without it the benchmark is skipped and says why.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from benchmarks.fixer_proof import HEADER, parse_repos, prove


def main(full: bool = False) -> dict[str, Any]:
    spec = os.environ.get("SOCKLOCK_FIXER_REPOS", "")
    repos = parse_repos(spec)
    if not repos:
        reason = "SOCKLOCK_FIXER_REPOS is not set (NAME=PATH[,PATH];...): no public repository"
        print(f"fixer proof skipped: {reason}", file=sys.stderr)
        return {"name": "fixer_proof", "skipped": reason, "ok": True}
    missing = [str(p) for _, paths in repos for p in paths if not p.exists()]
    if missing:
        reason = f"not there: {', '.join(missing)}"
        print(f"fixer proof skipped: {reason}", file=sys.stderr)
        return {"name": "fixer_proof", "skipped": reason, "ok": True}
    proofs = [prove(name, paths, check_pss=full) for name, paths in repos]
    print(HEADER, file=sys.stderr)
    for proof in proofs:
        print(proof.row(), file=sys.stderr)
        for file, reason in proof.refused:
            print(f"{proof.name}: refused {file}: {reason}", file=sys.stderr)
    rows = [
        {
            "repository": p.name,
            "findings": p.findings,
            "fixable": p.fixable,
            "fixed": p.fixed,
            "refused": [f"{file}: {reason}" for file, reason in p.refused],
            "second_run_changes": p.second_run,
            "lines_changed_outside_edits": len(p.outside),
            "restricted_profile": p.pss,
        }
        for p in proofs
    ]
    ok = all(not p.outside and not p.second_run and p.fixed >= 0.95 * p.fixable for p in proofs)
    return {"name": "fixer_proof", "runs": rows, "ok": ok}
