"""The pure pieces: address recognition, format expansion, placeholders, config readers."""

from __future__ import annotations

import pytest

from socklock.discover.code.config_readers import read_json, read_properties, read_toml
from socklock.discover.code.formats import braces, printf
from socklock.discover.code.placeholders import spring_env_name, spring_placeholders
from socklock.discover.code.render import Context, Resolved, Unknown, render
from socklock.discover.code.targets import parse_target
from socklock.discover.code.values import Env, Hole, env, text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://catalogue:80/catalogue", "http://catalogue:80/catalogue"),
        ("HTTP://Catalogue/x", "http://catalogue/x"),
        ("orders:50051", "orders:50051"),
        ("dns:///orders:50051", "orders:50051"),
        ("mongodb://u:p@carts-db:27017/data", "mongodb://carts-db:27017/data"),
        ("jdbc:mysql://orders-db:3306/orders", "jdbc:mysql://orders-db:3306/orders"),
        # a wrapping driver's word (OpenTracing's, p6spy's) before the database's URL
        ("jdbc:tracing:postgresql://db:5432/shop", "jdbc:postgresql://db:5432/shop"),
        ("jdbc:p6spy:mysql://orders-db:3306/orders", "jdbc:mysql://orders-db:3306/orders"),
        ("user:pw@tcp(catalogue-db:3306)/socksdb", "mysql://catalogue-db:3306/socksdb"),
        ("kafka-0:9092, kafka-1:9092", "kafka-0:9092,kafka-1:9092"),
        ("Host=db;Port=5432;Database=x", "db:5432"),
        ("Server=tcp:sql,1433;Database=x", "sql:1433"),
        ("mysql:host=db;port=3306;dbname=shop", "mysql://db:3306"),
        ("pgsql:host=pg;dbname=shop", "postgresql://pg"),
        ("dbi:Pg:host=pg;port=5433", "postgresql://pg:5433"),
        ("http://${HOST}:${PORT}/x", "http://${HOST}:${PORT}/x"),
        ("10.0.0.7:8080", "10.0.0.7:8080"),
    ],
)
def test_addresses(raw: str, expected: str) -> None:
    address = parse_target(raw)
    assert address is not None
    assert address.text == expected


@pytest.mark.parametrize(
    "raw",
    [
        "http://www.w3.org/2001/XMLSchema",
        "http://json-schema.org/draft-07/schema#",
        "http://example.org/schemas/order.xsd",
        "http://0.0.0.0:8080",
        "0.0.0.0:8080",
        ":8080",
        "http://*:80",
        "http://%s:%d",
        "http://{host}/x",
        "file:///etc/hosts",
        "12:30",
        "mysql:dbname=shop",
        "host:99999",
        "see http://x for details",
        "plain",
        "jdbc:oracle:thin:@//",  # no host after a wrapper word
    ],
)
def test_not_addresses(raw: str) -> None:
    assert parse_target(raw) is None


def test_loopback_is_marked() -> None:
    address = parse_target("http://localhost:8080")
    assert address is not None and address.loopback


def test_printf_and_braces() -> None:
    assert printf("http://%s:%d/x%%", [text("h"), text("80")]) == (("http://h:80/x%",),)
    assert printf("%[2]s:%[1]d", [text("80"), text("h")]) == (("h:80",),)
    assert printf("%1$s", [text("a")]) == (("a",),)
    assert braces("http://{}:{port}/{{x}}", [text("h")], {"port": text("1")}) == (
        ("http://h:1/{x}",),
    )
    assert braces("{0,8:X}", [env("E")]) == ((Env("E"),),)
    missing = printf("%s", [])
    assert isinstance(missing[0][0], Hole)


def test_spring_placeholders_and_relaxed_binding() -> None:
    found = spring_placeholders("http://${catalogue.host:catalogue}:${PORT}/x")
    assert [(p.name, p.default) for p in found] == [("CATALOGUE_HOST", "catalogue"), ("PORT", None)]
    assert spring_env_name("my-service.base-url") == ("MYSERVICE_BASEURL", 0.9)
    assert spring_env_name("servers[0].url")[0] == "SERVERS_0_URL"
    nested = spring_placeholders("${A:${B:x}}")
    assert (nested[0].name, nested[0].default) == ("A", "${B:x}")


def test_a_hole_in_the_path_keeps_the_address() -> None:
    value = ("http://orders/items/", Hole("`id` is a function parameter"))
    outcome = render(value, Context(call=True))
    assert isinstance(outcome, Resolved) and outcome.target == "http://orders/items/"
    before = ("http://", Hole("`host` is a function parameter"), "/items")
    assert isinstance(render(before, Context(call=True)), Unknown)
    assert render(before, Context(call=False)) is None


def test_env_defaults_are_redacted() -> None:
    outcome = render((Env("AMQP_URL", "amqp://guest:secret@rabbitmq:5672"),), Context(call=True))
    assert isinstance(outcome, Resolved)
    assert outcome.env_default == "amqp://rabbitmq:5672"
    # an unencoded @ in the password is still the password
    outcome = render(
        (Env("PG_URL", "postgres://pg:P@ssw0rd@postgres:5432/db"),), Context(call=True)
    )
    assert isinstance(outcome, Resolved)
    assert outcome.env_default == "postgres://postgres:5432/db"


def test_config_readers_keep_positions() -> None:
    [entry] = read_properties("# c\n  a.b = http://x\n")
    assert (entry.key, entry.value, entry.line, entry.column) == (("a", "b"), "http://x", 2, 9)
    entries = list(read_json('{"a": {"b": ["x:1", 2]}, "c": "d"}'))
    assert [(e.key, e.value, e.column) for e in entries] == [
        (("a", "b", "[]"), "x:1", 15),
        (("a", "b", "[]"), "2", 21),
        (("c",), "d", 32),
    ]
    toml = list(read_toml('[db]\nhosts = ["a:1", "b:2"] # note\n'))
    assert [(e.key, e.value, e.line) for e in toml] == [
        (("db", "hosts"), "a:1", 2),
        (("db", "hosts"), "b:2", 2),
    ]
