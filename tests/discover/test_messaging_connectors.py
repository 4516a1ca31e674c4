"""MicroProfile Reactive Messaging: a channel's connector (data/messaging_connectors.toml)
makes the application a client of its broker, at the channel's, the connector's or the
runtime's shared address, on the connector's port unless a port attribute is written."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.code.config_readers import Entry
from socklock.discover.code.mp_messaging import (
    channel_addresses,
    connectors,
    host_port,
    without_dev_services,
)
from socklock.load import load_paths

PROPERTIES = "src/main/resources/application.properties"
GRADLE = "plugins {\n    id 'io.quarkus'\n}\n"

# one case per row of the table: properties → (host, port) of each channel's broker
CASES: list[tuple[str, list[tuple[str, str | None]]]] = [
    (  # Kafka: the connector's attribute wins over the shared key
        "mp.messaging.incoming.a.connector=smallrye-kafka\n"
        "mp.messaging.connector.smallrye-kafka.bootstrap.servers=k1:9093\n"
        "kafka.bootstrap.servers=k2:9092\n",
        [("k1:9093", None)],
    ),
    (  # AMQP: Quarkus's shared keys
        "mp.messaging.outgoing.b.connector=smallrye-amqp\namqp-host=artemis\namqp-port=5673\n",
        [("artemis", "5673")],
    ),
    (  # RabbitMQ: the channel's host, the shared port
        "mp.messaging.outgoing.c.connector=smallrye-rabbitmq\n"
        "mp.messaging.outgoing.c.host=bunny\nrabbitmq-port=5674\n",
        [("bunny", "5674")],
    ),
    (  # MQTT: the connector's default port
        "mp.messaging.incoming.d.connector=smallrye-mqtt\nmp.messaging.incoming.d.host=mq\n",
        [("mq", "1883")],
    ),
]


def _entries(text: str) -> list[Entry]:
    from socklock.discover.code.config_files import read_entries

    return read_entries("/app/" + PROPERTIES, text)


def test_every_connector_of_the_table_has_a_case() -> None:
    covered: set[str] = set()
    for text, expected in CASES:
        found = channel_addresses(_entries(text))[0]
        assert [host_port(a) for a in found] == expected
        covered.update(a.connector.what for a in found)
    assert covered == {c.what for c in connectors()}


def test_channels_call_their_brokers(tmp_path: Path) -> None:
    root = tmp_path / "plant"
    _write(
        root,
        {
            "sensors/build.gradle": GRADLE,
            f"sensors/{PROPERTIES}": (
                "mp.messaging.incoming.readings.connector=smallrye-mqtt\n"
                "mp.messaging.incoming.readings.host=mq\n"
                "mp.messaging.outgoing.alerts.connector=smallrye-amqp\n"
                "%dev.amqp-host=localhost\n"  # dev mode only: not in a container
                "%prod.amqp-host=artemis\n"
            ),
            # amqp-host without an AMQP channel is no address the application uses
            "billing/build.gradle": GRADLE,
            f"billing/{PROPERTIES}": "amqp-host=artemis\n",
            # a connector the table does not know: its host is read as any host key is
            "audit/build.gradle": GRADLE,
            f"audit/{PROPERTIES}": (
                "mp.messaging.outgoing.log.connector=smallrye-jms\n"
                "mp.messaging.outgoing.log.host=mq\n"
            ),
            "compose.yaml": (
                "services:\n"
                "  sensors:\n    build: ./sensors\n"
                "  billing:\n    build: ./billing\n"
                "  audit:\n    build: ./audit\n"
                "  mq:\n    image: eclipse-mosquitto:2\n"
                "  artemis:\n    image: apache/activemq-artemis:2.31.2\n"
            ),
        },
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("plant/sensors", "plant/mq", 1883),
        ("plant/sensors", "plant/artemis", 5672),
        ("plant/audit", "plant/mq", None),
    }


# Dev Services off: a channel that writes no address connects to the connector's default
DEFAULTS: list[tuple[str, list[tuple[str, str | None]]]] = [
    (  # every Dev Service off
        "mp.messaging.incoming.a.connector=smallrye-kafka\nquarkus.devservices.enabled=false\n",
        [("localhost", "9092")],
    ),
    (  # the connector's own switch, with a port attribute written
        "mp.messaging.outgoing.b.connector=smallrye-amqp\namqp-port=5673\n"
        "quarkus.amqp.devservices.enabled=false\n",
        [("localhost", "5673")],
    ),
    (  # off in dev mode, the mode that would start a broker
        "mp.messaging.outgoing.c.connector=smallrye-rabbitmq\n"
        "%dev.quarkus.rabbitmq.devservices.enabled=false\n",
        [("localhost", "5672")],
    ),
    # Dev Services on (the default): Quarkus starts a broker of its own, no address is used
    ("mp.messaging.incoming.d.connector=smallrye-kafka\n", []),
    # another connector's switch, or off only in the test profile: still on
    (
        "mp.messaging.incoming.e.connector=smallrye-kafka\n"
        "quarkus.amqp.devservices.enabled=false\n"
        "%test.quarkus.kafka.devservices.enabled=false\n",
        [],
    ),
    # a connector without Dev Services has no default to fall back on
    ("mp.messaging.incoming.f.connector=smallrye-mqtt\nquarkus.devservices.enabled=false\n", []),
    # an address written in a profile only: that profile's, no default beside it
    (
        "mp.messaging.incoming.g.connector=smallrye-kafka\n%prod.kafka.bootstrap.servers=k:9092\n"
        "quarkus.kafka.devservices.enabled=false\n",
        [("k:9092", None)],
    ),
]


def test_a_channel_without_an_address_uses_the_default_when_dev_services_are_off() -> None:
    for text, expected in DEFAULTS:
        found = channel_addresses(_entries(text))[0]
        assert [host_port(a) for a in found] == expected, text


def test_host_run_modules_reach_the_published_broker_and_each_others_ports(tmp_path: Path) -> None:
    root = tmp_path / "cafe"
    _write(
        root,
        {
            "counter/build.gradle": GRADLE,
            f"counter/{PROPERTIES}": (
                "quarkus.http.port=8080\n"
                "mp.messaging.outgoing.tickets.connector=smallrye-kafka\n"
                "quarkus.kafka.devservices.enabled=false\n"
                "kitchen.url=http://localhost:8090\n"
                "pantry.url=http://localhost:8095\n"
                "depot.url=http://localhost:8070\n"
            ),
            # Micronaut's port key, in YAML
            "depot/build.gradle": GRADLE,
            "depot/src/main/resources/application.yml": "micronaut:\n  server:\n    port: 8070\n",
            "kitchen/build.gradle": GRADLE,
            f"kitchen/{PROPERTIES}": (
                "quarkus.http.port=8090\n"
                # Dev Services on: a broker of its own in dev mode, not the published one
                "mp.messaging.incoming.tickets.connector=smallrye-kafka\n"
            ),
            # a test-only port is no port the running module listens on
            "pantry/build.gradle": GRADLE,
            f"pantry/{PROPERTIES}": "quarkus.http.test-port=8095\n",
            "compose.yaml": (
                "services:\n  kafka:\n    image: bitnami/kafka:3.6\n    ports:\n      - 9092:9092\n"
            ),
        },
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/counter", "cafe/kafka", 9092),
        ("code/counter", "code/kitchen", 8090),
        ("code/counter", "code/depot", 8070),
    }


def test_a_placeholder_stands_for_its_default_when_the_port_is_joined() -> None:
    text = (
        "mp.messaging.incoming.a.connector=smallrye-kafka\n"
        "kafka.bootstrap.servers=${KAFKA_SERVERS:localhost:9092}\n"
        "mp.messaging.outgoing.b.connector=smallrye-amqp\n"
        "mp.messaging.outgoing.b.host=${AMQP_HOST:artemis}\n"
        "mp.messaging.outgoing.c.connector=smallrye-rabbitmq\n"
        "mp.messaging.outgoing.c.host=${RABBIT_HOST}\n"
    )
    found = channel_addresses(_entries(text))[0]
    assert [host_port(a) for a in found] == [
        ("${KAFKA_SERVERS:localhost:9092}", None),  # the default has its port: none joined
        ("${AMQP_HOST:artemis}", "5672"),  # a bare host: the connector's port
        ("${RABBIT_HOST}", "5672"),  # no default: taken as a bare host
    ]


def test_a_quarkus_before_dev_services_connects_to_the_default(tmp_path: Path) -> None:
    """Quarkus 1.13 has no Dev Services: an AMQP channel without an address connects to
    localhost:5672, published here by the compose file's broker; a Quarkus 2 module of the
    same config starts a broker of its own in dev mode."""
    root = tmp_path / "cafe"

    def pom(name: str, version: str) -> str:
        return (
            f"<project><artifactId>{name}</artifactId><properties>"
            f"<quarkus.platform.version>{version}</quarkus.platform.version></properties>"
            "<build><plugins><plugin><artifactId>quarkus-maven-plugin</artifactId>"
            "</plugin></plugins></build></project>"
        )

    channel = "mp.messaging.outgoing.orders.connector=smallrye-amqp\n"
    _write(
        root,
        {
            "old/pom.xml": pom("old", "1.13.7.Final"),
            f"old/{PROPERTIES}": channel,
            "new/pom.xml": pom("new", "2.16.0.Final"),
            f"new/{PROPERTIES}": channel,
            "compose.yaml": (
                "services:\n  artemis:\n    image: vromero/activemq-artemis:2.11.0\n"
                "    ports:\n      - 5672:5672\n"
            ),
        },
    )
    assert without_dev_services(str(root / "old" / PROPERTIES))
    assert not without_dev_services(str(root / "new" / PROPERTIES))
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/old", "cafe/artemis", 5672)
    }
