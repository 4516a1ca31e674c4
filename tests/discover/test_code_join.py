"""Code evidence joined with the inventory: attribution, env values, agreement with manifests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DEMO_CALLS, DEMO_SHOP
from tests.discover.shop import write_shop

from socklock.discover import discover
from socklock.load import load_paths


def _edges(root: Path, **kwargs: bool) -> set[tuple[str, str, int | None, str]]:
    graph = discover(load_paths([str(root)]), **kwargs)
    return {(e.source, e.target, e.port, e.evidence[0].kind.value) for e in graph.edges}


def test_demo_shop_code_and_manifests_agree() -> None:
    inventory = load_paths([str(DEMO_SHOP)])
    from_manifests = discover(inventory, code=False)
    from_code = discover(inventory, manifests=False)
    assert {e.key for e in from_code.edges} == {e.key for e in from_manifests.edges}
    assert {e.key for e in from_code.edges} == DEMO_CALLS
    for edge in from_code.edges:
        kinds = {ev.kind.value for ev in edge.evidence}
        assert kinds == {"env-read"}, edge
        assert all(ev.location.file.endswith("app.py") for ev in edge.evidence)


def test_env_read_joined_with_the_manifest_value(tmp_path: Path) -> None:
    code = 'import os, urllib.request\nurllib.request.urlopen(os.environ["API_URL"] + "/x")\n'
    write_shop(tmp_path, "{name: API_URL, value: 'http://api'}", code)
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    (edge,) = graph.edges
    assert (edge.source, edge.target, edge.port) == ("shop/web", "shop/api", 8080)
    (evidence,) = edge.evidence
    assert evidence.location.file == str(tmp_path / "web" / "app.py")
    assert evidence.location.line == 2
    assert f"API_URL=http://api at {tmp_path / 'k8s' / 'web.yaml'}:12" in evidence.detail


def test_code_default_is_used_only_when_no_manifest_sets_the_variable(tmp_path: Path) -> None:
    code = (
        "import os, urllib.request\n"
        'urllib.request.urlopen(os.environ.get("API_URL", "http://api.shop:80"))\n'
    )
    write_shop(tmp_path, "", code)
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    (edge,) = graph.edges
    assert (edge.source, edge.target, edge.port) == ("shop/web", "shop/api", 8080)
    assert "API_URL unset, code default http://api.shop:80" in edge.evidence[0].detail


def test_unset_variable_without_default_is_reported(tmp_path: Path) -> None:
    code = 'import os, urllib.request\nurllib.request.urlopen(os.environ["API_URL"])\n'
    write_shop(tmp_path, "", code)
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert graph.edges == ()
    (unresolved,) = graph.unresolved
    assert unresolved.source == "shop/web"
    assert unresolved.reason == "env API_URL is not set for shop/web by any manifest"


def test_code_outside_any_build_context_is_not_attributed(tmp_path: Path) -> None:
    code = 'import urllib.request\nurllib.request.urlopen("http://api/x")\n'
    write_shop(tmp_path, "", code)
    (tmp_path / "web" / "Dockerfile").unlink()
    assert _edges(tmp_path, manifests=False) == set()


def test_socklock_toml_maps_directories_to_workloads(tmp_path: Path) -> None:
    code = 'import urllib.request\nurllib.request.urlopen("http://api/x")\n'
    write_shop(tmp_path, "", code)
    (tmp_path / "web" / "Dockerfile").unlink()
    (tmp_path / "socklock.toml").write_text('[code.owners]\n"web" = "shop/web"\n')
    assert _edges(tmp_path, manifests=False) == {("shop/web", "shop/api", 8080, "literal")}


def test_config_key_read_by_code_is_joined_with_the_json_config(tmp_path: Path) -> None:
    code = (
        "int main() {\n"
        '  std::string addr = config_json["api"]["addr"];\n'
        '  int port = config_json["api"]["port"];\n'
        "}\n"
    )
    write_shop(tmp_path, "", code, file="main.cpp")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "service-config.json").write_text(
        '{\n  "api": {"addr": "api", "port": 80},\n  "web": {"addr": "web", "port": 80}\n}\n'
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    (edge,) = graph.edges
    assert (edge.source, edge.target, edge.port) == ("shop/web", "shop/api", 8080)
    (evidence,) = edge.evidence
    assert evidence.location.line == 2
    config = tmp_path / "config" / "service-config.json"
    assert f"api.addr=api at {config}:2:20; api.port=80 at {config}:2:34" in evidence.detail


def test_config_key_without_a_config_file_is_unresolved(tmp_path: Path) -> None:
    code = 'int main() {\n  std::string addr = config_json["api"]["addr"];\n}\n'
    write_shop(tmp_path, "", code, file="main.cpp")
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert graph.edges == ()
    (unresolved,) = graph.unresolved
    assert (
        unresolved.reason
        == "config key api.addr, api.port is set by no config file under the roots"
    )


def test_python_conditional_default_on_an_unset_variable(tmp_path: Path) -> None:
    """``"d" if os.environ.get("X") is None else os.environ.get("X")`` reads X with default d."""
    code = (
        "import os, urllib.request\n"
        'api = "http://api.shop:80" if (os.environ.get("API_URL") is None)'
        ' else os.environ.get("API_URL")\n'
        "urllib.request.urlopen(api)\n"
    )
    write_shop(tmp_path, "", code)
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    (edge,) = graph.edges
    assert (edge.source, edge.target, edge.port) == ("shop/web", "shop/api", 8080)
    assert "API_URL unset, code default http://api.shop:80" in edge.evidence[0].detail


def test_python_conditional_on_another_variable_is_not_a_default(tmp_path: Path) -> None:
    """The fallback only counts when the tested read is the value read."""
    code = (
        "import os, urllib.request\n"
        'api = "http://api.shop:80" if os.environ.get("MODE") is None'
        ' else os.environ.get("API_URL")\n'
        "urllib.request.urlopen(api)\n"
    )
    write_shop(tmp_path, "", code)
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert all("API_URL unset, code default" not in e.evidence[0].detail for e in graph.edges)


def test_each_env_read_of_a_built_address_keeps_its_own_default(tmp_path: Path) -> None:
    """``"http://{0}:{1}".format(host, port)`` where both reads have code defaults."""
    code = (
        "import os, urllib.request\n"
        'host = os.environ.get("BACKEND_HOST", "api.shop")\n'
        'port = os.environ.get("BACKEND_PORT", "80")\n'
        'urllib.request.urlopen("http://{0}:{1}/x".format(host, port))\n'
    )
    # (not API_PORT: the kubelet sets that for Service api, to ``tcp://api:80``)
    write_shop(tmp_path, "", code)
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    (edge,) = graph.edges
    assert (edge.source, edge.target, edge.port) == ("shop/web", "shop/api", 8080)
    assert (
        "BACKEND_HOST unset, code default api.shop; BACKEND_PORT unset, code default 80"
        in edge.evidence[0].detail
    )


def test_a_manifest_value_wins_over_the_second_reads_default(tmp_path: Path) -> None:
    code = (
        "import os, urllib.request\n"
        'host = os.environ.get("API_HOST", "api.shop")\n'
        'port = os.environ.get("API_PORT", "81")\n'
        'urllib.request.urlopen("http://{0}:{1}/x".format(host, port))\n'
    )
    write_shop(tmp_path, "{name: API_PORT, value: '80'}", code)
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    (edge,) = graph.edges
    assert (edge.source, edge.target, edge.port) == ("shop/web", "shop/api", 8080)
    assert "API_PORT=80 at" in edge.evidence[0].detail


def test_a_literal_of_the_workloads_own_address_is_not_a_call(tmp_path: Path) -> None:
    # the address its gRPC server listens on, and a real call to another service
    code = (
        "const app = await NestFactory.createMicroservice(AppModule, {\n"
        "  transport: Transport.GRPC,\n"
        "  options: { url: 'web:80', package: 'auth' },\n"
        "});\n"
        "const client = ClientProxyFactory.create({\n"
        "  transport: Transport.GRPC,\n"
        "  options: { url: 'api:80', package: 'orders' },\n"
        "});\n"
    )
    write_shop(tmp_path, "{name: UNUSED, value: x}", code, file="main.ts")
    # the client's options: a gRPC call (discover/code/queries/ecmascript.scm)
    assert _edges(tmp_path, manifests=False) == {("shop/web", "shop/api", 8080, "grpc")}


def test_a_blank_manifest_value_gives_way_to_the_code_default(tmp_path: Path) -> None:
    """``API_URL=${API_URL}`` with the variable unset: compose passes a blank value, which
    names no address; the code's default is the one the repository documents."""
    code = (
        "import os, urllib.request\n"
        'urllib.request.urlopen(os.environ.get("API_URL", "http://api.shop:80"))\n'
        'urllib.request.urlopen(os.environ["OTHER_URL"])\n'
    )
    write_shop(tmp_path, "{name: API_URL, value: ''}, {name: OTHER_URL, value: ''}", code)
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    (edge,) = graph.edges
    assert (edge.source, edge.target, edge.port) == ("shop/web", "shop/api", 8080)
    assert "API_URL blank at " in edge.evidence[0].detail
    assert "code default http://api.shop:80" in edge.evidence[0].detail
    # without a default, a blank value is still no call
    assert [u.reason for u in graph.unresolved] == ["the call target is empty"]
