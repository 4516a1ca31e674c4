"""Well-known application images read their peers' addresses from the env their own
documentation names, with defaults and conditions: every row of
data/image_conventions.toml, and the map of small deployments that run such images."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from socklock.discover import discover
from socklock.discover.image_conventions import ImageRun, families, family_of, image_name
from socklock.load import load_paths
from socklock.model import Evidence, EvidenceKind, Location

if TYPE_CHECKING:
    from pathlib import Path

_HERE = Location("compose.yaml", 1, 1)

# image, env, command words → (host, port) of every call: those of the env, then the defaults
CASES: list[tuple[str, dict[str, str], tuple[str, ...], list[tuple[str, int | None]]]] = [
    (
        "temporalio/auto-setup:1.29",
        {"DB": "postgres12", "POSTGRES_SEEDS": "pg"},
        (),
        [("pg", 5432)],
    ),
    (
        "temporalio/server",
        {"DB": "postgresql", "POSTGRES_SEEDS": "pg1,pg2", "DB_PORT": "6432"},
        (),
        [("pg1", 6432), ("pg2", 6432)],
    ),
    ("temporalio/auto-setup", {"DB": "mysql8", "MYSQL_SEEDS": "my"}, (), [("my", 3306)]),
    ("temporalio/auto-setup", {"CASSANDRA_SEEDS": "cass"}, (), [("cass", 9042)]),
    ("temporalio/auto-setup", {"ENABLE_ES": "true", "ES_SEEDS": "es"}, (), [("es", 9200)]),
    ("temporalio/ui:2.34.0", {"TEMPORAL_ADDRESS": "frontend"}, (), [("frontend", 7233)]),
    ("kong:3.6", {"KONG_PG_HOST": "pg"}, (), [("pg", 5432)]),
    (
        "kong/kong-gateway:3.6",
        {"KONG_DATABASE": "postgres", "KONG_PG_RO_HOST": "replica", "KONG_PG_RO_PORT": "5433"},
        (),
        [("replica", 5433)],
    ),
    (
        "kong:2.8",
        {"KONG_DATABASE": "cassandra", "KONG_CASSANDRA_CONTACT_POINTS": "c1,c2"},
        (),
        [("c1", 9042), ("c2", 9042)],
    ),
    ("docker.elastic.co/kibana/kibana:8.4.1", {}, (), [("elasticsearch", 9200)]),
    ("kibana:7.17", {"ELASTICSEARCH_HOSTS": "http://search:9200"}, (), [("search", 9200)]),
    (
        "grafana/grafana:10",
        {"GF_DATABASE_TYPE": "mysql", "GF_DATABASE_HOST": "mydb"},
        (),
        [("mydb", 3306)],
    ),
    (
        "grafana/grafana-oss",
        {"GF_DATABASE_TYPE": "postgres", "GF_DATABASE_HOST": "pgdb"},
        (),
        [("pgdb", 5432)],
    ),
    ("grafana/grafana", {"GF_DATABASE_URL": "postgres://u:p@pgdb:5432/g"}, (), [("pgdb", 5432)]),
    (
        "grafana/grafana",
        {"GF_RENDERING_SERVER_URL": "http://renderer:8081/render"},
        (),
        [("renderer", 8081)],
    ),
    (
        "quay.io/keycloak/keycloak:24",
        {"KC_DB_URL": "jdbc:postgresql://kcdb:5432/keycloak"},
        (),
        [("kcdb", 5432)],
    ),
    ("keycloak/keycloak", {"KC_DB": "postgres", "KC_DB_URL_HOST": "kcdb"}, (), [("kcdb", 5432)]),
    ("keycloak/keycloak", {"KC_DB": "mariadb", "KC_DB_URL_HOST": "kcdb"}, (), [("kcdb", 3306)]),
    (
        "bitnami/keycloak:24-debian-12",
        {"KEYCLOAK_DATABASE_HOST": "kcdb", "KEYCLOAK_DATABASE_PORT": "6432"},
        (),
        [("kcdb", 6432)],
    ),
    ("bitnami/keycloak", {}, (), [("postgresql", 5432)]),
    (
        "bitnamilegacy/keycloak",
        {"KEYCLOAK_DATABASE_HOST": "kcdb", "KC_DB_URL": "jdbc:postgresql://other:5433/kc"},
        (),
        [("kcdb", 5432), ("other", 5433)],
    ),
    ("jboss/keycloak", {"DB_VENDOR": "postgres", "DB_ADDR": "kcdb"}, (), [("kcdb", 5432)]),
    ("jboss/keycloak", {"DB_VENDOR": "mysql", "DB_ADDR": "kcdb"}, (), [("kcdb", 3306)]),
    ("metabase/metabase", {"MB_DB_TYPE": "postgres", "MB_DB_HOST": "mbdb"}, (), [("mbdb", 5432)]),
    ("metabase/metabase", {"MB_DB_TYPE": "mysql", "MB_DB_HOST": "mbdb"}, (), [("mbdb", 3306)]),
    (
        "metabase/metabase",
        {"MB_DB_CONNECTION_URI": "postgres://mbdb:5432/metabase"},
        (),
        [("mbdb", 5432)],
    ),
    (
        "sonarqube:community",
        {"SONAR_JDBC_URL": "jdbc:postgresql://sonardb/sonar"},
        (),
        [("sonardb", 5432)],
    ),
    (
        "n8nio/n8n",
        {"DB_TYPE": "postgresdb", "DB_POSTGRESDB_HOST": "n8ndb"},
        (),
        [("n8ndb", 5432)],
    ),
    (
        "docker.n8n.io/n8nio/n8n",
        {"EXECUTIONS_MODE": "queue", "QUEUE_BULL_REDIS_HOST": "queue"},
        (),
        [("queue", 6379)],
    ),
    ("wordpress:6", {}, (), [("mysql", 3306)]),
    ("wordpress:6", {"WORDPRESS_DB_HOST": "blogdb:3307"}, (), [("blogdb", 3307)]),
    ("odoo:17", {}, (), [("db", 5432)]),
    ("ghcr.io/zammad/zammad:7.1", {}, ("zammad-init",), [("zammad-elasticsearch", 9200)]),
    ("openproject/community:13", {"APP_HOST": "web"}, ("./docker/prod/proxy",), [("web", 8080)]),
    (
        "zammad/zammad",
        {},
        ("zammad-nginx",),
        [("zammad-railsserver", 3000), ("zammad-websocket", 6042)],
    ),
    (
        "plausible/analytics:v2.0",
        {},
        (),
        [("plausible_db", 5432), ("plausible_events_db", 8123), ("mail", 25)],
    ),
    (
        "taigaio/taiga-back",
        {},
        (),
        [("taiga-async-rabbitmq", 5672), ("taiga-events-rabbitmq", 5672)],
    ),
    ("taigaio/taiga-events", {}, (), [("taiga-events-rabbitmq", 5672)]),
    ("adminer:4", {}, (), [("db", None)]),  # the port: the database system the user picks
    ("phpmyadmin", {}, (), [("db", 3306)]),
    (
        "phpmyadmin/phpmyadmin",
        {"PMA_HOSTS": "a,b", "PMA_PORT": "3307"},
        (),
        [("a", 3307), ("b", 3307)],
    ),
    (
        "pimcore/pimcore:php8.2-debug-latest",
        {"PIMCORE_INSTALL_MYSQL_HOST_SOCKET": "db", "PIMCORE_INSTALL_MYSQL_PORT": "3307"},
        (),
        [("db", 3307)],
    ),
    # a socket path is no address
    (
        "pimcore/pimcore:php8.3-latest",
        {"PIMCORE_INSTALL_MYSQL_HOST_SOCKET": "/var/run/mysqld/mysqld.sock"},
        (),
        [],
    ),
    ("docker.elastic.co/beats/filebeat:8.4.1", {}, (), [("elasticsearch", 9200)]),
    ("elastic/metricbeat:8", {"ELASTICSEARCH_HOSTS": "es01:9200"}, (), [("es01", 9200)]),
    ("docker.elastic.co/beats/heartbeat:8.4.1", {}, (), [("elasticsearch", 9200)]),
    (
        "openzipkin/zipkin",
        {"STORAGE_TYPE": "elasticsearch", "ES_HOSTS": "http://es:9200"},
        (),
        [("es", 9200)],
    ),
    ("openzipkin/zipkin", {"STORAGE_TYPE": "mysql", "MYSQL_HOST": "zdb"}, (), [("zdb", 3306)]),
    (
        "openzipkin/zipkin-slim",
        {"STORAGE_TYPE": "cassandra3", "CASSANDRA_CONTACT_POINTS": "c1"},
        (),
        [("c1", 9042)],
    ),
    (
        "jaegertracing/all-in-one:1.57",
        {"SPAN_STORAGE_TYPE": "elasticsearch", "ES_SERVER_URLS": "http://es:9200"},
        (),
        [("es", 9200)],
    ),
    (
        "jaegertracing/jaeger-collector",
        {"SPAN_STORAGE_TYPE": "cassandra", "CASSANDRA_SERVERS": "c1"},
        (),
        [("c1", 9042)],
    ),
    # the collector's and query's default storage is Cassandra
    ("jaegertracing/jaeger-query:1.50", {"CASSANDRA_SERVERS": "c2"}, (), [("c2", 9042)]),
    (
        "jaegertracing/jaeger-query",
        {"SPAN_STORAGE_TYPE": "opensearch", "ES_SERVER_URLS": "http://os:9200"},
        (),
        [("os", 9200)],
    ),
    (
        "jaegertracing/all-in-one",
        {"SPAN_STORAGE_TYPE": "cassandra", "CASSANDRA_SERVERS": "c3", "CASSANDRA_PORT": "9043"},
        (),
        [("c3", 9043)],
    ),
    ("jaegertracing/jaeger-cassandra-schema", {}, (), [("cassandra", 9042)]),
    ("jaegertracing/jaeger-cassandra-schema", {"CQLSH_HOST": "cdb"}, (), [("cdb", 9042)]),
    (
        "jaegertracing/jaeger-collector",
        {"SPAN_STORAGE_TYPE": "kafka", "KAFKA_PRODUCER_BROKERS": "k1,k2:9093"},
        (),
        [("k1", 9092), ("k2", 9093)],
    ),
    (
        "ghost:5",
        {"database__client": "mysql", "database__connection__host": "gdb"},
        (),
        [("gdb", 3306)],
    ),
    ("matomo", {"MATOMO_DATABASE_HOST": "mdb"}, (), [("mdb", 3306)]),
    ("redmine:5", {"REDMINE_DB_MYSQL": "rdb"}, (), [("rdb", 3306)]),
    ("redmine:5", {"REDMINE_DB_POSTGRES": "rdb", "REDMINE_DB_PORT": "6432"}, (), [("rdb", 6432)]),
    ("nextcloud:29", {"MYSQL_HOST": "ncdb"}, (), [("ncdb", 3306)]),
    ("nextcloud:29", {"POSTGRES_HOST": "ncdb"}, (), [("ncdb", 5432)]),
    ("nextcloud:29", {"REDIS_HOST": "cache"}, (), [("cache", 6379)]),
    (
        "gitea/gitea:1.21",
        {"GITEA__database__DB_TYPE": "postgres", "GITEA__database__HOST": "gdb"},
        (),
        [("gdb", 5432)],
    ),
    ("gitea/gitea:1.21", {"GITEA__database__HOST": "gdb"}, (), [("gdb", 3306)]),
    ("gitea/gitea:1.12", {"DB_TYPE": "postgres", "DB_HOST": "gdb:5433"}, (), [("gdb", 5433)]),
    ("gitea/gitea:1.12", {"DB_TYPE": "mysql", "DB_HOST": "gdb"}, (), [("gdb", 3306)]),
    ("monica:fpm-alpine", {"DB_CONNECTION": "mysql", "DB_HOST": "db"}, (), [("db", 3306)]),
    (
        "fireflyiii/core:latest",
        {"DB_CONNECTION": "pgsql", "DB_HOST": "pg", "DB_PORT": "5433"},
        ("queue.sh",),  # another command of the image: the same Laravel config
        [("pg", 5433)],
    ),
    ("snipe/snipe-it", {"DB_CONNECTION": "sqlsrv", "DB_HOST": "ms"}, (), [("ms", 1433)]),
    ("lscr.io/linuxserver/bookstack", {"REDIS_HOST": "cache"}, (), [("cache", 6379)]),
    # every node meets the others on the cluster bus; the creator also on the client port
    (
        "docker.io/bitnami/redis-cluster:7.0",
        {"REDIS_NODES": "node-0 node-1"},
        (),
        [("node-0", 16379), ("node-1", 16379)],
    ),
    (
        "bitnami/redis-cluster",
        {"REDIS_NODES": "node-0 node-1", "REDIS_CLUSTER_CREATOR": "yes"},
        (),
        [("node-0", 16379), ("node-1", 16379), ("node-0", 6379), ("node-1", 6379)],
    ),
    (  # not the creator: the cluster bus only
        "docker.io/bitnamilegacy/redis-cluster:7.0.10",
        {"REDIS_NODES": "node-0", "REDIS_CLUSTER_CREATOR": "no"},
        (),
        [("node-0", 16379)],
    ),
    (
        "bitnami/valkey-cluster:8",
        {"VALKEY_NODES": "v-0,v-1", "VALKEY_CLUSTER_CREATOR": "yes", "VALKEY_PORT_NUMBER": "7000"},
        (),
        [("v-0", 16379), ("v-1", 16379), ("v-0", 7000), ("v-1", 7000)],
    ),
    (
        "redpandadata/console:v2.4",
        {"KAFKA_BROKERS": "k1:9094,k2"},
        (),
        [("k1", 9094), ("k2", 9092)],
    ),
    ("masstransit/platform:7.1.6", {}, (), [("rabbitmq", 5672)]),
    ("masstransit/quartz", {"MT_RMQ__HOST": "bus", "MT_RMQ__PORT": "5673"}, (), [("bus", 5673)]),
    ("masstransit/platform", {"MT_TRANSPORT": "AMQ"}, (), [("activemq", 61616)]),
    (
        "cockroachdb/cockroach:v19.2.9",
        {"COCKROACH_HOST": "crdb"},
        ("shell", "-c", "/cockroach/cockroach.sh", "sql", "--insecure"),
        [("crdb", 26257)],
    ),
    ("cockroachdb/cockroach", {"COCKROACH_HOST": "crdb:26000"}, ("init",), [("crdb", 26000)]),
]


def _calls(
    image: str, env: dict[str, str], command: tuple[str, ...]
) -> list[tuple[str, int | None]]:
    family = family_of([image])
    assert family is not None, image
    run = ImageRun(family, env, command)
    found = []
    for name, value in env.items():
        evidence = Evidence(EvidenceKind.ENV, _HERE, f"env {name}={value}")
        found += run.calls(name, value, evidence) or []
    found += run.defaults(_HERE)
    return [(target.host, target.port) for target, _ in found]


@pytest.mark.parametrize(("image", "env", "command", "expected"), CASES)
def test_an_image_calls_what_its_documentation_says(
    image: str, env: dict[str, str], command: tuple[str, ...], expected: list[tuple[str, int]]
) -> None:
    assert _calls(image, env, command) == expected


def test_every_row_of_the_table_has_a_case() -> None:
    covered: set[tuple[str, tuple[str, ...], int | None]] = set()
    for image, env, command, _ in CASES:
        family = family_of([image])
        assert family is not None
        run = ImageRun(family, env, command)
        for address in family.addresses:
            set_here = any(env.get(name) for name in address.reading.env)
            if run._applies(address) and (set_here or address.default):
                covered.add((family.name, address.reading.env, address.reading.port))
    rows = {
        (family.name, address.reading.env, address.reading.port)
        for family in families()
        for address in family.addresses
    }
    assert rows - covered == set()


@pytest.mark.parametrize(
    ("image", "env", "command"),
    [
        # the condition is off: another store, the feature not switched on, DB-less Kong
        ("temporalio/auto-setup", {"DB": "mysql8", "POSTGRES_SEEDS": "pg"}, ()),
        ("temporalio/auto-setup", {"DB": "postgres12", "CASSANDRA_SEEDS": "cass"}, ()),
        ("temporalio/auto-setup", {"ENABLE_ES": "false", "ES_SEEDS": "es"}, ()),
        ("temporalio/auto-setup", {"ES_SEEDS": "es"}, ()),
        ("kong", {"KONG_DATABASE": "off", "KONG_PG_HOST": "pg"}, ()),
        ("grafana/grafana", {"GF_DATABASE_HOST": "mydb"}, ()),  # type sqlite3 by default
        ("n8nio/n8n", {"QUEUE_BULL_REDIS_HOST": "queue"}, ()),  # regular mode
        ("zammad/zammad", {"ELASTICSEARCH_ENABLED": "false"}, ("zammad-init",)),
        # another command of the image: the websocket server proxies nothing, searches nothing
        ("zammad/zammad", {}, ("zammad-websocket",)),
        ("openproject/openproject", {"APP_HOST": "web"}, ("./docker/prod/worker",)),
        ("openzipkin/zipkin", {"ES_HOSTS": "http://es:9200"}, ()),  # in-memory storage
        ("jaegertracing/all-in-one", {"ES_SERVER_URLS": "http://es:9200"}, ()),
        ("jaegertracing/all-in-one", {"CASSANDRA_SERVERS": "c1"}, ()),  # memory by default
        ("ghost:5", {"database__connection__host": "gdb"}, ()),  # SQLite by default
        ("masstransit/platform", {"MT_TRANSPORT": "ASB", "MT_RMQ__HOST": "bus"}, ()),
        # the server (``cockroach start``) listens; only the client commands dial the host
        ("cockroachdb/cockroach", {"COCKROACH_HOST": "crdb"}, ("start", "--insecure")),
        ("gitea/gitea", {"GITEA__database__DB_TYPE": "sqlite3", "GITEA__database__HOST": "x"}, ()),
        ("monica", {"DB_CONNECTION": "sqlite", "DB_HOST": "db"}, ()),  # a file, no host
        (
            "plausible/analytics",
            {
                "DATABASE_URL": "postgres://localhost/p",
                "CLICKHOUSE_DATABASE_URL": "http://localhost:8123/e",
                "MAILER_ADAPTER": "Bamboo.PostmarkAdapter",
            },
            (),
        ),
    ],
)
def test_no_call_when_the_image_does_not_read_the_address(
    image: str, env: dict[str, str], command: tuple[str, ...]
) -> None:
    assert [host for host, _ in _calls(image, env, command) if host != "localhost"] == []


def test_a_variable_the_image_table_does_not_list_is_left_to_the_generic_reading() -> None:
    family = family_of(["kong"])
    assert family is not None
    evidence = Evidence(EvidenceKind.ENV, _HERE, "env X")
    assert ImageRun(family, {}).calls("KONG_DNS_RESOLVER", "dns:53", evidence) is None


def test_images_are_named_without_registry_tag_and_library_prefix() -> None:
    assert image_name("docker.io/library/kong:3.6") == "kong"
    assert (
        image_name("registry.example.com:5000/team/kibana:8")
        == "registry.example.com:5000/team/kibana"
    )
    assert image_name("temporalio/ui@sha256:abc") == "temporalio/ui"
    assert family_of(["registry.example.com:5000/team/kibana:8"]) is not None
    assert family_of(["kong", "redis:7"]) is None  # a sidecar of another image
    assert family_of(["mykong"]) is None
    assert family_of([None]) is None
    assert family_of([]) is None


def _edges(root: Path, compose: str) -> list[tuple[str, str, int | None]]:
    (root / "compose.yaml").write_text(compose)
    graph = discover(load_paths([str(root)]))
    return sorted((e.source, e.target, e.port) for e in graph.edges if not e.hint)


def test_temporal_stack_calls_its_stores_and_the_toolbox_calls_nothing(tmp_path: Path) -> None:
    compose = (
        "name: wf\nservices:\n"
        "  pg: {image: 'postgres:16', expose: ['5432']}\n"
        "  search: {image: 'elasticsearch:7.17.0', expose: ['9200']}\n"
        "  frontend:\n    image: temporalio/auto-setup:1.29.1\n    environment:\n"
        "      - DB=postgres12\n      - DB_PORT=5432\n      - POSTGRES_SEEDS=pg\n"
        "      - ENABLE_ES=true\n      - ES_SEEDS=search\n    expose: ['7233']\n"
        "  tools:\n    image: temporalio/admin-tools:1.29\n    depends_on: [frontend]\n"
        "    environment:\n      - TEMPORAL_ADDRESS=frontend:7233\n"
        "  web:\n    image: temporalio/ui:2.34.0\n    environment:\n"
        "      - TEMPORAL_ADDRESS=frontend:7233\n"
    )
    assert _edges(tmp_path, compose) == [
        ("wf/frontend", "wf/pg", 5432),
        ("wf/frontend", "wf/search", 9200),
        ("wf/web", "wf/frontend", 7233),
    ]


def test_a_toolbox_given_a_command_calls_what_its_env_names(tmp_path: Path) -> None:
    compose = (
        "name: wf\nservices:\n"
        "  frontend: {image: 'temporalio/auto-setup:1.29.1', expose: ['7233']}\n"
        "  setup:\n    image: temporalio/admin-tools:1.29\n"
        "    command: temporal operator namespace create default\n"
        "    environment:\n      - TEMPORAL_ADDRESS=frontend:7233\n"
    )
    assert _edges(tmp_path, compose) == [("wf/setup", "wf/frontend", 7233)]


def test_a_switched_off_store_is_not_called(tmp_path: Path) -> None:
    compose = (
        "name: gw\nservices:\n"
        "  pg: {image: 'postgres:16', expose: ['5432']}\n"
        "  search: {image: 'elasticsearch:7.17.0', expose: ['9200']}\n"
        "  frontend:\n    image: temporalio/server:1.29.1\n    environment:\n"
        "      DB: mysql8\n      POSTGRES_SEEDS: pg\n      ENABLE_ES: 'false'\n"
        "      ES_SEEDS: search\n"
        "  proxy:\n    image: kong:3.6\n    environment:\n"
        "      KONG_DATABASE: 'off'\n      KONG_PG_HOST: pg\n"
    )
    assert _edges(tmp_path, compose) == []


def test_redis_cluster_nodes_meet_each_other_but_not_themselves(tmp_path: Path) -> None:
    nodes = "node-0 node-1 node-2"
    compose = "name: c\nservices:\n" + "".join(
        f"  node-{i}:\n    image: bitnami/redis-cluster:7.0\n    environment:\n"
        f"      REDIS_NODES: {nodes}\n" + ("      REDIS_CLUSTER_CREATOR: 'yes'\n" if i == 2 else "")
        for i in range(3)
    )
    bus = [(f"c/node-{a}", f"c/node-{b}", 16379) for a in range(3) for b in range(3) if a != b]
    create = [("c/node-2", f"c/node-{b}", 6379) for b in range(2)]
    assert _edges(tmp_path, compose) == sorted(bus + create)


def test_a_default_address_counts_only_when_its_workload_exists(tmp_path: Path) -> None:
    with_es = (
        "name: logs\nservices:\n"
        "  elasticsearch: {image: 'elasticsearch:8.4.1', expose: ['9200']}\n"
        "  kibana: {image: 'kibana:8.4.1'}\n"
    )
    assert _edges(tmp_path, with_es) == [("logs/kibana", "logs/elasticsearch", 9200)]
    without = (
        "name: logs\nservices:\n"
        "  search: {image: 'elasticsearch:8.4.1'}\n"
        "  kibana: {image: 'kibana:8.4.1'}\n"
    )
    assert _edges(tmp_path, without) == []
    assert discover(load_paths([str(tmp_path)])).unresolved == ()


def test_a_mounted_config_file_replaces_the_default(tmp_path: Path) -> None:
    compose = (
        "name: logs\nservices:\n"
        "  elasticsearch: {image: 'elasticsearch:8.4.1', expose: ['9200']}\n"
        "  kibana:\n    image: kibana:8.4.1\n"
        "    volumes: ['./kibana.yml:/usr/share/kibana/config/kibana.yml:ro']\n"
    )
    assert _edges(tmp_path, compose) == []


def test_one_image_dispatching_on_its_command_calls_per_command(tmp_path: Path) -> None:
    compose = (
        "name: desk\nx-app: &app\n  image: ghcr.io/zammad/zammad:7.1.1\n"
        "  environment:\n    ELASTICSEARCH_HOST:\nservices:\n"
        "  zammad-elasticsearch: {image: 'elasticsearch:8', expose: ['9200']}\n"
        "  zammad-railsserver:\n    <<: *app\n    command: [zammad-railsserver]\n"
        "    expose: ['3000']\n"
        "  zammad-websocket:\n    <<: *app\n    command: [zammad-websocket]\n    expose: ['6042']\n"
        "  zammad-nginx:\n    <<: *app\n    command: [zammad-nginx]\n"
    )
    assert _edges(tmp_path, compose) == [
        ("desk/zammad-nginx", "desk/zammad-railsserver", 3000),
        ("desk/zammad-nginx", "desk/zammad-websocket", 6042),
        ("desk/zammad-railsserver", "desk/zammad-elasticsearch", 9200),
    ]


def test_a_kubernetes_workload_running_a_known_image(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: dash}\nspec:\n"
        "  selector: {matchLabels: {app: dash}}\n  template:\n"
        "    metadata: {labels: {app: dash}}\n    spec:\n      containers:\n"
        "      - name: kibana\n        image: docker.elastic.co/kibana/kibana:8.4.1\n"
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: es}\nspec:\n"
        "  selector: {matchLabels: {app: es}}\n  template:\n"
        "    metadata: {labels: {app: es}}\n    spec:\n      containers:\n"
        "      - name: es\n        image: elasticsearch:8.4.1\n"
        "        ports: [{containerPort: 9200}]\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: elasticsearch}\nspec:\n"
        "  selector: {app: es}\n  ports: [{port: 9200}]\n"
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert [(e.source, e.target, e.port) for e in graph.edges] == [
        ("default/dash", "default/es", 9200)
    ]


def test_the_evidence_says_which_image_read_what_and_under_which_condition(
    tmp_path: Path,
) -> None:
    (tmp_path / "compose.yaml").write_text(
        "name: logs\nservices:\n"
        "  elasticsearch: {image: 'elasticsearch:8.4.1', expose: ['9200']}\n"
        "  kibana: {image: 'kibana:8.4.1'}\n"
        "  wf:\n    image: temporalio/auto-setup:1.29.1\n"
        "    environment: {ENABLE_ES: 'true', ES_SEEDS: elasticsearch}\n"
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert sorted(
        (e.source, ev.location.line, ev.detail) for e in graph.edges for ev in e.evidence
    ) == [
        (
            "logs/kibana",
            4,
            "ELASTICSEARCH_HOSTS, ELASTICSEARCH_URL unset: the Kibana image's default "
            "http://elasticsearch:9200 (compose service logs/elasticsearch)",
        ),
        (
            "logs/wf",
            7,
            "env ES_SEEDS=elasticsearch (read by the Temporal server image: ENABLE_ES=true) "
            "(compose service logs/elasticsearch)",
        ),
    ]


def test_a_laravel_image_leaves_variables_laravel_does_not_name_to_the_generic_reading() -> None:
    family = family_of(["monica:4-apache"])
    assert family is not None
    evidence = Evidence(EvidenceKind.ENV, _HERE, "env MAIL_HOST=smtp")
    assert ImageRun(family, {}).calls("MAIL_HOST", "smtp.example.com", evidence) is None


def test_a_laravel_image_on_sqlite_calls_no_database_host(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  crm:\n    image: monica:4-apache\n"
        "    environment: {DB_CONNECTION: sqlite, DB_HOST: store, REDIS_HOST: cache}\n"
        "  worker:\n    image: monica:4-apache\n    command: queue.sh\n"
        "    environment: {DB_CONNECTION: sqlite, DB_HOST: store, REDIS_HOST: cache}\n"
        "  store:\n    image: postgres:16\n"
        "  cache:\n    image: redis:7\n"
    )
    graph = discover(load_paths([str(tmp_path)]))
    calls = {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1], e.port) for e in graph.edges
    }
    assert calls == {("crm", "cache", 6379), ("worker", "cache", 6379)}


def test_a_flag_of_an_image_reading_its_flags_as_env() -> None:
    """``--cassandra.servers=cassandra`` is CASSANDRA_SERVERS for Jaeger's binaries (viper);
    ``--span-storage.type=elasticsearch`` turns the Cassandra row off."""
    from socklock.discover.image_conventions import flag_env

    assert flag_env(["--cassandra.servers=c1", "--es.server-urls", "http://es:9200", "-v"]) == [
        ("--cassandra.servers", "CASSANDRA_SERVERS", "c1"),
        ("--es.server-urls", "ES_SERVER_URLS", "http://es:9200"),
    ]
    family = family_of(["jaegertracing/jaeger-collector"])
    assert family is not None and family.flags
    command = ("--cassandra.keyspace=jaeger_v1_dc1", "--cassandra.servers=cassandra")
    run = ImageRun(family, {**dict(_flags(command))}, command)
    assert [(t.host, t.port) for t, _ in run.flagged(_HERE)] == [("cassandra", 9042)]
    switched = (*command, "--span-storage.type=elasticsearch")
    run = ImageRun(family, dict(_flags(switched)), switched)
    assert run.flagged(_HERE) == []
    other = family_of(["ghost"])  # flags that are no env of its program
    assert other is not None and not other.flags


def _flags(command: tuple[str, ...]) -> list[tuple[str, str]]:
    from socklock.discover.image_conventions import flag_env

    return [(name, value) for _, name, value in flag_env(command)]
