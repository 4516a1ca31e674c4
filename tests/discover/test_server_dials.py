"""A well-known server image calls only the addresses of its replication and cluster
settings: every row of data/server_dials.toml, and what the table leaves out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from socklock.discover import discover
from socklock.discover.addresses import IMAGE_PORTS, server_image
from socklock.discover.server_dials import joined_peers, server_dials, server_of, server_targets
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

# image → (a setting it calls the address of, a shared env var it never reads)
ROWS: dict[str, tuple[str, str]] = {
    "bitnami/redis:7.2": ("REDIS_MASTER_HOST", "REDIS_URL"),
    "bitnami/valkey:8": ("VALKEY_PRIMARY_HOST", "API_URL"),
    "bitnami/postgresql:16": ("POSTGRESQL_PRIMARY_HOST", "DATABASE_URL"),
    "postgres:16-alpine": ("REPMGR_PARTNER_NODES", "USERS_GRPC_ADDR"),
    "mariadb:10": ("MARIADB_GALERA_CLUSTER_ADDRESS", "MYSQL_ADDR"),
    "bitnami/mysql:8.0": ("MYSQL_MASTER_HOST", "FIRESTORE_EMULATOR_HOST"),
    "mongo:7": ("MONGODB_INITIAL_PRIMARY_HOST", "MONGO_URL"),
    "rabbitmq:3-management": ("RABBITMQ_CLUSTER_NODE_NAME", "AMQP_URL"),
    "wurstmeister/kafka": ("KAFKA_ZOOKEEPER_CONNECT", "KAFKA_ADVERTISED_HOST_NAME_URL"),
    "debezium/kafka:1.1": ("ZOOKEEPER_CONNECT", "CONNECT_BOOTSTRAP_SERVERS"),
    "zookeeper:3.9": ("ZOO_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"),
    "cassandra:4": ("CASSANDRA_SEEDS", "CATALOGUE_URL"),
    "docker.elastic.co/elasticsearch/elasticsearch:8.13.0": ("discovery.seed_hosts", "KIBANA_URL"),
}


@pytest.mark.parametrize("image", sorted(ROWS))
def test_a_server_calls_its_cluster_settings_only(image: str) -> None:
    server = server_of([image])
    assert server is not None
    dialled, shared = ROWS[image]
    assert server_dials(server, dialled)
    assert not server_dials(server, shared)


def test_a_setting_is_dialled_only_by_its_own_family_of_servers() -> None:
    assert not server_dials("postgres", "REDIS_MASTER_HOST")
    assert not server_dials("memcached", "ZOO_SERVERS")  # no row: it calls nothing
    assert not server_dials("nats", "NATS_URL")


def test_only_a_pod_whose_containers_all_run_one_server_image_is_a_server() -> None:
    assert server_of(["mariadb:10.6", "docker.io/library/mariadb@sha256:abc"]) == "mariadb"
    assert server_of(["postgres:16", "prometheuscommunity/postgres-exporter"]) is None
    assert server_of(["postgres:16", "redis:7"]) is None
    assert server_of(["node:20-alpine"]) is None
    assert server_of([None]) is None
    assert server_of([]) is None


def test_server_image_names_an_image_by_its_last_component() -> None:
    assert server_image("bitnami/redis:7.2") == "redis"
    assert server_image("registry.example.com:5000/team/postgres:16") == "postgres"
    assert server_image("redis-commander:latest") is None
    assert server_image(None) is None
    assert set(ROWS) and all(server_image(image) in IMAGE_PORTS for image in ROWS)


def test_a_row_with_a_port_dials_the_hosts_on_it() -> None:
    found = server_targets("cassandra", "CASSANDRA_SEEDS", "ring-1,ring-2:7001", {})
    assert [(t.host, t.port) for t in found or ()] == [("ring-1", 7000), ("ring-2", 7001)]
    # a row without one: the value is read as any address is
    assert server_targets("redis", "REDIS_MASTER_HOST", "primary", {}) is None
    assert server_targets("cassandra", "CATALOGUE_URL", "http://catalogue", {}) is None


def test_a_cassandra_node_gossips_with_its_seed_not_its_client_port(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n"
        "  ring-seed:\n    image: cassandra:4\n    ports: ['7000', '9042']\n"
        "  ring-node:\n    image: cassandra:4\n    ports: ['7000', '9042']\n"
        "    environment: {CASSANDRA_SEEDS: ring-seed, REPORTS_HOST: reports}\n"
        "  reports:\n    image: example/reports\n    ports: ['8080']\n"
    )
    graph = discover(load_paths([str(tmp_path)]))
    calls = {(e.source, e.target, e.port) for e in graph.edges if not e.hint}
    assert calls == {(f"{tmp_path.name}/ring-node", f"{tmp_path.name}/ring-seed", 7000)}


def test_a_vendors_build_of_a_server_goes_by_the_servers_name() -> None:
    assert server_image("confluentinc/cp-kafka:7.2.2") == "kafka"
    assert server_image("confluentinc/cp-server:7.5.0") == "kafka"
    assert server_image("confluentinc/cp-zookeeper:7.2.2") == "zookeeper"
    assert server_image("confluentinc/cp-schema-registry:7.2.2") is None  # a client of Kafka


def test_joined_peers_reads_each_join_flag_on_its_port() -> None:
    line = (
        "agent -server -retry-join=vault-a -join vault-b:8311 -retry-join-wan=$FAR"
        " -retry-join 'provider=aws tag_key=role' -retry-join=$UNSET -data-dir=/d"
    )
    assert list(joined_peers("hashicorp/consul:1.16", line, {"FAR": "dc-far"})) == [
        ("-retry-join=vault-a", "vault-a:8301"),
        ("-join vault-b:8311", "vault-b:8311"),
        ("-retry-join-wan=$FAR", "dc-far:8302"),
    ]
    # another image's -join is none of these: its own flag, read (or not) as any word is
    assert list(joined_peers("example/mesh-agent", line, {})) == []


def test_consul_agents_gossip_with_the_agents_they_join(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n"
        "  registry-a:\n    image: consul:1.15\n"
        "    command: agent -server -bootstrap-expect=2 -retry-join=registry-b -client 0.0.0.0\n"
        "  registry-b:\n    image: hashicorp/consul:1.15\n"
        "    command: [agent, -server, -join, registry-a]\n"
        "  tally:\n    image: example/tally\n    command: tally -join=registry-a\n"
    )
    graph = discover(load_paths([str(tmp_path)]))
    calls = {(e.source, e.target, e.port) for e in graph.edges if not e.hint}
    root = tmp_path.name
    assert calls == {
        (f"{root}/registry-a", f"{root}/registry-b", 8301),
        (f"{root}/registry-b", f"{root}/registry-a", 8301),
    }


def test_a_pods_args_join_a_service_of_consul_agents(tmp_path: Path) -> None:
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n"
        "  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n"
        "    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers:\n"
        "      - name: agent\n        image: hashicorp/consul:1.16\n        args: {args}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n"
        "  selector: {{app: {name}}}\n  ports: [{{port: 8301}}]\n"
    )
    (tmp_path / "agents.yaml").write_text(
        deployment.format(name="registry-a", args="[agent, -retry-join=registry-b]")
        + "---\n"
        + deployment.format(name="registry-b", args="[agent, -server]")
    )
    graph = discover(load_paths([str(tmp_path)]))
    calls = {(e.source, e.target, e.port) for e in graph.edges if not e.hint}
    assert calls == {("default/registry-a", "default/registry-b", 8301)}
