"""ConfigMaps and Secrets kustomize generators make (``secretGenerator``/``configMapGenerator``
literals, env files, files): the workload that reads them through ``envFrom`` or a key
reference gets their values as env, rendered (the name with its content hash) or read as
written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.helpers import deployment_with_service as _deployment
from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

_ENV_FROM = "        envFrom:\n        - secretRef: {name: orders-secret}\n"
_KEY_REF = (
    "        env:\n        - name: STOCK_URL\n"
    "          valueFrom: {secretKeyRef: {name: billing-secret, key: stock}}\n"
)
_BASE = """\
resources: [orders.yaml, billing.yaml, stock.yaml, rabbit.yaml, pay.yaml]
"""
_OVERLAY = """\
namespace: shop-dev
resources: [../../base]
secretGenerator:
- name: orders-secret
  literals:
  - BUS_URL=amqp://rabbit-svc:80
  - DB_PASSWORD=password
  envs: [orders.env]
- name: billing-secret
  literals: ["stock=http://stock-svc:80"]
"""
_ENV = "# orders\nBILLING_URL=http://billing-svc:80\n"


def _app(tmp_path: Path, overlay: str = _OVERLAY) -> None:
    _write(
        tmp_path,
        {
            "k8s/base/kustomization.yaml": _BASE,
            "k8s/base/orders.yaml": _deployment("orders", 8080, _ENV_FROM),
            "k8s/base/billing.yaml": _deployment("billing", 9000, _KEY_REF),
            "k8s/base/stock.yaml": _deployment("stock", 7000),
            "k8s/base/rabbit.yaml": _deployment("rabbit", 5672),
            "k8s/base/pay.yaml": _deployment("pay", 6000),
            "k8s/overlays/dev/kustomization.yaml": overlay,
            "k8s/overlays/dev/orders.env": _ENV,
        },
    )


def _edges(path: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(path)]))
    return {(e.source, e.target, e.port) for e in graph.edges}


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")
def test_a_rendered_generated_secret_gives_its_literals_and_env_file(tmp_path: Path) -> None:
    _app(tmp_path)
    graph = discover(load_paths([str(tmp_path / "k8s/overlays/dev")]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("shop-dev/orders", "shop-dev/rabbit", 5672),
        ("shop-dev/orders", "shop-dev/billing", 9000),
        ("shop-dev/billing", "shop-dev/stock", 7000),
    }
    evidence = {
        v.detail
        for e in graph.edges
        if e.source == "shop-dev/orders" and e.target == "shop-dev/rabbit"
        for v in e.evidence
    }
    assert any(
        d.startswith("envFrom Secret orders-secret-") and "(made by kustomize secretGenerator)" in d
        for d in evidence
    ), evidence


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")
def test_an_overlay_merges_its_base_generator(tmp_path: Path) -> None:
    base = _BASE + "secretGenerator:\n- name: billing-secret\n  literals: [stock=nowhere]\n"
    overlay = (
        "namePrefix: dev-\nresources: [../../base]\nsecretGenerator:\n"
        "- name: billing-secret\n  behavior: merge\n  literals: ['stock=http://dev-stock-svc:80']\n"
    )
    _write(
        tmp_path,
        {
            "k8s/base/kustomization.yaml": base,
            "k8s/base/orders.yaml": _deployment("orders", 8080),
            "k8s/base/billing.yaml": _deployment("billing", 9000, _KEY_REF),
            "k8s/base/stock.yaml": _deployment("stock", 7000),
            "k8s/base/rabbit.yaml": _deployment("rabbit", 5672),
            "k8s/base/pay.yaml": _deployment("pay", 6000),
            "k8s/overlays/dev/kustomization.yaml": overlay,
        },
    )
    assert _edges(tmp_path / "k8s/overlays/dev") == {
        ("default/dev-billing", "default/dev-stock", 7000)
    }


def test_generated_secrets_read_as_written(tmp_path: Path) -> None:
    """kubectl not run (``harden --fix`` reads the files as written): the names as written."""
    _app(tmp_path, _OVERLAY.replace("namespace: shop-dev\n", ""))
    graph = discover(load_paths([str(tmp_path)], render_kustomize=False))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("default/orders", "default/rabbit", 5672),
        ("default/orders", "default/billing", 9000),
        ("default/billing", "default/stock", 7000),
    }


def test_a_name_two_overlays_generate_differently_is_not_guessed(tmp_path: Path) -> None:
    _app(tmp_path, _OVERLAY.replace("namespace: shop-dev\n", ""))
    _write(
        tmp_path,
        {
            "k8s/overlays/prod/kustomization.yaml": (
                "resources: [../../base]\nsecretGenerator:\n- name: billing-secret\n"
                "  literals: ['stock=http://pay-svc:80']\n"
            )
        },
    )
    graph = discover(load_paths([str(tmp_path)], render_kustomize=False))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("default/orders", "default/rabbit", 5672),
        ("default/orders", "default/billing", 9000),
        # billing-secret: stock-svc in dev, pay-svc in prod: neither
    }


def test_a_secret_no_generator_makes_gives_nothing(tmp_path: Path) -> None:
    _app(
        tmp_path,
        "resources: [../../base]\nconfigMapGenerator:\n- name: orders-secret\n"
        "  literals: [BUS_URL=amqp://rabbit-svc:80]\n",
    )
    # a ConfigMap of that name is not the Secret the workload reads
    graph = discover(load_paths([str(tmp_path)], render_kustomize=False))
    assert {(e.source, e.target, e.port) for e in graph.edges} == set()
