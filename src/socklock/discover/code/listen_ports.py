"""Where a program's own listener listens: the port its listen call is given.

``app.listen(config.PORT)``, ``net.Listen("tcp", cfg.Port)``, ``app.run(port=5000)``,
``server.add_insecure_port("[::]:50051")``, NestJS ``createMicroservice(M, {transport:
Transport.TCP, options: {port: 4001}})``. Without a deployment the build units run side by
side on one host, and ``localhost:<port>`` reaches the unit that listens on that port
(``resolve_local`` in :mod:`socklock.discover.code_evidence`); the port is often an env
read that the unit's own env file sets (``PORT=8001`` in ``.env.dev``), so it is reported
as written, env reads as ``${NAME}`` (``${NAME:-default}``), for the joiner to fill.

A config object's field that the file cannot evaluate (``cfg.Port``, filled by viper or
envconfig from the key of its name) reads the variable of its name in upper snake case.
A message broker's transport (NestJS Redis, NATS, RabbitMQ, ...) listens on nothing of its
own: its options name the broker it connects to.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socklock.discover.code.values import Env, Hole

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Value

LISTEN_PORT = "listen-port"  # the declaration's ``what``
ARGUMENT_LISTS = frozenset(
    {"argument_list", "arguments", "bracketed_argument_list", "annotation_argument_list"}
)


def arguments(region: Node) -> list[Node]:
    """A call's arguments: the children of its argument list, or the one node given."""
    return region.named_children if region.type in ARGUMENT_LISTS else [region]


# a keyword argument or an options key that gives the listener's address or port
_PORT_KEY = re.compile(r"(?i)^(?:port|addr|address|listen|bind|url|host_?port)$")
_OPTIONS_KEY = "options"
_TRANSPORT_KEY = "transport"
_SERVING_TRANSPORTS = re.compile(r"\b(?:TCP|GRPC)\b")  # NestJS transports that listen
# what the written value must look like once filled: a port, ``:port``, ``host:port``
PORT_SPEC = re.compile(r"^(?:(\d{1,5})|(?:[\w.\-]*|\[[0-9a-fA-F:.]*\]):(\d{1,5}))$")
# ``${NAME}`` or ``${NAME:-default}`` in a written port (group 1: the name, 2: the default);
# a config key read by its dotted path (``${http.port}``) is a name too
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][\w.\-]*)(?::-([^}]*))?\}")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
MAX_DEPTH = 3  # options inside options


def listen_ports(region: Node, ev: Evaluator) -> Iterator[tuple[Node, str]]:
    """(node, written port) for each port the listen call's arguments may give."""
    given = arguments(region)
    for argument in given:
        for node in _candidates(argument, ev, 0):
            values = ev.values(node)
            found = [w for v in values if (w := _written(v)) is not None and _port_like(w)]
            if not found and values and all(_has_hole(v) for v in values):
                found = [w for w in [_field_read(node, ev)] if w is not None]
            for written in dict.fromkeys(found):
                yield node, written


def served_options(region: Node, ev: Evaluator) -> list[Node]:
    """The options objects of a serving transport among the listen call's arguments
    (NestJS ``{transport: Transport.TCP, options: {host, port}}``): the server's own
    address, which the same shape names in a client, so a target inside is no call."""
    return _transport_options(region, ev, serving=True)


def broker_options(region: Node, ev: Evaluator) -> list[Node]:
    """The options objects of a broker transport among the listen call's arguments (NestJS
    ``{transport: Transport.RMQ, options: {urls: ["amqp://broker:5672"]}}``): a server that
    consumes from a broker listens on nothing; the addresses inside are its calls."""
    return _transport_options(region, ev, serving=False)


def _transport_options(region: Node, ev: Evaluator, *, serving: bool) -> list[Node]:
    if ev.syntax.entries is None:
        return []
    given = arguments(region)
    found: list[Node] = []
    for argument in given:
        entries = ev.syntax.entries(argument, ev.source)
        transport = entries.get(_TRANSPORT_KEY) if entries else None
        if transport is None:
            continue
        if bool(_SERVING_TRANSPORTS.search(ev.text(transport))) == serving:
            found.append(argument)
    return found


def _candidates(node: Node, ev: Evaluator, depth: int) -> list[Node]:
    """The nodes of an argument that may hold the port: the argument itself, a keyword
    argument named like a port, the port keys of an options object (and of its
    ``options``); nothing of a broker transport's options."""
    syntax = ev.syntax
    keyword = syntax.keyword_arg(node, ev.source) if syntax.keyword_arg else None
    if keyword is not None:
        name, value = keyword
        return [value] if _PORT_KEY.match(name) else []
    entries = syntax.entries(node, ev.source) if syntax.entries else None
    if entries is None:
        return [node]
    transport = entries.get(_TRANSPORT_KEY)
    if transport is not None and not _SERVING_TRANSPORTS.search(ev.text(transport)):
        return []
    found: list[Node] = []
    for name, value in entries.items():
        if _PORT_KEY.match(name):
            found.append(value)
        elif name == _OPTIONS_KEY and depth < MAX_DEPTH:
            found.extend(_candidates(value, ev, depth + 1))
    return found


def _written(value: Value) -> str | None:
    """The value with env reads as placeholders; None when a piece is unknown."""
    out: list[str] = []
    for part in value:
        if isinstance(part, Hole):
            return None
        if isinstance(part, Env):
            fallback = f":-{part.default}" if part.default is not None else ""
            out.append(f"${{{part.name}{fallback}}}")
        else:
            out.append(part)
    return "".join(out).strip()


def port_of(filled: str) -> int | None:
    """The port of a filled value (``8001``, ``:50051``, ``0.0.0.0:80``), else None."""
    found = PORT_SPEC.match(filled.strip())
    port = int(found.group(1) or found.group(2)) if found else 0
    return port if 0 < port < 65536 else None


def _port_like(written: str) -> bool:
    """A port once its placeholders are filled (a placeholder may be all of it)."""
    return bool(PORT_SPEC.match(PLACEHOLDER.sub("1", written)))


def _has_hole(value: Value) -> bool:
    return any(isinstance(part, Hole) for part in value)


def _field_read(node: Node, ev: Evaluator) -> str | None:
    """``cfg.Port`` that the file cannot evaluate: the variable named after the field."""
    fields = ev.syntax.members.get(node.type)
    prop = node.child_by_field_name(fields[1]) if fields else None
    if prop is None:
        return None
    name = ev.text(prop)
    if not re.fullmatch(r"[A-Za-z_]\w*", name) or not _PORT_KEY.match(name):
        return None
    return "${" + _CAMEL.sub("_", name).upper() + "}"
