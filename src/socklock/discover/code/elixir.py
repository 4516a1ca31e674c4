"""Elixir: HTTPoison/Req/Finch, AMQP, Redix, Postgrex, an Ecto Repo's ``config``, and
``System.get_env``; module attributes (``@host System.get_env("RABBITHOST")``) are
definitions of the module.

Mix config files (``config/dev.exs``, ``config/runtime.exs``) are Elixir too: a Repo's
``hostname:``/``port:`` there is its database; ``config/test.exs`` is the test env's
(:mod:`socklock.discover.code.paths` leaves it out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.syntax import Strings, Syntax

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values


def _attribute(node: Node, ev: Evaluator) -> Values:
    """``@host``: the module attribute's value (its ``@host value`` definition)."""
    operator = node.child_by_field_name("operator")
    operand = node.child_by_field_name("operand")
    if (
        operator is not None
        and operand is not None
        and ev.text(operator) == "@"
        and operand.type == "identifier"
    ):
        return ev.name(ev.text(operand), node)
    return ev.runtime(node)


def _keyword_arg(node: Node, source: bytes) -> tuple[str, Node] | None:
    """``open(host: "rabbitmq")``: a keyword list's pair."""
    if node.type != "pair":
        return None
    key = node.child_by_field_name("key")
    value = node.child_by_field_name("value")
    if key is None or value is None:
        return None
    return source[key.start_byte : key.end_byte].decode().strip().rstrip(":"), value


SYNTAX = Syntax(
    name="elixir",
    query_files=("elixir.scm",),
    module="tree_sitter_elixir",
    entry="language",
    suffixes=(".ex", ".exs"),
    strings=Strings(
        types=frozenset({"string"}),
        content=frozenset({"quoted_content"}),
        interpolations=frozenset({"interpolation"}),
    ),
    identifiers=frozenset({"identifier"}),
    numbers=frozenset({"integer", "float"}),
    # a module's and a function's body: a ``do`` block each
    functions=frozenset({"do_block", "anonymous_function"}),
    conditionals=frozenset({"stab_clause", "else_block"}),
    binaries=frozenset({"binary_operator"}),
    concat_operators=frozenset({"<>"}),
    default_operators=frozenset({"||"}),
    handlers={"unary_operator": _attribute},
    keyword_arg=_keyword_arg,
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
