"""A null optional field of an API object reads as an absent one, as the API server reads it.

``targetPort:`` with nothing after it is YAML null; the API server decodes it as no value and
then defaults it, so the input is valid and must not stop a run."""

from __future__ import annotations

from pathlib import Path

from socklock.load import load_paths
from socklock.load.fields import given
from socklock.model import Protocol

SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports:
    - name: web
      port: 80
      targetPort:
      protocol:
    - name: rpc
      port: 666
      targetPort: 666
    - name: blank
      port: 90
      targetPort: ""
"""


def test_null_target_port_defaults_to_the_port(write) -> None:  # type: ignore[no-untyped-def]
    path = write("svc.yaml", SERVICE)
    inventory = load_paths([str(path)])
    assert inventory.diagnostics == ()
    (service,) = inventory.services
    assert [(p.name, p.port, p.target_port, p.protocol) for p in service.ports] == [
        ("web", 80, 80, Protocol.TCP),
        ("rpc", 666, 666, Protocol.TCP),
        ("blank", 90, 90, Protocol.TCP),
    ]


def test_a_wrong_target_port_is_still_an_error(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n"
        "  ports:\n    - port: 80\n      targetPort: true\n",
    )
    inventory = load_paths([str(path)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{path}:7:7: error: Service default/api: targetPort must be a number or a port name"
    ]


def test_null_ingress_service_port_reads_as_absent(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "ing.yaml",
        "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web}\nspec:\n"
        "  backend: {serviceName: api, servicePort: null}\n",
    )
    (ingress,) = load_paths([str(path)]).ingresses
    assert [(b.service, b.port) for b in ingress.backends] == [("api", 80)]


def test_given_reads_null_as_absent_and_keeps_false() -> None:
    node = {"a": None, "b": False, "c": 0, "d": "x"}
    assert [given(node, key, "default") for key in ("a", "b", "c", "d", "e")] == [
        "default",
        False,
        0,
        "x",
        "default",
    ]


def test_null_owner_reference_controller_reads_as_absent(tmp_path: Path) -> None:
    """A dumped Pod whose owner reference says ``controller: null`` joins its owner as one
    without the field does."""
    path = tmp_path / "pods.yaml"
    path.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: i}]}\n"
        "---\n"
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-abc\n  labels: {app: web}\n"
        "  ownerReferences:\n    - {kind: Deployment, name: web, controller: null}\n"
        "spec: {containers: [{name: c, image: i}]}\n"
    )
    absent = path.read_text().replace(", controller: null", "")
    other = tmp_path / "absent" / "pods.yaml"
    other.parent.mkdir()
    other.write_text(absent)
    null_owners = [w.owner for w in load_paths([str(path)]).workloads]
    absent_owners = [w.owner for w in load_paths([str(other)]).workloads]
    assert null_owners == absent_owners == [None, ("Deployment", "web")]
