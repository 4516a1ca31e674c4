"""PHP: curl, Guzzle, ``file_get_contents``, PDO/mysqli, Redis/AMQP/Memcached, env reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.syntax import Strings, Syntax, unescape
from socklock.discover.code.values import concat, hole, text

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values

_STRING_TYPES = frozenset({"string", "encapsed_string", "heredoc", "nowdoc"})
_TEXT = frozenset({"string_content", "string_value", "nowdoc_string"})
_SKIPPED = frozenset({"heredoc_start", "heredoc_end", "comment"})


def _string(node: Node, ev: Evaluator) -> Values:
    """Single quotes keep ``$``; double quotes and heredocs interpolate ``$x``, ``{$x->y}``."""
    body = node.child_by_field_name("value") if node.type == "heredoc" else node
    if body is None:
        return text("")
    single = node.type in ("string", "nowdoc")
    pieces: list[Values] = []
    for child in body.named_children:
        kind = child.type
        if kind in _TEXT:
            pieces.append(text(ev.text(child)))
        elif kind == "escape_sequence":
            raw = ev.text(child)
            pieces.append(text(raw[1:] if single else unescape(raw)))
        elif kind not in _SKIPPED:
            pieces.append(ev.values(child))
    return concat(pieces)


def _class_constant(node: Node, ev: Evaluator) -> Values:
    """``self::BASE``, ``static::BASE``: a class constant (or enum case) of the file;
    ``Config::BASE`` of another class: found in that class's file when this one has none."""
    parts = node.named_children
    if len(parts) < 2 or parts[-1].type != "name":
        return ev.runtime(node)
    constant = ev.text(parts[-1])
    owner = ev.text(parts[0])
    here = ev.definitions.lookup(constant, node, class_level=True)
    if not here and parts[0].type != "relative_scope" and ev.links is not None:
        linked = ev.links.member(owner.lstrip("\\"), constant)
        if linked is not None:
            return linked
    return ev.name(constant, node, class_level=True)


def _member_access(node: Node, ev: Evaluator) -> Values:
    """``RabbitEnv::Host->value``: the value of a backed enum's case (PHP 8.1) is the case's
    own value; any other ``$obj->prop`` is an ordinary member."""
    owner = node.child_by_field_name("object")
    prop = node.child_by_field_name("name")
    if (
        owner is not None
        and prop is not None
        and owner.type == "class_constant_access_expression"
        and ev.text(prop) == "value"
    ):
        return ev.values(owner)
    return ev.member(node)


def _argument(node: Node, ev: Evaluator) -> Values:
    inner = [c for c in node.named_children if c.type != "comment"]
    return ev.values(inner[-1]) if inner else hole("empty argument")


def _keyword_arg(node: Node, source: bytes) -> tuple[str, Node] | None:
    """PHP 8 named arguments: ``f(url: $x)``."""
    if node.type != "argument":
        return None
    name = node.child_by_field_name("name")
    inner = [c for c in node.named_children if c.type != "comment"]
    if name is None or len(inner) < 2:
        return None
    return source[name.start_byte : name.end_byte].decode(), inner[-1]


SYNTAX = Syntax(
    name="php",
    query_files=("php.scm",),
    module="tree_sitter_php",
    entry="language_php",
    suffixes=(".php",),
    strings=Strings(types=_STRING_TYPES, content=_TEXT),
    identifiers=frozenset({"variable_name", "name"}),
    numbers=frozenset({"integer", "float"}),
    functions=frozenset(
        {"function_definition", "method_declaration", "anonymous_function", "arrow_function"}
    ),
    conditionals=frozenset(
        {"if_statement", "else_clause", "else_if_clause", "case_statement", "try_statement"}
    ),
    concat_operators=frozenset({"."}),
    default_operators=frozenset({"??"}),
    members={"member_access_expression": ("object", "name")},
    self_names=frozenset({"$this"}),
    pattern_names=frozenset({"string_content"}),  # ``define("NAME", value)``
    handlers={
        **dict.fromkeys(_STRING_TYPES, _string),
        "class_constant_access_expression": _class_constant,
        "member_access_expression": _member_access,
        "argument": _argument,
    },
    keyword_arg=_keyword_arg,
    constructors=frozenset({"__construct"}),
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
