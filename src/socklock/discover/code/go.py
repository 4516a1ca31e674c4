"""Go: ``net/http``, gRPC dials and stubs, database and broker clients, ``os.Getenv``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.syntax import Strings, Syntax
from socklock.discover.code.values import concat

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values


def _composite(node: Node, ev: Evaluator) -> Values:
    """``[]string{"kafka-0:9092", "kafka-1:9092"}``: a list of addresses, comma-joined."""
    kind = node.child_by_field_name("type")
    body = node.child_by_field_name("body")
    if kind is None or body is None or kind.type != "slice_type":
        return ev.runtime(node)
    items = [c.named_children[0] for c in body.named_children if c.type == "literal_element"]
    if not items or len(items) != body.named_child_count:
        return ev.runtime(node)
    return concat([ev.values(item) for item in items], ",")


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
    handlers={"composite_literal": _composite},
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
