"""Rust: reqwest, tonic channels and clients, redis/mongodb/sqlx/lapin/NATS clients,
``std::env::var``, ``format!``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.formats import braces
from socklock.discover.code.syntax import Strings, Syntax
from socklock.discover.code.values import Env, concat, hole, single_text, text

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values

_STRINGS = frozenset({"string_literal", "raw_string_literal"})
_DELIMITERS = frozenset({"(", ")", "[", "]", "{", "}"})
_INLINE_FIELD = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[:}])")


def _macro(node: Node, ev: Evaluator) -> Values:
    """``format!("{}:{}", host, port)`` and ``format!("{host}")``, ``concat!``, ``vec!``."""
    name_node = node.child_by_field_name("macro")
    tree = next((c for c in node.named_children if c.type == "token_tree"), None)
    if name_node is None or tree is None:
        return ev.runtime(node)
    name = ev.text(name_node).rsplit("::", 1)[-1]
    groups = _arguments(tree)
    if name in ("format", "format_args") and groups:
        return _format(node, groups, ev)
    if name == "concat":
        return concat([_group_value(group, ev) for group in groups])
    if name == "vec" and groups:
        return concat([_group_value(group, ev) for group in groups], ",")
    return ev.runtime(node)


def _format(node: Node, groups: list[list[Node]], ev: Evaluator) -> Values:
    fmt = single_text(_group_value(groups[0], ev))
    if fmt is None:
        return hole(f"format string `{ev.text(groups[0][0])}` is computed")
    positional: list[Values] = []
    keywords: dict[str, Values] = {}
    for group in groups[1:]:
        if len(group) >= 3 and group[0].type == "identifier" and group[1].type == "=":
            keywords[ev.text(group[0])] = _group_value(group[2:], ev)
        else:
            positional.append(_group_value(group, ev))
    for field in _INLINE_FIELD.findall(fmt):
        if field not in keywords:
            keywords[field] = ev.name(field, node)  # Rust 2021: ``{host}`` names a variable
    return braces(fmt, positional, keywords)


def _arguments(tree: Node) -> list[list[Node]]:
    """Tokens of a macro's token tree, split at top-level commas."""
    groups: list[list[Node]] = [[]]
    for child in tree.children:
        if child.type == ",":
            groups.append([])
        elif child.type not in _DELIMITERS and child.type != "line_comment":
            groups[-1].append(child)
    return [group for group in groups if group]


def _group_value(group: list[Node], ev: Evaluator) -> Values:
    """One macro argument. The grammar leaves a macro's arguments as flat tokens, so beyond
    a single token (a literal, a name, a nested macro) only two shapes are read: a name
    with conversions (``host.to_string()``) and an env read with its default
    (``env::var("X").unwrap_or_else(|_| "d".to_string()).parse::<String>()``)."""
    tokens = [t for t in group if t.type != "&"]
    if len(tokens) == 1:
        return ev.values(tokens[0])
    texts = [ev.text(t) for t in tokens]
    for index, word in enumerate(texts):
        if word in ("var", "var_os") and texts[index - 2 : index] == ["env", "::"]:
            return _env_tokens(tokens[index + 1 :], texts[index + 1 :], ev)
    if tokens[0].type == "identifier" and _conversions(texts[1:]):
        return ev.values(tokens[0])
    return hole("a macro argument is computed at run time")


def _env_tokens(tokens: list[Node], texts: list[str], ev: Evaluator) -> Values:
    if not tokens or tokens[0].type != "token_tree":
        return hole("an env var name is computed at run time")
    name = _string_in(tokens[0], ev)
    if name is None:
        return hole("an env var name is computed at run time")
    default = None
    for index, word in enumerate(texts):
        if word in ("unwrap_or", "unwrap_or_else") and index + 1 < len(tokens):
            default = _string_in(tokens[index + 1], ev)
            break
    return ((Env(name, default),),)


def _string_in(tree: Node, ev: Evaluator) -> str | None:
    """The first string literal in a token tree, if it is known text."""
    stack = [tree]
    while stack:
        node = stack.pop(0)
        if node.type in _STRINGS:
            return single_text(ev.values(node))
        stack.extend(node.named_children)
    return None


def _conversions(texts: list[str]) -> bool:
    """``.to_string()``, ``.clone()``, ``.as_str()`` and the like, nothing else."""
    index = 0
    while index < len(texts):
        if (
            texts[index] != "."
            or texts[index + 1 : index + 2] == []
            or (texts[index + 1] not in _PASS_THROUGH)
        ):
            return False
        index += 2
        if index < len(texts) and texts[index] == "()":
            index += 1
    return True


_PASS_THROUGH = frozenset({"to_string", "clone", "to_owned", "as_str", "into", "as_ref"})


def _tuple(node: Node, ev: Evaluator) -> Values:
    """``("orders", 8080)``: the address form of ``ToSocketAddrs``."""
    items = [c for c in node.named_children if c.type not in ("line_comment", "block_comment")]
    if len(items) != 2:
        return ev.runtime(node)
    return concat([ev.values(items[0]), text(":"), ev.values(items[1])])


def _closure(node: Node, ev: Evaluator) -> Values:
    """``unwrap_or_else(|_| "default".into())``: the closure's result."""
    body = node.child_by_field_name("body")
    return ev.values(body) if body is not None else ev.runtime(node)


def _block(node: Node, ev: Evaluator) -> Values:
    inner = [c for c in node.named_children if c.type not in ("line_comment", "block_comment")]
    return ev.values(inner[-1]) if inner else hole("empty block")


SYNTAX = Syntax(
    name="rust",
    query_files=("rust.scm",),
    module="tree_sitter_rust",
    entry="language",
    suffixes=(".rs",),
    strings=Strings(
        # a macro's token tree holds its string arguments: ``format!`` builds one string
        types=_STRINGS | {"macro_invocation"},
        content=frozenset({"string_content"}),
        interpolations=frozenset({"token_tree"}),
    ),
    identifiers=frozenset({"identifier"}),
    numbers=frozenset({"integer_literal"}),
    functions=frozenset({"function_item", "closure_expression"}),
    conditionals=frozenset({"if_expression", "else_clause", "match_arm"}),
    wrappers=frozenset(
        {"parenthesized_expression", "reference_expression", "try_expression", "await_expression"}
    ),
    members={"field_expression": ("value", "field")},
    self_names=frozenset({"self"}),
    handlers={
        "macro_invocation": _macro,
        "tuple_expression": _tuple,
        "closure_expression": _closure,
        "block": _block,
    },
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
