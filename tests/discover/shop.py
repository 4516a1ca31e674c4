"""A two-workload shop (web calls api) that code-join tests write into a temporary dir."""

from __future__ import annotations

from pathlib import Path


def workload(
    name: str,
    *,
    port: int = 8080,
    service_port: int | None = None,
    protocol: str = "TCP",
    env: str = "",
    env_from: str | None = None,
    port_name: str | None = None,
) -> str:
    """A Deployment of ``name`` in namespace shop listening on ``port``, and its Service
    (on ``service_port``, default the same port); ``env_from``: a ConfigMap it loads whole;
    ``port_name``: the container port's name, which the Service then targets."""
    loads = f"\n        envFrom: [{{configMapRef: {{name: {env_from}}}}}]" if env_from else ""
    served = port if service_port is None else service_port
    named = f"name: {port_name}, " if port_name else ""
    target = port_name or port
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: shop}}
spec:
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
      - name: {name}
        image: shop/{name}:1
        ports: [{{{named}containerPort: {port}, protocol: {protocol}}}]{loads}
        env: [{env}]
---
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: shop}}
spec:
  selector: {{app: {name}}}
  ports: [{{port: {served}, targetPort: {target}, protocol: {protocol}}}]
"""


def write_shop(
    root: Path, web_env: str, code: str, code_dir: str = "web", file: str = "app.py"
) -> None:
    """k8s/web.yaml (with ``web_env``) and k8s/api.yaml, and web's code in a build context
    (``code_dir`` with a Dockerfile) so it is attributed to shop/web."""
    (root / "k8s").mkdir(parents=True)
    for name, env in (("web", web_env), ("api", "")):
        text = workload(name, service_port=80, port_name="http", env=env)
        (root / "k8s" / f"{name}.yaml").write_text(text)
    directory = root / code_dir
    directory.mkdir(parents=True)
    (directory / "Dockerfile").write_text(f"FROM python:3.12\nCOPY {file} .\n")
    (directory / file).write_text(code)
