"""SARIF 2.1.0 for findings (GitHub code scanning, IDEs).

One run, tool ``socklock`` with every rule that ran as a ``reportingDescriptor`` (hardening
rules and the network rules SLK-NP00x); each finding is a result with its physical location
(file, line, column) relative to the source root (``uriBaseId`` ``%SRCROOT%``, defined in
``originalUriBaseIds``), a logical location (the object and field path), a partial
fingerprint that no line number enters, and ``suppressions`` when an annotation, a comment
or the baseline hides it.
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
from socklock.policy.rules import NetworkRule
from socklock.report.source_root import SourceRoot, absolute_path, is_file_path

if TYPE_CHECKING:
    from socklock.harden.rule import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULE_DOCS = "https://github.com/socklock/socklock/blob/main/docs/rules/{id}.md"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "socklock/v2"  # sha256 of rule, file from the root, object, field: no line

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


def _quote(path: str) -> str:
    posix = PurePosixPath(path.replace("\\", "/")).as_posix()
    return quote(posix, safe="/:._-~")


class _Places:
    """File names of findings as SARIF artifact locations, one computation per file."""

    def __init__(self, root: SourceRoot | None) -> None:
        self.root = root
        self.cache: dict[str, dict[str, str]] = {}

    def artifact(self, name: str) -> dict[str, str]:
        found = self.cache.get(name)
        if found is None:
            found = self.cache[name] = self._artifact(name)
        return found

    def _artifact(self, name: str) -> dict[str, str]:
        if self.root is None or not is_file_path(name):
            return {"uri": _quote(name)}  # <stdin>, cluster:..., or no root asked for
        absolute = absolute_path(name)
        if absolute.is_relative_to(self.root.path):
            relative = absolute.relative_to(self.root.path).as_posix()
            return {"uri": _quote(relative), "uriBaseId": SRCROOT}
        return {"uri": absolute.as_uri()}  # outside the root: an absolute file URI

    def relative(self, name: str) -> str:
        """The name a fingerprint uses: from the root (independent of where socklock ran)."""
        return self.artifact(name)["uri"]


def _first_paragraph(doc: str) -> str:
    lines = doc.strip().splitlines()
    return lines[0].strip() if lines else ""


def _section(doc: str, title: str) -> str:
    text = doc.split(f"## {title}", 1)
    if len(text) < 2:
        return ""
    return text[1].split("\n## ", 1)[0].strip()


def _help_text(doc: str, rule_id: str) -> str:
    """Why it matters and what to write instead, in plain text."""
    parts = [_section(doc, "Why is this bad?"), _section(doc, "Example")]
    text = "\n\n".join(p for p in parts if p)
    return f"{text}\n\nDocumentation: {RULE_DOCS.format(id=rule_id)}".strip()


def fingerprint(finding: Finding, file: str) -> str:
    """Rule, file (from the source root), object and field: what the finding is about,
    not where its line is today."""
    identity = finding.key or (
        f"{finding.rule_id}|{finding.object_ref}|{finding.field_path}|{finding.message}"
    )
    return hashlib.sha256(f"{identity}|{file}".encode()).hexdigest()


def rule_descriptor(rule: type[Rule] | NetworkRule) -> dict[str, Any]:
    doc = rule.doc()
    if isinstance(rule, NetworkRule):
        tag, status = "network", rule.status
    else:
        tag, status = rule.target.value, rule.status.value
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": _section(doc, "What it does") or _first_paragraph(doc)},
        "help": {
            "text": _help_text(doc, rule.id),
            "markdown": doc.strip()
            + f"\n\n[{rule.id} documentation]({RULE_DOCS.format(id=rule.id)})",
        },
        "helpUri": RULE_DOCS.format(id=rule.id),
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "tags": ["security", tag],
            "security-severity": _SECURITY_SEVERITY[rule.severity],
            "status": status,
            "references": [str(r) for r in rule.references],
        },
    }


def _result(
    finding: Finding,
    index: dict[str, int],
    suppression: tuple[str, str] | None,
    places: _Places,
) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": places.artifact(finding.location.file)},
        "logicalLocations": [
            {
                "name": finding.field_path or finding.object_ref,
                "fullyQualifiedName": finding.object_ref
                + (f"#{finding.field_path}" if finding.field_path else ""),
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
        "partialFingerprints": {
            FINGERPRINT: fingerprint(finding, places.relative(finding.location.file))
        },
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
    rules: Sequence[type[Rule] | NetworkRule],
    *,
    version: str,
    root: SourceRoot | None = None,
) -> str:
    return "".join(iter_sarif(findings, suppressed, rules, version=version, root=root))


_RESULTS = '"results": []'


def iter_sarif(
    findings: Iterable[Finding],
    suppressed: Iterable[tuple[Finding, str, str]],
    rules: Sequence[type[Rule] | NetworkRule],
    *,
    version: str,
    root: SourceRoot | None = None,
) -> Iterator[str]:
    """The SARIF log as ``json.dumps(log, indent=2)`` writes it, one result per piece.

    With ``root``, file locations are relative to it (``uriBaseId`` ``%SRCROOT%``)."""
    index = {rule.id: i for i, rule in enumerate(rules)}
    places = _Places(root)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "socklock",
                "version": version,
                "informationUri": "https://github.com/socklock/socklock",
                "rules": [rule_descriptor(rule) for rule in rules],
            }
        },
    }
    if root is not None:
        run["originalUriBaseIds"] = {
            SRCROOT: {
                "uri": root.path.as_uri().rstrip("/") + "/",
                "description": {"text": root.description()},
            }
        }
    run["columnKind"] = "unicodeCodePoints"
    run["results"] = []
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    text = json.dumps(log, indent=2)
    cut = text.rindex(_RESULTS)
    yield text[:cut] + '"results": '
    results = itertools.chain(
        (_result(f, index, None, places) for f in findings),
        (_result(f, index, (kind, reason), places) for f, kind, reason in suppressed),
    )
    indent = "\n        "
    first = True
    for result in results:
        yield ("[" if first else ",") + indent + json.dumps(result, indent=2).replace("\n", indent)
        first = False
    yield ("[]" if first else "\n      ]") + text[cut + len(_RESULTS) :] + "\n"
