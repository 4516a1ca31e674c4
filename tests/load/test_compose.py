"""docker-compose loading: every form of the Compose Specification that socklock reads."""

from __future__ import annotations

from socklock.load import load_paths

COMPOSE = """\
name: shop
services:
  web:
    build: ./web
    image: shop/web:1
    ports:
      - "8079:8080"
      - "127.0.0.1:9000:9000/udp"
      - target: 443
        published: 8443
        host_ip: 0.0.0.0
    expose: ["8080", 9090, "7000-7002"]
    environment:
      - CATALOGUE_URL=http://catalogue:8080
      - FROM_SHELL
    env_file: [.env, {path: extra.env}]
    depends_on: [catalogue]
    links: ["db:database"]
    networks: [front, back]
    user: "10001"
    read_only: true
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
    security_opt: ["no-new-privileges:true"]
    healthcheck: {test: ["CMD", "true"]}
    deploy:
      resources:
        limits: {memory: 256M}
  catalogue:
    build: {context: ./catalogue, dockerfile: Containerfile}
    environment:
      DB: mysql://catalogue-db:3306/socks
      EMPTY:
    depends_on:
      db: {condition: service_healthy}
    privileged: true
    network_mode: host
    pid: host
    ipc: host
    volumes: ["/var/run/docker.sock:/var/run/docker.sock", {type: bind, source: /, target: /host}]
    mem_limit: 1g
  db:
networks:
  front: {}
  back: {internal: true}
"""


def test_compose_forms(write) -> None:  # type: ignore[no-untyped-def]
    path = write("app/docker-compose.yml", COMPOSE)
    inventory = load_paths([str(path)])
    assert inventory.diagnostics == ()
    (project,) = inventory.compose_projects
    assert project.name == "shop"
    assert {n: (net.internal, net.location.line) for n, net in project.networks.items()} == {
        "front": (False, 44),
        "back": (True, 45),
    }
    web, catalogue, db = project.services
    assert web.id == "shop/web"
    assert web.build_context == str(path.parent / "web")
    assert [(p.target, p.published, p.host_ip, p.protocol, p.location.line) for p in web.ports] == [
        (8080, "8079", None, "tcp", 7),
        (9000, "9000", "127.0.0.1", "udp", 8),
        (443, "8443", "0.0.0.0", "tcp", 9),
    ]
    assert web.expose == (8080, 9090, 7000, 7001, 7002)
    assert [(e.name, e.value, e.location.line) for e in web.environment] == [
        ("CATALOGUE_URL", "http://catalogue:8080", 14),
        ("FROM_SHELL", None, 15),
    ]
    assert web.env_files == (str(path.parent / ".env"), str(path.parent / "extra.env"))
    assert [(d.service, d.kind, d.alias) for d in web.dependencies] == [
        ("catalogue", "depends_on", None),
        ("db", "links", "database"),
    ]
    assert web.networks == ("front", "back")
    assert (web.user, web.read_only, web.cap_drop, web.cap_add) == (
        "10001",
        True,
        ("ALL",),
        ("NET_BIND_SERVICE",),
    )
    assert web.security_opt == ("no-new-privileges:true",)
    assert web.healthcheck is not None and web.memory_limit == "256M"
    assert catalogue.dockerfile == "Containerfile"
    assert [(e.name, e.value) for e in catalogue.environment] == [
        ("DB", "mysql://catalogue-db:3306/socks"),
        ("EMPTY", None),
    ]
    assert [(d.service, d.condition) for d in catalogue.dependencies] == [("db", "service_healthy")]
    assert (catalogue.privileged, catalogue.network_mode, catalogue.pid, catalogue.ipc) == (
        True,
        "host",
        "host",
        "host",
    )
    assert catalogue.volumes[0] == "/var/run/docker.sock:/var/run/docker.sock"
    assert catalogue.memory_limit == "1g"
    assert catalogue.networks == ("default",)
    assert db.name == "db" and db.location.line == 42


def test_project_name_defaults_to_directory(write) -> None:  # type: ignore[no-untyped-def]
    path = write("My Shop/compose.yaml", "services:\n  a: {image: x}\n")
    (project,) = load_paths([str(path)]).compose_projects
    assert project.name == "myshop"


def test_compose_errors_name_the_line(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "docker-compose.yml",
        """\
services:
  a:
    ports: ["not-a-port"]
    environment: 5
    read_only: "yes"
  b: [1]
  c: {image: ok}
""",
    )
    inventory = load_paths([str(path)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{path}:3:13: error: compose service a: ports entry 'not-a-port' is not "
        "HOST:CONTAINER[/PROTO]",
        f"{path}:4:5: error: compose service a: environment must be a list or a mapping",
        f"{path}:5:5: error: compose service a: read_only must be true or false, not 'yes'",
        f"{path}:6:3: error: compose service b: service must be a mapping",
    ]
    assert [s.name for s in inventory.compose_projects[0].services] == ["a", "c"]


def test_expose_reads_the_container_side_of_a_ports_style_entry(write) -> None:  # type: ignore[no-untyped-def]
    """Compose accepts ``expose: ["1616:1616"]`` (its schema checks no format there): the
    container side is exposed, no error. A word that is no port stays an error."""
    path = write(
        "compose.yaml",
        'services:\n  mq: {image: mq, expose: ["1616:1616", "8080:80/tcp", 5672]}\n'
        '  bad: {image: x, expose: ["amqp"]}\n',
    )
    inventory = load_paths([str(path)])
    mq, bad = inventory.compose_projects[0].services
    assert (mq.expose, bad.expose) == ((1616, 80, 5672), ())
    assert [d.message for d in inventory.diagnostics] == [
        "compose service bad: expose entry 'amqp' is not a port"
    ]
