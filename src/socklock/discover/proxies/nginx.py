"""nginx: ``proxy_pass``, ``grpc_pass``, ``fastcgi_pass``, ``uwsgi_pass``, ``scgi_pass``
and ``upstream`` blocks, read with crossplane (nginx's own grammar, comments dropped).

The files of one instance are read together: an ``upstream`` or a ``set $var`` in one file
serves a ``proxy_pass`` in another. A target is a call only when a pass directive uses it:
an ``upstream`` that nothing passes to is not one, nor is a ``return 301 https://...``
(the client is redirected; nginx does not connect). A variable stands for each literal value
its ``set`` lines (``if`` blocks included) and its ``map`` can give; one only known per
request (``$host``, ``$arg_x``, ``set_by_lua_block``) is reported, not guessed. The OpenTelemetry
module's ``otel_exporter { endpoint host:port; }`` is where nginx exports its traces (OTLP/gRPC).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socklock.discover.addresses import redact_credentials
from socklock.discover.once import per_run
from socklock.discover.proxies.envsubst import fill
from socklock.discover.proxies.interface import Found, Source, Unknown, Upstream, unset_reason
from socklock.model import EvidenceKind, Location

PASS_DIRECTIVES: dict[str, str | None] = {  # directive → scheme when none is written
    "proxy_pass": "http",
    "grpc_pass": "grpc",
    "fastcgi_pass": None,
    "uwsgi_pass": None,
    "scgi_pass": None,
    "memcached_pass": None,
}
# nginx's default ports (ngx_parse_url): grpc:// is plain HTTP/2 on 80.
_DEFAULT_PORTS = {"http": 80, "https": 443, "grpc": 80, "grpcs": 443, "uwsgi": None, "suwsgi": None}
_MARKERS = re.compile(
    r"(?:^|[;{}])[ \t]*(?:(?:" + "|".join(PASS_DIRECTIVES) + r")\s"
    r"|(?:upstream\s+\S+|http|server|location\s+[^{;]+)\s*\{)",
    re.MULTILINE,
)
# A Logstash pipeline's sections, which nginx has no directive for
_PIPELINE = re.compile(r"(?m)(?:^|\})\s*(?:input|filter|output)\s*\{")
# Where the address ends: a path, a query, or a variable that only ever holds one of them.
_PATH_START = re.compile(
    r"[/?]|\$\{?(?:request_uri|uri|document_uri|is_args|args|query_string)(?![\w])\}?"
)
_VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")
_OTEL_EXPORTER = "otel_exporter"  # a block of ngx_otel_module: ``endpoint`` is a call


@dataclass(frozen=True, slots=True)
class _Statement:
    directive: str
    args: tuple[str, ...]
    line: int
    source: Source
    udp: bool = False  # inside a ``stream`` server that listens on UDP


class NginxReader:
    name = "nginx"

    def claims(self, name: str, text: str) -> bool:
        if name.lower().endswith((".yaml", ".yml", ".json")):
            return False  # a manifest or values file that embeds nginx text is not nginx
        if _PIPELINE.search(text) and "=>" in text:
            return False  # a Logstash pipeline (``input { http { port => 8080 } }``)
        return bool(_MARKERS.search(text)) and "{" in text

    def includes(self, source: Source) -> list[str]:
        """The file patterns ``source`` includes, as written."""
        statements, _ = _statements(source)
        return [s.args[0] for s in statements if s.directive == "include" and s.args]

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        statements: list[_Statement] = []
        for source in sources:
            parsed, errors = _statements(_filled(source, env))
            statements.extend(parsed)
            for line, message in errors:
                where = source.where(line, "")
                yield Unknown(where, "nginx config", f"crossplane could not read it: {message}")
        if not statements:
            return
        filled: list[tuple[_Statement, tuple[str, ...], list[str]]] = []
        for statement in statements:
            args, unset = _fill_args(statement, env)
            filled.append((statement, args, unset))
        upstreams: dict[str, list[tuple[_Statement, str, str]]] = {}
        latest: dict[str, str] = {}  # the last literal value of each variable, for chaining
        choices: dict[str, dict[str, str]] = {}  # variable → {literal value: how it is set}
        setters: dict[str, str] = {}  # variables set per request: name → by what
        for statement, args, _ in filled:
            if statement.directive == "set" and len(args) == 2:
                value = _VARIABLE.sub(
                    lambda m: latest.get(m.group(1) or m.group(2), m.group(0)), args[1]
                )
                if "$" not in value:
                    where = statement.source.where(statement.line, "set")
                    name = args[0].lstrip("$")
                    latest[name] = value
                    choices.setdefault(name, {}).setdefault(value, f"set at {where}")
                    continue
            if (
                statement.directive.startswith("map-entry:")
                and len(args) == 2
                and args[0] != "include"
            ):
                where = statement.source.where(statement.line, args[0])
                name = statement.directive.split(":", 1)[1]
                choices.setdefault(name, {}).setdefault(args[1], f"by map at {where}")
            setter = _dynamic_setter(statement.directive, args)
            if setter is not None:
                where = statement.source.where(statement.line, statement.directive)
                setters[setter] = f"{statement.directive} at {where}"
            if statement.directive == "upstream" and args:
                # declared: its name is no host; nginx matches pool names in any case
                upstreams.setdefault(args[0].lower(), [])
            if statement.directive.startswith("upstream-server:") and args:
                name = statement.directive.split(":", 1)[1]
                if "down" not in args[1:]:
                    filled_by = _env_used(statement, env)
                    upstreams.setdefault(name.lower(), []).append((statement, args[0], filled_by))
        for statement, args, unset in filled:
            default_scheme = PASS_DIRECTIVES.get(statement.directive, "")
            exporter = statement.directive == _OTEL_EXPORTER
            if exporter and len(args) == 2 and args[0] == "endpoint":
                default_scheme, args = "grpc", args[1:]
            elif default_scheme == "" or not args:
                continue
            word = "endpoint" if exporter else statement.directive
            where = statement.source.where(statement.line, word)
            written = _written(statement)
            expression = f"{statement.directive} {written}{_env_used(statement, env)}"
            if unset:
                reason = f"{unset_reason(unset)} (envsubst leaves it unfilled)"
                yield Unknown(where, expression, reason)
                continue
            for found in _pass_targets(
                args[0],
                default_scheme,
                _Names(choices, setters, upstreams),
                where,
                expression,
            ):
                if statement.udp and isinstance(found, Upstream):
                    found = dataclasses.replace(found, protocol="UDP")
                if exporter and isinstance(found, Upstream):
                    found = dataclasses.replace(found, evidence=EvidenceKind.CONFIG)
                yield found


@dataclass(frozen=True, slots=True)
class _Names:
    """What the instance's files define: the values ``set`` and ``map`` can give each
    variable, the variables set per request, the ``upstream`` pools."""

    choices: Mapping[str, Mapping[str, str]]  # variable → {value: how it is set}
    setters: Mapping[str, str]
    upstreams: Mapping[str, list[tuple[_Statement, str, str]]]  # (line, address, env used)


def _pass_targets(
    arg: str,
    default_scheme: str | None,
    names: _Names,
    where: Location,
    expression: str,
    used: tuple[tuple[str, str], ...] = (),
) -> Iterator[Found]:
    """The targets of a pass directive's address. A variable in it stands for each value a
    ``set`` or a ``map`` can give it (``set $p http://ui;`` and, under an ``if``, ``set $p
    http://api;``: both are targets); one set from request data is reported, not guessed."""
    detail = expression
    if used:
        detail += " (" + "; ".join(f"${name}={how}" for name, how in used) + ")"
    scheme, sep, rest = arg.partition("://")
    if not sep:
        scheme, rest = default_scheme or "", arg
    hostport = _PATH_START.split(rest, maxsplit=1)[0]
    if hostport.startswith("unix:") or not hostport:
        return  # a local socket: not a network call
    address_end = len(arg) - len(rest) + len(hostport)
    seen = {name for name, _ in used}
    unknown: list[str] = []
    for match in _VARIABLE.finditer(arg[:address_end]):
        name = match.group(1) or match.group(2)
        values = {} if name in seen else names.choices.get(name, {})
        if not values:
            if match.start() >= len(arg) - len(rest) and name not in unknown:
                unknown.append(name)  # ``$scheme://api``: the scheme names no host
            continue
        for value, how in values.items():
            yield from _pass_targets(
                arg[: match.start()] + value + arg[match.end() :],
                default_scheme,
                names,
                where,
                expression,
                (*used, (name, f"{value} {how}")),
            )
        if name in names.setters:
            unknown = [name]
            break
        return
    if unknown:
        chosen = _named_upstreams(hostport, names)
        if chosen:  # ``http://meows_$request_method``: the pools its name pattern picks
            for pool in chosen:
                yield from _pass_targets(
                    arg.replace(hostport, pool, 1),
                    default_scheme,
                    names,
                    where,
                    expression,
                    (*used, (unknown[0], f"per request, naming upstream {pool}")),
                )
            return
        setters = names.setters
        held = ", ".join(
            f"${n}" + (f" ({setters[n]})" if n in setters else "") for n in sorted(unknown)
        )
        yield Unknown(where, detail, f"the address holds {held}, known only per request")
        return
    host, port = _split(hostport)
    if port is None and host in names.upstreams and not names.upstreams[host]:
        reason = f"upstream {host} has no server line that can be read (an unfilled template?)"
        yield Unknown(where, detail, reason)
        return
    if port is None and host in names.upstreams:
        for server, address, filled_by in names.upstreams[host]:
            server_host, server_port = _split(address)
            if address.startswith("unix:"):
                continue
            yield Upstream(
                server_host,
                server_port or 80,
                scheme or None,
                server.source.where(server.line, "server"),
                f"{detail} → upstream {host}: server {address}{filled_by} (pass at {where})",
            )
        return
    if port is None:
        port = _DEFAULT_PORTS.get(scheme)
    yield Upstream(host, port, scheme or None, where, detail)


def _named_upstreams(hostport: str, names: _Names) -> list[str]:
    """The ``upstream`` pools whose names fit a host built from a literal and per-request
    variables (``meows_$request_method``: ``meows_GET``, ``meows_POST``): nginx passes to
    the pool of the name it builds. A host that is only variables, or has a port, fits none
    (it may be any DNS name)."""
    pieces = _VARIABLE.split(hostport)
    literal = "".join(pieces[::3])
    if not literal or ":" in literal:
        return []
    pattern = re.compile(r"[^:/]+".join(re.escape(piece.lower()) for piece in pieces[::3]))
    return sorted(name for name in names.upstreams if pattern.fullmatch(name))


def _listens_udp(block: list[dict[str, Any]]) -> bool:
    """``listen 53 udp;`` in a (stream) server: what it passes on is UDP."""
    return any(
        item.get("directive") == "listen" and "udp" in (item.get("args") or ())
        for item in block
        if isinstance(item, dict)
    )


def _dynamic_setter(directive: str, args: tuple[str, ...]) -> str | None:
    """The variable a directive sets to a value known only per request:
    ``set_by_lua_block $b {...}`` (Lua is read by the Lua analyser), ``set $b $a``."""
    if directive.startswith("set_by_") and args:
        return args[0].lstrip("$")
    if directive == "set" and len(args) == 2 and "$" in args[1]:
        return args[0].lstrip("$")
    return None


def _split(hostport: str) -> tuple[str, int | None]:
    if hostport.startswith("["):
        host, _, rest = hostport[1:].partition("]")
        port = rest[1:]
    else:
        host, sep, port = hostport.rpartition(":")
        if not sep:
            return hostport.lower(), None
    return host.lower(), int(port) if port.isdigit() and 0 < int(port) < 65536 else None


def _fill_args(statement: _Statement, env: Mapping[str, str]) -> tuple[tuple[str, ...], list[str]]:
    if not statement.source.template:
        return statement.args, []
    args: list[str] = []
    unset: list[str] = []
    for arg in statement.args:
        value, missing = fill(arg, env)
        args.append(value)
        unset.extend(m for m in missing if m not in unset)
    return tuple(args), unset


def _filled(source: Source, env: Mapping[str, str]) -> Source:
    """A template as envsubst renders it, before nginx parses it: a variable may hold
    whole directives (``upstream api { ${SERVERS} }``, ``SERVERS="server api:80;"``), not
    only an argument. Values are kept to one line so line numbers stay the file's."""
    if not source.template:
        return source
    one_line = {k: v for k, v in env.items() if "\n" not in v}
    text, _ = fill(source.text, one_line)
    return (
        source
        if text == source.text
        else dataclasses.replace(source, text=text, original=source.text)
    )


def _written(statement: _Statement) -> str:
    """The directive's arguments as the file writes them (a template's before filling)."""
    filled = " ".join(statement.args)
    if not statement.source.original:
        return filled
    lines = statement.source.original.split("\n")
    line = lines[statement.line - 1] if 0 < statement.line <= len(lines) else ""
    match = re.search(rf"(?<![\w$]){re.escape(statement.directive)}\s+([^;]*)", line)
    return " ".join(match.group(1).split()) if match else filled


def _env_used(statement: _Statement, env: Mapping[str, str]) -> str:
    """`` (envsubst: API_HOST=api, API_PORT=80)`` for a template's filled directive."""
    if not statement.source.template:
        return ""
    lines = (statement.source.original or statement.source.text).split("\n")
    line = lines[statement.line - 1] if 0 < statement.line <= len(lines) else ""
    names = dict.fromkeys(m.group(1) or m.group(2) for m in _VARIABLE.finditer(line))
    used = [f"{n}={redact_credentials(env[n])}" for n in names if n in env]
    return f" (envsubst: {', '.join(used)})" if used else ""


def _statements(source: Source) -> tuple[list[_Statement], list[tuple[int, str]]]:
    """Every directive of ``source``, flattened; ``server`` lines of an ``upstream`` block
    are named ``upstream-server:<name>`` so they are not mistaken for virtual servers."""
    flat, errors = _flattened(source.text)
    return [_Statement(d, args, line, source, udp) for d, args, line, udp in flat], errors


@per_run  # many workloads mount copies of one config: the same text, flattened once
def _flattened(
    text: str,
) -> tuple[tuple[tuple[str, tuple[str, ...], int, bool], ...], list[tuple[int, str]]]:
    """(directive, args, line, inside a UDP server) of every directive of ``text``."""
    parsed, errors = _parse_text(text)
    out: list[tuple[str, tuple[str, ...], int, bool]] = []

    def walk(block: list[dict[str, Any]], parent: str | None, udp: bool) -> None:
        for item in block:
            directive = str(item.get("directive", ""))
            args = tuple(str(a) for a in item.get("args") or ())
            line = int(item.get("line") or 0)
            if parent is not None and parent.startswith("upstream-server:"):
                if directive == "server":
                    directive = parent
            elif parent is not None:  # a line of a ``map`` block: ``key value;``
                directive, args = parent, (directive, *args)
            out.append((directive, args, line, udp))
            inner = item.get("block")
            if isinstance(inner, list):
                if directive == "upstream" and args:
                    walk(inner, f"upstream-server:{args[0]}", udp)
                elif directive == "map" and len(args) >= 2:
                    walk(inner, f"map-entry:{args[1].lstrip('$')}", udp)
                elif directive == _OTEL_EXPORTER:
                    walk(inner, _OTEL_EXPORTER, udp)  # ``endpoint x;`` → (endpoint, x)
                elif directive == "server" and _listens_udp(inner):
                    walk(inner, None, True)
                else:
                    walk(inner, None, udp)

    walk(parsed, None, False)
    return tuple(out), errors


_LUA_REGISTERED: list[bool] = []


@functools.lru_cache(maxsize=64)
def _parse_text(text: str) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """crossplane reads files: the text goes through a temporary one (a ConfigMap value or
    a filled template has no file of its own). Cached: ``includes`` and ``read`` share it."""
    import crossplane

    if not _LUA_REGISTERED:  # OpenResty ``*_by_lua_block { ... }``: Lua text, not directives
        from crossplane.ext.lua import LuaBlockPlugin

        LuaBlockPlugin().register_extension()
        _LUA_REGISTERED.append(True)

    options: dict[str, Any] = {
        "single": True,
        "comments": False,
        "catch_errors": True,
        "check_ctx": False,
        "check_args": False,
    }
    with tempfile.TemporaryDirectory(prefix="socklock-nginx-") as directory:
        path = Path(directory) / "nginx.conf"
        path.write_text(text, encoding="utf-8")
        try:
            payload = crossplane.parse(str(path), **options)
        except Exception as exc:  # a malformed file must not stop discovery
            return [], [(0, str(exc))]
    errors = [
        (int(e.get("line") or 0), str(e.get("error", "")).split(f" in {path}")[0])
        for e in payload.get("errors") or ()
    ]
    configs = payload.get("config") or []
    return (list(configs[0].get("parsed") or []) if configs else []), errors
