"""Proof of ``socklock harden --fix --unsafe-fixes`` on real repositories (never committed).

``python -m benchmarks.fixer_proof NAME=PATH[,PATH...] ...`` copies each set of paths to a
temporary directory and, on the copy: audits, fixes (safe and unsafe fixes, pass after
pass), audits again, runs the fixer a second time, and checks every changed file. It prints
one row per repository:

- fixable / fixed: findings whose fix has edits (safe or unsafe), and how many of those are
  gone after fixing (same rule, object and field);
- refused: files the fixer left alone, with the reason;
- second run: files a second ``--fix`` would still change (must be 0);
- outside: lines changed outside the edits. A line counts as an edit when it is inserted,
  or when it is a line of a key that some fix's path names and keeps its indentation and
  its comment; a deleted line must be a key or item a fix removes. Anything else (a
  re-indented list, a dropped comment, a re-quoted value) counts here;
- pss: the workloads whose restricted-profile findings all had a fix, checked after the
  fix by checkov's corresponding checks (see :mod:`benchmarks.psa_check`; "not checked"
  when checkov is not installed).

``make bench`` runs it through ``bench_fixer_proof`` when ``SOCKLOCK_FIXER_REPOS`` names the
repositories (``NAME=PATH,PATH;NAME=PATH``).
"""

from __future__ import annotations

import difflib
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_KEY = re.compile(r"^(\s*)(?:-\s+)*[\"']?([^\"':#{}\[\],]+?)[\"']?\s*:(?:\s|$)")


@dataclass
class Proof:
    name: str
    files: int = 0
    findings: int = 0
    fixable: int = 0
    fixed: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    changed_files: int = 0
    second_run: int = 0
    outside: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    pss: str = "not checked"
    fixed_objects: list[tuple[str, str]] = field(default_factory=list)  # (file, object)

    def row(self) -> str:
        share = f"{100 * self.fixed / self.fixable:.1f}%" if self.fixable else "n/a"
        return (
            f"| {self.name} | {self.files} | {self.findings} | {self.fixable} | {self.fixed} "
            f"({share}) | {len(self.refused)} | {self.second_run} | {len(self.outside)} | "
            f"{self.pss} |"
        )


HEADER = (
    "| repository | files changed | findings | fixable | fixed | files refused | "
    "second run changes | lines changed outside edits | restricted profile (independent check) |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def _identity(finding: Any) -> tuple[str, str, str, str]:
    return (finding.rule_id, finding.location.file, finding.object_ref, finding.key)


def _fixable(finding: Any) -> bool:
    from socklock.model import Applicability

    fix = finding.fix
    return bool(
        fix is not None
        and fix.edits
        and fix.applicability in (Applicability.SAFE, Applicability.UNSAFE)
    )


def _snapshot(root: Path) -> dict[str, bytes]:
    if root.is_file():
        return {str(root): root.read_bytes()}
    return {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def _names(findings: Iterable[Any]) -> tuple[set[str], set[str], dict[str, set[int]]]:
    """Keys the fixes' paths name (a changed line must be one of them), the values that
    remove edits delete (a deleted line must name a removed key or item), and the lines
    each file's line edits (Dockerfiles) replace."""
    from socklock.model import LineEdit, YamlEdit

    keys: set[str] = set()
    removed: set[str] = set()
    lines: dict[str, set[int]] = {}
    for finding in findings:
        if finding.fix is None:
            continue
        for edit in finding.fix.edits:
            if isinstance(edit, LineEdit):
                lines.setdefault(finding.fix.file, set()).update(range(edit.start, edit.end + 1))
            if not isinstance(edit, YamlEdit):
                continue
            keys.update(str(e) for e in edit.path if isinstance(e, str))
            if edit.op == "remove":  # the item, and its key (deleted with its last item)
                removed.add(str(edit.path[-1]))
                if edit.value is not None:
                    removed.add(str(edit.value))
            if edit.op == "replace":  # a list item rewritten in place
                removed.add(str(edit.value[0]))
    return keys, removed, lines


def outside_changes(
    before: str, after: str, keys: set[str], removed: set[str], edited: set[int] = frozenset()
) -> list[str]:
    """Old lines that changed although no edit was about them (see the module doc).
    ``edited``: 1-based lines that line edits replace."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    bad: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "insert") or set(range(i1 + 1, i2 + 1)) <= edited:
            continue
        if tag == "replace" and _only_added_or_removed(
            "".join(old[i1:i2]), "".join(new[j1:j2]), removed
        ):  # ``]`` that became ``],`` before an added JSON key; ``- hostPort: 1`` then
            continue  # ``  containerPort: 1`` that became ``- containerPort: 1``
        changed = old[i1:i2]
        if tag == "delete":
            for line in changed:
                if not any(r in line for r in removed) or line.lstrip().startswith("#"):
                    bad.append(f"deleted: {line.rstrip()}")
            continue
        replacement = new[j1:j2]
        for line in changed:
            match = _KEY.match(line)
            comment = line[line.index(" #") :].rstrip() if " #" in line else ""
            kept = [  # the same key at the same column, its comment kept
                n
                for n in replacement
                if match
                and (other := _KEY.match(n))
                and other.group(1, 2) == match.group(1, 2)
                and (not comment or n.rstrip().endswith(comment))
            ]
            flow_key = match is not None and match.group(2).strip() in keys
            removed_item = any(r in line for r in removed)
            if not (flow_key and kept) and not removed_item:
                bad.append(f"changed: {line.rstrip()}")
    return bad


def _only_added_or_removed(old: str, new: str, removed: set[str]) -> bool:
    """Is ``new`` ``old`` with text added, and only text that names a removed key or item
    taken out (no character of the rest changed)?"""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    ops = matcher.get_opcodes()
    return (
        all(tag in ("equal", "insert", "delete") for tag, *_ in ops)
        and all(
            any(r in old[i1:i2] for r in removed) for tag, i1, i2, _, _ in ops if tag == "delete"
        )
        and not any(
            _reindents(old, i1, new[j1:j2]) for tag, i1, _, j1, j2 in ops if tag == "insert"
        )
    )


def _reindents(old: str, at: int, added: str) -> bool:
    """Does inserting ``added`` at ``at`` change an old line (its indentation, its quoting)
    rather than add whole lines, add at a line's end or before a closing bracket?"""
    head = old[old.rfind("\n", 0, at) + 1 : at]
    whole_lines = not head.strip() and added.endswith("\n")
    return not whole_lines and old[at : at + 1] not in ("\n", "", "]", "}")


def _make_writable(copy: Path) -> None:
    """Give the owner write permission on the copied files: the proof is about layouts, and
    a read-only source (a corpus kept read-only) would be refused by the fixer's safe-write
    rule, which is its own test (tests/harden/test_safe_writes.py)."""
    for path in (copy, *copy.rglob("*")) if copy.is_dir() else (copy,):
        if path.is_file() and not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o200)


def prove(name: str, sources: Sequence[Path], check_pss: bool = True) -> Proof:
    from socklock.harden import HardenOptions, audit, fix_paths
    from socklock.load import load_paths

    proof = Proof(name)
    with tempfile.TemporaryDirectory(prefix="fixer-proof-") as tmp:
        copies: list[str] = []
        for index, source in enumerate(sources):
            target = Path(tmp) / f"{index}-{source.name}"
            if source.is_dir():
                shutil.copytree(source, target, symlinks=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            _make_writable(target)
            copies.append(str(target))
        options = HardenOptions()
        before = audit(load_paths(copies), options)
        checked_before = _checkov_before(copies) if check_pss else {}
        fixable = [f for f in before.findings if _fixable(f)]
        proof.findings = len(before.findings)
        proof.fixable = len(fixable)
        keys, removed, edited = _names(fixable)
        texts = {p: b for c in copies for p, b in _snapshot(Path(c)).items()}
        run = fix_paths(copies, options, unsafe=True)
        remaining = {_identity(f) for f in run.after.findings}
        proof.fixed = sum(1 for f in fixable if _identity(f) not in remaining)
        proof.missed = sorted(
            f"{f.location}: {f.rule_id} {f.message}" for f in fixable if _identity(f) in remaining
        )
        proof.refused = sorted((s.file.removeprefix(tmp + "/"), s.reason) for s in run.skipped)
        changed = sorted({c.file for c in run.changes})
        proof.files = len(changed)
        for file in changed:
            old = texts[str(Path(file))].decode("utf-8")
            new = Path(file).read_bytes().decode("utf-8")
            proof.outside += [
                f"{file.removeprefix(tmp + '/')}: {line}"
                for line in outside_changes(old, new, keys, removed, edited.get(file, set()))
            ]
        second = fix_paths(copies, options, unsafe=True, write=False)
        proof.second_run = len({c.file for c in second.changes})
        if check_pss:
            from benchmarks.psa_check import check_restricted

            clean = _all_fixable_objects(before.findings)
            proof.pss = check_restricted(copies, clean, checked_before)
    return proof


def _checkov_before(paths: Sequence[str]) -> dict[tuple[str, str], set[str]]:
    from benchmarks.psa_check import failures

    try:
        return failures(paths)
    except (OSError, ValueError):
        return {}


def _all_fixable_objects(findings: Iterable[Any]) -> set[tuple[str, str]]:
    """Objects (file, ``Kind namespace/name``) whose restricted-profile findings (SLK1xx) all
    had a fix; compose services and Dockerfiles are not Kubernetes objects."""
    from socklock.model import Applicability

    verdict: dict[tuple[str, str], bool] = {}
    for finding in findings:
        if not finding.rule_id.startswith("SLK1") or finding.object_ref.startswith("compose"):
            continue
        fix = finding.fix
        ok = bool(fix and fix.edits and fix.applicability is not Applicability.DISPLAY_ONLY)
        key = (finding.location.file, finding.object_ref)
        verdict[key] = verdict.get(key, True) and ok
    return {key for key, ok in verdict.items() if ok}


def parse_repos(spec: str) -> list[tuple[str, list[Path]]]:
    """``NAME=PATH,PATH;NAME=PATH`` (also one repository per argument)."""
    out: list[tuple[str, list[Path]]] = []
    for part in spec.split(";"):
        if not part.strip():
            continue
        name, _, paths = part.partition("=")
        out.append((name.strip(), [Path(p.strip()) for p in paths.split(",") if p.strip()]))
    return out


def main(argv: Sequence[str]) -> int:
    verbose = "-v" in argv
    repos = [r for arg in argv if arg != "-v" for r in parse_repos(arg)]
    proofs = [prove(name, paths) for name, paths in repos]
    print(HEADER)
    for proof in proofs:
        print(proof.row())
    for proof in proofs:
        for file, reason in proof.refused:
            print(f"{proof.name}: refused {file}: {reason}")
        for line in proof.outside[: None if verbose else 10]:
            print(f"{proof.name}: outside an edit: {line}")
        for line in proof.missed[: None if verbose else 10]:
            print(f"{proof.name}: not fixed: {line}")
    bad = any(
        p.refused or p.outside or p.second_run or (p.fixable and p.fixed < 0.95 * p.fixable)
        for p in proofs
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
