"""Patterns of one shape matched as one: the same matches, in the same order, for less work.

A ``targets`` query holds many patterns of the same structure that differ only in the
function name they accept and in their settings (Go: ``http.Get(url)``, ``grpc.Dial(addr)``,
``os.Getenv(name)`` ...). tree-sitter keeps a matching state per pattern for every node that
could start one, and checks the name only after the structure matched, so a method call is
matched structurally once per pattern of its shape. Here the patterns of one shape are
compiled as one pattern whose name predicate accepts any of their names; each of its
matches is handed on once per original pattern whose own predicates hold, under that
pattern's index and capture names, exactly as the original query would have reported it.

Order is kept: tree-sitter reports the matches that end at the same step by (start depth,
pattern index). A merged pattern stands at its first member's place, so a later member
moves before the patterns between them. It joins the group only if each of those patterns
provably never matches the same node (a different root node type, or the same function-name
node with names none of which both accept); otherwise it starts a new group. Patterns whose
predicates this module does not evaluate exactly are left as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from tree_sitter import Language, Node, Query

NAME = "_fn"  # the capture that names the called function (the prefilter's word, too)
_PLACEHOLDER = "_m"
_TOKEN = re.compile(
    r"""\s+|;[^\n]*|(?P<str>"(?:[^"\\]|\\.)*")|(?P<cap>@[\w.\-]+)|(?P<field>[\w\-]+:)"""
    r"""|(?P<pred>\#[\w\-]+[?!]?)|(?P<neg>![\w\-]+)|(?P<word>[\w\-.]+)|(?P<punct>[()\[\]*+?.])""",
    re.DOTALL,
)
_EQ = {"eq?": (True, False), "not-eq?": (False, False), "any-eq?": (True, True)}
_EQ["any-not-eq?"] = (False, True)
_MATCH = {"match?": (True, False), "not-match?": (False, False), "any-match?": (True, True)}
_MATCH["any-not-match?"] = (False, True)
_ANY_OF = {"any-of?": True, "not-any-of?": False}
_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")


@dataclass(frozen=True, slots=True)
class Predicate:
    """One text predicate, evaluated as the tree-sitter binding evaluates it."""

    kind: str  # "eq", "eq-capture", "match", "any-of"
    capture: str
    values: tuple[bytes, ...] = ()  # eq: one; any-of: several
    other: str = ""  # eq-capture: the second capture
    regex: re.Pattern[str] | None = None
    positive: bool = True
    any: bool = False  # any-eq?/any-match?: one node suffices

    def holds(self, captures: dict[str, list[Node]]) -> bool:
        nodes = captures.get(self.capture, ())
        if self.kind == "any-of":
            for node in nodes:
                text = node.text or b""
                if self.positive:
                    if text not in self.values:
                        return False
                elif not any(text != value for value in self.values):
                    return False
            return True
        if self.kind == "eq-capture":
            pairs = zip(nodes, captures.get(self.other, ()), strict=False)
            tests = ((a.text == b.text) == self.positive for a, b in pairs)
        elif self.kind == "eq":
            tests = (((n.text or b"") == self.values[0]) == self.positive for n in nodes)
        else:
            tests = (_searched(self.regex, n.text or b"") == self.positive for n in nodes)
        result = True
        for result in tests:
            if result == self.any:  # all must hold, or one suffices
                break
        return result


def _searched(regex: re.Pattern[str] | None, text: bytes) -> bool:
    """The binding searches the text up to its first NUL, decoded as UTF-8 (no match if not)."""
    try:
        decoded = text.split(b"\0", 1)[0].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return regex is not None and regex.search(decoded) is not None


@dataclass(frozen=True, slots=True)
class Member:
    """An original pattern inside a merged one."""

    index: int
    names: dict[str, str]  # placeholder -> the pattern's own capture name
    predicates: tuple[Predicate, ...]  # the name's first, then the rest in order
    settings: dict[str, str | None]  # its ``#set!`` directives


@dataclass(slots=True)
class _Pattern:
    index: int
    text: str
    shape: tuple[str, ...] = ()
    names: list[str] = field(default_factory=list)  # capture names in placeholder order
    predicates: list[Predicate] = field(default_factory=list)
    settings: dict[str, str | None] = field(default_factory=dict)
    root: str | None = None
    constraints: list[_Constraint] = field(default_factory=list)
    name_capture: str = ""  # the capture whose predicate the merged pattern widens
    literal_names: tuple[bytes, ...] | None = None  # what the name predicate accepts
    name_regex: str | None = None
    eligible: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    """The query to compile, and what each of its patterns stands for."""

    text: str
    rows: tuple[int | tuple[Member, ...], ...]  # per compiled pattern

    def settings(self, compiled: Query) -> tuple[dict[str, str | None], ...]:
        """Each original pattern's settings: tree-sitter's, or its member's in a merged one."""
        found: dict[int, dict[str, str | None]] = {}
        for index, row in enumerate(self.rows):
            if isinstance(row, int):
                found[row] = compiled.pattern_settings(index)
            else:
                found.update((member.index, member.settings) for member in row)
        return tuple(found[i] for i in range(len(found)))

    def expand(
        self, matches: Iterable[tuple[int, dict[str, list[Node]]]]
    ) -> Iterator[tuple[int, dict[str, list[Node]]]]:
        """The original query's matches, from the compiled query's."""
        rows = self.rows
        for pattern, captures in matches:
            row = rows[pattern]
            if isinstance(row, int):
                yield row, captures
                continue
            for member in row:
                if all(p.holds(captures) for p in member.predicates):
                    names = member.names
                    yield member.index, {names[k]: v for k, v in captures.items()}


def plan(patterns: list[str], language: Language) -> Plan:
    """Merge the mergeable ``patterns`` (the query's top-level patterns, in order)."""
    parsed = [_parse(i, text) for i, text in enumerate(patterns)]
    kinds = (language.node_kind_for_id(i) for i in language.supertypes)
    supertypes = {kind for kind in kinds if kind is not None}
    groups: list[list[_Pattern]] = []
    open_groups: dict[tuple[object, ...], list[_Pattern]] = {}
    for pattern in parsed:
        if not pattern.eligible:
            groups.append([pattern])
            continue
        key = (pattern.shape, pattern.names.index(pattern.name_capture))
        group = open_groups.get(key)
        if group is not None:
            members = {m.index for m in group}
            between = range(group[0].index + 1, pattern.index)
            if all(i in members or _disjoint(parsed[i], pattern, supertypes) for i in between):
                group.append(pattern)
                continue
        group = open_groups[key] = [pattern]
        groups.append(group)
    texts: list[str] = []
    rows: list[int | tuple[Member, ...]] = []
    for group in groups:
        if len(group) == 1:
            texts.append(group[0].text)
            rows.append(group[0].index)
        else:
            texts.append(_merged_text(group))
            rows.append(tuple(_member(p) for p in group))
    return Plan("\n".join(texts), tuple(rows))


def _member(pattern: _Pattern) -> Member:
    names = {f"{_PLACEHOLDER}{k}": name for k, name in enumerate(pattern.names)}
    first = [p for p in pattern.predicates if _is_name_predicate(p, pattern.name_capture)][:1]
    rest = [p for p in pattern.predicates if p not in first]
    renamed = {name: ph for ph, name in names.items()}
    return Member(
        pattern.index,
        names,
        tuple(_renamed(p, renamed) for p in first + rest),
        dict(pattern.settings),
    )


def _renamed(predicate: Predicate, placeholders: dict[str, str]) -> Predicate:
    return Predicate(
        predicate.kind,
        placeholders[predicate.capture],
        predicate.values,
        placeholders[predicate.other] if predicate.other else "",
        predicate.regex,
        predicate.positive,
        predicate.any,
    )


def _merged_text(group: list[_Pattern]) -> str:
    """The group's shape with placeholder captures and one predicate any member's name meets."""
    first = group[0]
    capture = f"@{_PLACEHOLDER}{first.names.index(first.name_capture)}"
    body = " ".join(first.shape[:-1])
    if all(p.literal_names is not None for p in group):
        names = dict.fromkeys(n for p in group for n in p.literal_names or ())
        predicate = f"(#any-of? {capture} {' '.join(_quoted(n.decode()) for n in names)})"
    else:
        alternatives = [
            f"\\A(?:{'|'.join(re.escape(n.decode()) for n in p.literal_names)})\\Z"
            if p.literal_names is not None
            else _scoped(p.name_regex or "")
            for p in group
        ]
        predicate = f"(#match? {capture} {_quoted('|'.join(alternatives))})"
    return f"{body}\n  {predicate})"  # where the members' predicates stood


def _scoped(regex: str) -> str:
    """A regex as one alternative: leading global flags made local (``(?i)x`` → ``(?i:x)``)."""
    flags = _FLAGS.match(regex)
    if flags is None:
        return f"(?:{regex})"
    return f"(?{flags.group(1)}:{regex[flags.end() :]})"


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped.replace(chr(13), chr(92) + "r").replace(chr(9), chr(92) + "t")}"'


def _unquoted(raw: str) -> str:
    """A query string literal's value, unescaped as tree-sitter does."""
    out: list[str] = []
    index = 1
    while index < len(raw) - 1:
        char = raw[index]
        if char == "\\" and index + 1 < len(raw) - 1:
            nxt = raw[index + 1]
            out.append({"n": "\n", "r": "\r", "t": "\t", "0": "\0"}.get(nxt, nxt))
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _is_name_predicate(predicate: Predicate, capture: str) -> bool:
    return (
        predicate.capture == capture
        and predicate.positive
        and not predicate.any
        and predicate.kind in ("eq", "any-of", "match")
    )


def _parse(index: int, text: str) -> _Pattern:
    """One top-level pattern's shape, captures, predicates and settings."""
    pattern = _Pattern(index, text)
    tokens: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is not None:
            tokens.append((kind, match.group()))
    if sum(len(m.group()) for m in _TOKEN.finditer(text)) != len(text):
        return pattern  # something this tokenizer does not know: left alone
    structure, predicates = _split_predicates(tokens)
    if structure is None:
        return pattern
    supported = True
    for name, args in predicates:
        predicate = _predicate(name, args)
        if name == "set!":
            if 1 <= len(args) <= 2 and all(kind == "str" for kind, _ in args):
                value = _unquoted(args[1][1]) if len(args) == 2 else None
                pattern.settings[_unquoted(args[0][1])] = value
            else:
                supported = False
        elif predicate is None:
            supported = False
        else:
            pattern.predicates.append(predicate)
    placeholders: dict[str, str] = {}
    shape: list[str] = []
    for kind, value in structure:
        if kind == "cap":
            name = value[1:]
            if name not in placeholders:
                placeholders[name] = f"@{_PLACEHOLDER}{len(placeholders)}"
                pattern.names.append(name)
            shape.append(placeholders[name])
        else:
            shape.append(value)
    pattern.shape = tuple(shape)
    pattern.root, paths = _root_and_paths(structure)
    for predicate in pattern.predicates:
        if predicate.positive and not predicate.any and predicate.capture in paths:
            if predicate.kind in ("eq", "any-of"):
                literals: tuple[bytes, ...] | None = predicate.values
            elif predicate.kind == "match":
                literals = None
            else:
                continue
            pattern.constraints.append(
                _Constraint(tuple(paths[predicate.capture]), literals, predicate.regex)
            )
    named = [p for p in pattern.predicates if _is_name_predicate(p, NAME)] or [
        p for p in pattern.predicates if _is_name_predicate(p, p.capture)
    ]
    pattern.name_capture = named[0].capture if named else ""
    names = named[:1]
    if names:
        first = names[0]
        if first.kind == "match":
            pattern.name_regex = first.regex.pattern if first.regex else None
        else:
            pattern.literal_names = first.values
    captured = set(pattern.names)
    pattern.eligible = (
        supported
        and bool(names)
        and pattern.root is not None
        and all(
            p.capture in captured and (not p.other or p.other in captured)
            for p in pattern.predicates
        )
        and (pattern.name_regex is None or _scopable(pattern.name_regex))
        and pattern.shape[-1:] == (")",)
    )
    return pattern


def _scopable(regex: str) -> bool:
    """Whether the regex still compiles as one alternative among others."""
    try:
        re.compile(f"{_scoped(regex)}|x")
    except re.error:
        return False
    return True


def _split_predicates(
    tokens: list[tuple[str, str]],
) -> tuple[list[tuple[str, str]] | None, list[tuple[str, list[tuple[str, str]]]]]:
    """The structure's tokens and the predicates, for ``((node ...) @c? (#p ...) ...)``."""
    structure: list[tuple[str, str]] = []
    predicates: list[tuple[str, list[tuple[str, str]]]] = []
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        if (
            kind == "punct"
            and value == "("
            and index + 1 < len(tokens)
            and (tokens[index + 1][0] == "pred")
        ):
            end = index + 2
            while end < len(tokens) and tokens[end] != ("punct", ")"):
                end += 1
            if end == len(tokens):
                return None, []
            name = tokens[index + 1][1][1:]
            args = [(k, f'"{v}"' if k == "word" else v) for k, v in tokens[index + 2 : end]]
            if any(k not in ("str", "cap", "word") for k, _ in args):
                return None, []  # a bare word is a string to tree-sitter
            args = [("str" if k == "word" else k, v) for k, v in args]
            predicates.append((name, args))
            index = end + 1
            continue
        structure.append((kind, value))
        index += 1
    return structure, predicates


def _predicate(name: str, args: list[tuple[str, str]]) -> Predicate | None:
    if not args or args[0][0] != "cap":
        return None
    capture = args[0][1][1:]
    if name in _EQ and len(args) == 2:
        positive, any_ = _EQ[name]
        kind, value = args[1]
        if kind == "cap":
            return Predicate("eq-capture", capture, other=value[1:], positive=positive, any=any_)
        return Predicate("eq", capture, (_unquoted(value).encode(),), positive=positive, any=any_)
    if name in _MATCH and len(args) == 2 and args[1][0] == "str":
        positive, any_ = _MATCH[name]
        try:
            regex = re.compile(_unquoted(args[1][1]))
        except re.error:
            return None
        return Predicate("match", capture, regex=regex, positive=positive, any=any_)
    if name in _ANY_OF and len(args) >= 2 and all(k == "str" for k, _ in args[1:]):
        values = tuple(_unquoted(v).encode() for _, v in args[1:])
        return Predicate("any-of", capture, values, positive=_ANY_OF[name])
    return None


Path = tuple[tuple[str, str], ...]  # (field, node type) per level below the root


@dataclass(frozen=True, slots=True)
class _Constraint:
    """A text a required captured node must have: one of ``literals``, or ``regex``'s."""

    paths: tuple[Path, ...]  # where the node may be (an alternation gives several)
    literals: tuple[bytes, ...] | None
    regex: re.Pattern[str] | None


def _root_and_paths(structure: list[tuple[str, str]]) -> tuple[str | None, dict[str, list[Path]]]:
    """The one node type the pattern starts at (None if not one named type), and for each
    capture that is always present, the paths from the root to the nodes it takes."""
    # the structure is ``( (root ...) captures* )`` or ``(root ...) captures*``
    inner = structure
    if len(inner) >= 2 and inner[0] == ("punct", "(") and inner[1] == ("punct", "("):
        if inner[-1] != ("punct", ")"):
            return None, {}
        inner = inner[1:-1]
    if len(inner) < 3 or inner[0] != ("punct", "(") or inner[1][0] != "word":
        return None, {}
    root = inner[1][1]
    depth = 0
    for position, (kind, value) in enumerate(inner):
        if kind == "punct" and value in "([":
            depth += 1
        elif kind == "punct" and value in ")]":
            depth -= 1
            if depth == 0:
                if any(k != "cap" for k, _ in inner[position + 1 :]):
                    return None, {}  # siblings after the root, or a quantified root
                break
    if root in ("_", "ERROR", "MISSING"):
        return None, {}
    stack: list[tuple[str, str]] = []  # (field, type) of the open nodes; "[" for alternations
    inside: list[list[str]] = [[]]  # the captures bound inside each open node
    pending = ""
    last: Path | None = None
    optional: set[str] = set()
    paths: dict[str, list[Path]] = {}
    for index, (kind, value) in enumerate(inner):
        if kind == "field":
            pending = value[:-1]
        elif kind == "punct" and value in "([":
            label = pending or (stack[-1][0] if stack and stack[-1][1] == "[" else "")
            following = inner[index + 1][1] if index + 1 < len(inner) else ""
            node_type = "[" if value == "[" else following
            stack.append((label, node_type))
            inside.append([])
            pending = ""
            last = None
        elif kind == "punct" and value in ")]":
            closed = stack.pop()
            bound = inside.pop()
            inside[-1].extend(bound)
            levels = tuple(level for level in [*stack, closed] if level[1] != "[")
            last = levels[1:] if value == ")" else None
            if value == "]":
                optional.update(bound)  # in one alternative among others: maybe absent
        elif kind == "punct" and value in "*?+":
            optional.update(_closed_captures(inner, index))
        elif kind == "cap":
            name = value[1:]
            inside[-1].append(name)
            if last is None or inner[index - 1][1] in ("?", "*", "+"):
                optional.add(name)
            else:
                paths.setdefault(name, []).append(last)
        elif kind == "str":
            pending = ""
            last = None
    return root, {name: found for name, found in paths.items() if name not in optional}


def _closed_captures(tokens: list[tuple[str, str]], quantifier: int) -> list[str]:
    """The captures inside the node or alternation that ends just before ``quantifier``."""
    if quantifier == 0 or tokens[quantifier - 1] not in (("punct", ")"), ("punct", "]")):
        return []
    depth = 0
    for index in range(quantifier - 1, -1, -1):
        kind, value = tokens[index]
        if kind == "punct" and value in ")]":
            depth += 1
        elif kind == "punct" and value in "([":
            depth -= 1
            if depth == 0:
                return [v[1:] for k, v in tokens[index:quantifier] if k == "cap"]
    return []


def _disjoint(first: _Pattern, second: _Pattern, supertypes: set[str]) -> bool:
    """Whether the two patterns can never match the same node (and so never both end at one
    step with the same start): different root types, or one node (the function's name, the
    package) whose text no pattern of the two accepts both of."""
    if first.root is None or second.root is None:
        return False
    if first.root in supertypes or second.root in supertypes:
        return False
    if first.root != second.root:
        return True
    return any(
        _excludes(one, other, supertypes)
        for one in first.constraints
        for other in second.constraints
    )


def _excludes(one: _Constraint, other: _Constraint, supertypes: set[str]) -> bool:
    """Whether no node can meet both: wherever each may be, the two are the same node (a
    chain of fields from the root) with texts none of which both accept, or a field would
    need two node types."""
    for path in one.paths:
        for path2 in other.paths:
            if _conflict(path, path2, supertypes):
                continue
            if path != path2 or not all(label for label, _ in path):
                return False
            if not _texts_disjoint(one, other):
                return False
    return True


def _conflict(
    one: tuple[tuple[str, str], ...], other: tuple[tuple[str, str], ...], supertypes: set[str]
) -> bool:
    """Whether one node's field would have to hold two different node types."""
    for (label, kind), (label2, kind2) in zip(one, other, strict=False):
        if not label or label != label2:
            return False
        if kind != kind2:
            concrete = all(k != "_" and k[:1] != '"' and k not in supertypes for k in (kind, kind2))
            return concrete
    return False


def _texts_disjoint(one: _Constraint, other: _Constraint) -> bool:
    if one.literals is not None and other.literals is not None:
        return not set(one.literals) & set(other.literals)
    for literal, pattern in ((one, other), (other, one)):
        if literal.literals is not None and pattern.regex is not None:
            return not any(_searched(pattern.regex, text) for text in literal.literals)
    return False
