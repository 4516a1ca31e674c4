"""Ruby: Net::HTTP, HTTParty/Faraday/RestClient, gRPC stubs, Redis/Mongo/Bunny/PG, ``ENV``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.container_test import fielded
from socklock.discover.code.syntax import Strings, Syntax, named_pair, value_field
from socklock.discover.code.values import concat

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values


def _array(node: Node, ev: Evaluator) -> Values:
    items = [c for c in node.named_children if c.type != "comment"]
    if not items:
        return ev.runtime(node)
    return concat([ev.values(item) for item in items], ",")


SYNTAX = Syntax(
    name="ruby",
    query_files=("ruby.scm",),
    module="tree_sitter_ruby",
    entry="language",
    suffixes=(".rb",),
    strings=Strings(
        types=frozenset({"string"}),
        content=frozenset({"string_content"}),
        interpolations=frozenset({"interpolation"}),
    ),
    identifiers=frozenset(
        {"identifier", "constant", "instance_variable", "class_variable", "global_variable"}
    ),
    numbers=frozenset({"integer"}),
    functions=frozenset({"method", "singleton_method", "lambda", "block", "do_block"}),
    constructors=frozenset({"initialize"}),
    conditionals=frozenset(
        {
            "if",
            "unless",
            "elsif",
            "else",
            "case",
            "when",
            "begin",
            "rescue",
            "if_modifier",
            "unless_modifier",
        }
    ),
    binaries=frozenset({"binary"}),
    default_operators=frozenset({"||", "or"}),
    percent_format=True,
    wrappers=frozenset({"parenthesized_statements"}),
    members={"scope_resolution": ("scope", "name")},
    self_names=frozenset({"self"}),
    lists=frozenset({"left_assignment_list", "right_assignment_list"}),
    handlers={"pair": value_field, "array": _array, "conditional": fielded},
    keyword_arg=named_pair("pair", name="key", strip=":\"'"),
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
