"""What the generic evaluator must know about one grammar: node types and their fields.

Recognising *which* calls matter is the query's job (``queries/<lang>.scm``); this
table only says how to read values out of the nodes the evaluator meets (strings,
concatenation, names, member access), so each language module stays a table plus a
few functions for its odd corners.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from socklock.discover.code.interface import CallKind

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values

    Handler = Callable[[Node, Evaluator], Values]
    KeywordArg = Callable[[Node, bytes], tuple[str, Node] | None]
    Entries = Callable[[Node, bytes], dict[str, Node] | None]
    EnvObject = Callable[[Node, str, Evaluator], Values | None]
    ImportedScheme = Callable[[Node, bytes], str | None]


@dataclass(frozen=True, slots=True)
class Strings:
    """String literal node types, and which of their children carry what."""

    types: frozenset[str]
    content: frozenset[str]
    escapes: frozenset[str] = frozenset({"escape_sequence"})
    interpolations: frozenset[str] = frozenset()
    escapes_inside_content: bool = False  # Python: escape nodes are children of content


@dataclass(frozen=True, slots=True)
class Syntax:
    """One grammar, as the evaluator and the engine see it."""

    name: str
    query_files: tuple[str, ...]  # under queries/, sections joined
    module: str  # the grammar wheel, e.g. "tree_sitter_go"
    entry: str  # its function returning the language, e.g. "language"
    suffixes: tuple[str, ...]
    strings: Strings
    identifiers: frozenset[str]  # a name read in an expression
    numbers: frozenset[str]
    functions: frozenset[str]  # scopes for name lookup
    conditionals: frozenset[str] = frozenset()  # a definition inside one may not run
    binaries: frozenset[str] = frozenset({"binary_expression"})
    concat_operators: frozenset[str] = frozenset({"+"})  # PHP ``.``, Lua ``..``
    default_operators: frozenset[str] = frozenset()  # ``||``, ``??``, ``or``
    percent_format: bool = False  # ``"..." % args`` formats (Python, Ruby)
    wrappers: frozenset[str] = frozenset({"parenthesized_expression"})  # value = inner
    members: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # obj, prop fields
    self_names: frozenset[str] = frozenset({"this"})
    lists: frozenset[str] = frozenset()  # expression lists in multiple assignment
    pattern_names: frozenset[str] = frozenset()  # names bound by destructuring patterns
    handlers: Mapping[str, Handler] = field(default_factory=dict)  # language extras
    keyword_arg: KeywordArg | None = None  # ``name=value`` in a call, if the grammar has it
    entries: Entries | None = None  # a map literal's keys and value nodes (dict, object)
    env_object: EnvObject | None = None  # ``schema.parse(process.env)``: keys are env vars
    literal_kind: CallKind = CallKind.LITERAL
    # methods that construct their class: called by the class's name (``C(...)``, ``new C``)
    constructors: frozenset[str] = frozenset()
    # the protocol of a client function the file imports by its bare name, for a target a
    # pattern marks ``(#set! scheme "imported")`` (``from pymysql import connect``): None
    # when the file imports it from no known driver (then the call is no client's)
    imported_scheme: ImportedScheme | None = None


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "e": "\x1b",
}
_ESCAPE_RE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)


def unescape(raw: str) -> str:
    """C-family backslash escapes; an unknown escape yields the escaped character."""
    if "\\" not in raw:
        return raw

    def replace(match: re.Match[str]) -> str:
        token = match.group(1)
        if token.startswith("u{"):
            return chr(int(token[2:-1], 16))
        if len(token) > 1:
            return chr(int(token[1:], 16))
        return _ESCAPES.get(token, token)

    return _ESCAPE_RE.sub(replace, raw)


def strip_quotes(raw: str) -> str:
    """The body of a string literal that the grammar does not split into children."""
    start = 0
    while start < len(raw) and raw[start] not in "\"'`":
        start += 1  # prefixes such as @, $, r, b
    quote = raw[start : start + 1]
    count = 0
    while start + count < len(raw) and raw[start + count] == quote:
        count += 1
    if count == 2 and len(raw) - start == 2:
        return ""
    count = 3 if count >= 3 else 1
    end = len(raw) - count if raw.endswith(quote * count) else len(raw)
    return raw[start + count : end] if start + count <= end else ""


def value_field(node: Node, ev: Evaluator) -> Values:
    """A node that stands for its ``value`` field: a cast, a keyword argument, a table
    field, a hash pair (unknown at run time when the field is missing)."""
    value = node.child_by_field_name("value")
    return ev.values(value) if value is not None else ev.runtime(node)


def named_pair(node_type: str, name: str = "name", strip: str = "") -> KeywordArg:
    """``keyword_arg`` for grammars whose named arguments are ``node_type`` nodes with a
    ``name`` field (its text, less ``strip``) and a ``value`` field."""

    def keyword_arg(node: Node, source: bytes) -> tuple[str, Node] | None:
        if node.type != node_type:
            return None
        key = node.child_by_field_name(name)
        value = node.child_by_field_name("value")
        if key is None or value is None:
            return None
        return source[key.start_byte : key.end_byte].decode().strip(strip), value

    return keyword_arg


def literal_item(owner_field: str) -> Handler:
    """A handler for ``owner["key"]`` on a map or object literal (``owner_field`` names the
    grammar's field for ``owner``): the item's value, else unknown at run time."""
    from socklock.discover.code.values import single_text

    def handler(node: Node, ev: Evaluator) -> Values:
        owner = node.child_by_field_name(owner_field)
        index = node.child_by_field_name("index")
        if owner is None or index is None:
            return ev.runtime(node)
        key = single_text(ev.values(index))
        found = ev.item(owner, key) if key is not None else None
        return found if found is not None else ev.runtime(node)

    return handler
