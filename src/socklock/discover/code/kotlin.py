"""Kotlin: Ktor and OkHttp clients, Spring RestTemplate/WebClient, gRPC channels and stubs,
``System.getenv`` and Spring ``@Value("\\${...}")``, string templates."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.syntax import Strings, Syntax, unescape
from socklock.discover.code.values import concat, hole, text

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRINGS = frozenset({"string_literal", "multiline_string_literal"})


def _string(node: Node, ev: Evaluator) -> Values:
    """The grammar leaves ``$name`` as a ``$`` content followed by the name's text."""
    raw = node.type == "multiline_string_literal"
    pieces: list[Values] = []
    dollar = False
    for child in node.named_children:
        kind = child.type
        if kind == "string_content":
            content = ev.text(child)
            if dollar:
                dollar = False
                name = _NAME.match(content)
                if name is not None:
                    pieces.append(ev.name(name.group(0), child))
                    content = content[name.end() :]
                else:
                    pieces.append(text("$"))
            if content == "$":
                dollar = True
                continue
            pieces.append(text(content))
        elif kind == "escape_sequence":
            pieces.append(text(ev.text(child) if raw else unescape(ev.text(child))))
        elif kind == "interpolation":
            inner = [c for c in child.named_children if c.type != "comment"]
            pieces.append(ev.values(inner[0]) if inner else hole("empty template field"))
    if dollar:
        pieces.append(text("$"))
    return concat(pieces)


def _navigation(node: Node, ev: Evaluator) -> Values:
    """``this.host``, ``Config.BASE``, ``companion.BASE``: a property of this file."""
    parts = [c for c in node.named_children if c.type != "comment"]
    if len(parts) != 2 or parts[1].type != "identifier":
        return ev.runtime(node)
    owner, prop = parts
    name = ev.text(prop)
    if owner.type == "this_expression" or (
        ev.text(owner)[:1].isupper() and ev.definitions.lookup(name, node, class_level=True)
    ):
        return ev.name(name, node, class_level=True)
    return hole(f"`{ev.text(node)}` is not known in this file")


def _argument(node: Node, ev: Evaluator) -> Values:
    inner = [c for c in node.named_children if c.type != "comment"]
    return ev.values(inner[-1]) if inner else hole("empty argument")


def _keyword_arg(node: Node, source: bytes) -> tuple[str, Node] | None:
    """``get(urlString = "...")``: a named argument."""
    if node.type != "value_argument":
        return None
    inner = [c for c in node.named_children if c.type != "comment"]
    if len(inner) != 2 or inner[0].type != "identifier":
        return None
    return source[inner[0].start_byte : inner[0].end_byte].decode(), inner[1]


SYNTAX = Syntax(
    name="kotlin",
    query_files=("kotlin.scm",),
    module="tree_sitter_kotlin",
    entry="language",
    suffixes=(".kt", ".kts"),
    strings=Strings(
        types=_STRINGS,
        content=frozenset({"string_content"}),
        interpolations=frozenset({"interpolation"}),
    ),
    identifiers=frozenset({"identifier"}),
    numbers=frozenset({"number_literal"}),
    functions=frozenset(
        {"function_declaration", "lambda_literal", "anonymous_function", "secondary_constructor"}
    ),
    conditionals=frozenset({"if_expression", "when_entry", "try_expression", "catch_block"}),
    default_operators=frozenset({"?:"}),
    wrappers=frozenset({"parenthesized_expression"}),
    self_names=frozenset({"this"}),
    handlers={
        **dict.fromkeys(_STRINGS, _string),
        "navigation_expression": _navigation,
        "value_argument": _argument,
    },
    keyword_arg=_keyword_arg,
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
