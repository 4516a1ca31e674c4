"""A build unit matched to the workload whose container is named after it with a program
word (``converter-api`` runs the ``converter`` unit) when nothing else names it: the
Deployment is ``converter-deployment`` and the image ``hub/shop-converter``."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import add_nodes
from socklock.discover.builder import GraphBuilder
from socklock.discover.identity import Identities
from socklock.load import load_paths

_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
      - name: {container}
        image: hub/shop-{unit}
"""


def _twins(tmp_path: Path, workloads: list[tuple[str, str, str]]) -> dict[str, str]:
    (tmp_path / "deploy").mkdir()
    for name, container, unit in workloads:
        text = _DEPLOYMENT.format(name=name, container=container, unit=unit)
        (tmp_path / "deploy" / f"{name}.yaml").write_text(text)
        (tmp_path / "services" / unit).mkdir(parents=True, exist_ok=True)
        (tmp_path / "services" / unit / "Dockerfile").write_text("FROM python:3.12\nCOPY . .\n")
        (tmp_path / "services" / unit / "worker.py").write_text("import os\n")
    inventory = load_paths([str(tmp_path)])
    identities = Identities(inventory, add_nodes(inventory, GraphBuilder()))
    return {unit.name: twin for unit, twin in identities.twins.items()}


def test_a_container_named_unit_dash_api_runs_the_unit(tmp_path: Path) -> None:
    twins = _twins(
        tmp_path,
        [
            ("converter-deployment", "converter-api", "converter"),
            ("mailer-deployment", "mailer", "mailer"),
        ],
    )
    assert twins == {
        "converter": "default/converter-deployment",
        "mailer": "default/mailer-deployment",
    }


def test_a_core_two_workloads_share_names_neither(tmp_path: Path) -> None:
    twins = _twins(
        tmp_path,
        [("one-deployment", "worker-api", "worker"), ("two-deployment", "worker-app", "worker")],
    )
    assert twins == {}
