"""Registry names in URL-like text, the name variants a registry convention allows, and the
files a config server serves."""

from __future__ import annotations

import pytest

from socklock.discover.config_server import ConfigServers
from socklock.discover.names import ServiceName, name_variants, service_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lb://orders", ServiceName("orders", "lb")),
        ("lb://Orders-Service:8443/api", ServiceName("orders-service", "lb", 8443)),
        ("xds:///reviews:9000", ServiceName("reviews", "xds", 9000)),
        ("xds://control-plane/reviews", ServiceName("reviews", "xds")),
        ("consul://127.0.0.1:8500/srv-geo?healthy=true", ServiceName("srv-geo", "consul")),
        ("consul:///search", ServiceName("search", "consul")),
        ("http://localhost:3500/v1.0/invoke/cart/method/items", ServiceName("cart", "dapr")),
        ("http://dapr:3500/v1.0-alpha1/invoke/cart/method", ServiceName("cart", "dapr")),
        ("https+http://catalog-api", ServiceName("catalog-api", "dotnet")),
        ("stork://employee-service", ServiceName("employee-service", "stork")),
        ("storks://Hero-Service/api/heroes", ServiceName("hero-service", "stork")),
        ("stork://", None),
        ("http://orders/api", None),
        ("http://localhost:3500/v1.0/state/store", None),
        ("lb://", None),
        ("consul://agent:8500", None),
        ("dns:///orders:80", None),
    ],
)
def test_service_name(text: str, expected: ServiceName | None) -> None:
    assert service_name(text) == expected


def test_label_names_the_registry() -> None:
    assert ServiceName("x", "feign").label == "Feign client name"
    assert ServiceName("x", "unknown-registry").label == "unknown-registry"


def test_name_variants_drop_a_registry_prefix() -> None:
    assert name_variants("srv-Geo") == ["srv-geo", "geo"]
    assert name_variants("srv-") == ["srv-"]
    assert name_variants("server") == ["server"]


def test_config_server_serves_its_search_locations_to_the_applications_they_name() -> None:
    servers = ConfigServers.from_declared(
        [
            ("p/config", "classpath:/shared, file:/etc/conf/"),
            ("p/git", "https://github.com/shop/shop-config.git"),
            ("p/git", "file:///srv/{application}"),
        ]
    )
    assert servers.locations == {"p/config": frozenset({"shared", "conf"})}
    assert servers.repositories == {"p/git": frozenset({"shop-config"})}
    server_of = servers.server_of
    assert server_of("/r/config/src/main/resources/shared/orders.yml", "p/config") == "p/config"
    assert server_of("/r/config/src/main/resources/application.yml", "p/config") is None
    assert server_of("/r/config/src/main/resources/shared/Orders.java", "p/config") is None
    assert server_of("/r/web/shared/orders.yml", "p/web") is None
    assert server_of("/r/shop-config/orders.yml", None) == "p/git"
    assert server_of("/r/other-config/orders.yml", None) is None
    names = {"orders-service": {"p/orders"}, "config": {"p/config"}, "web": {"p/web"}}
    applications = {"p/orders", "p/web", "p/config"}
    clients = servers.clients
    assert clients("shared/orders-service-docker.yml", "p/config", names, applications) == [
        "p/orders"
    ]
    assert clients("shared/application.yml", "p/config", names, applications) == [
        "p/orders",
        "p/web",
    ]
    assert clients("shared/application-docker.yml", "p/config", names, applications) == [
        "p/orders",
        "p/web",
    ]
    assert clients("shared/config.yml", "p/config", names, applications) == []
    assert clients("shared/unknown.yml", "p/config", names, applications) == []


def test_config_repositories_are_read_for_spring_formats_only() -> None:
    from pathlib import PurePath

    from socklock.discover.code.config_files import ANALYSER

    assert ANALYSER.handles(PurePath("r/shop-config/orders.yml"))
    assert ANALYSER.handles(PurePath("r/config-repo/orders.properties"))
    assert not ANALYSER.handles(PurePath("r/eslint-config/index.json"))
    assert not ANALYSER.handles(PurePath("r/shop/orders.yml"))
