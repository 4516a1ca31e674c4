"""Helpers the test modules share (not fixtures: plain functions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write each ``relative path → text`` under ``root`` (folders made as needed); ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


_DEPLOYMENT_WITH_SERVICE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: %(name)s}
spec:
  selector: {matchLabels: {app: %(name)s}}
  template:
    metadata: {labels: {app: %(name)s}}
    spec:
      containers:
      - name: %(name)s
        image: shop/%(name)s:1
        ports: [{containerPort: %(port)s}]
%(env)s
---
apiVersion: v1
kind: Service
metadata: {name: %(name)s-svc}
spec:
  selector: {app: %(name)s}
  ports: [{port: 80, targetPort: %(port)s}]
"""


def deployment_with_service(name: str, port: int, env: str = "") -> str:
    """A Deployment ``name`` listening on ``port`` (its container's lines ``env`` appended:
    ``env:``/``envFrom:`` blocks) and the Service ``<name>-svc`` on port 80 in front of it."""
    return _DEPLOYMENT_WITH_SERVICE % {"name": name, "port": port, "env": env.rstrip("\n")}
