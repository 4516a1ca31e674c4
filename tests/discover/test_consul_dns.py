"""Consul DNS names (``rabbitmq.service.consul``) of services Registrator registers.

Registrator registers each published port of the Docker host's containers in Consul, named
by ``SERVICE_<port>_NAME`` / ``SERVICE_NAME`` or the image's name; a caller that dials
``<name>.service.consul:<port>`` reaches the container behind that host port, after asking
the DNS server its ``dns:`` names (Consul's DNS interface, published on the bridge)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

# compose v1 files (no ``services:``), as Registrator's era wrote them: two projects
SUPPORT = """\
consul:
  image: progrium/consul:latest
  command: -server -bootstrap
  ports: ["8500:8500", "172.17.0.1:53:53/udp"]
{registrator}
rabbitmq:
  image: rabbitmq:3.6-management
  environment: {{SERVICE_5672_NAME: rabbitmq, SERVICE_15672_IGNORE: "1"}}
  ports: ["5672:5672", "15672:15672"]
cache:
  image: redis:7
  ports: ["6380:6379"]
"""
REGISTRATOR = """\
registrator:
  image: gliderlabs/registrator:latest
  command: -ip=192.168.99.100 consul://consul:8500
"""
APP = """\
php:
  image: php:8-fpm
  environment:
    RABBITMQ_URL: amqp://rabbitmq.service.consul:5672
    CACHE_URL: redis://redis.service.consul:6380
    MANAGEMENT_URL: http://rabbitmq.service.consul:15672
  dns: [172.17.0.1, 8.8.8.8]
cron:
  image: php:8-cli
  environment:
    RABBITMQ_URL: amqp://rabbitmq.service.dc1.consul:5672
"""


def _edges(root: Path, registrator: str) -> set[tuple[str, str, int | None, str]]:
    (root / "support").mkdir()
    (root / "support" / "docker-compose.yml").write_text(SUPPORT.format(registrator=registrator))
    (root / "app").mkdir()
    (root / "app" / "docker-compose.yml").write_text(APP)
    deployment = f"{root}/support/docker-compose.yml+{root}/app/docker-compose.yml"
    graph = discover(load_paths([str(root)]), deployment=deployment)
    return {
        (e.source, e.target, e.port, e.protocol)
        for e in graph.edges
        if not getattr(e, "hint", False) and e.source.startswith("app/")
    }


def test_a_consul_name_reaches_the_service_registrator_registers(tmp_path: Path) -> None:
    assert _edges(tmp_path, REGISTRATOR) == {
        ("app/php", "support/rabbitmq", 5672, "TCP"),
        ("app/php", "support/consul", 53, "UDP"),  # its dns: asks Consul for the names
        ("app/php", "support/cache", 6379, "TCP"),  # registered by its image's name
        ("app/cron", "support/rabbitmq", 5672, "TCP"),  # a datacenter's name, no dns: of its own
    }


def test_without_registrator_a_consul_name_names_nothing_of_the_input(tmp_path: Path) -> None:
    found = _edges(tmp_path, "")
    assert not any(target.startswith("support/") for _, target, _, _ in found)
