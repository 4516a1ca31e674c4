"""ConfigMaps and Secrets a script creates from env files (``kubectl create secret generic
NAME --from-env-file=F``): the workload that reads them through ``envFrom`` or a key
reference gets their values as env."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import deployment_with_service as _deployment
from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.created_config import created_config
from socklock.load import load_paths

_ENV_FROM = "        envFrom:\n        - secretRef: {name: orders-env}\n"
_KEY_REF = (
    "        env:\n        - name: STOCK_URL\n"
    "          valueFrom: {configMapKeyRef: {name: billing-config, key: stock}}\n"
)
_MAKEFILE = """\
secrets:
\tkubectl delete secret orders-env --ignore-not-found
\tkubectl create secret generic orders-env --from-env-file=k8s/env/orders.env
\tkubectl create configmap billing-config \\
\t\t--from-literal=stock=http://stock-svc:80 -n default
\tkubectl create secret generic other-env --from-env-file=$(ENV_DIR)/other.env
"""
_ENV = "# orders\nBus__Host=rabbit-svc\nBus__Port=80\nBilling__Url=http://billing-svc:80\n"


def test_env_files_and_literals_a_makefile_creates(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Makefile": _MAKEFILE,
            "k8s/env/orders.env": _ENV,
            "k8s/orders.yaml": _deployment("orders", 8080, _ENV_FROM),
            "k8s/billing.yaml": _deployment("billing", 9000, _KEY_REF),
            "k8s/stock.yaml": _deployment("stock", 7000),
            "k8s/rabbit.yaml": _deployment("rabbit", 5672),
        },
    )
    created = {
        (c.kind, c.namespace, c.name): dict(c.data) for c in created_config((str(tmp_path),))
    }
    assert created == {
        ("Secret", None, "orders-env"): {
            "Bus__Host": "rabbit-svc",
            "Bus__Port": "80",
            "Billing__Url": "http://billing-svc:80",
        },
        ("ConfigMap", "default", "billing-config"): {"stock": "http://stock-svc:80"},
        # ``$(ENV_DIR)``: a variable, never guessed
    }
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("default/orders", "default/rabbit", 5672),  # Bus__Port: the sibling of Bus__Host
        ("default/orders", "default/billing", 9000),
        ("default/billing", "default/stock", 7000),
    }


def test_a_secret_no_script_creates_gives_nothing(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "deploy.sh": "kubectl create secret tls orders-env --cert=c.pem --key=k.pem\n",
            "k8s/orders.yaml": _deployment("orders", 8080, _ENV_FROM),
            "k8s/rabbit.yaml": _deployment("rabbit", 5672),
        },
    )
    assert created_config((str(tmp_path),)) == ()
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == set()
