"""SARIF 2.1.0 for hardening findings (GitHub code scanning, IDEs).

One run, tool ``socklock`` with every rule that ran as a ``reportingDescriptor``; each
finding is a result with its physical location (file, line, column), a logical location
(the object and field path), a stable partial fingerprint, and ``suppressions`` when an
annotation, a comment or the baseline hides it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from socklock.model import Finding, Severity

if TYPE_CHECKING:
    from socklock.harden.rule import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULE_DOCS = "https://github.com/socklock/socklock/blob/main/docs/rules/{id}.md"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


def _uri(path: str) -> str:
    posix = PurePosixPath(path.replace("\\", "/")).as_posix()
    return quote(posix, safe="/:._-~")


def _first_paragraph(doc: str) -> str:
    lines = doc.strip().splitlines()
    return lines[0].strip() if lines else ""


def _section(doc: str, title: str) -> str:
    text = doc.split(f"## {title}", 1)
    if len(text) < 2:
        return ""
    return text[1].split("\n## ", 1)[0].strip()


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    doc = rule.doc()
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": _section(doc, "What it does") or _first_paragraph(doc)},
        "help": {"text": _section(doc, "Why is this bad?"), "markdown": doc.strip()},
        "helpUri": RULE_DOCS.format(id=rule.id),
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "tags": ["security", rule.target.value],
            "security-severity": _SECURITY_SEVERITY[rule.severity],
            "status": rule.status.value,
            "references": [str(r) for r in rule.references],
        },
    }


def _result(
    finding: Finding, index: dict[str, int], suppression: tuple[str, str] | None
) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": _uri(finding.location.file)}},
        "logicalLocations": [
            {
                "name": finding.field_path or finding.object_ref,
                "fullyQualifiedName": f"{finding.object_ref}#{finding.field_path}",
                "kind": "object",
            }
        ],
    }
    if finding.location.line > 0:
        region: dict[str, Any] = {"startLine": finding.location.line}
        if finding.location.column > 0:
            region["startColumn"] = finding.location.column
        location["physicalLocation"]["region"] = region
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {"socklockKey/v1": hashlib.sha256(finding.key.encode()).hexdigest()},
        "properties": {
            "severity": finding.severity.value,
            "object": finding.object_ref,
            "fieldPath": finding.field_path,
        },
    }
    if finding.rule_id in index:
        result["ruleIndex"] = index[finding.rule_id]
    if finding.fix is not None:
        result["properties"]["fix"] = {
            "applicability": finding.fix.applicability.value,
            "description": finding.fix.description,
            **({"whyUnsafe": finding.fix.why_unsafe} if finding.fix.why_unsafe else {}),
        }
    if suppression is not None:
        kind, reason = suppression
        result["suppressions"] = [
            {
                "kind": "external" if kind == "baseline" else "inSource",
                "status": "accepted",
                "justification": reason or f"suppressed by {kind}",
            }
        ]
    return result


def render_sarif(
    findings: Iterable[Finding],
    suppressed: Iterable[tuple[Finding, str, str]],
    rules: Sequence[type[Rule]],
    *,
    version: str,
) -> str:
    return "".join(iter_sarif(findings, suppressed, rules, version=version))


_RESULTS = '"results": []'


def iter_sarif(
    findings: Iterable[Finding],
    suppressed: Iterable[tuple[Finding, str, str]],
    rules: Sequence[type[Rule]],
    *,
    version: str,
) -> Iterator[str]:
    """The SARIF log as ``json.dumps(log, indent=2)`` writes it, one result per piece."""
    index = {rule.id: i for i, rule in enumerate(rules)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "socklock",
                        "version": version,
                        "informationUri": "https://github.com/socklock/socklock",
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [],
            }
        ],
    }
    text = json.dumps(log, indent=2)
    cut = text.rindex(_RESULTS)
    yield text[:cut] + '"results": '
    results = itertools.chain(
        (_result(f, index, None) for f in findings),
        (_result(f, index, (kind, reason)) for f, kind, reason in suppressed),
    )
    indent = "\n        "
    first = True
    for result in results:
        yield ("[" if first else ",") + indent + json.dumps(result, indent=2).replace("\n", indent)
        first = False
    yield ("[]" if first else "\n      ]") + text[cut + len(_RESULTS) :] + "\n"
