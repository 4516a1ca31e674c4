"""Python: requests/httpx/urllib/aiohttp, gRPC channels, database and broker clients, os.environ."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.container_test import python_conditional
from socklock.discover.code.definitions import member_key
from socklock.discover.code.imports import FLASK_CONFIG
from socklock.discover.code.syntax import (
    Strings,
    Syntax,
    named_pair,
    strip_quotes,
    unescape,
    value_field,
)
from socklock.discover.code.values import concat, hole, single_text, text

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values


def _string(node: Node, ev: Evaluator) -> Values:
    """Prefixes matter: ``r""`` keeps backslashes, ``f""`` has fields and ``{{``."""
    prefix = ""
    pieces: list[Values] = []
    for child in node.children:
        kind = child.type
        if kind == "string_start":
            prefix = ev.text(child).lower()
        elif kind == "string_content":
            raw = ev.text(child)
            if "r" not in prefix:
                raw = unescape(raw)
            if "f" in prefix:
                raw = raw.replace("{{", "{").replace("}}", "}")
            pieces.append(text(raw))
        elif kind == "interpolation":
            inner = child.child_by_field_name("expression")
            pieces.append(ev.values(inner) if inner is not None else hole("empty f-string field"))
    return concat(pieces)


def _tuple(node: Node, ev: Evaluator) -> Values:
    """``(host, port)``: the address form of sockets.

    ``(url.hostname, url.port or 5672)`` with ``url = urlsplit(...)`` is the URL itself.
    """
    items = [c for c in node.named_children if c.type != "comment"]
    if len(items) != 2:
        return ev.runtime(node)
    host, port = (_before_or(item) for item in items)
    if host.type == port.type == "attribute":
        owner, owner_port = host.child_by_field_name("object"), port.child_by_field_name("object")
        fields = (ev.text(host).rsplit(".", 1)[-1], ev.text(port).rsplit(".", 1)[-1])
        same = (
            owner is not None and owner_port is not None and ev.text(owner) == ev.text(owner_port)
        )
        if same and owner is not None and fields in _SPLIT_URL:
            return ev.values(owner)
    return concat([ev.values(items[0]), text(":"), ev.values(items[1])])


_SPLIT_URL = {("hostname", "port"), ("host", "port")}


def _before_or(node: Node) -> Node:
    """``x or default`` → ``x``."""
    if node.type == "boolean_operator":
        left = node.child_by_field_name("left")
        if left is not None:
            return left
    return node


def _list(node: Node, ev: Evaluator) -> Values:
    """``["kafka-0:9092", "kafka-1:9092"]``: a bootstrap list."""
    items = [c for c in node.named_children if c.type != "comment"]
    if not items:
        return ev.runtime(node)
    return concat([ev.values(item) for item in items], ",")


def _entries(node: Node, source: bytes) -> dict[str, Node] | None:
    """A dict literal's string keys and their value nodes."""
    if node.type != "dictionary":
        return None
    found: dict[str, Node] = {}
    for pair in node.named_children:
        key = pair.child_by_field_name("key") if pair.type == "pair" else None
        value = pair.child_by_field_name("value") if pair.type == "pair" else None
        if key is not None and value is not None and key.type == "string":
            found[strip_quotes(source[key.start_byte : key.end_byte].decode())] = value
    return found


def _keyed(owner: Node, key_node: Node, use: Node, ev: Evaluator) -> Values | None:
    """``owner[key]``: an item of a dict literal, or a key set on a config object
    (``app.config["X"] = ...`` read as ``current_app.config["X"]``)."""
    key = single_text(ev.values(key_node))
    if key is None:
        return None
    found = ev.item(owner, key)
    if found is not None:
        return found
    name = member_key(f"{ev.text(owner)}[{key!r}]")
    if ev.definitions.lookup(name, use, class_level=True):
        return ev.name(name, use, class_level=True)
    if ev.links is not None and _FLASK_CONFIG.search(ev.text(owner)):
        return ev.links.member(FLASK_CONFIG, key)
    return None


# ``app.config["X"]``, ``current_app.config["X"]``, ``self.app.config["X"]``: a Flask app's
# config, which ``app.config.from_object(...)`` fills from the upper-case attributes of the
# program's config module (its classes: ``class Config: BROKER_HOST = "rabbitmq"``)
_FLASK_CONFIG = re.compile(r"(?:^|\.)(?:app|current_app|flask_app)\.config$")


def _subscript(node: Node, ev: Evaluator) -> Values:
    owner = node.child_by_field_name("value")
    index = node.child_by_field_name("subscript")
    found = _keyed(owner, index, node, ev) if owner is not None and index is not None else None
    return found if found is not None else ev.runtime(node)


def _call(node: Node, ev: Evaluator) -> Values:
    """``mapping.get("key", default)`` reads an item like ``mapping["key"]``."""
    function = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if function is None or args is None or function.type != "attribute":
        return ev.runtime(node)
    owner = function.child_by_field_name("object")
    method = function.child_by_field_name("attribute")
    items = [c for c in args.named_children if c.type != "comment"]
    if owner is None or method is None or ev.text(method) != "get" or not items:
        return ev.runtime(node)
    if items[0].type != "string":
        return ev.runtime(node)
    found = _keyed(owner, items[0], node, ev)
    return found if found is not None else ev.runtime(node)  # the key is there: no default


# Database drivers whose ``connect`` a file may import by name (``from mysql.connector
# import connect``), and their protocols
_DRIVERS = {
    "mysql.connector": "mysql",
    "pymysql": "mysql",
    "MySQLdb": "mysql",
    "aiomysql": "mysql",
    "psycopg2": "postgresql",
    "psycopg": "postgresql",
    "asyncpg": "postgresql",
    "aiopg": "postgresql",
}
_CALL_LEVELS = 3  # value → keyword argument → argument list → call


def _imported_scheme(node: Node, source: bytes) -> str | None:
    """The protocol of the driver whose function the call around ``node`` is, imported by
    its bare name (``from pymysql import connect as db_connect``)."""
    from socklock.discover.code.imports import python_from_imports

    call: Node | None = node
    for _ in range(_CALL_LEVELS + 1):
        if call is None or call.type == "call":
            break
        call = call.parent
    function = call.child_by_field_name("function") if call is not None else None
    if function is None or function.type != "identifier":
        return None
    name = source[function.start_byte : function.end_byte].decode("utf-8", "replace")
    text = source.decode("utf-8", "replace")
    for dots, module, names in python_from_imports(text):
        if not dots and module in _DRIVERS and any(alias == name for _, alias in names):
            return _DRIVERS[module]
    return None


SYNTAX = Syntax(
    name="python",
    query_files=("python.scm",),
    module="tree_sitter_python",
    entry="language",
    suffixes=(".py",),
    strings=Strings(
        types=frozenset({"string", "concatenated_string"}),
        content=frozenset({"string_content"}),
        interpolations=frozenset({"interpolation"}),
        escapes_inside_content=True,
    ),
    identifiers=frozenset({"identifier"}),
    numbers=frozenset({"integer", "float"}),
    functions=frozenset({"function_definition", "lambda"}),
    conditionals=frozenset(
        {"if_statement", "elif_clause", "else_clause", "try_statement", "except_clause"}
    ),
    binaries=frozenset({"binary_operator", "boolean_operator"}),
    default_operators=frozenset({"or"}),
    percent_format=True,
    wrappers=frozenset({"parenthesized_expression", "await"}),
    members={"attribute": ("object", "attribute")},
    self_names=frozenset({"self", "cls"}),
    lists=frozenset({"expression_list", "pattern_list", "tuple_pattern", "tuple"}),
    handlers={
        "string": _string,
        "tuple": _tuple,
        "list": _list,
        "keyword_argument": value_field,
        "subscript": _subscript,
        "call": _call,
        "conditional_expression": python_conditional,
    },
    keyword_arg=named_pair("keyword_argument"),
    entries=_entries,
    constructors=frozenset({"__init__"}),
    imported_scheme=_imported_scheme,
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
