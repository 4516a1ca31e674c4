"""A web server's own address, handed with the rest of its settings to the other
processes of its image (Celery workers sharing an env block), is not their call; the same
address given to another program, or to a sibling alone, is."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

_COMPOSE = """\
x-settings: &settings
  SITE_URL: http://web:8000
  CACHE_URL: redis://cache:6379/0
services:
  web:
    image: org/site:1.0
    environment: *settings
    expose: [8000]
  worker:
    image: org/site:1.0
    command: worker
    environment: *settings
  beat:
    image: org/site:1.0
    command: beat
    environment:
      <<: *settings
      API_URL: http://web:8000/api
  proxy:
    image: caddy:2
    environment: *settings
  cache:
    image: redis:7
"""


def test_a_shared_self_address_is_not_a_sibling_call(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(_COMPOSE)
    graph = discover(load_paths([str(tmp_path)]))
    project = tmp_path.name
    edges = {
        (e.source.split("/")[1], e.target.split("/")[1], e.port)
        for e in graph.edges
        if e.port is not None
    }
    assert edges == {
        ("web", "cache", 6379),
        ("worker", "cache", 6379),
        ("beat", "cache", 6379),
        ("beat", "web", 8000),  # a variable web is not given: the worker's own call
        ("proxy", "web", 8000),  # another program: a client of web
        ("proxy", "cache", 6379),
    }
    assert all(e.source.startswith(f"{project}/") for e in graph.edges)


_DEPLOYMENT = """\
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
      - name: c
        image: {image}
        args: {args}
        envFrom: [{{configMapRef: {{name: settings}}}}]
        ports: [{{containerPort: 8000}}]
"""


def test_kubernetes_workloads_of_one_image_sharing_a_config_map(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
        "data: {SITE_URL: 'http://web:8000'}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
        "spec: {selector: {app: web}, ports: [{port: 8000}]}\n"
    )
    for name, image, args in (
        ("web", "org/site:1", "[]"),
        ("worker", "org/site:1", "[worker]"),
        ("peer", "org/site:1", "[]"),  # another server of the image: not a worker of web's
        ("proxy", "caddy:2", "[]"),
    ):
        text += _DEPLOYMENT.format(name=name, image=image, args=args)
    (tmp_path / "app.yaml").write_text(text)
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("default/proxy", "default/web", 8000),
        ("default/peer", "default/web", 8000),
    }


def test_workers_running_the_code_of_the_image_do_not_call_its_own_address(
    tmp_path: Path,
) -> None:
    """The image's source directory (named like the image) is the code of the web server
    and of each worker running that image: all reach the cache; the server's own address
    the code reads is no worker's call."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "Dockerfile").write_text("FROM python:3.12\nCOPY . /app\n")
    (tmp_path / "site" / "settings.py").write_text(
        "import os\n"
        'SITE_URL = os.getenv("SITE_URL", "http://web:8000")\n'
        'CACHE_URL = os.getenv("CACHE_URL", "redis://cache:6379/0")\n'
    )
    compose = _COMPOSE.replace("  proxy:\n    image: caddy:2\n    environment: *settings\n", "")
    compose = compose.replace("      API_URL: http://web:8000/api\n", "      DEBUG: '1'\n")
    (tmp_path / "compose.yaml").write_text(compose)
    graph = discover(load_paths([str(tmp_path)]))
    edges = {
        (e.source.split("/")[1], e.target.split("/")[1], e.port)
        for e in graph.edges
        if e.port is not None
    }
    assert edges == {("web", "cache", 6379), ("worker", "cache", 6379), ("beat", "cache", 6379)}
    code = {
        e.source.split("/")[1]
        for e in graph.edges
        if any(v.location.file.endswith(".py") for v in e.evidence)
    }
    assert code == {"web", "worker", "beat"}
