"""Services on the host's network (``network_mode: host``) and Micronaut service ids:
``localhost:<port>`` is the host's port, so the service listening there; a Micronaut
``@Client(id = ...)`` is the module that declares ``micronaut.application.name``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

    from socklock.model import ServiceGraph

COMPOSE = """\
services:
  consul:
    image: hashicorp/consul:1.19
    network_mode: host
  broker:
    image: example/kafka
    network_mode: host
    ports:
      - 9092:9092
  search:
    image: elasticsearch:8.14.0
    ports:
      - "19200:9200"
  private:
    image: example/private
    ports:
      - "10.0.0.5:7000:7000"
  web:
    build: ./web
    network_mode: host
  orders:
    build: ./orders
    network_mode: host
  billing:
    build: ./billing
    network_mode: host
  tool:
    image: example/tool
    network_mode: host
    environment:
      BROKERS: localhost:9092
      NOBODY: localhost:4444
  bridged:
    image: example/bridged
    environment:
      BROKERS: localhost:9092
"""
WEB_YML = """\
micronaut:
  application:
    name: web
  server:
    host: localhost
    port: ${SERVICE_PORT:8081}
consul:
  client:
    defaultZone: "${CONSUL_HOST:localhost}:${CONSUL_PORT:8500}"
kafka:
  bootstrap:
    servers: "${KAFKA_HOST:localhost}:${KAFKA_PORT:9092}"
elastic:
  url: http://localhost:19200
private:
  url: http://localhost:7000
billing:
  url: http://localhost:8082/invoices
"""
WEB_JAVA = """\
@Client(id = "order-service")
interface OrdersClient {}

@Client(id = "ghost-service")
interface GhostClient {}
"""
ORDERS_YML = """\
micronaut:
  application:
    name: order-service
  server:
    port: ${SERVICE_PORT:-1}
"""


def _graph(root: Path, *, code: bool = True) -> ServiceGraph:
    return discover(load_paths([str(root)]), code=code)


def test_localhost_from_the_hosts_network_reaches_the_service_on_that_host_port(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            "web/Dockerfile": "FROM eclipse-temurin:21\n",
            "web/src/main/resources/application.yml": WEB_YML,
            "web/src/main/java/Clients.java": WEB_JAVA,
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "orders/src/main/resources/application.yml": ORDERS_YML,
            "billing/Dockerfile": "FROM eclipse-temurin:21\n",
            "billing/src/main/resources/application.yml": (
                "micronaut:\n  server:\n    port: ${SERVICE_PORT:8082}\n"
            ),
        },
    )
    graph = _graph(tmp_path)
    project = tmp_path.name
    edges = {(e.source, e.target, e.port) for e in graph.edges}
    # consul by its image's port, the broker by its declared ports, billing by the port its
    # build declares, search by the host port it publishes (19200 → 9200); 10.0.0.5:7000 is
    # not localhost; the Micronaut client id is
    # the module that names itself order-service, whose port is random (-1: no port);
    # the bridged service's localhost is its own container: no call
    assert edges == {
        (f"{project}/web", f"{project}/consul", 8500),
        (f"{project}/web", f"{project}/broker", 9092),
        (f"{project}/web", f"{project}/search", 9200),
        (f"{project}/web", f"{project}/orders", None),
        (f"{project}/web", f"{project}/billing", 8082),
        (f"{project}/tool", f"{project}/broker", 9092),
    }
    unresolved = {(u.source, u.expression, u.reason) for u in graph.unresolved}
    assert (
        f"{project}/web",
        "http://localhost:7000",
        "no service of the host's network listens on port 7000",
    ) in unresolved
    assert (
        f"{project}/web",
        "ghost-service",
        "Micronaut client id 'ghost-service' matches no workload",
    ) in unresolved


def test_the_consul_agent_polls_the_http_checks_of_the_services_registered_with_it(
    tmp_path: Path,
) -> None:
    def service(name: str, registration: str) -> str:
        return (
            f"micronaut:\n  application:\n    name: {name}\n  server:\n    port: 9000\n"
            f"consul:\n  client:\n    defaultZone: consul:8500\n{registration}"
        )

    checked = "    registration:\n      check:\n        http: true\n"
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n  consul:\n    image: hashicorp/consul:1.19\n"
                + "".join(f"  {n}:\n    build: ./{n}\n" for n in ("orders", "ttl", "silent"))
            ),
            **{f"{n}/Dockerfile": "FROM eclipse-temurin:21\n" for n in ("orders", "ttl", "silent")},
            "orders/src/main/resources/application.yml": service("orders", checked),
            "ttl/src/main/resources/application.yml": service("ttl", ""),
            "silent/src/main/resources/application.yml": service(
                "silent",
                "    registration:\n      enabled: false\n      check:\n        http: true\n",
            ),
        },
    )
    project = tmp_path.name
    edges = {(e.source, e.target, e.port) for e in _graph(tmp_path).edges}
    # a TTL check (the default) is the service's own call; registration off: no check
    assert edges == {
        (f"{project}/orders", f"{project}/consul", 8500),
        (f"{project}/ttl", f"{project}/consul", 8500),
        (f"{project}/silent", f"{project}/consul", 8500),
        (f"{project}/consul", f"{project}/orders", 9000),
    }


def test_a_proxy_on_the_hosts_network_reaches_the_build_listening_on_the_port(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  web:\n    build: ./web\n    network_mode: host\n"
                "  gateway:\n    build: ./gateway\n    network_mode: host\n"
            ),
            "web/Dockerfile": (
                "FROM nginx\n"
                "ENV GATEWAY_URL=${GATEWAY_URL:-http://localhost:8081}\n"
                "COPY ./app.conf /etc/nginx/conf.d/default.tmpl\n"
                "COPY entrypoint.sh /\n"
                'ENTRYPOINT ["/entrypoint.sh"]\n'
            ),
            "web/entrypoint.sh": (
                "#!/bin/bash\n"
                "envsubst < /etc/nginx/conf.d/default.tmpl '${GATEWAY_URL}'"
                " > /etc/nginx/conf.d/default.conf\n"
                "exec nginx -g 'daemon off;'\n"
            ),
            "web/app.conf": (
                "server {\n  listen 80;\n  location /api {\n    proxy_pass $GATEWAY_URL;\n  }\n}\n"
            ),
            "gateway/Dockerfile": "FROM eclipse-temurin:21\n",
            "gateway/src/main/resources/application.yml": (
                "micronaut:\n  server:\n    port: ${SERVICE_PORT:8081}\n"
            ),
        },
    )
    project = tmp_path.name
    edges = {(e.source, e.target, e.port) for e in _graph(tmp_path).edges}
    # the image's ENV fills ${GATEWAY_URL:-...} at build time; envsubst renders the template
    assert edges == {(f"{project}/web", f"{project}/gateway", 8081)}


def test_a_program_on_the_hosts_network_listens_where_its_listen_call_says(
    tmp_path: Path,
) -> None:
    """A NestJS gRPC server on the host's network (``connectMicroservice`` options
    ``url: '0.0.0.0:50051'``) listens on the host's port 50051, so the client beside it
    dialling ``localhost:50051`` reaches it; ``localhost:50052``, where nothing listens, is
    no call."""
    server_main = (
        "import { NestFactory } from '@nestjs/core';\n"
        "import { Transport } from '@nestjs/microservices';\n"
        "async function bootstrap() {\n"
        "  const app = await NestFactory.create(AppModule);\n"
        "  app.connectMicroservice({\n"
        "    transport: Transport.GRPC,\n"
        "    options: { url: '0.0.0.0:50051', package: 'product' },\n"
        "  });\n"
        "  await app.startAllMicroservices();\n"
        "}\n"
        "bootstrap();\n"
    )
    client_module = (
        "import { ClientsModule, Transport } from '@nestjs/microservices';\n"
        "export const clients = ClientsModule.register([\n"
        "  { name: 'PRODUCT', transport: Transport.GRPC,\n"
        "    options: { url: 'localhost:50051', package: 'product' } },\n"
        "  { name: 'STOCK', transport: Transport.GRPC,\n"
        "    options: { url: 'localhost:50052', package: 'stock' } },\n"
        "]);\n"
    )
    node = "    image: node:20-alpine\n    network_mode: host\n"
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                f"  server:\n{node}    volumes:\n      - ./server:/home/node/app\n"
                "    working_dir: /home/node/app\n    command: npm start\n"
                f"  client:\n{node}    volumes:\n      - ./client:/home/node/app\n"
                "    working_dir: /home/node/app\n    command: npm start\n"
            ),
            "server/package.json": '{"name": "server", "scripts": {"start": "node dist/main"}}',
            "server/src/main.ts": server_main,
            "client/package.json": '{"name": "client", "scripts": {"start": "node dist/main"}}',
            "client/src/app.module.ts": client_module,
        },
    )
    project = tmp_path.name
    edges = {(e.source, e.target, e.port) for e in _graph(tmp_path).edges if not e.hint}
    assert edges == {(f"{project}/client", f"{project}/server", 50051)}
