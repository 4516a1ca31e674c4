"""Lua (OpenResty): resty.http, cosocket ``connect``, Thrift client pools, ``os.getenv``;
``ngx.var`` values come from the nginx config and are reported as such."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.syntax import Strings, Syntax, named_pair, value_field
from socklock.discover.code.values import hole

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values


def _index(node: Node, ev: Evaluator) -> Values:
    """``self.url``, ``M.url``, ``config.url``: a field this file sets; ``ngx.var.x``: nginx's."""
    snippet = "".join(ev.text(node).split())
    if snippet.startswith("ngx.var."):
        return hole(f"`{snippet}` is an nginx variable (set in the nginx config)")
    table = node.child_by_field_name("table")
    field = node.child_by_field_name("field")
    if table is None or field is None:
        return ev.runtime(node)
    name = ev.text(field)
    owner = ev.text(table)
    if ev.definitions.lookup(snippet, node):
        return ev.name(snippet, node)
    if owner == "self" or ev.definitions.lookup(name, node, class_level=True):
        return ev.name(name, node, class_level=True)
    return hole(f"`{snippet}` is not known in this file")


SYNTAX = Syntax(
    name="lua",
    query_files=("lua.scm",),
    module="tree_sitter_lua",
    entry="language",
    suffixes=(".lua",),
    strings=Strings(
        types=frozenset({"string"}),
        content=frozenset({"string_content"}),
    ),
    identifiers=frozenset({"identifier"}),
    numbers=frozenset({"number"}),
    functions=frozenset({"function_declaration", "function_definition"}),
    conditionals=frozenset({"if_statement", "elseif_statement", "else_statement"}),
    concat_operators=frozenset({".."}),
    default_operators=frozenset({"or"}),
    self_names=frozenset({"self"}),
    lists=frozenset({"variable_list", "expression_list"}),
    handlers={"dot_index_expression": _index, "field": value_field},
    keyword_arg=named_pair("field"),
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
