"""A workload's own Service in its mounted config or its command line is the address it
listens on or advertises (an OTLP receiver's ``endpoint: tempo:4317``), not a call; the
same address in another workload's config is one."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

_MANIFESTS = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: tempo-conf}
data:
  tempo.yaml: |
    distributor:
      receivers:
        otlp:
          protocols:
            grpc:
              endpoint: tempo:4317
---
apiVersion: v1
kind: ConfigMap
metadata: {name: grafana-conf}
data:
  sources.yaml: |
    datasources:
      - url: http://tempo:3200
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tempo}
spec:
  selector: {matchLabels: {app: tempo}}
  template:
    metadata: {labels: {app: tempo}}
    spec:
      containers:
      - name: tempo
        image: grafana/tempo
        args: ["-config.file=/conf/tempo.yaml", "--advertise=tempo:3200"]
        ports: [{containerPort: 3200}, {containerPort: 4317}]
        volumeMounts: [{name: conf, mountPath: /conf}]
      volumes:
      - name: conf
        configMap: {name: tempo-conf}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: grafana}
spec:
  selector: {matchLabels: {app: grafana}}
  template:
    metadata: {labels: {app: grafana}}
    spec:
      containers:
      - name: grafana
        image: shop/dashboards
        volumeMounts: [{name: conf, mountPath: /etc/dashboards}]
      volumes:
      - name: conf
        configMap: {name: grafana-conf}
---
apiVersion: v1
kind: Service
metadata: {name: tempo}
spec:
  selector: {app: tempo}
  ports: [{name: http, port: 3200}, {name: otlp, port: 4317}]
"""


def test_own_service_in_mounted_config_and_flags_is_no_call(tmp_path: Path) -> None:
    (tmp_path / "all.yaml").write_text(_MANIFESTS)
    graph = discover(load_paths([str(tmp_path)]), code=False)
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("default/grafana", "default/tempo", 3200)
    }
