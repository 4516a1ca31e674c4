"""Kubernetes loading: every workload kind, Service, Namespace, ConfigMap, Secret, lists."""

from __future__ import annotations

import json
from pathlib import Path

from socklock.load import load_paths
from socklock.model import ContainerRole, EnvFromKind, EnvSourceKind, Protocol

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: carts
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: carts}
  template:
    metadata:
      labels:
        app: carts
    spec:
      serviceAccountName: carts-sa
      securityContext:
        runAsNonRoot: true
      initContainers:
      - name: wait
        image: busybox:1.36
      containers:
      - name: carts
        image: shop/carts:1.0
        ports:
        - containerPort: 8080
          name: http
        - containerPort: 9090
          protocol: UDP
        env:
        - name: DB
          value: mongodb://carts-db:27017/data
        - name: PASSWORD
          valueFrom:
            secretKeyRef: {name: carts-db, key: password}
        - name: MODE
          valueFrom:
            configMapKeyRef: {name: carts-config, key: mode}
        envFrom:
        - configMapRef: {name: carts-config}
          prefix: CFG_
        securityContext:
          readOnlyRootFilesystem: true
        volumeMounts:
        - {name: tmp, mountPath: /tmp}
      volumes:
      - name: tmp
        emptyDir: {}
"""


def test_deployment_pod_template(write) -> None:  # type: ignore[no-untyped-def]
    path = write("carts.yaml", DEPLOYMENT)
    inventory = load_paths([str(path)])
    assert inventory.diagnostics == ()
    (workload,) = inventory.workloads
    assert workload.id == "shop/carts"
    assert workload.kind == "Deployment"
    assert workload.replicas == 3
    assert dict(workload.labels) == {"app": "carts"}
    assert workload.service_account == "carts-sa"
    assert workload.pod_spec_path == ("spec", "template", "spec")
    assert workload.location.line == 1
    main, init = workload.containers
    assert (init.role, init.name, init.path) == (
        ContainerRole.INIT,
        "wait",
        ("spec", "template", "spec", "initContainers", 0),
    )
    assert main.role is ContainerRole.CONTAINER
    assert [(p.container_port, p.protocol, p.name) for p in main.ports] == [
        (8080, Protocol.TCP, "http"),
        (9090, Protocol.UDP, None),
    ]
    assert main.ports[0].location is not None and main.ports[0].location.line == 25
    db, password, mode = main.env
    assert (db.name, db.value, db.location.line) == ("DB", "mongodb://carts-db:27017/data", 30)
    assert password.source is not None and password.source.kind is EnvSourceKind.SECRET_KEY
    assert (password.source.name, password.source.key) == ("carts-db", "password")
    assert mode.source is not None and mode.source.kind is EnvSourceKind.CONFIG_MAP_KEY
    (env_from,) = main.env_from
    assert (env_from.kind, env_from.name, env_from.prefix) == (
        EnvFromKind.CONFIG_MAP,
        "carts-config",
        "CFG_",
    )
    assert main.security_context == {"readOnlyRootFilesystem": True}
    assert main.volume_mounts[0].mount_path == "/tmp"
    assert workload.pod_spec["securityContext"] == {"runAsNonRoot": True}
    assert workload.ports == main.ports


def _workload_doc(kind: str, api: str, spec_prefix: str) -> str:
    return f"""\
apiVersion: {api}
kind: {kind}
metadata: {{name: w-{kind.lower()}}}
spec:
{spec_prefix}
"""


def test_every_workload_kind(write) -> None:  # type: ignore[no-untyped-def]
    pod_spec = "containers: [{name: c, image: i:1, ports: [{containerPort: 80}]}]"
    template = f"  template:\n    metadata: {{labels: {{k: v}}}}\n    spec: {{{pod_spec}}}"
    docs = [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: w-pod, labels: {k: v}}\n"
        f"spec: {{{pod_spec}}}\n",
        _workload_doc("Deployment", "apps/v1", template),
        _workload_doc("StatefulSet", "apps/v1", template),
        _workload_doc("DaemonSet", "apps/v1", template),
        _workload_doc("ReplicaSet", "apps/v1", template),
        _workload_doc("ReplicationController", "v1", template),
        _workload_doc("Job", "batch/v1", template),
        _workload_doc("Rollout", "argoproj.io/v1alpha1", template),
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: w-cronjob}\nspec:\n"
        "  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n"
        + "\n".join("    " + line for line in template.splitlines())
        + "\n",
    ]
    path = write("all.yaml", "---\n".join(docs))
    inventory = load_paths([str(path)])
    assert inventory.diagnostics == ()
    assert sorted(w.kind for w in inventory.workloads) == sorted(
        [
            "Pod",
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "ReplicationController",
            "Job",
            "CronJob",
            "Rollout",
        ]
    )
    for workload in inventory.workloads:
        # the Job controller labels a Job's pods with its name (a CronJob's runs each have one)
        job = {"batch.kubernetes.io/job-name": "w-job", "job-name": "w-job"}
        assert dict(workload.labels) == {"k": "v", **(job if workload.kind == "Job" else {})}
        assert [p.container_port for p in workload.ports] == [80], workload.kind
        assert workload.namespace == "default"
    cron = next(w for w in inventory.workloads if w.kind == "CronJob")
    assert cron.pod_spec_path == ("spec", "jobTemplate", "spec", "template", "spec")


def test_a_rollout_of_a_deployment_or_of_another_api_runs_no_template(write) -> None:  # type: ignore[no-untyped-def]
    docs = [
        # Argo Rollouts' workloadRef: the Deployment it names is the workload
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: api}\nspec:\n"
        "  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n",
        # a Rollout kind of some other API group is not Argo's
        "apiVersion: example.com/v1\nkind: Rollout\nmetadata: {name: other}\nspec:\n"
        "  template: {spec: {containers: [{name: c, image: i:1}]}}\n",
    ]
    path = write("rollouts.yaml", "---\n".join(docs))
    inventory = load_paths([str(path)])
    assert inventory.diagnostics == ()
    assert inventory.workloads == ()


def test_service_namespace_configmap_secret_ingress_sa(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "misc.yaml",
        """\
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: a}}
---
apiVersion: v1
kind: Service
metadata: {name: carts, namespace: shop}
spec:
  type: NodePort
  selector: {app: carts}
  ports:
  - {port: 80, targetPort: http, nodePort: 30001}
  - {port: 81, targetPort: 8081, protocol: UDP}
  - {port: 82}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
data:
  url: http://carts
---
apiVersion: v1
kind: Secret
metadata: {name: s, namespace: shop}
data:
  password: c2VjcmV0
stringData:
  token: plain-secret
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  defaultBackend: {service: {name: carts, port: {number: 80}}}
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: carts, port: {name: web}}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: carts-sa, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: shop}
""",
    )
    inventory = load_paths([str(path)])
    assert inventory.diagnostics == ()
    (namespace,) = inventory.namespaces
    assert dict(namespace.labels) == {"team": "a", "kubernetes.io/metadata.name": "shop"}
    (service,) = inventory.services
    assert service.type == "NodePort" and service.is_entry_point
    assert [(p.port, p.target_port, p.protocol, p.node_port) for p in service.ports] == [
        (80, "http", Protocol.TCP, 30001),
        (81, 8081, Protocol.UDP, None),
        (82, 82, Protocol.TCP, None),
    ]
    (config_map,) = inventory.config_maps
    assert dict(config_map.data) == {"url": "http://carts"}
    assert config_map.data_locations["url"].line == 20
    (secret,) = inventory.secrets
    assert secret.keys == ("password", "token")
    assert "c2VjcmV0" not in repr(secret) and "plain-secret" not in repr(secret)
    (ingress,) = inventory.ingresses
    assert [(b.service, b.port, b.host) for b in ingress.backends] == [
        ("carts", 80, None),
        ("carts", "web", "shop.example.com"),
    ]
    (account,) = inventory.service_accounts
    assert account.automount_token is False
    assert [o.kind for o in inventory.objects][-1] == "Widget"  # unknown kinds are kept


def test_kubectl_list_json_with_owner_references(tmp_path: Path) -> None:
    dump = {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": "front-end-5d8f9c7b6-abcde",
                    "namespace": "shop",
                    "labels": {"app": "front-end", "pod-template-hash": "5d8f9c7b6"},
                    "ownerReferences": [
                        {"kind": "ReplicaSet", "name": "front-end-5d8f9c7b6", "controller": True}
                    ],
                },
                "spec": {"containers": [{"name": "c", "image": "i"}]},
                "status": {"podIP": "10.0.0.7", "podIPs": [{"ip": "10.0.0.7"}, {"ip": "fd00::7"}]},
            }
        ],
    }
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(dump, indent=2))
    inventory = load_paths([str(path)])
    assert inventory.diagnostics == ()
    (pod,) = inventory.workloads
    assert pod.owner == ("Deployment", "front-end")
    assert pod.pod_ips == ("10.0.0.7", "fd00::7")
    assert pod.location.line == 5  # positions survive JSON input


def test_typed_list_items_take_their_kind(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "svc.yaml",
        """\
apiVersion: v1
kind: ServiceList
items:
- metadata: {name: a}
  spec: {selector: {app: a}, ports: [{port: 80}]}
""",
    )
    inventory = load_paths([str(path)])
    assert [s.id for s in inventory.services] == ["default/a"]


def test_a_job_with_a_manual_selector_gets_no_controller_labels(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec:\n"
        "  manualSelector: true\n  selector: {matchLabels: {k: v}}\n"
        "  template:\n    metadata: {labels: {k: v}}\n"
        "    spec: {restartPolicy: Never, containers: [{name: c, image: i}]}\n",
    )
    (job,) = load_paths([str(path)]).workloads
    assert dict(job.labels) == {"k": "v"}
