"""The streamed verify document (no pydantic) is the schema's document, byte for byte."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from tests.policy.truth import FIXTURES

from socklock.load import load_paths
from socklock.model import ServiceGraph
from socklock.policy import analyse
from socklock.report.connectivity_document import verification
from socklock.report.connectivity_json import write_verification
from socklock.schemas import CONNECTIVITY
from socklock.schemas.connectivity import SCHEMA

CLUSTER = FIXTURES / "_cluster"


def _intent(tmp_path: Path) -> ServiceGraph:
    from socklock.intent import read_intent

    document = {
        "schema": "socklock/graph/v1",
        "workloads": [{"id": f"{n}/{p}", "kind": "Pod"} for n in "xyz" for p in "abc"],
        "edges": [
            {"from": "x/b", "to": "x/a", "port": 80, "protocol": "TCP"},
            {"from": "x/c", "to": "x/a", "port": 80, "protocol": "TCP"},
            {"from": "y/a", "to": "x/a", "port": 9, "protocol": "TCP"},
        ],
    }
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(document))
    inventory = load_paths([str(CLUSTER), str(FIXTURES / "19-rules-are-a-union")])
    return read_intent(str(path), inventory)


@pytest.mark.parametrize("with_intent", [False, True])
@pytest.mark.parametrize("summary", [False, True])
def test_streamed_document_is_the_models_document(
    tmp_path: Path, with_intent: bool, summary: bool
) -> None:
    inventory = load_paths([str(CLUSTER), str(FIXTURES / "19-rules-are-a-union")])
    connectivity = analyse(inventory)
    intent = _intent(tmp_path) if with_intent else None
    out = io.BytesIO()
    write_verification(connectivity, intent, out, summary=summary)
    document, _, _ = verification(connectivity, intent, summary=summary)
    expected = document.model_dump_json(by_alias=True).encode()
    streamed = out.getvalue()
    assert streamed.replace(b"\n", b"") == expected  # the same bytes but the line breaks
    parsed = json.loads(streamed)
    assert (len(parsed["missing"]), len(parsed["unprotected"])) == (
        (2, 9) if with_intent else (0, 9)
    )


def test_streamed_document_with_nothing_unprotected(tmp_path: Path) -> None:
    lockdown = (FIXTURES / "40-pod-reaches-itself" / "policies.yaml").read_text()
    policies = tmp_path / "p.yaml"
    policies.write_text(
        "---\n".join(lockdown.replace("namespace: x", f"namespace: {ns}") for ns in "xyz")
    )
    connectivity = analyse(load_paths([str(CLUSTER), str(policies)]))
    out = io.BytesIO()
    write_verification(connectivity, None, out)
    document, _, _ = verification(connectivity, None)
    assert out.getvalue().replace(b"\n", b"") == document.model_dump_json(by_alias=True).encode()
    assert b',\n"unprotected":[],\n"missing":[]' in out.getvalue()


def test_the_schema_id_is_the_models() -> None:
    assert CONNECTIVITY == SCHEMA == "socklock/connectivity/v1"


def test_the_streamed_writer_imports_no_pydantic() -> None:
    import subprocess

    code = (
        "import sys; import socklock.report.connectivity_json; "
        "print(sorted(m for m in sys.modules if m.startswith('pydantic')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"
