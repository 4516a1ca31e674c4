"""A JVM build's Kubernetes fragments (Quarkus ``src/main/kubernetes/``, JKube
``src/main/jkube/``) are read with Jackson, which converts a number or boolean where a string
is due: no error there. The same value in a manifest kubectl applies stays an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.load import load_paths

_FRAGMENT = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: fights-config}
data:
  quarkus.grpc.clients.locations.port: 80
  quarkus.migrate-at-start: false
  quarkus.host: locations
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: fights}
spec:
  selector: {matchLabels: {app: fights}}
  template:
    metadata: {labels: {app: fights}}
    spec:
      containers:
        - name: fights
          image: shop/fights
          env: [{name: SKIP_TEST_DB, value: true}]
"""


@pytest.mark.parametrize("where", ["fights/src/main/kubernetes", "fights/src/main/jkube"])
def test_a_build_fragment_converts_scalars_as_jackson_does(tmp_path: Path, where: str) -> None:
    (tmp_path / where).mkdir(parents=True)
    (tmp_path / where / "kubernetes.yml").write_text(_FRAGMENT)
    inventory = load_paths([str(tmp_path)])
    assert inventory.diagnostics == ()
    assert dict(inventory.config_maps[0].data) == {
        "quarkus.grpc.clients.locations.port": "80",
        "quarkus.migrate-at-start": "false",
        "quarkus.host": "locations",
    }
    env = inventory.workloads[0].containers[0].env
    assert [(e.name, e.value) for e in env] == [("SKIP_TEST_DB", "true")]


def test_the_same_values_in_a_manifest_are_errors(tmp_path: Path) -> None:
    (tmp_path / "k8s" / "main" / "kubernetes").mkdir(parents=True)
    (tmp_path / "k8s" / "main" / "kubernetes" / "app.yaml").write_text(_FRAGMENT)
    inventory = load_paths([str(tmp_path)])
    assert sorted(d.message for d in inventory.errors) == [
        "ConfigMap default/fights-config: data.quarkus.grpc.clients.locations.port must be a "
        "string (quote 80)",
        "ConfigMap default/fights-config: data.quarkus.migrate-at-start must be a string "
        "(quote False)",
        "Deployment default/fights: env SKIP_TEST_DB: value must be a string (quote True)",
    ]
