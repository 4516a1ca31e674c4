"""JavaScript and TypeScript (and JSX/TSX): fetch/axios/http, gRPC clients, drivers, process.env.

Files under a ``config/`` directory (node-config) are configuration: their literal
addresses are reported as ``config``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.syntax import Strings, Syntax, literal_item, strip_quotes
from socklock.discover.code.values import concat, single_text, text

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values

# keys of a client options object that hold the whole address
_ADDRESS_KEYS = (
    "url",
    "uri",
    "baseURL",
    "baseUrl",
    "connectionString",
    "node",
    "servers",
    "brokers",
)


def _object(node: Node, ev: Evaluator) -> Values:
    """Client options: ``{url}``, ``{host, port, protocol}``, ``{brokers: [...]}``."""
    fields: dict[str, Node] = {}
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            if key is not None and value is not None:
                fields[strip_quotes(ev.text(key)) if key.type == "string" else ev.text(key)] = value
        elif child.type == "shorthand_property_identifier":
            fields[ev.text(child)] = child
    for name in _ADDRESS_KEYS:
        if name in fields:
            return _field(fields[name], name, ev)
    host = fields.get("host") or fields.get("hostname")
    if host is None and "socket" in fields and fields["socket"].type == "object":
        return _object(fields["socket"], ev)  # node-redis 4: {socket: {host, port}}
    if host is None:
        return ev.runtime(node)
    pieces: list[Values] = []
    if "protocol" in fields:
        protocol = _field(fields["protocol"], "protocol", ev)
        written = single_text(protocol)
        if written is not None:  # ``http:`` (Node's url options) or ``amqp`` (amqplib)
            pieces.append(text(written.rstrip(":") + "://"))
        else:
            pieces += [protocol, text("//")]
    pieces.append(_field(host, "host", ev))
    if "port" in fields:
        pieces += [text(":"), _field(fields["port"], "port", ev)]
    return concat(pieces)


def _field(value: Node, name: str, ev: Evaluator) -> Values:
    if value.type == "shorthand_property_identifier":
        return ev.name(name, value)
    return ev.values(value)


def _array(node: Node, ev: Evaluator) -> Values:
    """``["kafka-0:9092", "kafka-1:9092"]``: a bootstrap or server list."""
    items = [c for c in node.named_children if c.type != "comment"]
    if not items:
        return ev.runtime(node)
    return concat([ev.values(item) for item in items], ",")


def _entries(node: Node, source: bytes) -> dict[str, Node] | None:
    """An object literal's keys and their value nodes (``{cart: "...", "orders": ...}``)."""
    if node.type != "object":
        return None
    found: dict[str, Node] = {}
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            if key is not None and value is not None and key.type != "computed_property_name":
                raw = source[key.start_byte : key.end_byte].decode()
                found[strip_quotes(raw) if key.type == "string" else raw] = value
        elif child.type == "shorthand_property_identifier":
            found[source[child.start_byte : child.end_byte].decode()] = child
    return found


def _shorthand(node: Node, ev: Evaluator) -> Values:
    """``{cart}`` in an object: the value of the variable ``cart``."""
    return ev.name(ev.text(node), node)


def _syntax(
    name: str, entry: str, module: str, files: tuple[str, ...], suffixes: tuple[str, ...]
) -> Syntax:
    return Syntax(
        name=name,
        query_files=files,
        module=module,
        entry=entry,
        suffixes=suffixes,
        strings=Strings(
            types=frozenset({"string", "template_string"}),
            content=frozenset({"string_fragment"}),
            interpolations=frozenset({"template_substitution"}),
        ),
        identifiers=frozenset({"identifier"}),
        pattern_names=frozenset({"shorthand_property_identifier_pattern"}),
        numbers=frozenset({"number"}),
        functions=frozenset(
            {
                "function_declaration",
                "function_expression",
                "function",
                "arrow_function",
                "method_definition",
                "generator_function_declaration",
                "generator_function",
            }
        ),
        conditionals=frozenset(
            {
                "if_statement",
                "else_clause",
                "switch_case",
                "switch_default",
                "try_statement",
                "catch_clause",
            }
        ),
        default_operators=frozenset({"||", "??"}),
        wrappers=frozenset(
            {
                "parenthesized_expression",
                "await_expression",
                "as_expression",
                "non_null_expression",
                "satisfies_expression",
                "type_assertion",
            }
        ),
        members={"member_expression": ("object", "property")},
        handlers={
            "object": _object,
            "array": _array,
            "subscript_expression": literal_item("object"),
            "shorthand_property_identifier": _shorthand,
        },
        entries=_entries,
    )


JAVASCRIPT_SYNTAX = _syntax(
    "javascript",
    "language",
    "tree_sitter_javascript",
    ("ecmascript.scm", "javascript.scm", "jsx.scm"),
    (".js", ".jsx", ".mjs", ".cjs"),
)
TYPESCRIPT_SYNTAX = _syntax(
    "typescript",
    "language_typescript",
    "tree_sitter_typescript",
    ("ecmascript.scm", "typescript.scm"),
    (".ts", ".mts", ".cts"),
)
TSX_SYNTAX = _syntax(
    "tsx",
    "language_tsx",
    "tree_sitter_typescript",
    ("ecmascript.scm", "typescript.scm", "jsx.scm"),
    (".tsx",),
)

_CONFIG_DIRS = frozenset({"config"})
JAVASCRIPT = TreeSitterAnalyser(JAVASCRIPT_SYNTAX, config_dirs=_CONFIG_DIRS)
TYPESCRIPT = TreeSitterAnalyser(TYPESCRIPT_SYNTAX, config_dirs=_CONFIG_DIRS)
TSX = TreeSitterAnalyser(TSX_SYNTAX, config_dirs=_CONFIG_DIRS)
