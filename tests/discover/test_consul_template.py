"""consul-template: a proxy config rendered ``{{range services}}`` reaches every service
registered in Consul; its ``-consul`` flag names the agent it watches."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.consul_template import every_service_template
from socklock.load import load_paths

TEMPLATE = """\
<VirtualHost *:80>
{{range services}}
<Proxy balancer://{{.Name}}>
{{range service .Name}}  BalancerMember http://{{.Address}}:{{.Port}}
{{end}}
</Proxy>
    ProxyPass /{{.Name}} balancer://{{.Name}}
{{end}}
</VirtualHost>
"""
DOCKERFILE = (
    "FROM ubuntu:22.04\nCOPY site.ctmpl /etc/apache2/sites-enabled/site.ctmpl\n"
    'CMD consul-template -consul consul:8500 -template "/etc/apache2/sites-enabled/site.ctmpl'
    ':/etc/apache2/sites-enabled/site.conf:apache2ctl -k graceful"\n'
)
POM = (
    "<project><artifactId>{name}</artifactId><dependencies><dependency><artifactId>"
    "spring-cloud-starter-consul-discovery</artifactId></dependency></dependencies>"
    "<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
    "</plugins></build></project>"
)


def _shop(root: Path, template: str) -> None:
    _write(
        root,
        {
            "compose.yaml": (
                "services:\n  consul: {image: 'consul:1.15'}\n"
                "  proxy: {build: ./proxy, ports: ['8080:80']}\n"
                "  orders: {build: ./orders}\n  reports: {build: ./reports}\n"
            ),
            "proxy/Dockerfile": DOCKERFILE,
            "proxy/site.ctmpl": template,
            "orders/pom.xml": POM.format(name="orders"),
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "orders/src/main/resources/application.properties": (
                "spring.application.name=orders\nserver.port=8080\n"
                "spring.cloud.consul.host=consul\nspring.cloud.consul.port=8500\n"
                "spring.cloud.consul.discovery.register-health-check=false\n"
            ),
            # not registered: no discovery client in its build
            "reports/Dockerfile": "FROM python:3.12\n",
            "reports/app.py": "print('reports')\n",
        },
    )


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]), manifests=False)
    return {(e.source, e.target, e.port) for e in graph.edges}


def test_a_template_over_every_service_reaches_the_registered_ones(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    _shop(root, TEMPLATE)
    assert _edges(root) == {
        ("shop/proxy", "shop/consul", 8500),
        ("shop/proxy", "shop/orders", 8080),
        ("shop/orders", "shop/consul", 8500),
    }


def test_a_template_of_named_services_reaches_no_other(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    _shop(root, TEMPLATE.replace("{{range services}}", '{{with service "orders"}}'))
    assert _edges(root) == {
        ("shop/proxy", "shop/consul", 8500),
        ("shop/orders", "shop/consul", 8500),
    }


def test_every_service_template_reads_the_template_flag(tmp_path: Path) -> None:
    _write(tmp_path, {"conf/site.ctmpl": TEMPLATE, "notes.ctmpl": "{{range services}}{{end}}\n"})
    assert every_service_template(["consul-template", "-template=site.ctmpl:/o"], tmp_path) == (
        tmp_path / "conf" / "site.ctmpl"
    )
    # a template that renders no proxy config, and a command that is not consul-template
    assert every_service_template("consul-template -template notes.ctmpl:/o", tmp_path) is None
    assert every_service_template("envsubst -template site.ctmpl", tmp_path) is None
