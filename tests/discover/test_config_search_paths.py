"""A git-backed config server's search-paths, and env vars that override a config file's key.

The server's repository is often the application's own (``search-paths: config-repository``):
then only that folder is served, and the services' own ``bootstrap.yml`` stay theirs, where
the deployment's env (``SPRING_CLOUD_CONFIG_URI``) overrides what the file says."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.config_server import ConfigServers
from socklock.discover.key_overrides import overridden_target, overriding_env
from socklock.load import load_paths

SERVER = (
    "server:\n  port: 8888\nspring:\n  cloud:\n    config:\n      server:\n        git:\n"
    "          uri: https://github.com/acme/shop.git\n          search-paths: config-repository\n"
)
CLIENT = (
    "spring:\n  application:\n    name: {name}\n  cloud:\n    config:\n"
    "      uri: http://localhost:8888\n"
)


def _shop(root: Path, *, search_paths: bool = True) -> None:
    server = (
        SERVER
        if search_paths
        else SERVER.replace("          search-paths: config-repository\n", "")
    )
    _write(
        root,
        {
            "compose.yaml": (
                "services:\n"
                "  config: {build: ./config}\n"
                "  orders:\n    build: ./orders\n"
                "    environment: {SPRING_CLOUD_CONFIG_URI: 'http://config:8888'}\n"
                "  billing: {build: ./billing}\n"
                "  postgres: {image: postgres:16}\n"
            ),
            "config/Dockerfile": "FROM eclipse-temurin:21\n",
            "config/src/main/resources/application.yml": server,
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "orders/src/main/resources/bootstrap.yml": CLIENT.format(name="orders"),
            # no env override: its config server is its own localhost, no call
            "billing/Dockerfile": "FROM eclipse-temurin:21\n",
            "billing/src/main/resources/bootstrap.yml": CLIENT.format(name="billing"),
            "config-repository/orders.yml": (
                "spring:\n  datasource:\n    url: jdbc:postgresql://postgres/orders\n"
            ),
            # beside the search path: the server does not serve it
            "other/orders.yml": "spring:\n  datasource:\n    url: jdbc:postgresql://ghost/x\n",
        },
    )


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]), manifests=False)
    return {(e.source, e.target, e.port) for e in graph.edges}


def test_the_search_path_of_the_apps_own_repository_is_served(tmp_path: Path) -> None:
    root = tmp_path / "shop"  # named like the server's repository
    _shop(root)
    assert _edges(root) == {
        ("shop/orders", "shop/config", 8888),
        ("shop/orders", "shop/postgres", 5432),
    }


def test_the_search_path_under_another_checkout_name(tmp_path: Path) -> None:
    root = tmp_path / "acme+shop"
    _shop(root)
    project = "acmeshop"  # compose drops the +
    assert _edges(root) == {
        (f"{project}/orders", f"{project}/config", 8888),
        (f"{project}/orders", f"{project}/postgres", 5432),
    }


def test_without_search_paths_only_the_repository_top_is_served(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    _shop(root, search_paths=False)
    # the services' own bootstrap.yml stay theirs; config-repository/ is not searched
    assert _edges(root) == {("shop/orders", "shop/config", 8888)}


def test_server_of_honours_search_paths() -> None:
    servers = ConfigServers.from_declared(
        [("p/config", "https://github.com/acme/shop.git")],
        [("p/config", "config-repository, {application}/conf")],
    )
    assert servers.search_paths == {"p/config": ("config-repository", "{application}/conf")}
    server_of = servers.server_of
    assert server_of("/r/shop/orders.yml", None) == "p/config"
    assert server_of("/r/shop/config-repository/orders.yml", None) == "p/config"
    assert server_of("/r/shop/orders/conf/orders.yml", None) == "p/config"
    assert server_of("/r/shop/orders/src/main/resources/bootstrap.yml", None) is None
    assert server_of("/r/acme+shop/config-repository/orders.yml", None) == "p/config"
    # a search path that starts with a placeholder says nothing outside the checkout
    assert server_of("/r/acme+shop/orders/conf/orders.yml", None) is None
    assert server_of("/r/acme+shop/orders/src/main/resources/config-repository/x.yml", None) is None


def test_overriding_env_by_framework_file() -> None:
    env = {"SPRING_CLOUD_CONFIG_URI": "http://config:8888", "connectionstrings__db": "Server=db"}
    assert overriding_env("spring.cloud.config.uri", "/a/bootstrap.yml", env) == (
        "SPRING_CLOUD_CONFIG_URI",
        "http://config:8888",
    )
    assert overriding_env("ConnectionStrings.Db", "/a/appsettings.Production.json", env) == (
        "connectionstrings__db",
        "Server=db",
    )
    # a file no framework binds env over
    assert overriding_env("spring.cloud.config.uri", "/a/settings.yml", env) is None
    assert overriding_env("spring.cloud.config.name", "/a/bootstrap.yml", env) is None


def test_overridden_target_keeps_what_the_file_composed() -> None:
    assert overridden_target("http://localhost:8888", "http://localhost:8888", "x") == "x"
    assert overridden_target("amqp://localhost:5672", "localhost", "rabbit") == "amqp://rabbit:5672"
