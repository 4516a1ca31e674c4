"""Every row of the SDK conventions table, with the address its SDK calls for a value."""

from __future__ import annotations

import pytest

from socklock.discover.conventions import (
    Convention,
    convention_for,
    conventions,
    read_by_sdk,
    sdk_targets,
    switched_rows,
)

# first env name of the row → (value, the other env the workload gets, expected targets)
Case = tuple[str, dict[str, str], list[tuple[str, int | None, str | None, str]]]
CASES: dict[str, Case] = {
    "OTEL_EXPORTER_OTLP_ENDPOINT": (
        "http://otel-collector:4317",
        {},
        [("otel-collector", 4317, "http", "TCP")],
    ),
    "OTEL_EXPORTER_JAEGER_ENDPOINT": ("jaeger:14250", {}, [("jaeger", 14250, None, "TCP")]),
    "OTEL_EXPORTER_JAEGER_AGENT_HOST": (
        "jaeger",
        {"OTEL_EXPORTER_JAEGER_AGENT_PORT": "6832"},
        [("jaeger", 6832, None, "UDP")],
    ),
    "JAEGER_AGENT_HOST": ("jaeger-agent", {}, [("jaeger-agent", 6831, None, "UDP")]),
    "JAEGER_ENDPOINT": ("http://jaeger:14268/api/traces", {}, [("jaeger", 14268, "http", "TCP")]),
    "OTEL_EXPORTER_ZIPKIN_ENDPOINT": (
        "http://zipkin:9411/api/v2/spans",
        {},
        [("zipkin", 9411, "http", "TCP")],
    ),
    "MANAGEMENT_METRICS_EXPORT_WAVEFRONT_URI": (
        "proxy://wavefront-proxy.metrics.svc.cluster.local:2878",
        {},
        [("wavefront-proxy.metrics.svc.cluster.local", 2878, "proxy", "TCP")],
    ),
    "DD_AGENT_HOST": ("datadog-agent", {}, [("datadog-agent", 8126, None, "TCP")]),
    "DD_DOGSTATSD_URL when DD_RUNTIME_METRICS_ENABLED": (
        "udp://statsd:8125",
        {"DD_RUNTIME_METRICS_ENABLED": "true"},
        [("statsd", 8125, "udp", "UDP")],
    ),
    "DD_DOGSTATSD_HOST when DD_RUNTIME_METRICS_ENABLED": (
        "statsd",
        {"DD_RUNTIME_METRICS_ENABLED": "1", "DD_DOGSTATSD_PORT": "8127"},
        [("statsd", 8127, None, "UDP")],
    ),
    "DD_AGENT_HOST when DD_RUNTIME_METRICS_ENABLED": (
        "datadog-agent",
        {"DD_RUNTIME_METRICS_ENABLED": "true"},
        [("datadog-agent", 8125, None, "UDP")],
    ),
    "FLAGD_HOST": ("flagd", {"FLAGD_PORT": "8013"}, [("flagd", 8013, None, "TCP")]),
    "SPRING_RABBITMQ_HOST": ("rabbitmq", {}, [("rabbitmq", 5672, "amqp", "TCP")]),
    "SPRING_RABBITMQ_ADDRESSES": (
        "rabbit-0,rabbit-1:5673",
        {},
        [("rabbit-0", 5672, "amqp", "TCP"), ("rabbit-1", 5673, "amqp", "TCP")],
    ),
    "SPRING_DATA_MONGODB_URI": (
        "mongodb://orders-db/data",
        {},
        [("orders-db", 27017, "mongodb", "TCP")],
    ),
    "SPRING_DATA_MONGODB_HOST": (
        "carts-db",
        {"SPRING_DATA_MONGODB_PORT": "27018"},
        [("carts-db", 27018, "mongodb", "TCP")],
    ),
    "SPRING_DATASOURCE_URL": (
        "jdbc:mysql://catalogue-db:3306/socks",
        {},
        [("catalogue-db", 3306, "mysql", "TCP")],
    ),
    "SPRING_REDIS_HOST": ("session-db", {}, [("session-db", 6379, "redis", "TCP")]),
    "SPRING_REDIS_URL": ("redis://cache", {}, [("cache", 6379, "redis", "TCP")]),
    "SPRING_KAFKA_BOOTSTRAP_SERVERS": ("kafka:9093", {}, [("kafka", 9093, "kafka", "TCP")]),
    "KAFKA_BOOTSTRAP_SERVERS": (
        "kafka-0:9092,kafka-1",
        {},
        [("kafka-0", 9092, "kafka", "TCP"), ("kafka-1", 9092, "kafka", "TCP")],
    ),
    "EVENTUATELOCAL_KAFKA_BOOTSTRAP_SERVERS": (
        "kafka:29092",
        {},
        [("kafka", 29092, "kafka", "TCP")],
    ),
    "NATS_URL": ("nats://nats", {}, [("nats", 4222, "nats", "TCP")]),
    "REDIS_URL": ("redis:6380", {}, [("redis", 6380, "redis", "TCP")]),
    "DATABASE_URL": ("postgres://app:secret@db/app", {}, [("db", 5432, "postgres", "TCP")]),
    "FIRESTORE_EMULATOR_HOST": ("firestore:8787", {}, [("firestore", 8787, None, "TCP")]),
    "DATASTORE_EMULATOR_HOST": ("datastore", {}, [("datastore", 8081, None, "TCP")]),
    "PUBSUB_EMULATOR_HOST": ("pubsub-emulator:8681", {}, [("pubsub-emulator", 8681, None, "TCP")]),
    "STORAGE_EMULATOR_HOST": ("http://gcs:4443", {}, [("gcs", 4443, "http", "TCP")]),
    "SPANNER_EMULATOR_HOST": ("spanner", {}, [("spanner", 9010, None, "TCP")]),
    "BIGTABLE_EMULATOR_HOST": ("bigtable:8086", {}, [("bigtable", 8086, None, "TCP")]),
    "FIREBASE_AUTH_EMULATOR_HOST": ("firebase", {}, [("firebase", 9099, None, "TCP")]),
    "AMQP_URL": ("amqp://guest:guest@broker", {}, [("broker", 5672, "amqp", "TCP")]),
    "MONGO_URL": ("mongo", {}, [("mongo", 27017, "mongodb", "TCP")]),
    "ELASTICSEARCH_URL": ("http://search:9200", {}, [("search", 9200, "http", "TCP")]),
    "CONSUL_HTTP_ADDR": ("consul:8500", {}, [("consul", 8500, "http", "TCP")]),
    "MC_DEFAULT_CLUSTER_MEMBERS": (
        "member-1,member-2:5702",
        {},
        [("member-1", 5701, "hazelcast", "TCP"), ("member-2", 5702, "hazelcast", "TCP")],
    ),
    "HealthChecksUI__HealthChecks__*__Uri": (
        "http://basket-api/hc",
        {},
        [("basket-api", 80, "http", "TCP")],
    ),
    "MICRO_BROKER_ADDRESS": (
        "kafka-0:9092,kafka-1:9092",
        {"MICRO_BROKER": "kafka"},
        [("kafka-0", 9092, None, "TCP"), ("kafka-1", 9092, None, "TCP")],
    ),
    "MICRO_REGISTRY_ADDRESS": ("consul:8500", {}, [("consul", 8500, None, "TCP")]),
    "MICRO_TRANSPORT_ADDRESS": ("nats:4222", {}, [("nats", 4222, None, "TCP")]),
    "TRANSPORTER": ("nats://nats:4222", {}, [("nats", 4222, "nats", "TCP")]),
    "CACHER": ("redis://cache", {}, [("cache", 6379, "redis", "TCP")]),
    "K6_PROMETHEUS_RW_SERVER_URL": (
        "http://metrics-store:9009/api/v1/push",
        {},
        [("metrics-store", 9009, "http", "TCP")],
    ),
}


def _row_id(convention: Convention) -> str:
    switches = f" when {','.join(convention.when)}" if convention.when else ""
    return convention.env[0] + switches


@pytest.mark.parametrize("convention", conventions(), ids=_row_id)
def test_row(convention: Convention) -> None:
    name = convention.env[0]
    assert _row_id(convention) in CASES, f"row {name} ({convention.sdk}) has no test case"
    value, env, expected = CASES[_row_id(convention)]
    if convention.when:
        assert switched_rows(name, env.get) == [convention]
        assert switched_rows(name, {}.get) == []  # its switch is off
    else:
        assert convention_for(name) == convention
    found = sdk_targets(convention, name, value, env)
    assert [(t.host, t.port, t.scheme, t.protocol) for t in found] == expected


def test_every_case_is_a_row() -> None:
    assert sorted(CASES) == sorted(_row_id(c) for c in conventions())


def test_a_wavefront_proxy_without_a_port_is_on_2878_and_the_saas_is_outside() -> None:
    row = convention_for("MANAGEMENT_WAVEFRONT_URI")  # Spring Boot 3's key
    assert row is not None
    found = sdk_targets(row, "MANAGEMENT_WAVEFRONT_URI", "proxy://wf-proxy", {})
    assert [(t.host, t.port) for t in found] == [("wf-proxy", 2878)]
    saas = sdk_targets(row, "MANAGEMENT_WAVEFRONT_URI", "https://acme.wavefront.com", {})
    assert [(t.host, t.port) for t in saas] == [("acme.wavefront.com", 443)]


def test_dogstatsd_goes_where_the_first_address_set_says_only_with_runtime_metrics_on() -> None:
    on = {"DD_RUNTIME_METRICS_ENABLED": "true", "DD_AGENT_HOST": "agent"}
    tracer = convention_for("DD_AGENT_HOST")
    assert tracer is not None
    assert tracer.sdk == "Datadog tracer"  # traces, always
    assert [r.sdk for r in switched_rows("DD_AGENT_HOST", on.get)] == [
        "Datadog runtime metrics (DogStatsD)"
    ]
    off = {**on, "DD_RUNTIME_METRICS_ENABLED": "false"}
    assert switched_rows("DD_AGENT_HOST", off.get) == []
    with_host = {**on, "DD_DOGSTATSD_HOST": "statsd"}
    assert switched_rows("DD_AGENT_HOST", with_host.get) == []  # DogStatsD goes to statsd
    assert [r.env for r in switched_rows("DD_DOGSTATSD_HOST", with_host.get)] == [
        ("DD_DOGSTATSD_HOST",)
    ]
    with_url = {**with_host, "DD_DOGSTATSD_URL": "unix:///var/run/datadog/dsd.socket"}
    assert switched_rows("DD_DOGSTATSD_HOST", with_url.get) == []
    (url_row,) = switched_rows("DD_DOGSTATSD_URL", with_url.get)
    assert sdk_targets(url_row, "DD_DOGSTATSD_URL", with_url["DD_DOGSTATSD_URL"], {}) == []
    assert convention_for("DD_DOGSTATSD_HOST") is None  # no row reads it with the switch off


def test_names_outside_the_table_are_not_read_by_an_sdk() -> None:
    assert convention_for("CATALOGUE_URL") is None
    assert not read_by_sdk("CATALOGUE_URL")
    assert read_by_sdk("FLAGD_PORT")
    assert convention_for("FLAGD_PORT") is None  # a port alone is no address


def test_a_numbered_row_matches_every_index_in_any_case() -> None:
    row = convention_for("HealthChecksUI__HealthChecks__*__Uri")
    assert row is not None
    assert convention_for("HealthChecksUI__HealthChecks__0__Uri") == row
    assert convention_for("HEALTHCHECKSUI__HEALTHCHECKS__12__URI") == row
    assert read_by_sdk("HealthChecksUI__HealthChecks__3__Uri")
    assert convention_for("HealthChecksUI__HealthChecks__0__Name") is None
    assert convention_for("HealthChecksUI__Webhooks__0__Uri") is None


def test_constructors_are_regexes_and_only_explicit_clients_need_code() -> None:
    import re

    for convention in conventions():
        for constructor in convention.constructors:
            re.compile(constructor)
    flagd = convention_for("FLAGD_HOST")
    assert flagd is not None
    assert not flagd.implicit  # no agent reads FLAGD_HOST: only a provider the code builds
    # no agent or framework reads these: a flagd provider, a Kafka or MongoDB client the code
    # builds
    assert [c.sdk for c in conventions() if not c.implicit] == [
        "OpenFeature flagd provider",
        "Kafka client",
        "Eventuate Tram / Eventuate Local (Kafka consumer)",
        "NATS client",
        "go-micro broker",
        "go-micro registry",
        "go-micro transport",
        "database driver (DATABASE_URL)",
        "Google Cloud Firestore client (emulator)",
        "Google Cloud Datastore client (emulator)",
        "Google Cloud Pub/Sub client (emulator)",
        "Google Cloud Storage client (emulator)",
        "Google Cloud Spanner client (emulator)",
        "Google Cloud Bigtable client (emulator)",
        "Firebase Admin SDK Auth (emulator)",
        "MongoDB driver",
    ]
    spring = convention_for("SPRING_KAFKA_BOOTSTRAP_SERVERS")
    assert spring is not None
    assert spring.implicit  # Spring Boot binds it without the code naming it
    assert re.search(flagd.constructors[1], "provider, err := flagd.NewProvider()")
    assert not any(re.search(c, "flagd.NewProviderOptions{}") for c in flagd.constructors)


def test_nats_url_is_read_only_where_the_code_connects() -> None:
    import re

    nats = convention_for("NATS_URL")
    assert nats is not None
    assert not nats.implicit
    connects = [
        "nc, err := nats.Connect(cfg.URL)",
        "sc, err := stan.Connect(clusterID, clientID, stan.NatsURL(url))",
        "nc = await nats.connect(servers=[url])",
        "Connection nc = Nats.connect(url);",
    ]
    assert [any(re.search(c, line) for c in nats.constructors) for line in connects] == [True] * 4
    others = ["nats.DefaultURL", "stan.NatsURL(url)", "reconnect(url)", "natsConnect(url)"]
    assert not any(re.search(c, line) for c in nats.constructors for line in others)


def test_database_url_is_read_only_by_a_framework_the_code_uses() -> None:
    import re

    database = convention_for("DATABASE_URL")
    assert database is not None
    assert not database.implicit  # Symfony, Go, Node read it in code or config, or not at all
    users = [
        "class ApplicationRecord < ActiveRecord::Base",
        "DATABASES = {'default': dj_database_url.config(conn_max_age=600)}",
        "DATABASES = {'default': env.db()}",
        "const prisma = new PrismaClient();",
        "export class PrismaService extends PrismaClient implements OnModuleInit {",
        "  datasource: { url: env('DATABASE_URL') },",  # prisma.config.ts: the prisma CLI
    ]
    assert [any(re.search(c, line) for c in database.constructors) for line in users] == [True] * 6
    others = [
        "dj_database_url.parse(url)",
        "environment.db_name",
        "PrismaClientKnownRequestError",
        "class Repo extends PrismaClientExtension {",
        "url: env('SHADOW_DATABASE_URL'),",
    ]
    assert not any(re.search(c, line) for c in database.constructors for line in others)


def test_eventuate_reads_its_brokers_only_in_a_service_that_subscribes() -> None:
    import re

    eventuate = convention_for("EVENTUATELOCAL_KAFKA_BOOTSTRAP_SERVERS")
    assert eventuate is not None
    assert not eventuate.implicit  # a publisher writes to its outbox: the CDC publishes
    assert convention_for("EVENTUATELOCAL_ZOOKEEPER_CONNECTION_STRING") is None  # the CDC's
    subscribers = [
        "public DomainEventDispatcher dispatcher(DomainEventDispatcherFactory factory) {",
        "SagaCommandDispatcherFactory sagaCommandDispatcherFactory) {",
        'return new CommandDispatcher("orders", handlers.commandHandlers());',
        "public OrderService(SagaInstanceFactory sagaInstanceFactory) {",
        '@EventSubscriber(id = "accountEventHandlers")',
    ]
    found = [any(re.search(c, line) for c in eventuate.constructors) for line in subscribers]
    assert found == [True] * 5
    publishers = [
        "@Import(TramEventsPublisherConfiguration.class)",
        "domainEventPublisher.publish(Restaurant.class, id, events);",
        'commandProducer.send("accountingService", command, replyTo, headers);',
    ]
    assert not any(re.search(c, line) for c in eventuate.constructors for line in publishers)


def test_agents_are_regexes_that_name_the_agent_not_any_java_option() -> None:
    import re

    (otlp,) = [c for c in conventions() if c.agents]
    assert otlp.sdk == "OpenTelemetry OTLP exporter"
    attached = 'JAVA_TOOL_OPTIONS="-javaagent:/usr/src/app/opentelemetry-javaagent.jar -Xmx200m"'
    assert any(re.search(agent, attached) for agent in otlp.agents)
    assert not any(re.search(a, "JAVA_TOOL_OPTIONS=-javaagent:/x/jmx.jar") for a in otlp.agents)
    assert any(re.search(a, "env OTEL_PHP_AUTOLOAD_ENABLED=true") for a in otlp.agents)
    assert not any(re.search(a, "env OTEL_PHP_AUTOLOAD_ENABLED=false") for a in otlp.agents)


# row's first variable → (lines that build its client, lines that do not)
EMULATOR_CLIENTS: dict[str, tuple[list[str], list[str]]] = {
    "FIRESTORE_EMULATOR_HOST": (
        [
            'client, err := firestore.NewClient(ctx, os.Getenv("GCP_PROJECT"))',
            "const db = new Firestore({ projectId });",
            "db = firestore.Client(project='demo')",
            "Firestore db = FirestoreOptions.getDefaultInstance().getService();",
            "var db = FirestoreDb.Create(projectId);",
            "const db = admin.firestore();",
        ],
        ["var ref *firestore.Client", "import { Firestore } from '@google-cloud/firestore';"],
    ),
    "DATASTORE_EMULATOR_HOST": (
        ["client, err := datastore.NewClient(ctx, projectID)", "client = datastore.Client()"],
        ["key := datastore.NameKey(kind, name, nil)"],
    ),
    "PUBSUB_EMULATOR_HOST": (
        [
            "client, err := pubsub.NewClient(ctx, project)",
            "const pubsub = new PubSub();",
            "publisher = pubsub_v1.PublisherClient()",
        ],
        ["msg := &pubsub.Message{Data: data}"],
    ),
    "STORAGE_EMULATOR_HOST": (
        ["client, err := storage.NewClient(ctx)", "const storage = new Storage();"],
        ["localStorage.getItem('token')", "const s = new LocalStorage();"],
    ),
    "SPANNER_EMULATOR_HOST": (
        ["client, err := spanner.NewClient(ctx, db)", "const spanner = new Spanner({projectId});"],
        ["stmt := spanner.Statement{SQL: q}"],
    ),
    "BIGTABLE_EMULATOR_HOST": (
        ["client, err := bigtable.NewClient(ctx, project, instance)"],
        ["mut := bigtable.NewMutation()"],
    ),
    "FIREBASE_AUTH_EMULATOR_HOST": (
        ["authClient, err := firebaseApp.Auth(ctx)", "const auth = admin.auth();"],
        ['token := r.Header.Get("Authorization")'],
    ),
}


@pytest.mark.parametrize("name", sorted(EMULATOR_CLIENTS))
def test_an_emulator_is_dialled_only_by_a_client_the_code_builds(name: str) -> None:
    import re

    row = convention_for(name)
    assert row is not None
    assert not row.implicit  # the emulator's own container, given the same env, dials nothing
    builds, others = EMULATOR_CLIENTS[name]
    assert [any(re.search(c, line) for c in row.constructors) for line in builds] == [True] * len(
        builds
    )
    assert [line for line in others if any(re.search(c, line) for c in row.constructors)] == []


def test_a_moleculer_option_named_without_an_address_calls_nothing() -> None:
    for name, value in (("TRANSPORTER", "NATS"), ("TRANSPORTER", "TCP"), ("CACHER", "Memory")):
        convention = convention_for(name)
        assert convention is not None and convention.implicit
        assert sdk_targets(convention, name, value, {}) == []


def test_only_a_jaeger_agent_and_a_consul_client_dial_localhost_when_unset() -> None:
    import re

    agent = convention_for("OTEL_EXPORTER_JAEGER_AGENT_HOST")
    assert agent is not None and agent.local_default and agent.protocol == "UDP"
    code = "let tracer = opentelemetry_jaeger::new_agent_pipeline()"
    assert any(re.search(c, code) for c in agent.constructors)
    consul = convention_for("CONSUL_HTTP_ADDR")
    assert consul is not None and consul.local_default and consul.port == 8500
    built = [
        "client, err := consulapi.NewClient(consulapi.DefaultConfig())",
        "cfg := capi.DefaultConfig()",
    ]
    assert all(any(re.search(c, line) for c in consul.constructors) for line in built)
    # Vault's client (api.DefaultConfig reads VAULT_ADDR), a config struct of another name
    other = ["cfg := api.DefaultConfig()", "c := consulapi.DefaultConfigWithTLS(tls)"]
    assert not any(re.search(c, line) for c in consul.constructors for line in other)
    # an OTLP exporter's default port depends on its transport: no default is assumed
    assert [c.sdk for c in conventions() if c.local_default] == [agent.sdk, consul.sdk]


def test_a_go_micro_address_is_read_where_the_code_builds_a_service() -> None:
    import re

    broker = convention_for("MICRO_BROKER_ADDRESS")
    assert broker is not None and not broker.implicit
    code = 'service := micro.NewService(micro.Name("greeter"))'
    assert [bool(re.search(c, code)) for c in broker.constructors] == [True]
    assert not any(re.search(c, "micro.NewPublisher(topic, c)") for c in broker.constructors)


def test_a_plugin_named_by_a_selector_is_no_host() -> None:
    """``MICRO_BROKER=kafka`` names the plugin; a Service called kafka is not called by it."""
    from socklock.discover.conventions import names_a_plugin
    from socklock.discover.manifests import env_targets
    from socklock.model import Evidence, EvidenceKind, Location

    evidence = Evidence(EvidenceKind.ENV, Location("k8s.yaml", 1, 1), "env", "kafka")
    assert [names_a_plugin(n) for n in ("MICRO_BROKER", "MICRO_REGISTRY", "KAFKA_BROKER")] == [
        True,
        True,
        False,
    ]
    assert env_targets("MICRO_BROKER", "kafka", evidence, {})[0] == []
    assert [t.host for t in env_targets("KAFKA_BROKER", "kafka", evidence, {})[0]] == ["kafka"]
