"""Scala: akka-http and sttp requests, gRPC channels and stubs, ``sys.env``, ``s""``/``f""``."""

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

_FORMAT_SPEC = re.compile(r"^%[-#+ 0,(]*\d*(?:\.\d+)?[a-zA-Z]")


def _interpolated(node: Node, ev: Evaluator) -> Values:
    """``s"http://$host:${port}"``; ``f""`` drops the format spec after a field, ``raw""``
    keeps backslashes. The literal text is what lies between the interpolations."""
    interpolator = node.child_by_field_name("interpolator")
    body = next((c for c in node.named_children if c.type == "interpolated_string"), None)
    if body is None:
        return ev.runtime(node)
    kind = ev.text(interpolator) if interpolator is not None else "s"
    source = ev.source
    triple = source[body.start_byte : body.start_byte + 3] == b'"""'
    quote = 3 if triple else 1
    position = body.start_byte + quote
    end = body.end_byte - quote
    pieces: list[Values] = []
    after_field = False
    for child in body.named_children:
        if child.type != "interpolation":
            continue
        pieces.append(_literal(source[position : child.start_byte], kind, after_field))
        inner = [c for c in child.named_children if c.type != "comment"]
        if inner and inner[0].type == "block":
            inner = [c for c in inner[0].named_children if c.type != "comment"]
        pieces.append(ev.values(inner[0]) if len(inner) == 1 else hole("empty template field"))
        position = child.end_byte
        after_field = True
    pieces.append(_literal(source[position:end], kind, after_field))
    return concat(pieces)


def _literal(raw: bytes, interpolator: str, after_field: bool) -> Values:
    piece = raw.decode("utf-8", "replace").replace("$$", "$")
    if interpolator == "f" and after_field:
        piece = _FORMAT_SPEC.sub("", piece)
    return text(piece if interpolator == "raw" else unescape(piece))


def _string(node: Node, ev: Evaluator) -> Values:
    raw = ev.text(node)
    if raw.startswith('"""'):
        return text(raw[3:-3] if raw.endswith('"""') and len(raw) >= 6 else raw[3:])
    body = raw[1:-1] if len(raw) >= 2 and raw.endswith('"') else raw[1:]
    return text(unescape(body))


def _argument(node: Node, ev: Evaluator) -> Values:
    """``HttpRequest(uri = ...)``: a named argument's value."""
    right = node.child_by_field_name("right")
    return ev.values(right) if right is not None else ev.runtime(node)


def _keyword_arg(node: Node, source: bytes) -> tuple[str, Node] | None:
    if node.type != "assignment_expression":
        return None
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier":
        return None
    return source[left.start_byte : left.end_byte].decode(), right


def _block(node: Node, ev: Evaluator) -> Values:
    """``{ expr }``: a block's value is its last expression."""
    inner = [c for c in node.named_children if c.type != "comment"]
    return ev.values(inner[-1]) if inner else hole("empty block")


SYNTAX = Syntax(
    name="scala",
    query_files=("scala.scm",),
    module="tree_sitter_scala",
    entry="language",
    suffixes=(".scala", ".sc"),
    strings=Strings(
        types=frozenset({"string", "interpolated_string_expression"}),
        content=frozenset(),
    ),
    identifiers=frozenset({"identifier"}),
    numbers=frozenset({"integer_literal"}),
    functions=frozenset({"function_definition", "lambda_expression"}),
    conditionals=frozenset({"if_expression", "case_clause", "try_expression", "catch_clause"}),
    binaries=frozenset({"infix_expression"}),
    wrappers=frozenset({"parenthesized_expression"}),
    members={"field_expression": ("value", "field")},
    self_names=frozenset({"this"}),
    handlers={
        "string": _string,
        "interpolated_string_expression": _interpolated,
        "assignment_expression": _argument,
        "block": _block,
    },
    keyword_arg=_keyword_arg,
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
