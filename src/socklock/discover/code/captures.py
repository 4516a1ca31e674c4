"""The query's findings in one file, sorted by role.

Capture names are the contract between the ``.scm`` files and the engine:

``@seed``
    a literal that may hold an address (the pattern tests its text).
``@env`` with ``@env.name`` and optional ``@env.default``
    an env var read; ``(#set! env "spring")`` or ``"aspnet"`` says how to read the name;
    ``"configuration-properties"``: a bound field, ``@env.prefix`` its properties prefix;
    ``"field"``: a settings field read from the env var of its name; ``"struct-tag"``:
    a Go struct field whose tag names the env var; ``"conf-tag"``: one read by
    ardanlabs/conf, whose path names the env var; ``"viper-tag"``: one that
    ``viper.Unmarshal`` fills, its ``mapstructure`` key the env var under ``AutomaticEnv``.
``@target``, or ``@target.host`` with optional ``@target.port``
    what a call connects to (``@target.topic``: the topic a broker client names);
    settings ``kind "grpc"``, ``strength "weak"`` (report only
    what resolves to an address), ``scheme "redis"`` (for a bare host), ``guess "http"``
    (curl's: the scheme of a written URL that has none, while a whole address from the
    environment keeps its own) and ``service "feign"`` (the value is a service name in
    that registry: socklock.discover.names).
``@declare`` with optional ``@declare.value``
    what the module says about itself (setting ``declare``: ``load-balanced``,
    ``service-name``, ``server-port``); the value, or the captured text, is reported.
``@form`` with ``@form.string``, ``@form.args``, ``@form.part``, ``@form.value``
    a call that builds a string; setting ``form`` is ``printf``, ``braces``, ``join``
    (with ``sep``) or ``pass`` (its value is ``@form.value``).
``@stub.conn``
    the connection a gRPC client stub is made on.
``@listen``
    arguments of a call that opens the program's own listener.
``@quiet``
    a region whose strings are messages: logs, prints, exceptions, docstrings.
``@test``
    test code inside a source file (Rust's ``#[cfg(test)]`` module): nothing in it is
    reported, not even known calls.
``@idle``
    the target of a call that connects but sends nothing (Go's UDP "outbound address"
    idiom): neither it nor what it names is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tree_sitter import Node

Key = tuple[int, int]


def key(node: Node) -> Key:
    return (node.start_byte, node.end_byte)


@dataclass(frozen=True, slots=True)
class Target:
    node: Node  # the target expression, or the host
    port: Node | None = None
    grpc: bool = False
    weak: bool = False
    scheme: str | None = None
    bare_host: bool = False
    topic: Node | None = None
    guess: str | None = None
    service: str | None = None


@dataclass(frozen=True, slots=True)
class Declare:
    node: Node
    what: str
    value: Node | None


@dataclass(frozen=True, slots=True)
class EnvRead:
    node: Node
    name: Node | None
    default: Node | None
    style: str | None  # None: the name is the env var; "spring"; "aspnet"
    prefix: Node | None = None  # ``@ConfigurationProperties(prefix = ...)`` of the field


@dataclass(frozen=True, slots=True)
class Form:
    style: str
    string: Node | None = None
    args: Node | None = None
    parts: tuple[Node, ...] = ()
    value: Node | None = None
    separator: str = ""
    node: Node | None = None  # the whole call


@dataclass(slots=True)
class Captures:
    seeds: list[Node] = field(default_factory=list)
    envs: dict[Key, EnvRead] = field(default_factory=dict)
    targets: dict[Key, Target] = field(default_factory=dict)
    forms: dict[Key, Form] = field(default_factory=dict)
    stubs: list[Node] = field(default_factory=list)
    listens: list[Node] = field(default_factory=list)
    regions: set[Key] = field(default_factory=set)  # listen and quiet: not call targets
    idle: set[Key] = field(default_factory=set)  # targets of calls that send nothing
    tests: list[Node] = field(default_factory=list)  # test code: nothing in it is reported
    declares: list[Declare] = field(default_factory=list)

    @property
    def reports_nothing(self) -> bool:
        return not (
            self.seeds or self.envs or self.targets or self.stubs or self.declares or self.listens
        )


def collect(
    matches: Iterable[tuple[int, dict[str, list[Node]]]],
    settings: tuple[dict[str, str | None], ...],
) -> Captures:
    """Sort the matches of the ``targets`` query by role."""
    found = Captures()
    for pattern, raw in matches:
        options = settings[pattern]
        captures = _past_comments(raw)
        if "seed" in captures:
            found.seeds.extend(captures["seed"])
        elif "env" in captures:
            node = captures["env"][0]
            if options.get("env") == "configuration-properties" and _static_field(node):
                continue  # a constant of the class (its PREFIX): Spring binds no env to it
            read = EnvRead(
                node,
                _first(captures, "env.name"),
                _first(captures, "env.default"),
                options.get("env"),
                _first(captures, "env.prefix"),
            )
            seen = found.envs.get(key(node))
            if _better(read, seen):
                found.envs[key(node)] = read  # the pattern that also names prefix or default
        elif "target" in captures or "target.host" in captures:
            host = _first(captures, "target.host")
            node = host or captures["target"][0]
            target = Target(
                node,
                port=_first(captures, "target.port"),
                grpc=options.get("kind") == "grpc",
                weak=options.get("strength") == "weak",
                scheme=options.get("scheme"),
                bare_host=host is not None,
                topic=_first(captures, "target.topic"),
                service=options.get("service"),
                guess=options.get("guess"),
            )
            known = found.targets.get(key(node))
            if (
                known is None
                or (known.topic is None and target.topic is not None)
                or (known.port is None and target.port is not None)
            ):
                found.targets[key(node)] = target  # the pattern that also names topic or port
        elif "declare" in captures:
            found.declares.append(
                Declare(
                    captures["declare"][0],
                    options.get("declare") or "",
                    _first(captures, "declare.value"),
                )
            )
        elif "form" in captures:
            found.forms[key(captures["form"][0])] = Form(
                style=options.get("form") or "pass",
                string=_first(captures, "form.string"),
                args=_first(captures, "form.args"),
                parts=tuple(captures.get("form.part", ())),
                value=_first(captures, "form.value"),
                separator=options.get("sep") or "",
                node=captures["form"][0],
            )
        elif "stub.conn" in captures:
            found.stubs.extend(captures["stub.conn"])
        elif "listen" in captures:
            for node in captures["listen"]:
                found.listens.append(node)
                found.regions.add(key(node))
        elif "idle" in captures:
            for node in captures["idle"]:
                found.idle.add(key(node))
                found.regions.add(key(node))
        elif "test" in captures:
            for node in captures["test"]:
                found.tests.append(node)
                found.regions.add(key(node))
        elif "quiet" in captures:
            found.regions.update(key(node) for node in captures["quiet"])
    return found


def _past_comments(captures: dict[str, list[Node]]) -> dict[str, list[Node]]:
    """The captures with a comment replaced by the node after it: a pattern's ``(_)`` matches
    a comment too (``http.request( // ask the catalog`` puts it first among the arguments),
    while the code it annotates is the next node."""
    if not any(node.is_extra for nodes in captures.values() for node in nodes):
        return captures
    fixed: dict[str, list[Node]] = {}
    for name, nodes in captures.items():
        kept = [_after_comments(node) for node in nodes]
        fixed[name] = [node for node in kept if node is not None]
    return {name: nodes for name, nodes in fixed.items() if nodes}


def _after_comments(node: Node | None) -> Node | None:
    while node is not None and node.is_extra:
        node = node.next_named_sibling
    return node


def _better(read: EnvRead, seen: EnvRead | None) -> bool:
    """Whether ``read`` says more than ``seen`` of the same read: its prefix, its default."""
    if seen is None:
        return True
    if (read.prefix is None) != (seen.prefix is None):
        return read.prefix is not None
    return seen.default is None or read.default is not None


def _first(captures: dict[str, list[Node]], name: str) -> Node | None:
    nodes = captures.get(name)
    return nodes[0] if nodes else None


def _static_field(declarator: Node) -> bool:
    """Whether a Java field's declarator belongs to a ``static`` field declaration."""
    declaration = declarator.parent
    if declaration is None or declaration.type != "field_declaration":
        return False
    return any(
        child.type == "modifiers" and b"static" in (child.text or b"").split()
        for child in declaration.children
    )
