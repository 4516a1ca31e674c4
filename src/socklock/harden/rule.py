"""What a rule is: identity, metadata, the subjects it looks at, and helpers to report.

A rule is one small class in its own module under ``socklock.harden.rules``. Its docstring is
its documentation, in the fixed sections listed in :data:`DOC_SECTIONS`. The registry
(:mod:`socklock.harden.registry`) lists every rule explicitly.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from socklock.model import (
    Applicability,
    ComposeService,
    Container,
    Dockerfile,
    Finding,
    Fix,
    Instruction,
    K8sObject,
    LineEdit,
    Location,
    Service,
    Severity,
    Workload,
    YamlEdit,
    format_path,
    locate,
)
from socklock.model.document import PathElement

if TYPE_CHECKING:
    from socklock.harden.context import Context

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Fix safety", "References")
RULE_ID = re.compile(r"^SLK[1-9][0-9]{2}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


class Status(StrEnum):
    STABLE = "stable"
    PREVIEW = "preview"
    DEPRECATED = "deprecated"


class Level(StrEnum):
    """Pod Security Standards profile a PSS rule belongs to."""

    BASELINE = "baseline"
    RESTRICTED = "restricted"


class Target(StrEnum):
    """What a rule looks at; the engine hands it one subject at a time."""

    WORKLOAD = "workload"  # a Kubernetes pod template or Pod
    SERVICE = "service"  # a Kubernetes Service
    DOCKERFILE = "dockerfile"
    COMPOSE_SERVICE = "compose-service"


WORKLOAD_KIND_NAMES = (
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
)


@dataclass(frozen=True, slots=True)
class Reference:
    """A control, benchmark item or practice the rule enforces."""

    source: str  # "PSS", "CIS Docker 1.6.0", "practice"
    item: str  # "runAsNonRoot (restricted)", "4.1", "hadolint DL3008"
    title: str
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.source} {self.item}: {self.title}"


@dataclass(frozen=True, slots=True)
class PssCheck:
    """The pod-security-admission check a rule mirrors.

    ``versions`` are the minor versions (of Kubernetes 1.x) where the check's behaviour starts
    or changes, oldest first; the check does not exist before the first. A restricted check
    may ``override`` baseline checks from ``versions[0]`` on: at the restricted level those
    baseline checks do not run.
    """

    check_id: str
    level: Level
    versions: tuple[int, ...]
    overrides: tuple[str, ...] = ()


class Rule:
    """Base of every rule. Subclasses set the class attributes and implement ``check``."""

    id: ClassVar[str]
    name: ClassVar[str]
    title: ClassVar[str]  # one line, imperative: what must hold
    severity: ClassVar[Severity]
    status: ClassVar[Status] = Status.STABLE
    target: ClassVar[Target]
    kinds: ClassVar[tuple[str, ...]]
    references: ClassVar[tuple[Reference, ...]]
    pss: ClassVar[PssCheck | None] = None
    fix_applicability: ClassVar[Applicability | None] = None  # None: no fix offered

    @classmethod
    def doc(cls) -> str:
        """The rule's documentation: its module's docstring (one module per rule)."""
        module = sys.modules.get(cls.__module__)
        return (module.__doc__ if module is not None else None) or cls.__doc__ or ""

    @classmethod
    def reference_strings(cls) -> tuple[str, ...]:
        cached = _REFERENCE_STRINGS.get(cls)
        if cached is None:
            cached = _REFERENCE_STRINGS[cls] = tuple(str(r) for r in cls.references)
        return cached

    # -- reporting helpers ---------------------------------------------------------------

    def _finding(
        self,
        location: Location,
        field_path: str,
        object_ref: str,
        message: str,
        key: str,
        fix: Fix | None,
        severity: Severity | None = None,
    ) -> Finding:
        # field paths and object names repeat across findings: one copy of each (a big
        # input has millions of findings)
        return Finding(
            rule_id=self.id,
            rule_name=self.name,
            severity=severity or self.severity,
            message=message,
            location=location,
            field_path=sys.intern(field_path),
            object_ref=sys.intern(object_ref),
            fix=fix,
            references=self.reference_strings(),
            key=f"{self.id}|{_stable_ref(object_ref)}|{key}",
        )

    def object_finding(
        self,
        obj: K8sObject,
        path: Sequence[PathElement],
        message: str,
        fix: Fix | None = None,
        *,
        stable_path: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding on a field of a Kubernetes object (``path`` from the object root)."""
        line, column = locate(obj.body, path)
        location = Location(obj.location.file, line, column)
        field = format_path(path)
        return self._finding(location, field, obj.ref, message, stable_path or field, fix, severity)

    def compose_finding(
        self,
        service: ComposeService,
        path: Sequence[PathElement],
        message: str,
        fix: Fix | None = None,
        *,
        stable_path: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding on a field of a compose service (``path`` from the service's mapping)."""
        line, column = locate(service.body, path) if path else service.body.position
        location = Location(service.location.file, line, column)
        field = format_path(("services", service.name, *path))
        return self._finding(
            location,
            field,
            f"compose {service.id}",
            message,
            stable_path or field,
            fix,
            severity,
        )

    def dockerfile_finding(
        self,
        dockerfile: Dockerfile,
        instruction: Instruction | None,
        message: str,
        fix: Fix | None = None,
        *,
        column: int = 1,
        line: int | None = None,
        detail: str = "",
        severity: Severity | None = None,
    ) -> Finding:
        """A finding on an instruction (or, with None, on the file or its last stage)."""
        if instruction is not None:
            where = line or instruction.start_line
            stage = max(instruction.stage, 0)
            field = f"stage[{stage}].{instruction.keyword}"
            key = f"{field}|{_squash(instruction.value)}|{detail}"
        else:
            last = dockerfile.stages[-1] if dockerfile.stages else None
            where = line or (last.start_line if last else 1)
            field = f"stage[{last.index}]" if last else ""
            key = f"{field}|{detail}"
        location = Location(dockerfile.path, where, column)
        return self._finding(
            location, field, f"Dockerfile {dockerfile.path}", message, key, fix, severity
        )

    def service_finding(
        self, service: Service, path: Sequence[PathElement], message: str, fix: Fix | None = None
    ) -> Finding:
        return self.object_finding(service.obj, path, message, fix)


_REFERENCE_STRINGS: dict[type[Rule], tuple[str, ...]] = {}


class WorkloadRule(Rule):
    target: ClassVar[Target] = Target.WORKLOAD
    kinds: ClassVar[tuple[str, ...]] = WORKLOAD_KIND_NAMES

    def check(self, workload: Workload, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError


class ServiceRule(Rule):
    target: ClassVar[Target] = Target.SERVICE
    kinds: ClassVar[tuple[str, ...]] = ("Service",)

    def check(self, service: Service, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError


class DockerfileRule(Rule):
    target: ClassVar[Target] = Target.DOCKERFILE
    kinds: ClassVar[tuple[str, ...]] = ("Dockerfile",)

    def check(self, dockerfile: Dockerfile, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError


class ComposeRule(Rule):
    target: ClassVar[Target] = Target.COMPOSE_SERVICE
    kinds: ClassVar[tuple[str, ...]] = ("compose service",)

    def check(self, service: ComposeService, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError


# -- fixes as data -----------------------------------------------------------------------------


def yaml_fix(
    obj_or_service: K8sObject | ComposeService,
    applicability: Applicability,
    description: str,
    edits: Iterable[tuple[tuple[PathElement, ...], str, Any]],
    why_unsafe: str | None = None,
) -> Fix:
    """A fix editing one Kubernetes object or compose service; paths relative to it."""
    anchor = obj_or_service.body.position
    return Fix(
        applicability=applicability,
        description=description,
        file=obj_or_service.location.file,
        edits=tuple(
            YamlEdit(document=0, path=path, op=op, value=value, anchor=anchor)
            for path, op, value in edits
        ),
        why_unsafe=why_unsafe,
    )


def line_fix(
    dockerfile: Dockerfile,
    applicability: Applicability,
    description: str,
    edits: Iterable[LineEdit],
    why_unsafe: str | None = None,
) -> Fix:
    return Fix(applicability, description, dockerfile.path, tuple(edits), why_unsafe)


def container_key(container: Container) -> str:
    """Stable path of a container: by role and name, not index."""
    return f"{container.role.value}[name={container.name}]"


def _stable_ref(object_ref: str) -> str:
    """Object identity without the file (the baseline keeps files apart, relative)."""
    return "Dockerfile" if object_ref.startswith("Dockerfile ") else object_ref


def _squash(text: str) -> str:
    return " ".join(text.split())[:200]
