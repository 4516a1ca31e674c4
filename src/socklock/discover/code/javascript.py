"""JavaScript and TypeScript (and JSX/TSX): fetch/axios/http, gRPC clients, drivers, process.env.

Files under a ``config/`` directory (node-config) are configuration: their literal
addresses are reported as ``config``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.container_test import in_container
from socklock.discover.code.syntax import Strings, Syntax, literal_item, strip_quotes
from socklock.discover.code.values import concat, env, single_text, text

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
    "browserWSEndpoint",
    "browserURL",
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
    driver = _driver_scheme(fields, ev)
    if driver is not None:
        pieces.append(text(driver + "://"))
    elif "protocol" in fields:
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


# an ORM's driver option (TypeORM's ``type``, Sequelize's ``dialect``) → the URL scheme
_DRIVERS = {
    "mysql": "mysql",
    "mariadb": "mariadb",
    "postgres": "postgres",
    "cockroachdb": "postgres",
    "mongodb": "mongodb",
    "mssql": "mssql",
}


def _driver_scheme(fields: dict[str, Node], ev: Evaluator) -> str | None:
    """``{type: "mysql", host, port}``: the scheme the driver speaks, None when the object
    names no database driver (a ``type`` of anything else is some other option)."""
    for key in ("type", "dialect"):
        node = fields.get(key)
        written = single_text(ev.values(node)) if node is not None else None
        if written is not None and written in _DRIVERS:
            return _DRIVERS[written]
    return None


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


_ENV_OBJECT_WRAPPERS = frozenset({"await_expression", "non_null_expression", "as_expression"})
_ENV_OBJECT_DEPTH = 12  # how deep a schema's key is looked for (a zod ``.object({...})`` chain)


def _env_object(value: Node, key: str, ev: Evaluator) -> Values | None:
    """``z.object({...}).parse(process.env)``, envalid's ``cleanEnv(process.env, {...})``:
    an object validated from the environment, so ``config.KEY`` reads the env var ``KEY``;
    its default is the schema's ``.default("...")`` or ``{default: "..."}`` for that key."""
    while value.type in _ENV_OBJECT_WRAPPERS and value.named_child_count:
        value = value.named_children[0]
    if value.type != "call_expression":
        return None
    arguments = value.child_by_field_name("arguments")
    if arguments is None or not any(
        "".join(ev.text(a).split()) == "process.env" for a in arguments.named_children
    ):
        return None
    schema = _schema_entry(value, key, ev, 0)
    default = _schema_default(schema, ev, 0) if schema is not None else None
    written = single_text(default) if default is not None else None
    return env(key, written or None)


def _key(node: Node, ev: Evaluator) -> str:
    return strip_quotes(ev.text(node)) if node.type == "string" else ev.text(node)


def _schema_entry(node: Node, key: str, ev: Evaluator, depth: int) -> Node | None:
    """The value of the pair ``key: ...`` somewhere in ``node`` (the schema's field)."""
    if depth > _ENV_OBJECT_DEPTH:
        return None
    for child in node.named_children:
        if child.type == "pair":
            name = child.child_by_field_name("key")
            if name is not None and _key(name, ev) == key:
                return child.child_by_field_name("value")
        found = _schema_entry(child, key, ev, depth + 1)
        if found is not None:
            return found
    return None


def _schema_default(node: Node, ev: Evaluator, depth: int) -> Values | None:
    """``.default("x")`` in a zod chain, ``{default: "x"}`` in envalid's validator options."""
    if depth > _ENV_OBJECT_DEPTH:
        return None
    if node.type == "call_expression":
        function = node.child_by_field_name("function")
        prop = function.child_by_field_name("property") if function is not None else None
        arguments = node.child_by_field_name("arguments")
        if prop is not None and ev.text(prop) == "default" and arguments is not None:
            first = arguments.named_children[:1]
            if first and first[0].type in ("string", "template_string"):
                return ev.values(first[0])
    if node.type == "pair":
        name = node.child_by_field_name("key")
        value = node.child_by_field_name("value")
        if name is not None and value is not None and _key(name, ev) == "default":
            return ev.values(value) if value.type in ("string", "template_string") else None
    for child in node.named_children:
        found = _schema_default(child, ev, depth + 1)
        if found is not None:
            return found
    return None


# ``typeof window === "undefined"``: true on the server (Node has no ``window`` or
# ``document``), the guard of code shared with the browser (Next.js, Nuxt, SvelteKit)
_BROWSER_GLOBALS = ("window", "document")
_ON_SERVER = frozenset(
    f"typeof {name} {op} {quote}undefined{quote}"
    for name in _BROWSER_GLOBALS
    for op in ("===", "==")
    for quote in "\"'"
)
_IN_BROWSER = frozenset(t.replace("==", "!=", 1) for t in _ON_SERVER)


def _ternary(node: Node, ev: Evaluator) -> Values:
    """``typeof window === "undefined" ? process.env.API : window.origin``: the branch a
    server process runs (the container's call; the other branch runs in the user's
    browser). Any other ``c ? a : b`` is known only at run time."""
    condition = node.child_by_field_name("condition")
    yes = node.child_by_field_name("consequence")
    no = node.child_by_field_name("alternative")
    if condition is None or yes is None or no is None:
        return ev.runtime(node)
    while condition.type == "parenthesized_expression" and condition.named_child_count == 1:
        condition = condition.named_children[0]
    tested = " ".join(ev.text(condition).split())
    if tested in _ON_SERVER:
        return ev.values(yes)
    if tested in _IN_BROWSER:
        return ev.values(no)
    contained = in_container(condition, yes, no, ev)  # ``isDocker ? "http://api" : ...``
    return contained if contained is not None else ev.runtime(node)


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
            "ternary_expression": _ternary,
        },
        entries=_entries,
        env_object=_env_object,
        constructors=frozenset({"constructor"}),
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
