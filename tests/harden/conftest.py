"""Helpers shared by the hardening tests: fixture folders and a one-rule audit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from socklock.harden import HardenOptions, Level, audit, fix_paths
from socklock.harden.config import load_config
from socklock.harden.registry import RULES
from socklock.harden.rule import Rule
from socklock.load import load_paths
from socklock.model import Applicability, Finding

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "harden"
UPDATE = os.environ.get("SOCKLOCK_UPDATE_FIXTURES") == "1"


def options_for(rule: type[Rule], directory: Path) -> HardenOptions:
    level = rule.pss.level if rule.pss is not None else Level.RESTRICTED
    config = directory / "socklock.toml"
    registries = load_config(config).allowed_registries if config.is_file() else ()
    return HardenOptions(level=level, select=frozenset({rule.id}), allowed_registries=registries)


def bad_files(directory: Path) -> list[Path]:
    return sorted(
        p for p in directory.iterdir() if p.name.startswith("bad") and ".fixed." not in p.name
    )


def good_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.name.startswith("good"))


def fixed_name(bad: Path) -> str:
    stem, _, ext = bad.name.partition(".")
    return f"{stem}.fixed.{ext}"


def findings(path: Path, options: HardenOptions) -> list[Finding]:
    inventory = load_paths([str(path)])
    assert not inventory.errors, [str(e) for e in inventory.errors]
    return list(audit(inventory, options).findings)


def describe(finding: Finding, name: str) -> str:
    loc = finding.location
    return f"{name}:{loc.line}:{loc.column} {finding.rule_id} {finding.field_path}"


def fixable(finding: Finding) -> bool:
    return finding.fix is not None and finding.fix.applicability is not Applicability.DISPLAY_ONLY


def fix_copy(bad: Path, options: HardenOptions, tmp: Path) -> Path:
    copy = tmp / bad.name
    shutil.copyfile(bad, copy)
    fix_paths([str(copy)], options, unsafe=True)
    return copy


__all__ = ["FIXTURES", "RULES", "UPDATE"]
