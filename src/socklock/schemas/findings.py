"""``socklock/findings/v1``: hardening findings, written by ``harden --format json``.

Every finding carries the file, line and column, the field path inside the object and the
object itself; ``key`` is the stable identity baselines use (no line numbers).

The pydantic models are the schema (published under schemas/, validated in the tests);
the document itself is written by :func:`iter_json`, one finding at a time, in the
models' exact layout: a big input has millions of findings, and a model per finding plus
the whole text in memory cost gigabytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from socklock.model import Applicability, Finding, Severity

SCHEMA: Final = "socklock/findings/v1"

_string = json.encoder.encode_basestring  # json.dumps's string encoder (ensure_ascii=False)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class FixModel(_Model):
    applicability: Applicability = Field(
        description="safe: applied by --fix; unsafe: by --unsafe-fixes; display-only: never"
    )
    description: str
    why_unsafe: str | None = None
    file: str
    edits: int = Field(ge=0, description="number of edits the fix makes")


class SuppressionModel(_Model):
    kind: Literal["annotation", "comment", "baseline"]
    reason: str


class FindingModel(_Model):
    rule_id: str = Field(pattern=r"^SLK[0-9]{3}$")
    rule_name: str
    severity: Severity
    message: str
    file: str
    line: int = Field(ge=0, description="1-based; 0 when unknown")
    column: int = Field(ge=0, description="1-based; 0 when unknown")
    field_path: str = Field(description="e.g. spec.template.spec.containers[0].securityContext")
    object: str = Field(description="e.g. Deployment sock-shop/carts, compose sockshop/carts")
    key: str = Field(description="stable identity for baselines")
    references: list[str] = []
    fix: FixModel | None = None
    suppressed: SuppressionModel | None = None


class SummaryModel(_Model):
    findings: int
    suppressed: int
    by_severity: dict[str, int]
    fixable_safe: int
    fixable_unsafe: int


class FindingsDocument(_Model):
    schema_: Literal["socklock/findings/v1"] = Field(default=SCHEMA, alias="schema")
    level: Literal["baseline", "restricted"]
    pss_version: str = Field(pattern=r"^v1\.[0-9]+$")
    rules: list[str] = Field(description="ids of the rules that ran")
    findings: list[FindingModel]
    suppressed: list[FindingModel] = []
    summary: SummaryModel


DOCUMENT = FindingsDocument


def finding_model(finding: Finding, suppression: tuple[str, str] | None = None) -> FindingModel:
    fix = finding.fix
    return FindingModel(
        rule_id=finding.rule_id,
        rule_name=finding.rule_name,
        severity=finding.severity,
        message=finding.message,
        file=finding.location.file,
        line=finding.location.line,
        column=finding.location.column,
        field_path=finding.field_path,
        object=finding.object_ref,
        key=finding.key,
        references=list(finding.references),
        fix=FixModel(
            applicability=fix.applicability,
            description=fix.description,
            why_unsafe=fix.why_unsafe,
            file=fix.file,
            edits=len(fix.edits),
        )
        if fix is not None
        else None,
        suppressed=SuppressionModel(kind=suppression[0], reason=suppression[1])  # type: ignore[arg-type]
        if suppression is not None
        else None,
    )


def to_document(
    findings: Iterable[Finding],
    suppressed: Iterable[tuple[Finding, str, str]],
    *,
    level: str,
    pss_version: str,
    rules: Iterable[str],
) -> FindingsDocument:
    reported = [finding_model(f) for f in findings]
    hidden = [finding_model(f, (kind, reason)) for f, kind, reason in suppressed]
    by_severity = {s.value: 0 for s in Severity}
    for model in reported:
        by_severity[model.severity.value] += 1
    return FindingsDocument(
        level=level,  # type: ignore[arg-type]
        pss_version=pss_version,
        rules=list(rules),
        findings=reported,
        suppressed=hidden,
        summary=SummaryModel(
            findings=len(reported),
            suppressed=len(hidden),
            by_severity=by_severity,
            fixable_safe=sum(
                1 for m in reported if m.fix and m.fix.applicability is Applicability.SAFE
            ),
            fixable_unsafe=sum(
                1 for m in reported if m.fix and m.fix.applicability is Applicability.UNSAFE
            ),
        ),
    )


def render_json(document: FindingsDocument) -> str:
    return document.model_dump_json(by_alias=True, indent=2) + "\n"


def finding_json(finding: Finding, suppression: tuple[str, str] | None = None) -> dict[str, Any]:
    """One finding as :class:`FindingModel` dumps it (same keys, same order)."""
    fix = finding.fix
    return {
        "rule_id": finding.rule_id,
        "rule_name": finding.rule_name,
        "severity": finding.severity.value,
        "message": finding.message,
        "file": finding.location.file,
        "line": finding.location.line,
        "column": finding.location.column,
        "field_path": finding.field_path,
        "object": finding.object_ref,
        "key": finding.key,
        "references": list(finding.references),
        "fix": {
            "applicability": fix.applicability.value,
            "description": fix.description,
            "why_unsafe": fix.why_unsafe,
            "file": fix.file,
            "edits": len(fix.edits),
        }
        if fix is not None
        else None,
        "suppressed": {"kind": suppression[0], "reason": suppression[1]}
        if suppression is not None
        else None,
    }


def _dump(value: Any, indent: str) -> str:
    """``value`` as pydantic writes it with ``indent=2`` (``json.dumps(value, indent=2,
    ensure_ascii=False)``), nested ``indent`` deep. json's indenting encoder is pure Python
    and a third of a big run; this one writes the few shapes of a finding directly."""
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{_string(str(k))}: {_dump(v, inner)}" for k, v in value.items()]
    elif isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = [_dump(v, inner) for v in value]
    else:
        return json.dumps(value, ensure_ascii=False)
    brackets = "[]" if isinstance(value, list | tuple) else "{}"
    return f"{brackets[0]}\n{inner}" + f",\n{inner}".join(items) + f"\n{indent}{brackets[1]}"


def _array(items: Iterator[str], indent: str) -> Iterator[str]:
    """A JSON array of already dumped items, written as pydantic writes it (``[]`` when empty)."""
    first = True
    for item in items:
        yield ("[\n" if first else ",\n") + indent + "  " + item
        first = False
    yield "[]" if first else "\n" + indent + "]"


def iter_json(
    findings: Iterable[Finding],
    suppressed: Iterable[tuple[Finding, str, str]],
    *,
    level: str,
    pss_version: str,
    rules: Iterable[str],
) -> Iterator[str]:
    """The ``socklock/findings/v1`` document, byte for byte :func:`render_json` of
    :func:`to_document`, in pieces of one finding each (the summary is counted on the way)."""
    by_severity = {s.value: 0 for s in Severity}
    counts = {"findings": 0, "safe": 0, "unsafe": 0, "suppressed": 0}

    def reported() -> Iterator[str]:
        for finding in findings:
            counts["findings"] += 1
            by_severity[finding.severity.value] += 1
            if finding.fix is not None:
                if finding.fix.applicability is Applicability.SAFE:
                    counts["safe"] += 1
                elif finding.fix.applicability is Applicability.UNSAFE:
                    counts["unsafe"] += 1
            yield _dump(finding_json(finding), "    ")

    def hidden() -> Iterator[str]:
        for finding, kind, reason in suppressed:
            counts["suppressed"] += 1
            yield _dump(finding_json(finding, (kind, reason)), "    ")

    head = {"schema": SCHEMA, "level": level, "pss_version": pss_version, "rules": list(rules)}
    yield _dump(head, "")[:-2] + ',\n  "findings": '
    yield from _array(reported(), "  ")
    yield ',\n  "suppressed": '
    yield from _array(hidden(), "  ")
    summary = {
        "findings": counts["findings"],
        "suppressed": counts["suppressed"],
        "by_severity": by_severity,
        "fixable_safe": counts["safe"],
        "fixable_unsafe": counts["unsafe"],
    }
    yield ',\n  "summary": ' + _dump(summary, "  ") + "\n}\n"
