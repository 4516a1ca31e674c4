"""Static evaluation of string expressions in one parsed file.

The evaluator follows literals, concatenation, format calls, env reads and names
(through :class:`Definitions`) and gives up with a reason on anything else. It records
every literal and env read it uses (``consumed``), so the engine reports an address
once, at the call that uses it, rather than again where the constant is defined.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import TYPE_CHECKING

from socklock.discover.code.arguments import command_argument, command_flag
from socklock.discover.code.captures import key
from socklock.discover.code.definitions import Definitions, DefKind
from socklock.discover.code.formats import braces, printf
from socklock.discover.code.go_conf_tags import conf_tag, viper_tag
from socklock.discover.code.placeholders import (
    aspnet_env_name,
    spring_env_name,
    spring_placeholder,
)
from socklock.discover.code.syntax import strip_quotes, unescape
from socklock.discover.code.values import (
    Env,
    Hole,
    alternatives,
    concat,
    env,
    hole,
    param_hole,
    single_text,
    text,
    with_default,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from tree_sitter import Node

    from socklock.discover.code.captures import Captures, EnvRead, Form, Key
    from socklock.discover.code.definitions import Definition
    from socklock.discover.code.functions import Functions
    from socklock.discover.code.links import Links
    from socklock.discover.code.syntax import Syntax
    from socklock.discover.code.values import Values

MAX_DEPTH = 24
_INTERPOLATION_EXTRAS = frozenset(
    {
        "interpolation_brace",
        "interpolation_format_clause",
        "interpolation_alignment_clause",
        "format_specifier",
        "type_conversion",
        "comment",
    }
)
_USER_INPUT = re.compile(
    r"^(?:req|request|ctx\.(?:query|params|request|req)|params|query|body|flask\.request)\b"
    r"|\b(?:FormValue|PostFormValue|getParameter|QueryString|query_params|URL\.Query)\b"
    r"|\brequest\.(?:args|form|json|GET|POST|data|body|query|params|headers)\b"
)


class Evaluator:
    """Values of expressions in one file; remembers what it consumed."""

    def __init__(
        self,
        syntax: Syntax,
        source: bytes,
        captures: Captures,
        definitions: Callable[[], Definitions],
        functions: Callable[[], Functions] | None = None,
        links: Links | None = None,
    ) -> None:
        self.syntax = syntax
        self.source = source
        self.captures = captures
        self.consumed: set[Key] = set()
        self._definitions_factory = definitions
        self._definitions: Definitions | None = None
        self._functions_factory = functions
        self._functions: Functions | None = None
        self._depth = 0
        self._active: set[int] = set()
        self._cache: dict[int, Values] = {}
        self._bindings: Mapping[int, Node | Values | None] = {}
        self.links = links  # other files of the program, for names this one does not define

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    @contextmanager
    def bound(self, bindings: Mapping[int, Node | Values | None]) -> Iterator[None]:
        """Evaluate with parameters bound to a caller's arguments (None: not passed; values:
        an argument evaluated in the caller's file, another file of the program)."""
        saved = self._bindings, self._cache
        self._bindings, self._cache = bindings, {}
        try:
            yield
        finally:
            self._bindings, self._cache = saved

    def values(self, node: Node) -> Values:
        """Every value ``node`` may have (holes where it cannot be known)."""
        if self._depth >= MAX_DEPTH:
            return hole(f"too many indirections to resolve `{_short(self.text(node))}`")
        self._depth += 1
        try:
            return self._values(node)
        finally:
            self._depth -= 1

    def _values(self, node: Node) -> Values:
        node_key = key(node)
        read = self.captures.envs.get(node_key)
        if read is not None:
            if not self._named_by_parameter(read):  # else read at each call: see _seed
                self.consumed.add(node_key)
            return self._env(read)
        form = self.captures.forms.get(node_key)
        if form is not None:
            self.consumed.add(node_key)  # seeds whose string expression is this form
            return self._form(form)
        syntax = self.syntax
        kind = node.type
        if kind in syntax.strings.types:
            self.consumed.add(node_key)
            special = syntax.handlers.get(kind)
            return special(node, self) if special is not None else self.string(node)
        if kind in syntax.identifiers:
            return self.name(self.text(node), node)
        if kind in syntax.binaries:
            return self._binary(node)
        if kind in syntax.wrappers:
            inner = _inner(node)
            return self.values(inner) if inner is not None else hole("empty expression")
        if kind in syntax.members:
            special = syntax.handlers.get(kind)  # a language's own reading of some members
            return special(node, self) if special is not None else self.member(node)
        if kind in syntax.numbers:
            return text(self.text(node))
        if kind in syntax.lists and node.named_child_count == 1:
            child = node.named_children[0]
            return self.values(child)
        returned = self._returned(node)
        if returned is not None:
            return returned
        handler = syntax.handlers.get(kind)
        if handler is not None:
            return handler(node, self)
        return self.runtime(node)

    def _returned(self, node: Node) -> Values | None:
        """``must_map_env("CART_ADDR")``: what a function of this file returns for the
        call's arguments (its ``return`` values with the parameters bound); None when
        ``node`` is no bare call of such a function."""
        from socklock.discover.code.functions import bare_callee

        callee = bare_callee(node)
        args = node.child_by_field_name("arguments")
        functions = self.functions if callee is not None and args is not None else None
        if functions is None or callee is None or callee.type not in self.syntax.identifiers:
            return None
        found: list[Values] = []
        for function, binding, value in functions.returns(node):
            if function.key in self._active:
                continue  # recursion
            self._active.add(function.key)
            try:
                with self.bound({**self._bindings, **binding}):
                    found.append(self.values(value))
            finally:
                self._active.discard(function.key)
        return alternatives(found) if found else None

    def runtime(self, node: Node) -> Values:
        """A hole for an expression only known at run time."""
        snippet = _short(self.text(node))
        if _USER_INPUT.search(snippet):
            return hole(f"`{snippet}` comes from the request (user input)")
        return hole(f"`{snippet}` is computed at run time")

    def string(self, node: Node) -> Values:
        """A string literal's value; interpolations are evaluated."""
        shape = self.syntax.strings
        children = node.named_children
        if not children:
            return text(strip_quotes(self.text(node)))
        pieces: list[Values] = []
        for child in children:
            kind = child.type
            if kind in shape.content:
                raw = self.text(child)
                pieces.append(text(unescape(raw) if shape.escapes_inside_content else raw))
            elif kind in shape.escapes:
                pieces.append(text(unescape(self.text(child))))
            elif kind in shape.interpolations:
                inner = _inner(child, _INTERPOLATION_EXTRAS)
                if inner is not None:
                    pieces.append(self.values(inner))
            elif kind in shape.types:
                pieces.append(self.values(child))
        return concat(pieces)

    def name(self, name: str, use: Node, *, class_level: bool = False) -> Values:
        """The value of a name at ``use``."""
        found = self.definitions.lookup(name, use, class_level=class_level)
        if not found:
            linked = self.links.name(name) if self.links is not None and not class_level else None
            if linked is not None:
                return linked
            label = _short(self.text(use)) if class_level else name
            return hole(f"`{label}` is not defined in this file")
        result = self._definition(found[0])
        for definition in found[1:]:
            result = with_default(result, self._definition(definition))
        return result

    @property
    def definitions(self) -> Definitions:
        if self._definitions is None:
            self._definitions = self._definitions_factory()
        return self._definitions

    @property
    def functions(self) -> Functions | None:
        """The file's functions and calls (built on first use), if the caller provided them."""
        if self._functions is None and self._functions_factory is not None:
            self._functions = self._functions_factory()
        return self._functions

    def arguments(
        self, args: Node | None, *, after: Node | None = None
    ) -> tuple[list[Values], dict[str, Values]]:
        """Positional and keyword argument values of a call, after ``after`` if given."""
        positional: list[Values] = []
        keywords: dict[str, Values] = {}
        if args is None:
            return positional, keywords
        started = after is None or not _contains(args, after)
        for child in args.named_children:
            if child.type == "comment":
                continue
            if not started:
                started = child.start_byte >= after.end_byte if after is not None else True
                if not started:
                    continue
            keyword = (
                self.syntax.keyword_arg(child, self.source) if self.syntax.keyword_arg else None
            )
            if keyword is not None:
                keywords[keyword[0]] = self.values(keyword[1])
            else:
                positional.append(self.values(child))
        return positional, keywords

    def item(self, owner: Node, key: str) -> Values | None:
        """``owner[key]`` (``owner.key``) when ``owner`` names a map literal, here or, imported,
        in another file: ``SERVICES = {"cart": "http://cart:8080"}``."""
        if owner.type not in self.syntax.identifiers:
            return None
        return self.item_of(self.text(owner), owner, key)

    def item_of(self, name: str, use: Node, key: str) -> Values | None:
        entries = self.syntax.entries
        if entries is None:
            return None
        found = self.definitions.lookup(name, use)
        if not found:
            return self.links.item(name, key) if self.links is not None else None
        value = found[-1].value
        mapping = entries(value, self.source) if value is not None else None
        if mapping is None and value is not None and self.syntax.env_object is not None:
            return self.syntax.env_object(value, key, self)
        if mapping is None or key not in mapping:
            return None
        return self.values(mapping[key])

    def _definition(self, definition: Definition) -> Values:
        if definition.kind is DefKind.OUT:
            return self._out(definition)
        if definition.kind is DefKind.LOOP:
            return hole(f"`{definition.name}` is a loop variable")
        if definition.kind is DefKind.PARAM:
            start = definition.node.start_byte
            if start in self._bindings:
                argument = self._bindings[start]
                if isinstance(argument, tuple):
                    return argument
                if argument is not None:
                    return self.values(argument)
                if definition.value is None:
                    return hole(f"`{definition.name}` is not passed by the call")
            elif definition.value is None:
                return param_hole(definition.name, start)
        if definition.value is None:
            return hole(f"`{definition.name}` is declared without a value")
        ident = definition.node.start_byte
        cached = self._cache.get(ident)
        if cached is not None:
            return cached
        if ident in self._active:
            return hole(f"`{definition.name}` is defined in terms of itself")
        self._active.add(ident)
        try:
            result = self.values(definition.value)
        finally:
            self._active.discard(ident)
        self._cache[ident] = result
        return result

    def _out(self, definition: Definition) -> Values:
        """``f(&x)``: what ``f`` (defined in this file) stores through that pointer."""
        reason = f"`{definition.name}` is set through a pointer by a call"
        functions = self.functions
        call = definition.value
        if functions is None or call is None or definition.node.parent is None:
            return hole(reason)
        argument = definition.node.parent  # ``&x``
        ident = argument.start_byte
        if ident in self._active:
            return hole(f"`{definition.name}` is defined in terms of itself")
        found: list[Values] = []
        self._active.add(ident)
        try:
            for function, binding, param in functions.stores_through(call, argument):
                for stored in functions.stores(function, param):
                    with self.bound({**self._bindings, **binding}):
                        found.append(self.values(stored))
        finally:
            self._active.discard(ident)
        return alternatives(found) if found else hole(reason)

    def _env(self, read: EnvRead) -> Values:
        if read.name is None:
            return self.runtime(read.node)
        name_node = read.name
        if read.style in ("configuration-properties", "field"):
            return self._bound_field(read)
        if read.style == "struct-tag":
            return _struct_tag(self.text(name_node))
        if read.style == "conf-tag":  # ardanlabs/conf: the field's path names the variable
            return conf_tag(self.text(name_node), read.node, self.source)
        if read.style == "viper-tag":  # viper.Unmarshal with AutomaticEnv: the key's env var
            return viper_tag(self.text(name_node), self.source)
        if read.style == "argument":  # the container's args, as an env of its own
            return env(command_argument(self.text(name_node)))
        if read.style == "flag":  # a named flag of the container's args, likewise
            flag = single_text(self.values(name_node))
            if not flag:
                return hole("the flag's name is computed")
            # a literal default is not taken: one binary's subcommands declare flags they
            # alone read (argocd's ``--argocd-repo-server``), so only what the args give
            # counts; a literal default stays a literal of its subcommand (subcommands.py).
            # A default read from the env (``os.Getenv("MONGO_HOST")``) is what the
            # container's env gives when its args do not: both are the flag's values.
            given = env(command_flag(flag))
            if read.default is None or read.default.type in self.syntax.strings.types:
                return given
            # (through a helper too: ``envString("MONGO_HOST", "localhost")``, whose
            # literal fallback is a default like any other, not taken)
            read_env = tuple(
                v for v in self.values(read.default) if len(v) == 1 and isinstance(v[0], Env)
            )
            return alternatives([given, read_env]) if read_env else given
        if name_node.type in self.syntax.strings.types or name_node.type in self.syntax.identifiers:
            named = self.values(name_node)
            raw = single_text(named)
            if raw is None:
                return _computed_name(self.text(name_node), named)
        elif name_node.type in self.syntax.members:
            # a constant of another package or class (``os.Getenv(constants.KafkaBrokers)``),
            # else the dotted text itself (a config key: ``config.get("db.url")``)
            raw = single_text(self.values(name_node)) or self.text(name_node)
        else:
            raw = self.text(name_node)
        default = None
        if read.default is not None:
            default = single_text(self.values(read.default)) or None  # "" means unset
        if read.style == "spring":
            placeholder = spring_placeholder(raw)
            if placeholder is None:
                return text(raw)
            return env(placeholder.name, placeholder.default, placeholder.confidence)
        if read.style == "spring-property":
            name, confidence = spring_env_name(raw)
            return env(name, default, confidence)
        if read.style == "aspnet":
            return env(aspnet_env_name(raw), default, 0.8)
        if read.style == "aspnet-connection-string":
            return env(aspnet_env_name(f"ConnectionStrings:{raw}"), default, 0.8)
        if read.style == "aspnet-section":  # the section's key prefix, then the key
            prefix = single_text(self.values(read.prefix)) if read.prefix is not None else None
            if not prefix:
                return hole(f"the configuration section of `{raw}` is computed")
            return env(aspnet_env_name(f"{prefix}:{raw}"), default, 0.8)
        return env(raw, default)

    def _named_by_parameter(self, read: EnvRead) -> bool:
        """Whether the read's variable is named by a parameter of its function (``os.Getenv
        (name)``): one call reaching it through a client's argument does not say which
        variables the function's other calls read."""
        name = read.name
        if name is None or name.type not in self.syntax.identifiers:
            return False
        found = self.definitions.lookup(self.text(name), name)
        return bool(found) and found[0].kind is DefKind.PARAM

    def _bound_field(self, read: EnvRead) -> Values:
        """A field of a ``@ConfigurationProperties(prefix)`` class: the env var Spring binds."""
        assert read.name is not None
        field = self.text(read.name)
        default = single_text(self.values(read.default)) if read.default is not None else None
        if read.style == "field":  # pydantic BaseSettings: the field's name, any case
            if read.prefix is None:
                return env(field.upper(), default or None, 0.8)
            prefix = single_text(self.values(read.prefix))
            if prefix is None:
                return hole(f"the env prefix of `{field}` is computed")
            return env(f"{prefix}{field}".upper(), default or None, 0.8)
        prefix = single_text(self.values(read.prefix)) if read.prefix is not None else None
        if prefix is None:
            return hole(f"the properties prefix of `{field}` is computed")
        name, confidence = spring_env_name(f"{prefix}.{field}")
        return env(name, default or None, min(confidence, 0.8))

    def _form(self, form: Form) -> Values:
        if form.style == "pass":
            if form.value is None:
                return hole("empty expression")
            return self.values(form.value)
        if form.style == "default":  # ``Optional.ofNullable(x).orElse(d)``
            if form.value is None or not form.parts:
                return hole("empty expression")
            return with_default(self.values(form.value), self.values(form.parts[0]))
        if form.style == "join":
            pieces = [self.values(part) for part in form.parts]
            positional, _ = self.arguments(form.args)
            return concat(pieces + positional, form.separator)
        if form.style == "uri-builder":  # ``builder.scheme(s)``, ``.host(h)``, ``.port(p)``...
            if form.value is None or not form.parts:
                return hole("empty expression")
            method = form.node.child_by_field_name("name") if form.node else None
            step = self.text(method) if method is not None else ""
            built, part = self.values(form.value), self.values(form.parts[-1])
            if step == "scheme":
                return concat([built, part, text("://")])
            if step == "port":
                return concat([built, text(":"), part])
            if step == "pathSegment":
                return concat([built, text("/"), part])
            return concat([built, part])
        if form.style == "join-list":  # ``"/".join([...])``, ``[...].join("/")``
            separator = single_text(self.values(form.string)) if form.string else ""
            items = _items(form.value) if form.value is not None else None
            if separator is None or items is None:
                return hole("a list joined at run time")
            return concat([self.values(item) for item in items], separator)
        if form.string is None:
            return hole("format string is missing")
        fmt = single_text(self.values(form.string))
        if fmt is None:
            return hole(f"format string `{_short(self.text(form.string))}` is computed")
        positional, keywords = self.arguments(form.args, after=form.string)
        if form.style == "printf":
            return printf(fmt, positional, keywords)
        return braces(fmt, positional, keywords)

    def _binary(self, node: Node) -> Values:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        operator = node.child_by_field_name("operator")
        if left is None or right is None or operator is None:
            return self.runtime(node)
        op = self.text(operator)
        if op in self.syntax.concat_operators:
            return concat([self.values(left), self.values(right)])
        if op in self.syntax.default_operators:
            return with_default(self.values(left), self.values(right))
        if op == "%" and self.syntax.percent_format:
            fmt = single_text(self.values(left))
            if fmt is None:
                return self.runtime(node)
            mapping = self.syntax.entries(right, self.source) if self.syntax.entries else None
            if mapping is not None:  # ``"%(host)s" % {"host": ...}``
                return printf(fmt, [], {k: self.values(v) for k, v in mapping.items()})
            if right.type in self.syntax.lists or right.type in ("tuple", "array"):
                args = [self.values(c) for c in right.named_children if c.type != "comment"]
            else:
                args = [self.values(right)]
            return printf(fmt, args)
        return self.runtime(node)

    def member(self, node: Node) -> Values:
        """``owner.prop``: a field of this class, a name this file defines, a map item, or
        a member of a module or class another file defines."""
        object_field, property_field = self.syntax.members[node.type]
        owner = node.child_by_field_name(object_field)
        prop = node.child_by_field_name(property_field)
        if owner is None or prop is None:
            return self.runtime(node)
        owner_text = self.text(owner)
        prop_text = self.text(prop)
        if owner_text in self.syntax.self_names:
            return self.name(prop_text, node, class_level=True)
        if owner_text[:1].isupper() and self.definitions.lookup(prop_text, node, class_level=True):
            return self.name(prop_text, node, class_level=True)
        full = "".join(self.text(node).split())
        if self.definitions.lookup(full, node):
            return self.name(full, node)  # ``svc.addr`` set by ``mustMapEnv(&svc.addr, ...)``
        snippet = _short(self.text(node))
        if _USER_INPUT.search(snippet):
            return hole(f"`{snippet}` comes from the request (user input)")
        found = self.item(owner, prop_text)
        if found is not None:
            return found
        if self.links is not None:
            linked = self.links.member("".join(owner_text.split()), prop_text)
            if linked is not None:
                return linked
        return hole(f"`{snippet}` is not known in this file")


_TAG_NAME = re.compile(r'\b(?:env|envconfig):"([A-Za-z_][A-Za-z0-9_]*)')
_TAG_DEFAULT = re.compile(r'\b(?:envDefault|default):"([^"]*)"')


# sethvargo/go-envconfig: the default is an option of the env tag itself,
# `env:"CART_URL,default=http://cart"` (before or after ``required``, ``overwrite``...)
_OPTION_DEFAULT = re.compile(
    r'\benv:"[A-Za-z_][A-Za-z0-9_]*,(?:[a-z]+,)*default=((?:[^",]|,(?!(?:required|overwrite'
    r"|noinit|decodeunset|delimiter=|separator=|prefix=)))*)"
)


def _computed_name(expression: str, named: Values) -> Values:
    """The hole of an env read whose variable's name is not known here. A name that is a
    parameter of a function of the file (``func envEndpoint(svc, name string) { os.Getenv
    (name) }``) keeps that parameter: each call of the function that passes the name
    (``envEndpoint("X", "CATALOG_URL")``) reads that variable, and the engine evaluates the
    read through those calls like any value that waits on a parameter."""
    if len(named) == 1 and len(named[0]) == 1 and isinstance(named[0][0], Hole):
        param = named[0][0].param
        if param is not None:
            return ((Hole(f"env var name `{_short(expression)}` is a parameter", param),),)
    return hole(f"env var name `{_short(expression)}` is computed")


def _struct_tag(tag: str) -> Values:
    """`` `env:"CART_URL" envDefault:"http://cart"` ``: the env var a struct field gets."""
    name = _TAG_NAME.search(tag)
    if name is None:
        return hole("no env var name in the struct tag")
    default = _TAG_DEFAULT.search(tag) or _OPTION_DEFAULT.search(tag)
    return env(name.group(1), default.group(1) if default and default.group(1) else None)


def _items(node: Node) -> list[Node] | None:
    """The elements of a list literal (``[a, b]``, ``[]string{a, b}``), or None."""
    body = node.child_by_field_name("body") or node
    if node.type not in ("list", "array", "tuple", "composite_literal"):
        return None
    items = [c for c in body.named_children if c.type != "comment"]
    return [c.named_children[0] if c.type == "literal_element" else c for c in items]


def _inner(node: Node, skip: frozenset[str] = frozenset({"comment"})) -> Node | None:
    for child in node.named_children:
        if child.type not in skip:
            return child
    return None


def _contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def _short(snippet: str, limit: int = 60) -> str:
    flat = " ".join(snippet.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
