"""A manifest whose name or namespace is a placeholder a script fills in before applying it
(``sed s/<K8S_NAMESPACE>/…/``, ``envsubst``) is an unrendered template: skipped and counted,
never an error. A name that is merely invalid stays an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.load import load_paths
from socklock.model import SkipKind

_JOB = """\
# filled in by the benchmark script
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  namespace: {namespace}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: bench, image: shop/bench}}]
"""


@pytest.mark.parametrize(
    ("name", "namespace"),
    [
        ("bench", "<K8S_NAMESPACE>"),
        ("bench", "'${NAMESPACE}'"),
        ("bench", "${NS:-shop}"),
        ("bench", "$NS"),
        ("__JOB_NAME__", "shop"),
        ("'{{ item }}'", "shop"),  # an Ansible role's template: quoted, so it parses
        ("bench", '"shop-{{ env }}"'),
    ],
)
def test_a_placeholder_name_or_namespace_is_a_template(
    tmp_path: Path, name: str, namespace: str
) -> None:
    (tmp_path / "job.yaml").write_text(_JOB.format(name=name, namespace=namespace))
    inventory = load_paths([str(tmp_path)])
    assert (inventory.diagnostics, inventory.workloads) == ((), ())
    assert [(Path(s.path).name, s.kind) for s in inventory.skipped] == [
        ("job.yaml", SkipKind.TEMPLATE)
    ]


@pytest.mark.parametrize("namespace", ["Shop_Prod", "<not a placeholder>", "$ns", "{ item }"])
def test_an_invalid_namespace_that_is_no_placeholder_stays_an_error(
    tmp_path: Path, namespace: str
) -> None:
    (tmp_path / "job.yaml").write_text(_JOB.format(name="bench", namespace=f"'{namespace}'"))
    inventory = load_paths([str(tmp_path)])
    assert [d.message.partition(" is invalid")[0] for d in inventory.errors] == [
        f"Job: metadata.namespace '{namespace}'"
    ]
