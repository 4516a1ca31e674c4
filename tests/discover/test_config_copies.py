"""Several copies of one ConfigMap in a repository: a workload reads the copy written nearest
it (its own file, else the deepest folder both share); copies equally near are all read."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.discover.config_copies import nearest
from socklock.load import load_paths

RELEASE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {front}, namespace: app}}
spec:
  template:
    metadata: {{labels: {{app: {front}}}}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        envFrom: [{{configMapRef: {{name: settings}}}}]
        volumeMounts: [{{name: conf, mountPath: /etc/nginx/conf.d}}]
      volumes: [{{name: conf, configMap: {{name: front-nginx}}}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: front-nginx, namespace: app}}
data:
  default.conf: |
    server {{ location / {{ proxy_pass http://{api}:8080; }} }}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: settings, namespace: app}}
data:
  REDIS_URL: redis://{cache}:6379
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {api}, namespace: app}}
spec:
  template:
    metadata: {{labels: {{app: {api}}}}}
    spec:
      containers: [{{name: api, image: api:1, ports: [{{containerPort: 8080}}]}}]
---
apiVersion: v1
kind: Service
metadata: {{name: {api}, namespace: app}}
spec:
  selector: {{app: {api}}}
  ports: [{{port: 8080}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {cache}, namespace: app}}
spec:
  template:
    metadata: {{labels: {{app: {cache}}}}}
    spec:
      containers: [{{name: redis, image: redis:7, ports: [{{containerPort: 6379}}]}}]
---
apiVersion: v1
kind: Service
metadata: {{name: {cache}, namespace: app}}
spec:
  selector: {{app: {cache}}}
  ports: [{{port: 6379}}]
"""


def _release(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    text = RELEASE.format(front=f"front-{n}", api=f"api-{n}", cache=f"cache-{n}")
    (folder / "install.yaml").write_text(text)


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


def test_each_release_reads_the_copies_in_its_own_file(tmp_path: Path) -> None:
    """Two releases' install manifests, each a frontend beside its nginx ConfigMap and its
    env ConfigMap of the same names: each frontend proxies to its own release's API and gets
    its own release's Redis, not the other's (a cluster holds one object per name)."""
    _release(tmp_path / "docs" / "1.0", 1)
    _release(tmp_path / "docs" / "2.0", 2)
    assert _edges(tmp_path) == {
        ("app/front-1", "app/api-1", 8080),
        ("app/front-1", "app/cache-1", 6379),
        ("app/front-2", "app/api-2", 8080),
        ("app/front-2", "app/cache-2", 6379),
    }


def test_copies_equally_near_are_all_read(tmp_path: Path) -> None:
    """The look-alike: a frontend in a folder of its own and two copies of its ConfigMap in
    two sibling folders, neither nearer: which one a cluster holds is not in the input, so
    both are read (the env value is the last copy's, as applying them in order leaves it)."""
    _release(tmp_path / "a", 1)
    _release(tmp_path / "b", 2)
    front = (tmp_path / "a" / "install.yaml").read_text().split("---\n")
    (tmp_path / "a" / "install.yaml").write_text("---\n".join(front[1:]))
    (tmp_path / "front").mkdir()
    (tmp_path / "front" / "deploy.yaml").write_text(front[0])
    edges = _edges(tmp_path)
    assert {e for e in edges if e[0] == "app/front-1"} == {
        ("app/front-1", "app/api-1", 8080),
        ("app/front-1", "app/api-2", 8080),
        ("app/front-1", "app/cache-2", 6379),
    }


def test_nearest_prefers_the_deepest_shared_folder(tmp_path: Path) -> None:
    """Without a copy in the workload's file, the copy under the deepest folder it shares
    with the workload is read; a single copy is read wherever it is."""
    from socklock.model import ConfigMap, K8sObject, Location

    def copy(file: str) -> ConfigMap:
        obj = K8sObject("v1", "ConfigMap", "c", "app", {}, {}, {}, Location(file, 1, 1))
        return ConfigMap(obj, {}, {})

    near, middle, far = copy("/r/k8s/prod/c.yaml"), copy("/r/k8s/c.yaml"), copy("/r/x/c.yaml")
    assert nearest([far, middle, near], "/r/k8s/prod/app.yaml") == (near,)
    assert nearest([far, middle], "/r/k8s/prod/app.yaml") == (middle,)
    assert nearest([far], "/r/k8s/prod/app.yaml") == (far,)
