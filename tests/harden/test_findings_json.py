"""``harden --format json`` is written finding by finding (no model per finding, no whole
text in memory), byte for byte what the pydantic schema models dump, and valid against the
published schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from socklock.harden import HardenOptions, audit
from socklock.load import load_paths
from socklock.model import Applicability, Finding, Fix, Location, Severity, YamlEdit
from socklock.schemas.findings import iter_json, render_json, to_document

REPO = Path(__file__).resolve().parents[2]

# quotes, backslashes, control characters, non-ASCII, an empty reference list, no fix
ODD = Finding(
    rule_id="SLK207",
    rule_name="secret-in-env",
    severity=Severity.HIGH,
    message='the value "p\\a\tss\x01wörd ✓" looks like a secret\n',
    location=Location("dir/ü.yaml", 3, 9),
    field_path="spec.containers[0].env[0]",
    object_ref="Pod ns/p",
    key="SLK207|Pod ns/p|x",
)
FIXED = Finding(
    rule_id="SLK103",
    rule_name="allow-privilege-escalation",
    severity=Severity.MEDIUM,
    message="allowPrivilegeEscalation is not false",
    location=Location("a.yaml", 10, 7),
    field_path="spec.containers[0].securityContext",
    object_ref="Pod ns/p",
    fix=Fix(
        Applicability.UNSAFE,
        "set allowPrivilegeEscalation: false",
        "a.yaml",
        (YamlEdit(0, ("spec",), "set", {"a": 1}),),
        why_unsafe="setuid binaries stop working",
    ),
    references=("PSS allowPrivilegeEscalation (restricted): Privilege escalation",),
    key="SLK103|Pod ns/p|c",
)
SAFE = Finding(
    rule_id="SLK105",
    rule_name="seccomp-restricted",
    severity=Severity.LOW,
    message="no seccomp profile",
    location=Location("a.yaml", 0, 0),
    field_path="",
    object_ref="Pod ns/p",
    fix=Fix(Applicability.SAFE, "set seccompProfile", "a.yaml", ()),
    key="SLK105|Pod ns/p|",
)


@pytest.mark.parametrize(
    ("findings", "suppressed", "rules"),
    [
        ([ODD, FIXED, SAFE], [(FIXED, "comment", "reviewed ✓"), (SAFE, "baseline", "")], ["A"]),
        ([], [], []),
        ([SAFE], [], ["SLK105"]),
        ([], [(ODD, "annotation", "ok")], ["SLK207", "SLK103"]),
    ],
)
def test_streamed_json_is_what_the_models_dump(
    findings: list[Finding], suppressed: list[tuple[Finding, str, str]], rules: list[str]
) -> None:
    options = {"level": "restricted", "pss_version": "v1.36", "rules": rules}
    expected = render_json(to_document(findings, suppressed, **options))  # type: ignore[arg-type]
    pieces = list(iter_json(iter(findings), iter(suppressed), **options))  # type: ignore[arg-type]
    assert "".join(pieces) == expected
    assert len(pieces) >= len(findings) + len(suppressed)  # one piece per finding at least
    schema = json.loads((REPO / "schemas" / "findings.v1.json").read_text())
    jsonschema.validate(json.loads(expected), schema)


def test_streamed_json_of_the_demo_shop() -> None:
    inventory = load_paths([str(REPO / "examples" / "sockshop")])
    result = audit(inventory, HardenOptions())
    assert result.findings
    options = {"level": "restricted", "pss_version": "v1.36", "rules": [r.id for r in result.rules]}
    hidden = [(s.finding, s.kind, s.reason) for s in result.suppressed]
    expected = render_json(to_document(result.findings, hidden, **options))  # type: ignore[arg-type]
    assert "".join(iter_json(result.findings, hidden, **options)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("suppressed", [[], [(FIXED, "comment", "reviewed ✓")]])
@pytest.mark.parametrize("findings", [[], [ODD, FIXED, SAFE]])
def test_streamed_sarif_is_json_dumps_of_the_log(
    findings: list[Finding], suppressed: list[tuple[Finding, str, str]]
) -> None:
    from socklock.harden.registry import RULES
    from socklock.report.sarif import iter_sarif

    pieces = list(iter_sarif(iter(findings), iter(suppressed), RULES[:3], version="1.0"))
    text = "".join(pieces)
    log = json.loads(text)
    assert text == json.dumps(log, indent=2) + "\n"  # the layout of one json.dumps
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [f.rule_id for f in findings] + [
        f.rule_id for f, _, _ in suppressed
    ]
    assert len(pieces) == len(results) + 2  # the head, a piece per result, the tail
