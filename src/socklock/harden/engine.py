"""Run the active rules over an inventory; apply suppressions and a baseline."""

from __future__ import annotations

import heapq
import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socklock.gcpause import paused_gc
from socklock.harden.context import Context, HardenOptions
from socklock.harden.registry import RULES, resolve
from socklock.harden.rule import (
    ComposeRule,
    DockerfileRule,
    Level,
    Rule,
    ServiceRule,
    Status,
    WorkloadRule,
)
from socklock.harden.store import FindingStore
from socklock.model import (
    ComposeService,
    Dockerfile,
    Finding,
    Inventory,
    Service,
    Workload,
)

IGNORE_ANNOTATION = "socklock.io/ignore"
_COMMENT = re.compile(r"#\s*socklock:\s*(ignore-file|ignore)\b\s*(.*)$")
_ID_TOKEN = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Suppressed:
    finding: Finding
    kind: str  # "annotation", "comment", "baseline"
    reason: str


@dataclass(frozen=True, slots=True)
class AuditResult:
    findings: Sequence[Finding]  # sorted by sort_key; a FindingStore (compressed batches)
    suppressed: tuple[Suppressed, ...]
    rules: tuple[type[Rule], ...]
    options: HardenOptions


@dataclass(frozen=True, slots=True)
class Ignore:
    """Rules ignored by one annotation or comment, with the reason given."""

    rules: frozenset[str]  # rule ids
    reason: str


def parse_ignore(text: str) -> Ignore:
    """``SLK101,SLK104 the reason`` or ``run-as-non-root: reason`` → ids and reason."""
    ids: set[str] = set()
    words = re.split(r"(\s+)", text.strip())
    consumed = 0
    for word in words:
        if not word.strip():
            consumed += len(word)
            continue
        tokens = [t for t in word.split(",") if t]
        rules = [resolve(t.rstrip(":")) for t in tokens]
        if (
            not tokens
            or any(r is None for r in rules)
            or not all(_ID_TOKEN.match(t.rstrip(":")) for t in tokens)
        ):
            break
        ids.update(r.id for r in rules if r is not None)
        consumed += len(word)
        if word.endswith(":"):
            break
    reason = text.strip()[consumed:].strip().lstrip(":-— ").strip()
    return Ignore(frozenset(ids), reason)


def active_rules(options: HardenOptions) -> tuple[type[Rule], ...]:
    """The rules that run for a level, policy version and selection.

    PSS rules follow the admission code: a check runs from its first version on; restricted
    checks only at the restricted level, where they replace the baseline checks they
    override.
    """
    version = options.pss_version
    overridden: set[str] = set()
    if options.level is Level.RESTRICTED:
        for rule in RULES:
            pss = rule.pss
            if pss is not None and pss.level is Level.RESTRICTED and version >= pss.versions[0]:
                overridden.update(pss.overrides)
    selected = _resolve_all(options.select) if options.select is not None else None
    ignored = _resolve_all(options.ignore)
    out: list[type[Rule]] = []
    for rule in RULES:
        if rule.id in ignored:
            continue
        if selected is not None and rule.id not in selected:
            continue
        if selected is None and rule.status is Status.DEPRECATED:
            continue
        pss = rule.pss
        if pss is not None:
            if version < pss.versions[0]:
                continue
            if pss.level is Level.RESTRICTED and options.level is not Level.RESTRICTED:
                continue
            if pss.check_id in overridden:
                continue
        out.append(rule)
    return tuple(out)


def _resolve_all(selectors: Iterable[str]) -> set[str]:
    from socklock.errors import UsageError

    ids: set[str] = set()
    for selector in selectors:
        selector = selector.strip()
        if not selector:
            continue
        if selector.upper() in ("ALL",):
            ids.update(r.id for r in RULES)
            continue
        prefix = [r.id for r in RULES if r.id.startswith(selector.upper())]
        rule = resolve(selector)
        if rule is not None:
            ids.add(rule.id)
        elif prefix and re.fullmatch(r"SLK\d{0,2}", selector.upper()):
            ids.update(prefix)
        else:
            raise UsageError(f"unknown rule {selector!r} (see `socklock rules`)")
    return ids


def audit(
    inventory: Inventory,
    options: HardenOptions | None = None,
    *,
    baseline: Baseline | None = None,
) -> AuditResult:
    """Run the active rules over ``inventory``; suppressed and baselined findings set apart.

    The cyclic garbage collector is paused meanwhile: the audit makes tens of thousands of
    small acyclic objects, and each collection would walk the whole inventory (a third of
    the run time on 1,000 manifests). It is restored on the way out.
    """
    with paused_gc():
        return _audit(inventory, options, baseline)


def _audit(
    inventory: Inventory, options: HardenOptions | None, baseline: Baseline | None
) -> AuditResult:
    options = options or HardenOptions()
    ctx = Context(inventory, options)
    rules = active_rules(options)
    comments = _CommentIndex()
    # subjects of every kind merged in file order, each subject's findings sorted: the one
    # stream is then already sorted (checked as it fills), so the findings are stored (and
    # compressed) once, never merged into a second store
    stream = _Stream()

    def collect(
        results: Iterable[Finding],
        annotations: list[Mapping[str, str]],
        scope: int,
    ) -> None:
        ignores = [
            parse_ignore(a[IGNORE_ANNOTATION]) for a in annotations if IGNORE_ANNOTATION in a
        ]
        for finding in sorted(results, key=sort_key):
            hit = next((i for i in ignores if finding.rule_id in i.rules), None)
            if hit is not None:
                stream.suppressed.append(Suppressed(finding, "annotation", hit.reason))
                continue
            comment = comments.lookup(finding, scope)
            if comment is not None:
                stream.suppressed.append(Suppressed(finding, "comment", comment.reason))
            else:
                stream.add(finding)

    workload_rules = [r() for r in rules if issubclass(r, WorkloadRule)]
    service_rules = [r() for r in rules if issubclass(r, ServiceRule)]
    dockerfile_rules = [r() for r in rules if issubclass(r, DockerfileRule)]
    compose_rules = [r() for r in rules if issubclass(r, ComposeRule)]
    for _, kind, subject in _in_file_order(inventory):
        if kind == 0:
            workload: Workload = subject
            annotations = [workload.obj.annotations, workload.pod_annotations]
            found = [f for wrule in workload_rules for f in wrule.check(workload, ctx)]
            collect(found, annotations, workload.obj.location.line)
        elif kind == 1:
            service: Service = subject
            found = [f for srule in service_rules for f in srule.check(service, ctx)]
            collect(found, [service.obj.annotations], service.obj.location.line)
        elif kind == 2:
            dockerfile: Dockerfile = subject
            found = [f for drule in dockerfile_rules for f in drule.check(dockerfile, ctx)]
            collect(found, [], 0)
        else:
            compose_service: ComposeService = subject
            labels = compose_service.body.get("labels")
            scope = max(compose_service.body.position[0] - 1, 0)
            found = [f for crule in compose_rules for f in crule.check(compose_service, ctx)]
            collect(found, [_labels(labels)], scope)
    suppressed = stream.suppressed
    reported: Sequence[Finding]
    if baseline is None and stream.in_order:
        reported = stream.findings
    else:
        everything: list[Finding] = list(stream.findings)
        if baseline is not None:
            everything, known = baseline.split(everything)
            suppressed.extend(Suppressed(f, "baseline", "in the baseline") for f in known)
        reported = FindingStore(sorted(everything, key=sort_key))
    return AuditResult(
        findings=reported,
        suppressed=tuple(sorted(suppressed, key=lambda s: sort_key(s.finding))),
        rules=rules,
        options=options,
    )


def _in_file_order(inventory: Inventory) -> Iterator[tuple[tuple[str, int], int, Any]]:
    """Every subject as ((file, line), kind, subject): 0 workloads, 1 Services, 2
    Dockerfiles, 3 compose services; each kind comes in load order, merged by position."""

    where = operator.itemgetter(0)
    workloads = (((w.obj.location.file, w.obj.location.line), 0, w) for w in inventory.workloads)
    services = (((s.obj.location.file, s.obj.location.line), 1, s) for s in inventory.services)
    dockerfiles = (((d.path, 0), 2, d) for d in inventory.dockerfiles)
    composes = (
        ((s.location.file, s.location.line), 3, s)
        for project in inventory.compose_projects
        for s in project.services
    )
    return heapq.merge(workloads, services, dockerfiles, composes, key=where)


class _Stream:
    """The reported findings of one kind of subject, in audit order, and whether that order
    is already the sorted one."""

    def __init__(self) -> None:
        self.findings = FindingStore()
        self.suppressed: list[Suppressed] = []
        self.in_order = True
        self._last: tuple[str, int, int, str, str] | None = None

    def add(self, finding: Finding) -> None:
        key = sort_key(finding)
        if self._last is not None and key < self._last:
            self.in_order = False
        self._last = key
        self.findings.append(finding)


def sort_key(finding: Finding) -> tuple[str, int, int, str, str]:
    loc = finding.location
    return (loc.file, loc.line, loc.column, finding.rule_id, finding.message)


def _labels(labels: Any) -> Mapping[str, str]:
    """Compose ``labels`` as a mapping (list form ``key=value`` too)."""
    if isinstance(labels, dict):
        return {str(k): str(v) for k, v in labels.items()}
    if isinstance(labels, list):
        out: dict[str, str] = {}
        for item in labels:
            key, _, value = str(item).partition("=")
            out[key] = value
        return out
    return {}


class _CommentIndex:
    """``# socklock: ignore SLK301 reason`` comments, read from the files on demand.

    A comment suppresses a finding when it is on the finding's line, in the block of
    comment lines right above it, or right above the object (Kubernetes object, compose
    service); ``# socklock: ignore-file SLK308 reason`` anywhere covers the whole file.
    """

    def __init__(self) -> None:
        self._files: dict[str, tuple[list[str], list[Ignore]]] = {}

    def _load(self, file: str) -> tuple[list[str], list[Ignore]]:
        if file not in self._files:
            # most files have no such comment: they are searched as bytes, a chunk at a
            # time, never held as text (a 64 MiB file's lines are a quarter of a gigabyte
            # as strings)
            try:
                lines = (
                    Path(file).read_text(encoding="utf-8", errors="replace").splitlines()
                    if _mentions(file, b"socklock:")
                    else []
                )
            except OSError:
                lines = []
            whole: list[Ignore] = []
            for line in lines:
                match = _COMMENT.search(line)
                if match and match[1] == "ignore-file":
                    whole.append(parse_ignore(match[2]))
            self._files[file] = (lines, whole)
        return self._files[file]

    def lookup(self, finding: Finding, scope: int) -> Ignore | None:
        lines, whole = self._load(finding.location.file)
        if not lines:
            return None
        for ignore in whole:
            if finding.rule_id in ignore.rules:
                return ignore
        for line in {finding.location.line, scope}:
            if line <= 0:
                continue
            for ignore in self._around(lines, line):
                if finding.rule_id in ignore.rules:
                    return ignore
        return None

    def _around(self, lines: list[str], line: int) -> Iterable[Ignore]:
        if line - 1 < len(lines):
            match = _COMMENT.search(lines[line - 1])
            if match and match[1] == "ignore":
                yield parse_ignore(match[2])
        index = line - 2
        while index >= 0 and lines[index].lstrip().startswith("#"):
            match = _COMMENT.search(lines[index])
            if match and match[1] == "ignore":
                yield parse_ignore(match[2])
            index -= 1


def _mentions(file: str, marker: bytes, chunk: int = 1 << 20) -> bool:
    """Whether ``file`` holds ``marker``, read a chunk at a time."""
    with Path(file).open("rb") as handle:
        tail = b""
        while block := handle.read(chunk):
            window = tail + block
            if marker in window:
                return True
            tail = window[-(len(marker) - 1) :]
    return False


# -- baseline ----------------------------------------------------------------------------------

BASELINE_SCHEMA = "socklock/baseline/v1"


@dataclass
class Baseline:
    """Known findings, keyed by rule, file (relative to the baseline) and stable field path.

    Line numbers are not part of the key, so edits elsewhere in a file do not resurrect
    findings; identical findings are counted, so a second copy is reported.
    """

    base_dir: Path
    entries: Counter[tuple[str, str]] = field(default_factory=Counter)

    def identity(self, finding: Finding) -> tuple[str, str]:
        return (_relative(finding.location.file, self.base_dir), finding.key)

    def split(self, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        remaining = Counter(self.entries)
        new: list[Finding] = []
        known: list[Finding] = []
        for finding in sorted(findings, key=sort_key):
            identity = self.identity(finding)
            if remaining[identity] > 0:
                remaining[identity] -= 1
                known.append(finding)
            else:
                new.append(finding)
        return new, known

    def to_json(self, findings: Iterable[Finding]) -> dict[str, Any]:
        rows = []
        for finding in sorted(findings, key=sort_key):
            file, key = self.identity(finding)
            rows.append(
                {
                    "rule": finding.rule_id,
                    "file": file,
                    "key": key,
                    "object": finding.object_ref,
                    "field": finding.field_path,
                    "message": finding.message,
                }
            )
        return {"schema": BASELINE_SCHEMA, "findings": rows}

    @classmethod
    def from_json(cls, data: Any, base_dir: Path) -> Baseline:
        from socklock.errors import InputError

        if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA:
            raise InputError(f'a baseline must be a JSON object with "schema": "{BASELINE_SCHEMA}"')
        entries: Counter[tuple[str, str]] = Counter()
        for row in data.get("findings") or ():
            if (
                isinstance(row, dict)
                and isinstance(row.get("file"), str)
                and isinstance(row.get("key"), str)
            ):
                entries[(row["file"], row["key"])] += 1
        return cls(base_dir, entries)


def _relative(file: str, base: Path) -> str:
    import os

    try:
        return Path(os.path.relpath(Path(file).resolve(), base.resolve())).as_posix()
    except ValueError:
        return Path(file).as_posix()
