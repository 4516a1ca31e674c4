"""Harden containers: a registry of rules over the inventory, findings with exact positions,
and fixes as data applied by a generic fixer.

```python
from socklock.harden import HardenOptions, audit, fix_paths
result = audit(load_paths(["k8s/"]), HardenOptions(level=Level.RESTRICTED))
```
"""

from __future__ import annotations

from socklock.harden.context import (
    LATEST_PSS_MINOR,
    HardenOptions,
    format_pss_version,
    parse_pss_version,
)
from socklock.harden.engine import AuditResult, Baseline, Suppressed, active_rules, audit
from socklock.harden.fixer import FileChange, FixPlan, Skipped, plan_fixes, write_plan
from socklock.harden.registry import RULES, resolve
from socklock.harden.rule import Level, Rule, Status, Target
from socklock.harden.run import FixRun, fix_paths

__all__ = [
    "LATEST_PSS_MINOR",
    "RULES",
    "AuditResult",
    "Baseline",
    "FileChange",
    "FixPlan",
    "FixRun",
    "HardenOptions",
    "Level",
    "Rule",
    "Skipped",
    "Status",
    "Suppressed",
    "Target",
    "active_rules",
    "audit",
    "fix_paths",
    "format_pss_version",
    "parse_pss_version",
    "plan_fixes",
    "resolve",
    "write_plan",
]
