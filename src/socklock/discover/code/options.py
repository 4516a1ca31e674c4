""".NET options classes: configuration bound to a typed object, read through its properties.

``services.Configure<UrlsConfig>(configuration.GetSection("urls"))`` (or
``AddOptions<T>().Bind(...)``, ``GetSection("urls").Get<T>()``, ``.Bind(instance)``)
makes ``urls.GrpcBasket`` read configuration key ``urls:GrpcBasket``, so env
``urls__GrpcBasket`` (any case: binding is case-insensitive). The object reaches the
code as ``IOptions<T>``/``IOptionsSnapshot<T>``/``IOptionsMonitor<T>`` (``.Value``,
``.CurrentValue``), as ``T`` itself, or from ``GetRequiredService<...>()``.

Two halves, like Spring's ``@ConfigurationProperties`` binding seen from the other side:
the type of the expression a property is read from (declared types from the query's
``types`` section, ``var`` through the definitions), and the section each type is bound
to, read with regular expressions over the files of the project (``.csproj``), as import
lines are in :mod:`socklock.discover.code.imports`: the binding sits in ``Startup.cs``,
the read in a service class.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from socklock.discover.code.definitions import enclosing_scopes
from socklock.discover.code.placeholders import aspnet_env_name
from socklock.discover.code.values import alternatives, concat, env, single_text, text

if TYPE_CHECKING:
    from tree_sitter import Node, Query

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values

MAX_DEPTH = 8  # ``var a = b; var b = sp.GetRequiredService<IOptions<T>>().Value`` ...
_ACCESSORS = frozenset({"Value", "CurrentValue"})  # IOptions<T>.Value, IOptionsMonitor<T>
_WRAPPER = re.compile(r"(?:[\w.]+\.)?(?:IOptions|IOptionsSnapshot|IOptionsMonitor)<(.+)>")
_PLAIN = re.compile(r"(?:global::)?[\w.]+")
_INTERFACE = re.compile(r"I[A-Z]")
_CONFIGURATION = re.compile(r"(?i)(?:^|\.)_?config(?:uration)?$")
_SERVICES = frozenset({"GetRequiredService", "GetService"})


@dataclass(frozen=True, slots=True)
class _Type:
    name: str  # the class, without namespace
    wrapped: bool = False  # IOptions<name>: its ``.Value`` is the options object
    section: str | None = None  # known where the object is made (``GetSection("s").Get<T>()``)


def bound_member(node: Node, ev: Evaluator) -> Values | None:
    """``urls.GrpcBasket`` on an options object bound to a configuration section: the env
    var that sets that key; None when the owner is not such an object."""
    owner = node.child_by_field_name("expression")
    prop = node.child_by_field_name("name")
    if owner is None or prop is None or prop.type != "identifier":
        return None
    name = ev.text(prop)
    if name in _ACCESSORS:
        return None
    typed = _type_of(owner, ev, 0)
    if typed is None or typed.wrapped:
        return None
    if typed.section is not None:
        sections: tuple[str, ...] = (typed.section,)
    else:
        sections = bound_sections(typed.name, _path(ev), ev.source)
    if not sections:
        return None
    path = _path(ev)
    computed = _computed(Path(path).absolute().parent, typed.name, name) if path else None
    if computed is not None:  # ``ConnectionString => $"Server={Server},{Port}"``
        return alternatives(
            concat(
                [
                    env(aspnet_env_name(f"{s}:{piece[1:]}" if s else piece[1:]), None, 0.8)
                    if piece.startswith("{")
                    else text(piece)
                    for piece in computed
                ]
            )
            for s in sections
        )
    keys = [f"{section}:{name}" if section else name for section in sections]
    default = _default(Path(path).absolute().parent, typed.name, name) if path else None
    return alternatives(env(aspnet_env_name(k), default, 0.8) for k in keys)


# ``public string ConnectionString => $"Server={Server},{Port};..."``: a property computed
# from the others (each ``{Name}`` a property bound to the same section)
_COMPUTED = re.compile(r"\b(\w+)\s*=>\s*\$\"((?:[^\"\\{}]|\{\w+\})*)\"\s*;")
_HOLE = re.compile(r"(\{\w+\})")


def _computed(directory: Path, class_name: str, name: str) -> tuple[str, ...] | None:
    """The pieces (literal text, ``{Property}``) of an options class's property that is an
    interpolated string of its other properties, None when it is none."""
    return _project_computed(directory).get((class_name, name))


# ``public string OrdersApi { get; set; } = "https://orders-api";``: the value a bound
# property has when configuration does not set its key
_DEFAULT = re.compile(r"\b(\w+)\s*\{\s*get\s*;\s*(?:set|init)\s*;\s*\}\s*=\s*\"([^\"\\]*)\"\s*;")


def _default(directory: Path, class_name: str, name: str) -> str | None:
    """The literal initializer of property ``name`` of options class ``class_name``, in the
    class's file of this project or of a project it references; None when it has none."""
    from socklock.discover.code.dotnet_projects import class_files
    from socklock.discover.code.imports import project_files

    own = project_files(directory, ".csproj", ".cs").get(class_name + ".cs", ())
    for file in (*own, *class_files(directory, class_name)):
        for class_, property_, value in _class_defaults(file):
            if class_ == class_name and property_ == name:
                return value
    return None


@lru_cache(maxsize=64)
def _class_defaults(file: str) -> tuple[tuple[str, str, str], ...]:
    """(class, property, default) of every settable property initialised with a string."""
    try:
        source = Path(file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    found: list[tuple[str, str, str]] = []
    for match in _DEFAULT.finditer(source):
        classes = re.findall(r"\bclass\s+(\w+)", source[: match.start()])
        if classes:
            found.append((classes[-1], match.group(1), match.group(2)))
    return tuple(found)


def _project_texts(directory: Path) -> Iterator[str]:
    """The text of every C# file of the project (``.csproj``) around ``directory``; a file
    that cannot be read is left out."""
    from socklock.discover.code.imports import project_files

    for paths in project_files(directory, ".csproj", ".cs").values():
        for file in paths:
            try:
                yield Path(file).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue


@lru_cache(maxsize=32)
def _project_computed(directory: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for source in _project_texts(directory):
        if "=>" not in source:
            continue
        for match in _COMPUTED.finditer(source):
            classes = re.findall(r"\bclass\s+(\w+)", source[: match.start()])
            if classes:
                pieces = tuple(p for p in _HOLE.split(match.group(2)) if p)
                found[(classes[-1], match.group(1))] = tuple(
                    p[:-1] if p.startswith("{") else p for p in pieces
                )
    return found


def _path(ev: Evaluator) -> str | None:
    return ev.links.path if ev.links is not None else None


# --- the type of an expression ---------------------------------------------------------


def _type_of(node: Node, ev: Evaluator, depth: int) -> _Type | None:
    if depth > MAX_DEPTH:
        return None
    kind = node.type
    if kind in ("parenthesized_expression", "await_expression"):
        inner = next((c for c in node.named_children if c.type != "comment"), None)
        return _type_of(inner, ev, depth + 1) if inner is not None else None
    if kind == "identifier":
        return _name_type(ev.text(node), node, ev, depth, class_level=False)
    if kind == "member_access_expression":
        owner = node.child_by_field_name("expression")
        name = node.child_by_field_name("name")
        if owner is None or name is None:
            return None
        if owner.type == "this":
            return _name_type(ev.text(name), node, ev, depth, class_level=True)
        if ev.text(name) in _ACCESSORS:
            typed = _type_of(owner, ev, depth + 1)
            if typed is not None and typed.wrapped:
                return _Type(typed.name, False, typed.section)
        return None
    if kind == "invocation_expression":
        return _made_by(node, ev)
    if kind == "binary_expression" and any(c.type == "??" for c in node.children):
        # ``section.Get<T>() ?? new T()``: the bound object, else one with the defaults
        for side in ("left", "right"):
            operand = node.child_by_field_name(side)
            typed = _type_of(operand, ev, depth + 1) if operand is not None else None
            if typed is not None:
                return typed
        return None
    if kind in ("object_creation_expression", "cast_expression"):
        written = node.child_by_field_name("type")
        return _parse_type(ev.text(written)) if written is not None else None
    return None


def _made_by(call: Node, ev: Evaluator) -> _Type | None:
    """``sp.GetRequiredService<IOptions<T>>()``; ``configuration.GetSection("s").Get<T>()``."""
    function = call.child_by_field_name("function")
    method = function.child_by_field_name("name") if function is not None else None
    if method is not None and method.type == "identifier":  # ``settings.Database()``
        path = _path(ev)
        returned = _project_returns(Path(path).absolute().parent) if path else {}
        types = returned.get(ev.text(method), ())
        return _Type(types[0]) if len(types) == 1 else None
    if function is None or method is None or method.type != "generic_name":
        return None
    words = [c for c in method.named_children if c.type == "identifier"]
    arguments = [c for c in method.named_children if c.type == "type_argument_list"]
    if not words or not arguments or arguments[0].named_child_count != 1:
        return None
    called = ev.text(words[0])
    typed = _parse_type(ev.text(arguments[0].named_children[0]))
    if typed is None:
        return None
    if called in _SERVICES:
        return typed
    receiver = function.child_by_field_name("expression")
    if called == "Get" and receiver is not None and not typed.wrapped:
        section = _section_of(receiver, ev)
        return _Type(typed.name, False, section) if section is not None else None
    return None


def _section_of(node: Node, ev: Evaluator) -> str | None:
    """The key prefix of ``configuration`` ("") or ``configuration.GetSection("s")``."""
    if node.type == "invocation_expression":
        function = node.child_by_field_name("function")
        method = function.child_by_field_name("name") if function is not None else None
        args = node.child_by_field_name("arguments")
        if method is None or args is None or args.named_child_count != 1:
            return None
        if ev.text(method) not in ("GetSection", "GetRequiredSection"):
            return None
        return single_text(ev.values(args.named_children[0])) or None
    if _CONFIGURATION.search(ev.text(node)):
        return ""
    return None


def _parse_type(written: str) -> _Type | None:
    flat = "".join(written.split()).rstrip("?")
    wrapper = _WRAPPER.fullmatch(flat)
    if wrapper is not None:
        inner = _parse_type(wrapper.group(1))
        return _Type(inner.name, True) if inner is not None and not inner.wrapped else None
    if not _PLAIN.fullmatch(flat):
        return None  # generic collections, arrays, tuples: no options class
    name = flat.rsplit(".", 1)[-1]
    if name == "var" or _INTERFACE.match(name):
        return None
    return _Type(name)


def _name_type(
    name: str, use: Node, ev: Evaluator, depth: int, *, class_level: bool
) -> _Type | None:
    """A name's declared type (the nearest declaration), else its value's type."""
    declared = _declared(name, use, ev, class_level=class_level)
    if declared is not None:
        return declared
    for definition in ev.definitions.lookup(name, use, class_level=class_level):
        if definition.value is not None:
            typed = _type_of(definition.value, ev, depth + 1)
            if typed is not None:
                return typed
    return None


_TYPES: weakref.WeakKeyDictionary[Evaluator, dict[str, list[tuple[Node, Node]]]] = (
    weakref.WeakKeyDictionary()
)


def _declared(name: str, use: Node, ev: Evaluator, *, class_level: bool) -> _Type | None:
    declarations = _declarations(ev, use).get(name)
    if not declarations:
        return None
    syntax = ev.syntax
    scopes = [None] if class_level else enclosing_scopes(use, syntax)
    for scope in scopes:
        here = [(n, t) for n, t in declarations if enclosing_scopes(n, syntax)[0] == scope]
        before = [(n, t) for n, t in here if n.start_byte < use.start_byte] or here
        if before:
            return _parse_type(ev.text(before[-1][1]))
    return None


def _declarations(ev: Evaluator, use: Node) -> dict[str, list[tuple[Node, Node]]]:
    """Every typed declaration of the file (parameters, locals, fields, properties), once."""
    found = _TYPES.get(ev)
    if found is None:
        from tree_sitter import QueryCursor

        root = use
        while root.parent is not None:
            root = root.parent
        found = {}
        for _, captures in QueryCursor(_types_query(ev)).matches(root):
            for name, written in zip(captures["name"], captures["type"], strict=False):
                found.setdefault(ev.text(name), []).append((name, written))
        for group in found.values():
            group.sort(key=lambda pair: pair[0].start_byte)
        _TYPES[ev] = found
    return found


_QUERIES: dict[str, Query] = {}


def _types_query(ev: Evaluator) -> Query:
    query = _QUERIES.get(ev.syntax.name)
    if query is None:
        from tree_sitter import Query

        from socklock.discover.code.grammar import load, query_sections

        grammar = load(ev.syntax)
        text = query_sections(ev.syntax.query_files).get("types", "")
        query = _QUERIES[ev.syntax.name] = Query(grammar.language, text)
    return query


# --- the section a type is bound to ----------------------------------------------------

# a section name: "literal", nameof(Class), or a string constant (SectionName, Options.Name)
_SECTION = r'\s*(?:"([^"\\]*)"|nameof\(\s*([\w.]+)\s*\)|([A-Za-z_][\w.]*))\s*'
_ARGUMENT = r"\s*([^()]*?(?:\((?:[^()]|\([^()]*\))*\))?[^()]*?)\s*"  # two levels of ()
_TYPE = r"\s*([\w.]+)\s*"
_CONFIGURE = re.compile(rf"\bConfigure<{_TYPE}>\s*\({_ARGUMENT}\)")
_BIND = re.compile(rf"\bAddOptions<{_TYPE}>\s*\(\s*\)\s*\.Bind\({_ARGUMENT}\)")
_BIND_CONFIGURATION = re.compile(
    rf"\bAddOptions<{_TYPE}>\s*\(\s*\)\s*\.BindConfiguration\({_SECTION}[,)]"
)
_GET = re.compile(
    rf"([\w.]*(?:\.Get(?:Required)?Section\({_SECTION}\))?)\s*\.Get<{_TYPE}>\s*\(\s*\)"
)
_BIND_INSTANCE = re.compile(
    rf"([\w.]*(?:\.Get(?:Required)?Section\({_SECTION}\))?)\s*\.Bind\((?:{_SECTION},)?\s*(\w+)\s*\)"
)
_SECTION_CALL = re.compile(rf"^[\w.]*\.Get(?:Required)?Section\({_SECTION}\)$")
_WORDS = ("Configure<", "AddOptions<", ".Get<", ".Bind(")
Project = dict[str, tuple[str, ...]]  # file name → paths, of the project's .cs files


def bindings(text: str, project: Project | None = None) -> list[tuple[str, str]]:
    """(class, section) for every binding of an options class in one file's text; the
    string constants a section may be named by are looked up here, or for ``Class.NAME``
    in ``Class.cs`` of the ``project``."""
    if not any(word in text for word in _WORDS):
        return []
    found: list[tuple[str, str]] = []
    names = _Names(text, project)

    def add(written: str, section: str | None) -> None:
        if section is not None:
            found.append((written.rsplit(".", 1)[-1], section))

    for match in _CONFIGURE.finditer(text):
        add(match.group(1), names.argument(match.group(2)))
    for match in _BIND.finditer(text):
        add(match.group(1), names.argument(match.group(2)))
    for match in _BIND_CONFIGURATION.finditer(text):
        add(match.group(1), names.section(*match.group(2, 3, 4)))
    for match in _GET.finditer(text):
        add(match.group(5), names.receiver(match.group(1), *match.group(2, 3, 4)))
    for match in _BIND_INSTANCE.finditer(text):
        section = names.receiver(match.group(1), *match.group(2, 3, 4))
        if section is not None and any(g is not None for g in match.group(5, 6, 7)):
            inner = names.section(*match.group(5, 6, 7))
            section = None if inner is None else f"{section}:{inner}" if section else inner
        instance = re.escape(match.group(8))
        made = re.search(rf"\b{instance}\s*=\s*new\s+([\w.]+)\s*[({{]", text)
        written = made or re.search(rf"\b([\w.]+)\s+{instance}\s*=\s*new\s*\(", text)
        if written is not None:
            add(written.group(1), section)
    return found


class _Names:
    """Section names as one file writes them."""

    def __init__(self, text: str, project: Project | None) -> None:
        self.text = text
        self.project = project

    def section(self, quoted: str | None, named: str | None, constant: str | None) -> str | None:
        if quoted is not None:
            return quoted
        if named is not None:
            return named.rsplit(".", 1)[-1]
        return self.constant(constant) if constant is not None else None

    def constant(self, written: str) -> str | None:
        """``SectionName`` or ``Options.Name``: a string constant of this file or the
        class's own file."""
        owner, _, name = written.rpartition(".")
        pattern = re.compile(rf'\bstring\s+{re.escape(name)}\s*(?:\{{[^}}]*\}})?\s*=\s*"([^"]*)"')
        found = pattern.search(self.text)
        if found is None and owner and self.project is not None:
            for path in self.project.get(owner.rsplit(".", 1)[-1] + ".cs", ()):
                try:
                    found = pattern.search(Path(path).read_text(encoding="utf-8", errors="replace"))
                except OSError:
                    continue
                if found is not None:
                    break
        return found.group(1) if found is not None else None

    def receiver(
        self, receiver: str, quoted: str | None, named: str | None, constant: str | None
    ) -> str | None:
        if quoted is not None or named is not None or constant is not None:
            return self.section(quoted, named, constant)
        return "" if _CONFIGURATION.search(receiver) else None

    def argument(self, argument: str) -> str | None:
        """The section of ``Configure<T>(argument)``: ``configuration`` is the root,
        ``configuration.GetSection("s")`` is ``s``, a variable holding one is followed."""
        call = _SECTION_CALL.match(argument)
        if call is not None:
            return self.section(*call.group(1, 2, 3))
        if _CONFIGURATION.search(argument) and re.fullmatch(r"[\w.]+", argument):
            return ""
        if re.fullmatch(r"\w+", argument):
            held = re.search(
                rf"\b{argument}\s*=\s*[\w.]*\.Get(?:Required)?Section\({_SECTION}\)", self.text
            )
            if held is not None:
                return self.section(*held.group(1, 2, 3))
        return None


def bound_sections(name: str, path: str | None, source: bytes) -> tuple[str, ...]:
    """The sections class ``name`` is bound to, in this file or its project's files."""
    sections = {s for bound, s in bindings(source.decode("utf-8", "replace")) if bound == name}
    if path is not None:
        sections.update(_project_bindings(Path(path).absolute().parent).get(name, ()))
    return tuple(sorted(sections))


@lru_cache(maxsize=32)
def _project_bindings(directory: Path) -> dict[str, tuple[str, ...]]:
    from socklock.discover.code.dotnet_projects import referenced_projects
    from socklock.discover.code.imports import project_files

    found: dict[str, set[str]] = {}
    project = project_files(directory, ".csproj", ".cs")
    # a section constant (``ServiceUrlsOptions.SectionName``) may be a referenced library's
    seen: dict[str, list[str]] = {}
    for referenced in referenced_projects(directory.resolve()):
        for name, paths in project_files(referenced, ".csproj", ".cs").items():
            seen.setdefault(name, []).extend(paths)
    constants = {**{n: tuple(p) for n, p in seen.items()}, **project}
    for paths in project.values():
        for file in paths:
            try:
                text = Path(file).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for name, section in bindings(text, constants):
                found.setdefault(name, set()).add(section)
    return {name: tuple(sorted(sections)) for name, sections in found.items()}


# ``public DatabaseSettings Database()``: a method without parameters that returns an object
_RETURNS = re.compile(
    r"^\s*(?:(?:public|internal|private|protected|static|virtual|override)\s+)*"
    r"([A-Za-z_][\w.]*)\s+([A-Za-z_]\w*)\s*\(\s*\)",
    re.MULTILINE,
)


@lru_cache(maxsize=32)
def _project_returns(directory: Path) -> dict[str, tuple[str, ...]]:
    """Method name → the classes a method of that name without parameters returns, in the
    project's files: a settings accessor (``environment.Database().Host``) hands out an
    options object bound elsewhere (``GetSection("Database").Get<DatabaseSettings>()``)."""
    found: dict[str, set[str]] = {}
    for source in _project_texts(directory):
        for match in _RETURNS.finditer(source):
            written, name = match.groups()
            if written not in ("return", "new", "void", "await", "var"):
                found.setdefault(name, set()).add(written.rsplit(".", 1)[-1])
    return {name: tuple(sorted(types)) for name, types in found.items()}


def forget() -> None:
    """Drop the cached project bindings (tests that rewrite files use it)."""
    _project_bindings.cache_clear()
    _project_returns.cache_clear()
    _project_computed.cache_clear()
    _class_defaults.cache_clear()
    from socklock.discover.code.dotnet_projects import referenced_projects

    referenced_projects.cache_clear()
