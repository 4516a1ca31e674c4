"""C#: HttpClient, GrpcChannel and generated clients, Mongo/Redis/SQL/RabbitMQ clients,
``Environment.GetEnvironmentVariable`` and ASP.NET Core configuration keys."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.container_test import in_container
from socklock.discover.code.options import bound_member
from socklock.discover.code.syntax import Strings, Syntax, unescape, value_field
from socklock.discover.code.values import concat, hole, text, with_default

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values

_EXTRAS = frozenset(
    {"interpolation_brace", "interpolation_format_clause", "interpolation_alignment_clause"}
)


def _interpolated(node: Node, ev: Evaluator) -> Values:
    """``$"http://{host}:{port}"``; ``{{`` is a brace; ``$@`` strings keep backslashes."""
    verbatim = False
    pieces: list[Values] = []
    for child in node.named_children:
        kind = child.type
        if kind == "interpolation_start":
            verbatim = "@" in ev.text(child)
        elif kind == "string_content":
            raw = ev.text(child).replace("{{", "{").replace("}}", "}")
            pieces.append(text(raw if verbatim else unescape(raw)))
        elif kind == "escape_sequence":
            pieces.append(text(unescape(ev.text(child))))
        elif kind == "interpolation":
            inner = next((c for c in child.named_children if c.type not in _EXTRAS), None)
            pieces.append(ev.values(inner) if inner is not None else hole("empty interpolation"))
    return concat(pieces)


def _argument(node: Node, ev: Evaluator) -> Values:
    """An argument's value is its last child (the first may be ``name:``)."""
    children = [c for c in node.named_children if c.type != "comment"]
    return ev.values(children[-1]) if children else ev.runtime(node)


def _member(node: Node, ev: Evaluator) -> Values:
    """``urls.GrpcBasket`` on a bound options object reads a configuration key; any other
    member is the evaluator's."""
    bound = bound_member(node, ev)
    return bound if bound is not None else ev.member(node)


def _invocation(node: Node, ev: Evaluator) -> Values:
    """``API.Catalog.GetAllItems(baseUri, page)``: what a static method of a class another
    file defines returns for these arguments; else known only at run time."""
    function = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    owner = function.child_by_field_name("expression") if function is not None else None
    method = function.child_by_field_name("name") if function is not None else None
    if owner is None or method is None or args is None or method.type != "identifier":
        return ev.runtime(node)
    written = ev.text(owner)
    if ev.links is None or not _STATIC_OWNER.fullmatch(written):
        return ev.runtime(node)
    if any(ev.syntax.keyword_arg and ev.syntax.keyword_arg(c, ev.source) for c in args.children):
        return ev.runtime(node)  # named arguments: not bound here

    def positional() -> list[Values]:
        return ev.arguments(args)[0]

    found = ev.links.returned(written, ev.text(method), positional)
    return found if found is not None else ev.runtime(node)


_STATIC_OWNER = re.compile(r"[A-Z]\w*(?:\.[A-Z]\w*)*")
_NAME = r"([A-Za-z_][\w.]*)"
_UNSET = re.compile(
    rf"^(?:[Ss]tring\.IsNullOr(?:Empty|WhiteSpace)\({_NAME}\)|{_NAME}\s*==\s*(?:null|\"\")"
    rf"|{_NAME}\s+is\s+null)$"
)
_SET = re.compile(
    rf"^(?:!\s*[Ss]tring\.IsNullOr(?:Empty|WhiteSpace)\({_NAME}\)|{_NAME}\s*!=\s*(?:null|\"\")"
    rf"|{_NAME}\s+is\s+not\s+null)$"
)


def _conditional(node: Node, ev: Evaluator) -> Values:
    """``string.IsNullOrEmpty(url) ? "http://seq" : url`` is ``url`` with a default, like
    ``url ?? "http://seq"``; any other ``c ? a : b`` is known only at run time (both
    branches would be a guess: ``isHttps ? "https" : "http"`` runs one of them)."""
    condition = node.child_by_field_name("condition")
    yes = node.child_by_field_name("consequence")
    no = node.child_by_field_name("alternative")
    if condition is None or yes is None or no is None:
        return ev.runtime(node)
    contained = in_container(condition, yes, no, ev)  # ``IsRunningInContainer ? a : b``
    if contained is not None:
        return contained
    tested = " ".join(ev.text(condition).split())
    unset, is_set = _UNSET.match(tested), _SET.match(tested)
    if unset is not None and ev.text(no) in unset.groups():
        return with_default(ev.values(no), ev.values(yes))
    if is_set is not None and ev.text(yes) in is_set.groups():
        return with_default(ev.values(yes), ev.values(no))
    return ev.runtime(node)


def _keyword_arg(node: Node, source: bytes) -> tuple[str, Node] | None:
    name = node.child_by_field_name("name") if node.type == "argument" else None
    if name is None:
        return None
    value = node.named_children[-1]
    return source[name.start_byte : name.end_byte].decode(), value


SYNTAX = Syntax(
    name="csharp",
    query_files=("csharp.scm",),
    module="tree_sitter_c_sharp",
    entry="language",
    suffixes=(".cs",),
    strings=Strings(
        types=frozenset(
            {
                "string_literal",
                "verbatim_string_literal",
                "raw_string_literal",
                "interpolated_string_expression",
            }
        ),
        content=frozenset({"string_literal_content", "raw_string_content"}),
    ),
    identifiers=frozenset({"identifier"}),
    numbers=frozenset({"integer_literal"}),
    functions=frozenset(
        {
            "method_declaration",
            "constructor_declaration",
            "local_function_statement",
            "lambda_expression",
            "anonymous_method_expression",
            "accessor_declaration",
        }
    ),
    conditionals=frozenset({"if_statement", "switch_section", "try_statement", "catch_clause"}),
    default_operators=frozenset({"??"}),
    wrappers=frozenset(
        {"parenthesized_expression", "await_expression", "postfix_unary_expression"}
    ),
    members={"member_access_expression": ("expression", "name")},
    handlers={
        "interpolated_string_expression": _interpolated,
        "argument": _argument,
        "cast_expression": value_field,
        "member_access_expression": _member,
        "conditional_expression": _conditional,
        "invocation_expression": _invocation,
    },
    keyword_arg=_keyword_arg,
)

ANALYSER = TreeSitterAnalyser(SYNTAX)
