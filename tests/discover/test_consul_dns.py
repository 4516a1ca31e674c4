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


LB = """\
lb:
  build: ./lb
  environment: {CONSUL_URL: "consul:8500"}
  volumes: ["./lb/consul-template:/etc/consul-template"]
  ports: ["8081:8081"]
"""
CONFIG = """\
template {
    source = "/etc/consul-template/templates/app.ctmpl"
    destination = "/etc/nginx/conf.d/app.conf"
    command = "nginx -s reload"
}
"""
TEMPLATE = """\
{{range services}}
  {{ if .Tags.Contains "backend" }}
  upstream {{.Name}} {
    {{range service .Name}}server {{.Address}}:{{.Port}};{{end}}
  }
  {{end}}
{{end}}
server {
  listen 8081;
  {{range services}}{{ if .Tags.Contains "backend" }}
  location /{{.Name}}/ { proxy_pass http://{{.Name}}; }
  {{end}}{{end}}
}
"""
SHOP = """\
orders:
  image: nginx:1.10
  environment: {SERVICE_80_NAME: orders, SERVICE_TAGS: "backend,v1"}
  ports: ["80"]
site:
  image: nginx:1.10
  environment: {SERVICE_80_NAME: site, SERVICE_TAGS: production}
  ports: ["80"]
"""


def _lb_edges(root: Path, registrator: str, config: str) -> set[tuple[str, str, int | None]]:
    (root / "support").mkdir()
    (root / "support" / "docker-compose.yml").write_text(
        SUPPORT.format(registrator=registrator) + LB
    )
    templates = root / "support" / "lb" / "consul-template"
    (templates / "conf").mkdir(parents=True)
    (templates / "templates").mkdir()
    (root / "support" / "lb" / "Dockerfile").write_text("FROM 1science/nginx:consul\n")
    (templates / "conf" / "app.conf").write_text(config)
    (templates / "templates" / "app.ctmpl").write_text(TEMPLATE)
    (root / "shop").mkdir()
    (root / "shop" / "docker-compose.yml").write_text(SHOP)
    deployment = f"{root}/support/docker-compose.yml+{root}/shop/docker-compose.yml"
    graph = discover(load_paths([str(root)]), deployment=deployment)
    return {
        (e.source, e.target, e.port)
        for e in graph.edges
        if not getattr(e, "hint", False) and e.source == "support/lb"
    }


def test_a_mounted_consul_template_reaches_the_registered_services_of_its_tag(
    tmp_path: Path,
) -> None:
    assert _lb_edges(tmp_path, REGISTRATOR, CONFIG) == {
        ("support/lb", "support/consul", 8500),  # CONSUL_URL: the catalog it renders
        ("support/lb", "shop/orders", 80),  # tagged backend; site is production
    }


def test_a_template_no_consul_template_config_names_renders_nothing(tmp_path: Path) -> None:
    assert _lb_edges(tmp_path, REGISTRATOR, "# nothing\n") == {
        ("support/lb", "support/consul", 8500)
    }


def test_without_registrator_the_template_reaches_nothing_known(tmp_path: Path) -> None:
    assert _lb_edges(tmp_path, "", CONFIG) == {("support/lb", "support/consul", 8500)}
