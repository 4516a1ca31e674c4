"""A repository without deployment files: its services expect well-known servers beside them
(``localhost:8500`` is the Consul agent its README starts), and Spring Cloud Consul's
discovery starter registers each service with an HTTP health check the agent polls."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.host_servers import host_server
from socklock.load import load_paths

CONSUL = "spring:\n  cloud:\n    consul:\n      host: localhost\n      port: 8500\n"


def _pom(name: str, *artifacts: str) -> str:
    dependencies = "".join(
        f"<dependency><artifactId>{a}</artifactId></dependency>" for a in artifacts
    )
    return (
        f"<project><artifactId>{name}</artifactId><dependencies>{dependencies}</dependencies>"
        "<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
        "</plugins></build></project>"
    )


def test_host_servers_and_the_consul_health_check(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "orders/pom.xml": _pom("orders", "spring-cloud-starter-consul-discovery"),
            "orders/src/main/resources/application.yml": (
                "spring:\n  application:\n    name: orders\n"
                "  data:\n    mongodb:\n      uri: mongodb://localhost:27017/orders\n"
                "  cloud:\n    consul:\n      host: localhost\n      port: 8500\n"
            ),
            # a heartbeat (a TTL check the service reports) replaces the HTTP check
            "billing/pom.xml": _pom("billing", "spring-cloud-starter-consul-discovery"),
            "billing/src/main/resources/application.yml": (
                "spring:\n  application:\n    name: billing\n"
                + CONSUL[len("spring:\n") :]
                + "      discovery:\n        heartbeat:\n          enabled: true\n"
            ),
            # no discovery starter: it reads Consul's KV config only, nothing polls it
            "audit/pom.xml": _pom("audit", "spring-cloud-starter-consul-config"),
            "audit/src/main/resources/application.yml": (
                "spring:\n  application:\n    name: audit\n"
                + CONSUL[len("spring:\n") :]
                + "logstash:\n  url: tcp://localhost:5000\n"
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("code/orders", "code/consul", 8500),
        ("code/orders", "code/mongodb", 27017),
        # nothing sets its server.port: Spring Boot listens on its default, 8080
        ("code/consul", "code/orders", 8080),
        ("code/billing", "code/consul", 8500),
        ("code/audit", "code/consul", 8500),
    }
    # a port no well-known server owns stays unknown
    assert [(u.source, u.reason) for u in graph.unresolved] == [
        ("code/audit", "no build unit of the input listens on port 5000")
    ]


def test_host_server_names_only_well_known_ports() -> None:
    node = host_server(8500)
    assert node is not None and (node.id, [p.port for p in node.ports]) == ("code/consul", [8500])
    assert host_server(5000) is None
    kafka = host_server(29092)  # Kafka's host listener in the Confluent compose examples
    assert kafka is not None and (kafka.id, [p.port for p in kafka.ports]) == (
        "code/kafka",
        [29092],
    )
    assert host_server(None) is None


def test_go_programs_expect_a_local_consul_agent_and_etcd(tmp_path: Path) -> None:
    """hashicorp/consul/api's DefaultConfig() dials 127.0.0.1:8500 when CONSUL_HTTP_ADDR is
    unset; go-zero's etc/<svc>.yaml registers in the etcd at 127.0.0.1:2379."""
    go_mod = "module example.com/{0}\n\ngo 1.21\n"
    _write(
        tmp_path,
        {
            "users/go.mod": go_mod.format("users"),
            "users/main.go": (
                'package main\n\nimport consulapi "github.com/hashicorp/consul/api"\n\n'
                "func main() {\n\tclient, _ := consulapi.NewClient(consulapi.DefaultConfig())\n"
                "\t_ = client\n}\n"
            ),
            "vault/go.mod": go_mod.format("vault"),
            "vault/main.go": (  # Vault's client of the same name reads VAULT_ADDR
                'package main\n\nimport "github.com/hashicorp/vault/api"\n\n'
                "func main() {\n\tclient, _ := api.NewClient(api.DefaultConfig())\n"
                "\t_ = client\n}\n"
            ),
            "order/go.mod": go_mod.format("order"),
            "order/order.go": "package main\n\nfunc main() {}\n",
            "order/etc/order.yaml": (
                "Name: order.rpc\nListenOn: 0.0.0.0:8071\nEtcd:\n  Hosts:\n"
                "  - 127.0.0.1:2379\n  Key: order.rpc\n"
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("code/users", "code/consul", 8500),
        ("code/order", "code/etcd", 2379),
    }


_REGISTERED = """\
package main

import (
	"fmt"
	"net/http"
	"os"

	consulapi "github.com/hashicorp/consul/api"
)

const servicePort = %(port)d

func main() {
	client, _ := consulapi.NewClient(consulapi.DefaultConfig())
	hostname, _ := os.Hostname()
	registration := &consulapi.AgentServiceRegistration{
		Name:    "%(name)s",
		Port:    servicePort,
		Address: hostname,
%(check)s
	}
	_ = client.Agent().ServiceRegister(registration)
	_ = http.ListenAndServe(fmt.Sprintf(":%%d", servicePort), nil)
}
"""


def test_a_go_program_registers_a_check_on_its_own_address(tmp_path: Path) -> None:
    """Consul's agent polls the check on the program's own host name (its listen port);
    a registration without a check is polled by nobody."""
    check = (
        "\t\tCheck: &consulapi.AgentServiceCheck{\n"
        '\t\t\tHTTP:     fmt.Sprintf("http://%s:%d/health", hostname, servicePort),\n'
        '\t\t\tInterval: "10s",\n\t\t},'
    )
    _write(
        tmp_path,
        {
            "users/go.mod": "module example.com/users\n\ngo 1.21\n",
            "users/main.go": _REGISTERED % {"port": 8081, "name": "users", "check": check},
            "stock/go.mod": "module example.com/stock\n\ngo 1.21\n",
            "stock/main.go": _REGISTERED % {"port": 8082, "name": "stock", "check": ""},
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("code/users", "code/consul", 8500),
        ("code/stock", "code/consul", 8500),
        ("code/consul", "code/users", 8081),
    }
    jaeger = host_server(6831)  # the Jaeger agent's UDP port
    assert jaeger is not None and (jaeger.id, jaeger.ports[0].protocol) == ("code/jaeger", "UDP")
    nacos = host_server(8848)
    assert nacos is not None and nacos.id == "code/nacos"


def test_a_database_image_of_the_repository_is_the_server_on_its_port(tmp_path: Path) -> None:
    """``db/Dockerfile`` builds on ``postgres`` (adding the schema): that unit listens on
    5432, so ``localhost:5432`` is it, not a Postgres of the README's; with two such images
    the port names neither."""
    _write(
        tmp_path,
        {
            "orders/pom.xml": _pom("orders"),
            "orders/src/main/resources/application.yml": (
                "spring:\n  datasource:\n    url: jdbc:postgresql://localhost:5432/orders\n"
            ),
            "db/Dockerfile": "FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {("code/orders", "code/db", 5432)}
    _write(tmp_path, {"db2/Dockerfile": "FROM postgres:16\n"})
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == set()
    assert [u.reason for u in graph.unresolved] == [
        "2 build units of the input listen on port 5432"
    ]
