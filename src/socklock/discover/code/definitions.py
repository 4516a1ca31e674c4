"""Where a name got its value, within one file.

Built from the ``definitions`` query only when some target needs a name resolved.
Scoping is deliberately simple and linear: a name used inside a function resolves to
the definitions in that function (the last one before the use, plus earlier ones when
the later one sits in a branch that may not run), else in enclosing functions, else at
file or class level. That covers constants, config variables and the
``x := os.Getenv(...); if x == "" { x = "default" }`` idiom.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tree_sitter import Node, Query

    from socklock.discover.code.syntax import Syntax

MAX_REACHING = 4


class DefKind(Enum):
    VALUE = "value"
    PARAM = "param"
    LOOP = "loop"
    OUT = "out"  # ``f(&x)``: set through a pointer by a function of the file (Go)


Scope = tuple[int, int] | None  # byte range of the enclosing function; None: file or class


@dataclass(slots=True)
class Definition:
    name: str
    node: Node  # the name as written
    value: Node | None
    kind: DefKind
    class_level: bool = False  # ``self.x = ...``: visible from every method
    _scope: Scope | bool = field(default=False, repr=False)  # False: not computed yet

    def scope(self, syntax: Syntax) -> Scope:
        if self._scope is False:
            self._scope = None if self.class_level else enclosing_scopes(self.node, syntax)[0]
        assert self._scope is not True
        return self._scope


def enclosing_scopes(node: Node, syntax: Syntax) -> list[Scope]:
    """Function byte ranges around ``node``, innermost first, ending with None."""
    scopes: list[Scope] = []
    current = node.parent
    while current is not None:
        if current.type in syntax.functions:
            scopes.append((current.start_byte, current.end_byte))
        current = current.parent
    scopes.append(None)
    return scopes


class Definitions:
    """Every definition in a file, by name, in document order."""

    def __init__(self, syntax: Syntax, source: bytes, found: Iterable[Definition]) -> None:
        self._syntax = syntax
        self._source = source
        self._by_name: dict[str, list[Definition]] = {}
        unique: dict[tuple[str, int], Definition] = {}
        for definition in found:
            # two patterns may bind one name (a parameter, and the same with a default; an
            # assignment, and the same seen as a field a constructor sets)
            ident = (definition.name, definition.node.start_byte)
            seen = unique.get(ident)
            if (
                seen is None
                or seen.value is None
                or (definition.class_level and not seen.class_level)
            ):
                unique[ident] = definition
        for definition in unique.values():
            self._by_name.setdefault(definition.name, []).append(definition)
        for group in self._by_name.values():
            group.sort(key=lambda d: d.node.start_byte)
        self._params = {d.node.start_byte: d for d in unique.values() if d.kind is DefKind.PARAM}
        self._param_starts = sorted(self._params)

    @classmethod
    def build(cls, syntax: Syntax, source: bytes, query: Query, root: Node) -> Definitions:
        from tree_sitter import QueryCursor

        found: list[Definition] = []
        for _, captures in QueryCursor(query).matches(root):
            found.extend(_from_match(captures, syntax, source))
        return cls(syntax, source, found)

    def param(self, start: int) -> Definition | None:
        """The parameter whose name starts at byte ``start``."""
        return self._params.get(start)

    def param_keys(self) -> list[int]:
        return list(self._param_starts)

    def params_in(self, start: int, end: int) -> list[Definition]:
        """Parameters named inside the byte range, in order."""
        first = bisect_left(self._param_starts, start)
        last = bisect_left(self._param_starts, end)
        return [self._params[k] for k in self._param_starts[first:last]]

    def lookup(self, name: str, use: Node, *, class_level: bool = False) -> list[Definition]:
        """The definitions that may give ``name`` its value where ``use`` reads it."""
        candidates = self._by_name.get(name)
        if not candidates:
            return []
        use_start = use.start_byte
        scopes: list[Scope] = [None] if class_level else enclosing_scopes(use, self._syntax)
        for depth, scope in enumerate(scopes):
            in_scope = [
                d
                for d in candidates
                if d.scope(self._syntax) == scope and not _contains(d.value, use_start)
            ]
            if not in_scope:
                continue
            if depth == 0:
                before = [d for d in in_scope if d.node.start_byte < use_start]
                in_scope = before or in_scope
            return self._reaching(in_scope, use)
        return []

    def _reaching(self, ordered: list[Definition], use: Node) -> list[Definition]:
        """The last definition, and earlier ones while the later sit in a branch."""
        chosen = [ordered[-1]]
        for index in range(len(ordered) - 1, 0, -1):
            if len(chosen) >= MAX_REACHING or not self._conditional(ordered[index], use):
                break
            chosen.append(ordered[index - 1])
        chosen.reverse()
        return chosen

    def _conditional(self, definition: Definition, use: Node) -> bool:
        current = definition.node.parent
        while current is not None and current.type not in self._syntax.functions:
            if current.type in self._syntax.conditionals and not _contains(current, use.start_byte):
                return True
            current = current.parent
        return False


def member_key(text: str) -> str:
    """``app.config['X']`` and ``current_app.config["X"]`` → ``config["X"]``: one name for a
    key of a config object, wherever the object is reached from."""
    flat = "".join(text.split()).replace("'", '"')
    bracket = flat.find("[")
    head = flat[:bracket] if bracket != -1 else flat
    dot = head.rfind(".")
    return flat[dot + 1 :] if dot != -1 else flat


def _contains(node: Node | None, offset: int) -> bool:
    return node is not None and node.start_byte <= offset < node.end_byte


def _from_match(captures: dict[str, list[Node]], syntax: Syntax, source: bytes) -> list[Definition]:
    def name_of(node: Node) -> str:
        return source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    if "param" in captures:
        default = captures.get("param.default", [None])[0]
        return [
            Definition(name_of(n), n, default, DefKind.PARAM)
            for n in _flatten(captures["param"], syntax)
        ]
    if "loop" in captures:
        return [
            Definition(name_of(n), n, None, DefKind.LOOP)
            for n in _flatten(captures["loop"], syntax)
            if n.type in syntax.identifiers
        ]
    if "def.out" in captures:
        out = captures["def.out"][0]
        call = captures.get("def.value", [None])[0]
        return [Definition("".join(name_of(out).split()), out, call, DefKind.OUT)]
    class_level = "def.field" in captures
    names = captures.get("def.field") or captures.get("def.name")
    if not names:
        return []
    value = captures.get("def.value", [None])[0]
    return [
        Definition(
            name_of(n) if n.type in syntax.identifiers else member_key(name_of(n)),
            n,
            v,
            DefKind.VALUE,
            class_level,
        )
        for n, v in _pair(_flatten(names, syntax), value, syntax)
        if n.type in syntax.identifiers or n.type in syntax.pattern_names or class_level
    ]


def _flatten(nodes: list[Node], syntax: Syntax) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if node.type in syntax.lists:
            out.extend(c for c in node.named_children if c.type != "comment")
        else:
            out.append(node)
    return out


def _pair(names: list[Node], value: Node | None, syntax: Syntax) -> list[tuple[Node, Node | None]]:
    """Names with their values: ``a, b = 1, 2``; ``conn, err := grpc.Dial(...)``."""
    if value is None or value.type not in syntax.lists:
        return [(names[0], value)] if len(names) == 1 else [(n, None) for n in names]
    values = [c for c in value.named_children if c.type != "comment"]
    if len(names) == 1:
        # ``var a, b = x, y`` gives one match per name: find this name's position
        name = names[0]
        parent = name.parent
        siblings = [c for c in parent.named_children if c.type == name.type] if parent else []
        if len(siblings) > 1 and len(siblings) == len(values):
            index = next(i for i, c in enumerate(siblings) if c.start_byte == name.start_byte)
            return [(name, values[index])]
        return [(name, values[0] if len(values) == 1 else value)]
    if len(values) == 1:
        return [(names[0], values[0])] + [(n, None) for n in names[1:]]
    return [(n, values[i] if i < len(values) else None) for i, n in enumerate(names)]
