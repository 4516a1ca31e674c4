"""Every form users write an address in, and what must not count as one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socklock.discover.addresses import (
    find_targets,
    own_scheme,
    redact_credentials,
    sibling_port_name,
    with_named_protocol,
    with_sibling_port,
)


@pytest.mark.parametrize(
    ("value", "hint", "expected"),
    [
        ("http://catalogue", None, [("catalogue", 80, "http")]),
        ("https://api.stripe.com/v1/charges", None, [("api.stripe.com", 443, "https")]),
        ("catalogue:80", None, [("catalogue", 80, None)]),
        ("catalogue.sock-shop", None, [("catalogue.sock-shop", None, None)]),
        (
            "catalogue.sock-shop.svc.cluster.local:80",
            None,
            [("catalogue.sock-shop.svc.cluster.local", 80, None)],
        ),
        ("mongodb://carts-db:27017/data", None, [("carts-db", 27017, "mongodb")]),
        (
            "mongodb+srv://u:p@a:27017,b:27018/db?replicaSet=x",
            None,
            [("a", 27017, "mongodb"), ("b", 27018, "mongodb")],
        ),
        ("jdbc:mysql://catalogue-db:3306/socksdb", None, [("catalogue-db", 3306, "mysql")]),
        (
            "mysql:host=ratings-db;dbname=ratings;charset=utf8",
            None,
            [("ratings-db", 3306, "mysql")],
        ),
        ("pgsql:host=pg;port=5433;dbname=x", None, [("pg", 5433, "postgresql")]),
        ("Host=orders-db;Port=5432;Database=orders", None, [("orders-db", 5432, None)]),
        # the Host= key says the word is a host, whatever the variable is called
        ("Host=orders-db;Username=app;Database=orders", None, [("orders-db", None, None)]),
        ("Username=app;Database=orders", "DB_CONNECTION_STRING", []),
        ("postgresql://pg/orders", None, [("pg", 5432, "postgresql")]),
        ("user:pw@tcp(catalogue-db:3306)/socksdb", None, [("catalogue-db", 3306, "mysql")]),
        ("root@tcp(db)/x?parseTime=true", None, [("db", 3306, "mysql")]),
        ("amqp://user:pass@rabbitmq:5672", None, [("rabbitmq", 5672, "amqp")]),
        ("amqp://guest:guest@rabbitmq", None, [("rabbitmq", 5672, "amqp")]),
        ("redis://:secret@session-db", None, [("session-db", 6379, "redis")]),
        # an unencoded @ in the password: the userinfo ends at the authority's last @
        ("postgres://pg:P@ssw0rd@postgres:5432/db", None, [("postgres", 5432, "postgres")]),
        # libpq keyword/value connection string
        (
            "host=postgres user=pg password=x dbname=db sslmode=disable",
            None,
            [("postgres", 5432, "postgresql")],
        ),
        ("host=pg port=5433 dbname=db", "PG_DSN", [("pg", 5433, "postgresql")]),
        ("host=/var/run/postgresql dbname=db", None, []),
        ("a sentence = not a connection string", None, []),
        ("kafka-0:9092,kafka-1:9092", None, [("kafka-0", 9092, None), ("kafka-1", 9092, None)]),
        ("10.0.0.1:8080", None, [("10.0.0.1", 8080, None)]),
        ("[fd00::1]:8080", None, [("fd00::1", 8080, None)]),
        ("catalogue", "CATALOGUE_HOST", [("catalogue", None, None)]),
        ("catalogue", "CATALOGUE_NAME", []),
        ("rabbitmq", "ORDER_QUEUE_HOSTNAME", [("rabbitmq", None, None)]),
        ("debug", "LOG_LEVEL", []),
        ("1.2.3", "VERSION", []),
        ("3:4", None, []),
        ("catalogue:99999", None, []),
        ("", None, []),
        ("some sentence: with colon", None, []),
        # a namespace the program fills in at run time: the caller's own namespace
        ("location.<NAMESPACE>:8081", "LOCATION_ADDR", [("location", 8081, None)]),
        ("http://jaeger.<NAMESPACE>:4318", None, [("jaeger", 4318, "http")]),
        (
            "kafka.${POD_NAMESPACE}.svc.cluster.local:9092",
            None,
            [("kafka", 9092, None)],
        ),
        ("redis.{namespace}:6379", None, [("redis", 6379, None)]),
        ("http://orders.$(MY_NS)/api", None, [("orders", 80, "http")]),
        # a placeholder that is not a namespace is not dropped: no address
        ("api.<DOMAIN>:443", "API_ADDR", []),
        ("orders.<ENV>:8080", "ORDERS_ADDR", []),
        # a list of URLs, of name=URL pairs, of quoted host:port items: each once, on its port
        (
            "http://kv1:2379,http://kv2:2379,https://kv3",
            None,
            [("kv1", 2379, "http"), ("kv2", 2379, "http"), ("kv3", 443, "https")],
        ),
        (
            "kv1=http://kv1:2380,kv2=http://kv2:2380",
            None,
            [("kv1", 2380, "http"), ("kv2", 2380, "http")],
        ),
        ("'kv1:2379','kv2:2379'", None, [("kv1", 2379, None), ("kv2", 2379, None)]),
        ('"kv1:2379"', None, [("kv1", 2379, None)]),
        ("http://a:1,b:2/x?c=d", None, [("a", 1, "http"), ("b", 2, "http")]),
        ("'kv1:http'", None, []),
        # a bare word under a name that says which kind of thing to use is no host
        ("redis", "BROKER_TYPE", []),
        ("memcached", "CACHE_BACKEND_DRIVER", []),
        ("rabbitmq", "SERVICE_MODE", []),
        ("redis", "BROKER_HOST", [("redis", None, None)]),
        ("redis", "BROKER", [("redis", None, None)]),
        # the host names a server answers to are no hosts it dials
        ("avalon", "RAILS_ADDITIONAL_HOSTS", []),
        ("web", "DJANGO_ALLOWED_HOSTS", []),
        ("web", "TRUSTED_HOST", []),
        ("web", "WEB_HOSTS", [("web", None, None)]),
    ],
)
def test_find_targets(value: str, hint: str | None, expected: list[tuple[object, ...]]) -> None:
    assert [(t.host, t.port, t.scheme) for t in find_targets(value, name_hint=hint)] == expected


def test_bare_dotted_names_are_uncertain_unless_hinted() -> None:
    (plain,) = find_targets("catalogue.sock-shop")
    (hinted,) = find_targets("catalogue.sock-shop", name_hint="CATALOGUE_HOST")
    assert (plain.certain, hinted.certain) == (False, True)


def test_redact_credentials() -> None:
    assert (
        redact_credentials("amqp://guest:guest@rabbitmq:5672") == "amqp://guest:***@rabbitmq:5672"
    )
    assert redact_credentials("http://catalogue:80/x") == "http://catalogue:80/x"
    assert redact_credentials("postgres://pg:P@ss@db:5432/x") == "postgres://pg:***@db:5432/x"
    assert (
        redact_credentials("Server=sqldata;User Id=sa;Password=Pass@word;Encrypt=false")
        == "Server=sqldata;User Id=sa;Password=***;Encrypt=false"
    )
    assert redact_credentials("Host=db;pwd = s3cret") == "Host=db;pwd = ***"
    assert redact_credentials("PasswordPolicy=strict;Host=db") == "PasswordPolicy=strict;Host=db"


_label = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)


@given(
    scheme=st.sampled_from(["http", "https", "mongodb", "amqp", "redis", "postgres"]),
    host=st.lists(_label, min_size=1, max_size=4).map(".".join),
    port=st.integers(1, 65535),
    path=st.from_regex(r"(/[a-z0-9]{0,8}){0,3}", fullmatch=True),
)
def test_url_round_trip(scheme: str, host: str, port: int, path: str) -> None:
    (target,) = find_targets(f"{scheme}://{host}:{port}{path}")
    assert (target.host, target.port, target.scheme) == (host, port, scheme)


def test_a_host_variable_takes_the_port_its_sibling_holds() -> None:
    env = {"ORDER_QUEUE_PORT": "5672", "CACHE_PORT": "not-a-port", "db_port": "5433"}
    env |= {"MessageBus__Port": "5673", "Store__PORT": "x"}
    names = ("ORDER_QUEUE_HOSTNAME", "db_host", "HOST", "X_URL", "X_TOPIC")
    assert [sibling_port_name(n) for n in names] == [
        "ORDER_QUEUE_PORT",
        "db_port",
        None,
        "X_PORT",  # a bare host under a URL variable (``CONSUL_URL=consul``)
        None,
    ]

    def ports(value: str, name: str) -> list[tuple[str, int | None]]:
        found = with_sibling_port(find_targets(value, name_hint=name), name, env.get)
        return [(t.host, t.port) for t in found]

    assert ports("rabbitmq", "ORDER_QUEUE_HOSTNAME") == [("rabbitmq", 5672)]
    assert ports("pg", "db_host") == [("pg", 5433)]
    assert ports("rabbitmq", "ORDER_QUEUE_URL") == [("rabbitmq", 5672)]
    # a port written with the host, or a scheme's, wins; a sibling that is no number is none
    assert ports("rabbitmq:5673", "ORDER_QUEUE_HOSTNAME") == [("rabbitmq", 5673)]
    assert ports("amqp://rabbitmq", "ORDER_QUEUE_HOSTNAME") == [("rabbitmq", 5672)]
    assert ports("redis", "CACHE_HOST") == [("redis", None)]
    assert ports("redis", "REDIS_HOST") == [("redis", None)]
    # .NET configuration keys ignore case: ``MessageBus__Host`` and ``MessageBus__Port``
    assert ports("rabbitmq", "MessageBus__Host") == [("rabbitmq", 5673)]
    assert ports("rabbitmq", "Store__Host") == [("rabbitmq", None)]  # its sibling is no port


def test_a_bare_host_takes_the_protocol_its_variable_names() -> None:
    def named(value: str, name: str) -> list[tuple[str, int | None, str | None]]:
        found = with_named_protocol(find_targets(value, name_hint=name), name)
        return [(t.host, t.port, t.scheme) for t in found]

    assert named("database", "SETTING_REMOTE_POSTGRES_HOST") == [("database", None, "postgres")]
    assert named("queue", "RABBITMQ_HOST") == [("queue", None, "amqp")]
    assert named("cache", "mariadb_host") == [("cache", None, "mysql")]
    # a port or a scheme already written wins; a name with no protocol, or two, says none
    assert named("database:5433", "POSTGRES_HOST") == [("database", 5433, None)]
    assert named("redis://cache", "POSTGRES_HOST") == [("cache", 6379, "redis")]
    assert named("database", "DB_HOST") == [("database", None, None)]
    assert named("bridge", "REDIS_TO_POSTGRES_HOST") == [("bridge", None, None)]
    assert named("redis-master", "REDISTRIBUTOR_HOST") == [("redis-master", None, None)]


def test_an_address_with_a_path_and_no_scheme_is_its_head() -> None:
    """``podcli check http replica:3306/readyz``, ``REDIS=redis:6379/0``: the address is
    the part before the path; an image reference with a tag after the path is none."""
    assert [(t.host, t.port, t.text) for t in find_targets("replica:3306/readyz")] == [
        ("replica", 3306, "replica:3306")
    ]
    assert [(t.host, t.port) for t in find_targets("redis:6379/0")] == [("redis", 6379)]
    assert find_targets("registry:5000/shop/web:1.2") == []
    assert find_targets("user:pass/x@db") == []


def test_socat_connect_addresses_and_not_its_listener() -> None:
    assert [(t.host, t.port, t.protocol) for t in find_targets("TCP:two.upstream:8080")] == [
        ("two.upstream", 8080, "TCP")
    ]
    assert [(t.host, t.port, t.protocol) for t in find_targets("UDP4-CONNECT:dns:53,ttl=4")] == [
        ("dns", 53, "UDP")
    ]
    assert find_targets("TCP-LISTEN:80,reuseaddr,fork") == []


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("amqp://amqp://guest:guest@mq:5672", "amqp://guest:guest@mq:5672"),
        ("nats://http://nats-srv:4222", "http://nats-srv:4222"),
        ("nats://http:nats-srv:4222", "http://nats-srv:4222"),
        # a host and port after the client's scheme: no scheme of their own
        ("redis://redis:6379", "redis://redis:6379"),
        ("nats://nats:4222", "nats://nats:4222"),
        ("amqp://guest:guest@queue", "amqp://guest:guest@queue"),
        ("http:8080", "http:8080"),
    ],
)
def test_the_value_own_scheme_wins_over_the_client_scheme(written: str, meant: str) -> None:
    assert own_scheme(written) == meant
