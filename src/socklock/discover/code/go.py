"""Go: ``net/http``, gRPC dials and stubs, database and broker clients, ``os.Getenv``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.syntax import Strings, Syntax, literal_item
from socklock.discover.code.values import concat, text

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values


def _composite(node: Node, ev: Evaluator) -> Values:
    """``[]string{"kafka-0:9092", "kafka-1:9092"}``: a list of addresses, comma-joined."""
    kind = node.child_by_field_name("type")
    body = node.child_by_field_name("body")
    if kind is not None and body is not None and ev.text(kind) == "url.URL":
        return _url(body, ev)
    if kind is None or body is None or kind.type != "slice_type":
        return ev.runtime(node)
    items = [c.named_children[0] for c in body.named_children if c.type == "literal_element"]
    if not items or len(items) != body.named_child_count:
        return ev.runtime(node)
    return concat([ev.values(item) for item in items], ",")


def _url(body: Node, ev: Evaluator) -> Values:
    """``url.URL{Scheme: "http", Host: host, Path: "/x"}``: the URL its String() gives."""
    fields: dict[str, Node] = {}
    for element in body.named_children:
        parts = [c for c in element.named_children if c.type == "literal_element"]
        if element.type == "keyed_element" and len(parts) == 2 and parts[1].named_children:
            fields[ev.text(parts[0])] = parts[1].named_children[0]
    if "Host" not in fields:
        return ev.runtime(body)
    pieces: list[Values] = []
    if "Scheme" in fields:
        pieces += [ev.values(fields["Scheme"]), text("://")]
    pieces.append(ev.values(fields["Host"]))
    if "Path" in fields:
        pieces.append(ev.values(fields["Path"]))
    return concat(pieces)


def _pointer(node: Node, ev: Evaluator) -> Values:
    """``*addr`` (a flag's value: ``addr := flag.String(...)``) and ``&opts``: the value
    pointed to is the operand's; any other unary operator is computed at run time."""
    operator = node.child_by_field_name("operator")
    operand = node.child_by_field_name("operand")
    if operator is None or operand is None or ev.text(operator) not in ("*", "&"):
        return ev.runtime(node)
    return ev.values(operand)


def _entries(node: Node, source: bytes) -> dict[str, Node] | None:
    """``map[string]string{"cart": "cart:7070"}``: string keys and their value nodes."""
    kind = node.child_by_field_name("type")
    body = node.child_by_field_name("body")
    if node.type != "composite_literal" or kind is None or body is None:
        return None
    if kind.type != "map_type":
        return None
    found: dict[str, Node] = {}
    for element in body.named_children:
        parts = [c for c in element.named_children if c.type == "literal_element"]
        if element.type != "keyed_element" or len(parts) != 2 or not parts[1].named_children:
            continue
        key = parts[0].named_children[0] if parts[0].named_children else None
        if key is not None and key.type == "interpreted_string_literal":
            found[source[key.start_byte + 1 : key.end_byte - 1].decode()] = parts[1].named_children[
                0
            ]
    return found


SYNTAX = Syntax(
    name="go",
    query_files=("go.scm",),
    module="tree_sitter_go",
    entry="language",
    suffixes=(".go",),
    strings=Strings(
        types=frozenset({"interpreted_string_literal", "raw_string_literal"}),
        content=frozenset({"interpreted_string_literal_content", "raw_string_literal_content"}),
    ),
    identifiers=frozenset({"identifier"}),
    numbers=frozenset({"int_literal"}),
    functions=frozenset({"function_declaration", "method_declaration", "func_literal"}),
    conditionals=frozenset(
        {"if_statement", "expression_case", "default_case", "type_case", "communication_case"}
    ),
    members={"selector_expression": ("operand", "field")},
    self_names=frozenset(),
    lists=frozenset({"expression_list"}),
    handlers={
        "composite_literal": _composite,
        "index_expression": literal_item("operand"),
        "unary_expression": _pointer,
    },
    entries=_entries,
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
