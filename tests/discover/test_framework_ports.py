"""A service reached by a registry name listens on its web framework's default port when
nothing configures one (Spring Boot's 8080), and on no guessed port when something may."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.discover.framework_ports import default_port, framework_of
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

POM = """\
<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>shop</groupId>
  <artifactId>{name}</artifactId>
  <dependencies>{dependencies}</dependencies>
</project>
"""
WEB = (
    "<dependency><groupId>org.springframework.boot</groupId>"
    "<artifactId>spring-boot-starter-web</artifactId></dependency>"
)
MAIN = "@SpringBootApplication\npublic class App { public static void main(String[] a) {} }\n"
FEIGN = "".join(
    f'@FeignClient("{name}")\ninterface {name.title()}Client {{}}\n'
    for name in ("orders", "billing", "stock", "runner", "legacy", "ledger")
)
COMPOSE = """\
services:
  gateway: {build: ./gateway}
  orders: {build: ./orders}
  billing: {build: ./billing}
  stock:
    build: ./stock
    command: java -Dserver.port=9000 -jar /app.jar
  runner: {build: ./runner}
  legacy: {build: ./legacy}
  ledger:
    build: ./ledger
    expose: ["9090", "9091"]
"""


def _module(root: Path, name: str, *, spring: bool = True, config: str = "") -> None:
    directory = root / name
    (directory / "src/main/resources").mkdir(parents=True)
    (directory / "src/main/java/shop").mkdir(parents=True)
    (directory / "pom.xml").write_text(
        POM.format(name=name, dependencies=WEB if spring else ""), encoding="utf-8"
    )
    (directory / "Dockerfile").write_text("FROM eclipse-temurin:21\n", encoding="utf-8")
    (directory / "src/main/java/shop/App.java").write_text(MAIN, encoding="utf-8")
    application = f"spring:\n  application:\n    name: {name}\n{config}"
    (directory / "src/main/resources/application.yml").write_text(application, encoding="utf-8")


def test_registry_names_reach_the_framework_default_port_only_when_nothing_moves_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "docker-compose.yml").write_text(COMPOSE, encoding="utf-8")
    _module(tmp_path, "gateway")
    (tmp_path / "gateway/src/main/java/shop/Clients.java").write_text(FEIGN, encoding="utf-8")
    _module(tmp_path, "orders")  # nothing sets a port: Spring Boot's 8080
    # a port under a profile it does not run: not the default either (fail closed)
    _module(
        tmp_path,
        "billing",
        config="---\nspring.config.activate.on-profile: dev\nserver:\n  port: 9100\n",
    )
    _module(tmp_path, "stock")  # its command line moves the port
    _module(tmp_path, "runner")  # its entry-point script moves the port
    (tmp_path / "runner/Dockerfile").write_text(
        'FROM eclipse-temurin:21\nCOPY run.sh /run.sh\nENTRYPOINT ["/run.sh"]\n', "utf-8"
    )
    (tmp_path / "runner/run.sh").write_text(
        "#!/bin/sh\nexec java -Dserver.port=9300 -jar /app.jar\n", "utf-8"
    )
    _module(tmp_path, "legacy", spring=False)  # no framework: no default
    _module(tmp_path, "ledger")  # its deployment declares other ports
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    ports = {
        e.target.rsplit("/", 1)[1]: e.port for e in graph.edges if e.source.endswith("/gateway")
    }
    assert ports == {
        "orders": 8080,
        "billing": None,
        "stock": None,
        "runner": None,
        "legacy": None,
        "ledger": None,
    }


def test_framework_of_needs_exactly_one_framework() -> None:
    spring = framework_of(["spring-boot-starter-web", "jackson-databind"])
    assert spring is not None and spring.name == "Spring Boot"
    assert framework_of(["spring-cloud-starter-netflix-eureka-client"]) == spring
    assert framework_of(["spring-core", "jackson-databind"]) is None
    assert framework_of(["spring-boot-starter", "quarkus-resteasy"]) is None
    assert framework_of([]) is None


def test_default_port_fails_closed() -> None:
    spring = framework_of(["spring-boot-starter-web"])
    assert default_port(spring, configured=False, written=[], declared=[]) == 8080
    assert default_port(spring, configured=False, written=[], declared=[8080, 8081]) == 8080
    assert default_port(spring, configured=True, written=[], declared=[]) is None
    assert default_port(spring, configured=False, written=["SERVER_PORT=9000"], declared=[]) is None
    written = ["java -Dserver.port=7000 -jar app.jar", "QUARKUS_HTTP_PORT=1"]
    assert default_port(spring, configured=False, written=written[:1], declared=[]) is None
    written = ["java --server.port=7000 -jar app.jar"]
    assert default_port(spring, configured=False, written=written, declared=[]) is None
    assert default_port(spring, configured=False, written=["JAVA_OPTS=-Xmx1g"], declared=[]) == 8080
    assert default_port(spring, configured=False, written=[], declared=[9090]) is None
    assert default_port(None, configured=False, written=[], declared=[]) is None
