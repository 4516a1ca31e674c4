"""The Grafana Alloy configuration syntax (River, ``*.alloy``/``*.river``), parsed into
blocks and attributes with positions, and a partial evaluator for the expressions an
address is written with.

No Python parser of this syntax exists on PyPI, so this is a small one for the documented
grammar (grafana.com/docs/alloy/latest/get-started/configuration-syntax/): a body is
attributes ``name = expression`` and blocks ``name.path "label" { body }``; expressions
are literals (strings with Go escapes, raw backtick strings, numbers, ``true``/``false``/
``null``), arrays ``[a, b]``, objects ``{ key = v, "key" = v }``, references
``a.b.c``, calls ``f(x)``, field access ``.f``, indexing ``[i]`` and the usual unary and
binary operators. Comments are ``//`` and ``/* */``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""(?P<space>[ \t\r\n]+)
    |(?P<comment>//[^\n]*|/\*.*?\*/)
    |(?P<string>"(?:[^"\\\n]|\\.)*")
    |(?P<raw>`[^`]*`)
    |(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    |(?P<ident>[^\W\d]\w*)
    |(?P<op>==|!=|<=|>=|&&|\|\||[-+*/%^<>!=.,\[\]{}()])
    """,
    re.VERBOSE | re.DOTALL,
)
_BINARY = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 3,
    "<=": 3,
    ">": 3,
    ">=": 3,
    "+": 4,
    "-": 4,
    "*": 5,
    "/": 5,
    "%": 5,
    "^": 6,
}


class RiverError(ValueError):
    """A syntax error at ``line``:``column`` (1-based)."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # string, number, ident, op, end
    text: str
    line: int
    column: int


# ---- the syntax tree


@dataclass(frozen=True, slots=True)
class Literal:
    value: object
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Array:
    items: tuple[Expr, ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Object:
    fields: tuple[tuple[str, Expr], ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Reference:
    path: tuple[str, ...]  # local.file.endpoints.content
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Call:
    function: tuple[str, ...]  # ("json_path",), ("encoding", "from_json")
    arguments: tuple[Expr, ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Access:
    value: Expr
    field: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Index:
    value: Expr
    index: Expr
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Operation:
    operator: str
    operands: tuple[Expr, ...]
    line: int
    column: int


Expr = Literal | Array | Object | Reference | Call | Access | Index | Operation


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    value: Expr
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Block:
    name: str  # "prometheus.scrape"
    label: str | None
    body: tuple[Attribute | Block, ...]
    line: int
    column: int

    def attribute(self, name: str) -> Attribute | None:
        return next((s for s in self.body if isinstance(s, Attribute) and s.name == name), None)

    def blocks(self, name: str) -> list[Block]:
        return [s for s in self.body if isinstance(s, Block) and s.name == name]


# ---- tokens and parsing


def tokens(text: str) -> list[Token]:
    """The tokens of ``text``, without spaces and comments."""
    found: list[Token] = []
    line, start, position = 1, 0, 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise RiverError(line, position - start + 1, f"unexpected {text[position]!r}")
        kind = match.lastgroup or ""
        word = match.group(0)
        if kind not in ("space", "comment"):
            found.append(
                Token("string" if kind == "raw" else kind, word, line, position - start + 1)
            )
        newlines = word.count("\n")
        if newlines:
            line += newlines
            start = match.start() + word.rindex("\n") + 1
        position = match.end()
    found.append(Token("end", "", line, position - start + 1))
    return found


def parse(text: str) -> tuple[Attribute | Block, ...]:
    """The top-level statements of a config; :class:`RiverError` when it is not valid."""
    parser = _Parser(tokens(text))
    body = parser.body(top=True)
    return body


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def take(self, text: str | None = None, kind: str | None = None) -> Token:
        token = self.peek()
        if (text is not None and token.text != text) or (kind is not None and token.kind != kind):
            wanted = repr(text) if text is not None else kind
            got = repr(token.text) if token.kind != "end" else "end of file"
            raise RiverError(token.line, token.column, f"expected {wanted}, found {got}")
        self.at += 1
        return token

    def body(self, *, top: bool = False) -> tuple[Attribute | Block, ...]:
        statements: list[Attribute | Block] = []
        while not (self.peek().kind == "end" if top else self.peek().text == "}"):
            if self.peek().kind == "end":
                self.take("}")  # a block left open: the error says so
            first = self.take(kind="ident")
            if self.peek().text == "=":
                self.take("=")
                statements.append(
                    Attribute(first.text, self.expression(), first.line, first.column)
                )
                continue
            name = [first.text]
            while self.peek().text == ".":
                self.take(".")
                name.append(self.take(kind="ident").text)
            label = None
            if self.peek().kind == "string":
                label = _string(self.take())
            self.take("{")
            inner = self.body()
            self.take("}")
            statements.append(Block(".".join(name), label, inner, first.line, first.column))
        return tuple(statements)

    def expression(self, precedence: int = 1) -> Expr:
        left = self.unary()
        while (
            level := _BINARY.get(self.peek().text, 0)
        ) >= precedence and self.peek().kind == "op":
            operator = self.take()
            right = self.expression(level + 1 if operator.text != "^" else level)
            left = Operation(operator.text, (left, right), operator.line, operator.column)
        return left

    def unary(self) -> Expr:
        token = self.peek()
        if token.text in ("!", "-") and token.kind == "op":
            self.take()
            return Operation(token.text, (self.unary(),), token.line, token.column)
        return self.postfix(self.primary())

    def primary(self) -> Expr:
        token = self.take()
        if token.kind == "string":
            return Literal(_string(token), token.line, token.column)
        if token.kind == "number":
            number = (
                float(token.text)
                if "." in token.text or "e" in token.text.lower()
                else int(token.text)
            )
            return Literal(number, token.line, token.column)
        if token.kind == "ident":
            if token.text in ("true", "false"):
                return Literal(token.text == "true", token.line, token.column)
            if token.text == "null":
                return Literal(None, token.line, token.column)
            path = [token.text]
            while self.peek().text == "." and self.peek(1).kind == "ident":
                self.take(".")
                path.append(self.take().text)
            if self.peek().text == "(":
                return Call(tuple(path), self.arguments(), token.line, token.column)
            return Reference(tuple(path), token.line, token.column)
        if token.text == "(":
            inner = self.expression()
            self.take(")")
            return inner
        if token.text == "[":
            items: list[Expr] = []
            while self.peek().text != "]":
                items.append(self.expression())
                if self.peek().text != "]":
                    self.take(",")
            self.take("]")
            return Array(tuple(items), token.line, token.column)
        if token.text == "{":
            fields: list[tuple[str, Expr]] = []
            while self.peek().text != "}":
                key = self.take()
                if key.kind not in ("ident", "string"):
                    raise RiverError(key.line, key.column, f"expected a key, found {key.text!r}")
                self.take("=")
                fields.append(
                    (_string(key) if key.kind == "string" else key.text, self.expression())
                )
                if self.peek().text != "}":
                    self.take(",")
            self.take("}")
            return Object(tuple(fields), token.line, token.column)
        found = repr(token.text) if token.kind != "end" else "end of file"
        raise RiverError(token.line, token.column, f"expected an expression, found {found}")

    def arguments(self) -> tuple[Expr, ...]:
        self.take("(")
        arguments: list[Expr] = []
        while self.peek().text != ")":
            arguments.append(self.expression())
            if self.peek().text != ")":
                self.take(",")
        self.take(")")
        return tuple(arguments)

    def postfix(self, value: Expr) -> Expr:
        while True:
            token = self.peek()
            if token.text == "." and self.peek(1).kind == "ident":
                self.take(".")
                value = Access(value, self.take().text, token.line, token.column)
            elif token.text == "[":
                self.take("[")
                index = self.expression()
                self.take("]")
                value = Index(value, index, token.line, token.column)
            else:
                return value


def _string(token: Token) -> str:
    if token.text.startswith("`"):
        return token.text[1:-1]
    try:
        value = json.loads(token.text)
    except json.JSONDecodeError:  # a Go escape JSON lacks (\a, \x41...): keep it as written
        return token.text[1:-1]
    return value if isinstance(value, str) else token.text[1:-1]


# ---- evaluation of what can be known before run time


class Unresolved(Exception):
    """An expression whose value is known only at run time, with the reason."""


def walk(statements: tuple[Attribute | Block, ...]) -> Iterator[Block]:
    """Every block, nested ones after the block holding them."""
    for statement in statements:
        if isinstance(statement, Block):
            yield statement
            yield from walk(statement.body)


@dataclass(frozen=True, slots=True)
class Evaluator:
    """Evaluates expressions with what is known statically: ``env("X")`` from the
    container's env, ``local.file.L.content`` from the files the config reads, and the
    ``json_decode``/``json_path``/``encoding.from_json``/``concat``/``format``/``join``/
    ``coalesce`` standard functions. Anything else raises :class:`Unresolved`."""

    env: Mapping[str, str]
    contents: Callable[[str], str | None]  # local.file label → the text it reads

    def value(self, expression: Expr) -> object:
        match expression:
            case Literal(value=value):
                return value
            case Array(items=items):
                return [self.value(item) for item in items]
            case Object(fields=fields):
                return {key: self.value(item) for key, item in fields}
            case Reference(path=path):
                return self._reference(path)
            case Access(value=inner, field=name):
                base = self.value(inner)
                if isinstance(base, Mapping) and name in base:
                    return base[name]
                raise Unresolved(f"no field {name}")
            case Index(value=inner, index=index):
                base, key = self.value(inner), self.value(index)
                if isinstance(base, list) and isinstance(key, int) and 0 <= key < len(base):
                    return base[key]
                if isinstance(base, Mapping) and isinstance(key, str) and key in base:
                    return base[key]
                raise Unresolved(f"no element {key!r}")
            case Call(function=("coalesce",), arguments=arguments):
                return self._coalesce(arguments)
            case Call(function=function, arguments=arguments):
                return self._call(".".join(function), [self.value(a) for a in arguments])
            case Operation(operator="+", operands=(left, right)):
                a, b = self.value(left), self.value(right)
                if isinstance(a, str) and isinstance(b, str):
                    return a + b
                if isinstance(a, int | float) and isinstance(b, int | float):
                    return a + b
        raise Unresolved("an expression evaluated at run time")

    def _coalesce(self, arguments: tuple[Expr, ...]) -> object:
        """The first argument that is known and not empty (an unset ``env`` is empty)."""
        reasons: list[str] = []
        for argument in arguments:
            try:
                value = self.value(argument)
            except Unresolved as why:
                if not str(why).startswith("env "):
                    raise
                reasons.append(str(why))
                continue
            if value not in ("", None, [], {}, 0, False):
                return value
        raise Unresolved(reasons[0] if reasons else "coalesce of empty values")

    def _reference(self, path: tuple[str, ...]) -> object:
        if len(path) == 4 and path[:2] == ("local", "file") and path[3] == "content":
            text = self.contents(path[2])
            if text is None:
                raise Unresolved(f"local.file {path[2]} reads a file not in the input")
            return text
        if path and path[0] == "discovery":
            raise Unresolved(f"{'.'.join(path[:2])} finds the targets at run time")
        raise Unresolved(f"{'.'.join(path)} is an export of another component at run time")

    def _call(self, name: str, arguments: list[object]) -> object:
        if name in ("env", "sys.env") and len(arguments) == 1 and isinstance(arguments[0], str):
            if arguments[0] in self.env:
                return self.env[arguments[0]]
            raise Unresolved(
                f"env {arguments[0]} is not set for the workload by any manifest or its image's ENV"
            )
        if name in ("json_decode", "encoding.from_json") and len(arguments) == 1:
            try:
                return json.loads(str(arguments[0]))
            except json.JSONDecodeError as error:
                raise Unresolved(f"{name} of text that is not JSON: {error.msg}") from None
        if name == "json_path" and len(arguments) == 2:
            document, query = arguments
            try:
                decoded = json.loads(str(document))
            except json.JSONDecodeError as error:
                raise Unresolved(f"json_path of text that is not JSON: {error.msg}") from None
            return _json_path(decoded, str(query))
        if name in ("concat", "array.concat"):
            return [
                item
                for argument in arguments
                for item in (argument if isinstance(argument, list) else [])
            ]
        if name in ("format", "string.format") and arguments and isinstance(arguments[0], str):
            try:
                return re.sub(r"%[sdv]", "{}", arguments[0]).format(*arguments[1:])
            except (IndexError, ValueError):
                raise Unresolved("format with the wrong arguments") from None
        if (
            name in ("join", "string.join")
            and len(arguments) == 2
            and isinstance(arguments[0], list)
        ):
            return str(arguments[1]).join(str(item) for item in arguments[0])
        raise Unresolved(f"{name}() is evaluated at run time")


def _json_path(document: object, query: str) -> list[object]:
    """The results of a dotted JSONPath (``.a.b``, ``$.a.b``), as ``json_path`` returns
    them: a list, empty when nothing matches."""
    current = document
    for part in query.removeprefix("$").strip(".").split("."):
        if not part:
            continue
        if not isinstance(current, Mapping) or part not in current:
            return []
        current = current[part]
    return [current]
