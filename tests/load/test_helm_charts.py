"""A Helm chart is named once with the command to pipe; its templates are never errors."""

from __future__ import annotations

from pathlib import Path

from socklock.load import load_paths
from socklock.load.summary import skip_lines

TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
        - name: web
          image: "{{ .Values.image }}"
{{- with .Values.env }}
          env: {{ toYaml . | nindent 12 }}
{{- end }}
"""


def chart(root: Path) -> Path:
    files = {
        "Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
        "values.yaml": "replicas: 1\nimage: web:1\n",
        "values-prod.yaml": "replicas: 3\n",
        "values.schema.json": '{"type": "object"}\n',
        "templates/deployment.yaml": TEMPLATE,
        "templates/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
        "templates/_helpers.tpl": '{{- define "shop.fullname" -}}web{{- end }}\n',
        "templates/NOTES.txt": "Visit {{ .Values.url }}\n",
        "templates/tests/test-connection.yaml": TEMPLATE,
        "charts/redis/Chart.yaml": "apiVersion: v2\nname: redis\nversion: 1.0.0\n",
        "charts/redis/templates/redis.yaml": TEMPLATE,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_a_chart_is_named_once_and_its_templates_are_skipped(tmp_path: Path) -> None:
    root = chart(tmp_path / "shop")
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root}/Chart.yaml: warning: a Helm chart: its templates are not read (socklock does "
        f"not render Helm); to read its objects: helm template shop {root} | socklock scan -"
    ]  # the subchart is rendered with its parent: not named again
    assert inventory.errors == () and inventory.workloads == ()
    assert [line.replace(str(root), "R") for line in skip_lines(inventory.skipped)] == [
        "R/Chart.yaml: skipped: known non-manifest file",
        "R/charts/redis/Chart.yaml: skipped: known non-manifest file",
        "R/charts/redis/templates/redis.yaml: skipped: Helm template",
        "R/templates/deployment.yaml: skipped: Helm template",
        "R/templates/service.yaml: skipped: Helm template",
        "R/templates/tests/test-connection.yaml: skipped: Helm template",
        "R/values-prod.yaml: skipped: YAML without apiVersion/kind",
        "R/values.schema.json: skipped: JSON without apiVersion/kind",
        "R/values.yaml: skipped: known non-manifest file",
    ]


def test_a_charts_templates_given_alone_name_the_chart(tmp_path: Path) -> None:
    root = chart(tmp_path / "shop")
    inventory = load_paths([str(root / "templates")])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root}/Chart.yaml: warning: a Helm chart: its templates are not read (socklock does "
        f"not render Helm); to read its objects: helm template shop {root} | socklock scan -"
    ]


def test_a_templates_directory_without_a_chart_is_not_a_chart(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n"
    )
    inventory = load_paths([str(root)])
    assert inventory.diagnostics == ()
    assert [s.name for s in inventory.services] == ["web"]
