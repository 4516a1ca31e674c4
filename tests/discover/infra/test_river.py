"""The Alloy configuration syntax (River): blocks, attributes, expressions, positions."""

from __future__ import annotations

import pytest

from socklock.discover.infra.river import (
    Access,
    Array,
    Attribute,
    Block,
    Call,
    Evaluator,
    Index,
    Literal,
    Object,
    Operation,
    Reference,
    RiverError,
    Unresolved,
    parse,
    tokens,
    walk,
)

CONFIG = """\
// a line comment
log_level = "debug"
/* a block comment
   prometheus.scrape "gone" { targets = [] } */
local.file "sinks" {
  filename = `/etc/agent/sinks.json`
}
prometheus.remote_write "main" {
  endpoint {
    url = json_decode(local.file.sinks.content).metrics[0]
  }
}
x = -1 + 2 * 3 == 5 || !false
"""


def test_blocks_attributes_and_positions() -> None:
    statements = parse(CONFIG)
    assert [type(s).__name__ for s in statements] == ["Attribute", "Block", "Block", "Attribute"]
    assert statements[0] == Attribute("log_level", Literal("debug", 2, 13), 2, 1)
    local = statements[1]
    assert isinstance(local, Block)
    assert (local.name, local.label, local.line, local.column) == ("local.file", "sinks", 5, 1)
    assert local.attribute("filename") == Attribute(
        "filename", Literal("/etc/agent/sinks.json", 6, 14), 6, 3
    )
    write = statements[2]
    assert isinstance(write, Block)
    (endpoint,) = write.blocks("endpoint")
    assert (endpoint.name, endpoint.label) == ("endpoint", None)
    assert endpoint.attribute("url") == Attribute(
        "url",
        Index(
            Access(
                Call(
                    ("json_decode",),
                    (Reference(("local", "file", "sinks", "content"), 10, 23),),
                    10,
                    11,
                ),
                "metrics",
                10,
                48,
            ),
            Literal(0, 10, 57),
            10,
            56,
        ),
        10,
        5,
    )
    assert [b.name for b in walk(statements)] == [
        "local.file",
        "prometheus.remote_write",
        "endpoint",
    ]


def test_operators_bind_by_precedence() -> None:
    (attribute,) = parse("x = -1 + 2 * 3 == 5 || !false\n")
    assert isinstance(attribute, Attribute)
    value = attribute.value
    assert isinstance(value, Operation) and value.operator == "||"
    equal, negation = value.operands
    assert isinstance(equal, Operation) and equal.operator == "=="
    plus = equal.operands[0]
    assert isinstance(plus, Operation) and plus.operator == "+"
    assert isinstance(plus.operands[0], Operation) and plus.operands[0].operator == "-"
    assert isinstance(plus.operands[1], Operation) and plus.operands[1].operator == "*"
    assert isinstance(negation, Operation) and negation.operator == "!"


def test_arrays_objects_and_string_escapes() -> None:
    (attribute,) = parse('targets = [{"__address__" = "a:1", job = "x\\ty"},]\n')
    assert isinstance(attribute, Attribute)
    assert attribute.value == Array(
        (
            Object(
                (("__address__", Literal("a:1", 1, 29)), ("job", Literal("x\ty", 1, 42))),
                1,
                12,
            ),
        ),
        1,
        11,
    )


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('a "x" {\n  b = \n}\n', (3, 1), "expected an expression, found '}'"),
        ("a {\n  b = 1\n", (3, 1), "expected '}', found end of file"),
        ("a = 1 ;\n", (1, 7), "unexpected ';'"),
        ("a = [1 2]\n", (1, 8), "expected ',', found '2'"),
    ],
)
def test_syntax_errors_say_where(text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(RiverError) as caught:
        parse(text)
    assert ((caught.value.line, caught.value.column), str(caught.value)) == (where, message)


def test_tokens_skip_comments_across_lines() -> None:
    assert [(t.kind, t.text, t.line) for t in tokens("/* a\nb */ x // y\n= 1")] == [
        ("ident", "x", 2),
        ("op", "=", 3),
        ("number", "1", 3),
        ("end", "", 3),
    ]


def _value(expression: str, env: dict[str, str], files: dict[str, str]) -> object:
    (attribute,) = parse(f"v = {expression}\n")
    assert isinstance(attribute, Attribute)
    return Evaluator(env, files.get).value(attribute.value)


def test_evaluator_knows_env_local_files_and_json_functions() -> None:
    files = {"sinks": '{"logs": {"url": "http://logs:3100"}, "list": ["a", "b"]}'}
    env = {"SINK": "http://metrics:9009"}
    assert _value('env("SINK")', env, files) == "http://metrics:9009"
    assert _value('sys.env("SINK") + "/push"', env, files) == "http://metrics:9009/push"
    assert _value("json_decode(local.file.sinks.content).logs.url", env, files) == (
        "http://logs:3100"
    )
    assert _value('encoding.from_json(local.file.sinks.content)["list"][1]', env, files) == "b"
    assert _value('json_path(local.file.sinks.content, ".logs.url")[0]', env, files) == (
        "http://logs:3100"
    )
    assert _value('json_path(local.file.sinks.content, ".nope")', env, files) == []
    assert _value('format("%s:%d", "host", 9)', env, files) == "host:9"
    assert _value('join(["a", "b"], ",")', env, files) == "a,b"
    assert _value("concat([1], [2, 3])", env, files) == [1, 2, 3]
    assert _value('coalesce(env("UNSET"), "", "http://fallback:1")', env, files) == (
        "http://fallback:1"
    )
    assert _value('coalesce(env("SINK"), "http://fallback:1")', env, files) == (
        "http://metrics:9009"
    )


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ('env("NOPE")', "env NOPE is not set for the workload by any manifest or its image's ENV"),
        ("local.file.other.content", "local.file other reads a file not in the input"),
        ("discovery.kubernetes.pods.targets", "discovery.kubernetes finds the targets at run time"),
        (
            "prometheus.exporter.unix.default.targets",
            "prometheus.exporter.unix.default.targets is an export of another component at "
            "run time",
        ),
        ("random()", "random() is evaluated at run time"),
        (
            'coalesce(env("NOPE"), "")',
            "env NOPE is not set for the workload by any manifest or its image's ENV",
        ),
    ],
)
def test_evaluator_says_why_a_value_is_unknown(expression: str, reason: str) -> None:
    with pytest.raises(Unresolved) as caught:
        _value(expression, {}, {})
    assert str(caught.value) == reason
