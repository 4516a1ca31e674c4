"""One app, every way users hold it, one graph.

tests/fixtures/pipeline is a small shop (Deployments, Services, env naming peers, one env
naming a Service that does not exist). The same objects as a kustomize base with two
overlays, a ``kubectl get -A -o json`` dump, a ``helm template`` stream on stdin and a live
cluster (the local API server of test_cluster) must each give exactly the edges of the
plain files.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.load.test_cluster import (  # the local API server and its certificate
    ApiServer,
    certificate,
    recorded,
    running_pods,
    write_kubeconfig,
)

__all__ = ["certificate"]  # a fixture used by name below

PLAIN = Path(__file__).parent.parent / "fixtures" / "pipeline"
EDGES = [
    ("shop/cart", "shop/redis", 6379),
    ("shop/checkout", "shop/cart", 7070),
    ("shop/checkout", "shop/payment", 50051),
    ("shop/frontend", "shop/cart", 7070),
    ("shop/frontend", "shop/checkout", 5050),
]
WORKLOADS = ["shop/cart", "shop/checkout", "shop/frontend", "shop/payment", "shop/redis"]


def socklock(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "socklock", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )
    return done.returncode, done.stdout, done.stderr


def graph(out: str) -> tuple[list[tuple[str, str, int]], list[str]]:
    document = json.loads(out)
    edges = sorted((e["from"], e["to"], e["port"]) for e in document["edges"])
    return edges, sorted(w["id"] for w in document["workloads"])


def objects() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(PLAIN.glob("*.yaml")):
        found.extend(d for d in yaml.safe_load_all(path.read_text()) if d)
    return found


def kustomize_tree(root: Path) -> Path:
    """base/ (the plain files) + overlays/prod (namespace, a patch) + overlays/dev.

    ``bases:`` rather than a directory under ``resources:``: Debian's kubectl (1.20,
    kustomize 2) reads only that, newer ones read both."""
    base = root / "base"
    base.mkdir(parents=True)
    for path in sorted(PLAIN.glob("*.yaml")):
        shutil.copy(path, base / path.name)
    names = "".join(f"  - {p.name}\n" for p in sorted(PLAIN.glob("*.yaml")))
    (base / "kustomization.yaml").write_text(f"resources:\n{names}")
    prod = root / "overlays" / "prod"
    prod.mkdir(parents=True)
    (prod / "kustomization.yaml").write_text(
        "namespace: shop\nbases:\n  - ../../base\npatchesStrategicMerge:\n  - replicas.yaml\n"
    )
    (prod / "replicas.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: frontend\n"
        "  namespace: shop\nspec:\n  replicas: 3\n"
    )
    dev = root / "overlays" / "dev"
    dev.mkdir(parents=True)
    (dev / "kustomization.yaml").write_text("bases:\n  - ../../base\n")
    return root


def test_plain_files() -> None:
    code, out, err = socklock("map", str(PLAIN), "--format", "json")
    assert (code, err) == (0, "")
    assert graph(out) == (EDGES, WORKLOADS)  # legacy:9000 names no Service: no edge


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="make debs installs kubectl")
def test_a_kustomize_base_and_overlays(tmp_path: Path) -> None:
    root = kustomize_tree(tmp_path / "app")
    code, out, err = socklock("map", str(root), "--format", "json")
    assert code == 0, err
    assert graph(out) == (EDGES, WORKLOADS)
    # the overlays are variants of one deployment: one is chosen, the other named
    assert err.splitlines() == [
        "skipped 9 files that are not manifests (1 kustomize patch, 5 kustomize inputs, "
        "3 known non-manifest files); --verbose lists them",
        "deployment: overlays/dev (kubernetes, 5 workloads)",
        "  left out: overlays/prod (kubernetes, 5 workloads)",
        "  choose another with --deployment NAME|PATH",
    ]
    cart = next(e for e in json.loads(out)["edges"] if e["from"] == "shop/cart")
    assert cart["evidence"][0]["file"] == f"{root}/overlays/dev/<kubectl kustomize>"
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(root / "overlays" / "dev")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert rendered[cart["evidence"][0]["line"] - 1].strip() == "- name: REDIS_ADDR"
    code, out, err = socklock("map", str(root), "--deployment", "overlays/prod", "--format", "json")
    assert (code, graph(out)) == (0, (EDGES, WORKLOADS)), err
    # an overlay given alone: its base, outside the path given, is rendered with it
    code, out, err = socklock("map", str(root / "overlays" / "prod"), "--format", "json")
    assert (code, graph(out)) == (0, (EDGES, WORKLOADS))
    assert err.splitlines() == [
        "skipped 2 files that are not manifests (1 kustomize patch, 1 known non-manifest "
        "file); --verbose lists them"
    ]


def test_kustomize_without_kubectl_is_named_once_with_the_command(tmp_path: Path) -> None:
    root = kustomize_tree(tmp_path / "app")
    code, out, err = socklock(
        "map", str(root / "overlays"), "--format", "json", env={"PATH": str(tmp_path)}
    )
    assert code == 0
    assert err.splitlines()[:2] == [
        f"{root}/overlays/dev/kustomization.yaml: warning: not rendered: kubectl is not "
        "installed (Debian: apt-get install kubernetes-client); its files are read as "
        "written, without what kustomize changes: "
        f"kubectl kustomize {root}/overlays/dev | socklock scan -",
        f"{root}/overlays/prod/kustomization.yaml: warning: not rendered: kubectl is not "
        "installed (Debian: apt-get install kubernetes-client); its files are read as "
        "written, without what kustomize changes: "
        f"kubectl kustomize {root}/overlays/prod | socklock scan -",
    ]
    assert graph(out) == ([], [])  # the base is outside the paths given: nothing is read


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="make debs installs kubectl")
def test_a_kustomization_kubectl_refuses_is_named_and_its_files_are_read(
    tmp_path: Path,
) -> None:
    root = tmp_path / "app"
    root.mkdir()
    shutil.copy(PLAIN / "cart.yaml", root / "cart.yaml")
    (root / "kustomization.yaml").write_text("resources:\n  - cart.yaml\nnamePrefix: [x]\n")
    code, out, err = socklock("map", str(root), "--format", "json")
    (line,) = [x for x in err.splitlines() if "kubectl kustomize failed" in x]
    level = "warning" if "embeds kustomize 2.0.3" in line else "error"  # kubectl < 1.21
    assert code == (2 if level == "error" else 0)
    assert line.startswith(f"{root}/kustomization.yaml: {level}: kubectl kustomize failed: ")
    assert "cannot unmarshal array into Go struct field Kustomization.namePrefix" in line
    assert line.endswith(
        f"; its files are read as written: kubectl kustomize {root} | socklock scan -"
    )
    assert graph(out)[1] == ["shop/cart"]


FAKE_KUBECTL = """\
#!/bin/sh
if [ "$1" = version ]; then
  echo '{"clientVersion": {"major": "1", "minor": "MINOR", "gitVersion": "v1.MINOR.0"}}'
  exit 0
fi
echo '# Warning: '"'"'bases'"'"' is deprecated.' >&2
echo 'E1205 08:29:38.876401   22564 run.go:72] "command failed" err="no matches for Id \\"x\\""' >&2
exit 1
"""


@pytest.mark.parametrize(
    ("minor", "expected"),
    [
        ("32+", 'error: kubectl kustomize failed: no matches for Id "x"; '),
        (
            "20",
            'warning: kubectl kustomize failed: no matches for Id "x" (kubectl v1.20.0 embeds '
            "kustomize 2.0.3; kubectl 1.21 or later reads newer kustomizations); ",
        ),
    ],
)
def test_a_kubectl_failure_is_an_error_unless_kubectl_is_too_old(
    tmp_path: Path, minor: str, expected: str
) -> None:
    """kubectl's own error (from its klog line); an old kubectl's failure is its limit."""
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "kubectl").write_text(FAKE_KUBECTL.replace("MINOR", minor))
    (tools / "kubectl").chmod(0o755)
    root = tmp_path / "app"
    root.mkdir()
    (root / "kustomization.yaml").write_text("resources: []\n")
    code, _, err = socklock("map", str(root), "--format", "json", env={"PATH": f"{tools}:/bin"})
    assert err.splitlines()[0] == (
        f"{root}/kustomization.yaml: {expected}its files are read as written: "
        f"kubectl kustomize {root} | socklock scan -"
    )
    assert code == (2 if expected.startswith("error") else 0)


def test_a_file_a_build_step_makes_is_named_not_rendered(tmp_path: Path) -> None:
    """A ``.env`` a deploy tool writes, an ``all.yaml`` a CI step renders: not there yet."""
    root = tmp_path / "app"
    (root / "overlay").mkdir(parents=True)
    shutil.copy(PLAIN / "cart.yaml", root / "overlay" / "cart.yaml")
    (root / "overlay" / "kustomization.yaml").write_text(
        "resources:\n  - cart.yaml\n  - all.yaml\n"
        "configMapGenerator:\n  - name: cfg\n    envs:\n      - .env\n"
    )
    code, out, err = socklock("map", str(root), "--format", "json")
    assert code == 0
    assert err.splitlines()[0] == (
        f"{root}/overlay/kustomization.yaml: warning: not rendered: it names .env, which is "
        "not there (made by a build or deploy step?); its files are read as written: "
        f"kubectl kustomize {root}/overlay | socklock scan -"
    )
    assert graph(out)[1] == ["shop/cart"]


def test_a_remote_base_is_not_fetched(tmp_path: Path) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "kustomization.yaml").write_text(
        "resources:\n  - https://github.com/example/shop//deploy?ref=v1\n"
    )
    code, _, err = socklock("map", str(root), "--format", "json")
    assert code == 0
    assert err.splitlines()[0] == (
        f"{root}/kustomization.yaml: warning: not rendered: it builds on "
        "https://github.com/example/shop//deploy?ref=v1, which kustomize would fetch from "
        f"the network; socklock reads only local files: kubectl kustomize {root} | socklock "
        "scan -"
    )


def dump(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the API server adds to each object of a ``kubectl get -o json``."""
    out = []
    for number, obj in enumerate(items):
        item = copy.deepcopy(obj)
        item["metadata"].update(
            uid=f"00000000-0000-0000-0000-{number:012d}",
            resourceVersion=str(1000 + number),
            managedFields=[{"manager": "kubectl", "operation": "Apply", "fieldsV1": {}}],
        )
        item.setdefault("status", {})
        out.append(item)
    return out


def test_a_kubectl_list_dump(tmp_path: Path) -> None:
    shop = objects()
    made = running_pods(shop)  # ReplicaSets and Pods the Deployments made
    listed = {
        "apiVersion": "v1",
        "kind": "List",
        "metadata": {"resourceVersion": ""},
        "items": dump([o for o in [*shop, *made] if o["kind"] != "Service"]),
    }
    typed = {  # a typed list: items without apiVersion and kind, as list calls return
        "apiVersion": "v1",
        "kind": "ServiceList",
        "metadata": {"resourceVersion": "5000"},
        "items": [
            {k: v for k, v in o.items() if k not in ("apiVersion", "kind")}
            for o in dump([o for o in shop if o["kind"] == "Service"])
        ],
    }
    (tmp_path / "all.json").write_text(json.dumps(listed, indent=4))
    (tmp_path / "services.json").write_text(json.dumps(typed, indent=4))
    code, out, err = socklock("map", str(tmp_path), "--format", "json")
    assert (code, err) == (0, "")
    assert graph(out) == (EDGES, WORKLOADS)


def test_a_helm_template_stream_on_stdin() -> None:
    stream = "".join(
        f"---\n# Source: shop/templates/{path.name}\n{path.read_text()}"
        for path in sorted(PLAIN.glob("*.yaml"))
    )
    code, out, err = socklock("map", "-", "--format", "json", stdin=stream)
    assert (code, err) == (0, "")
    assert graph(out) == (EDGES, WORKLOADS)


@pytest.fixture
def shop_api(
    certificate: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ApiServer]:
    shop = objects()
    state = ApiServer(recorded([*shop, *running_pods(shop)]))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), state.handler())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    state.port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("KUBECONFIG", str(write_kubeconfig(tmp_path, state.port, certificate[0])))
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_live_cluster(shop_api: ApiServer) -> None:
    code, out, err = socklock("map", "--cluster", "--format", "json")
    assert (code, err) == (0, "")
    assert graph(out) == (EDGES, WORKLOADS)


def test_scan_out_dir_on_kubernetes_only_input(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = socklock("scan", str(PLAIN), "--out-dir", str(out_dir))
    assert code in (0, 1), err  # 1: hardening findings
    assert "compose enforce: skipped (no compose file in the input)" in out.splitlines()
    written = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
    for name in ("graph.json", "findings.json", "findings.sarif", "report.html"):
        assert name in written
    assert "policies/kubernetes-enforce/shop/cart.yaml" in written
    assert graph((out_dir / "graph.json").read_text()) == (EDGES, WORKLOADS)
