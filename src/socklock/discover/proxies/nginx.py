"""nginx: ``proxy_pass``, ``grpc_pass``, ``fastcgi_pass``, ``uwsgi_pass``, ``scgi_pass``
and ``upstream`` blocks, read with crossplane (nginx's own grammar, comments dropped).

The files of one instance are read together: an ``upstream`` or a ``set $var`` in one file
serves a ``proxy_pass`` in another. A target is a call only when a pass directive uses it:
an ``upstream`` that nothing passes to is not one, nor is a ``return 301 https://...``
(the client is redirected; nginx does not connect). A target built from a variable that is
only known per request (``$host``, ``$arg_x``, one set by ``map``) is reported, not guessed.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socklock.discover.proxies.envsubst import fill
from socklock.discover.proxies.interface import Found, Source, Unknown, Upstream

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
    r"(?:^|[;{}])[ \t]*(?:(?:" + "|".join(PASS_DIRECTIVES) + r")\s|upstream\s+\S+\s*\{)",
    re.MULTILINE,
)
_VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


@dataclass(frozen=True, slots=True)
class _Statement:
    directive: str
    args: tuple[str, ...]
    line: int
    source: Source


class NginxReader:
    name = "nginx"

    def claims(self, name: str, text: str) -> bool:
        return bool(_MARKERS.search(text)) and "{" in text

    def includes(self, source: Source) -> list[str]:
        """The file patterns ``source`` includes, as written."""
        statements, _ = _statements(source)
        return [s.args[0] for s in statements if s.directive == "include" and s.args]

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        statements: list[_Statement] = []
        for source in sources:
            parsed, errors = _statements(source)
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
        upstreams: dict[str, list[tuple[_Statement, str]]] = {}
        variables: dict[str, tuple[str, str]] = {}  # name → (value, where it is set)
        for statement, args, _ in filled:
            if statement.directive == "set" and len(args) == 2 and "$" not in args[1]:
                where = statement.source.where(statement.line, "set")
                variables[args[0].lstrip("$")] = (args[1], str(where))
            if statement.directive.startswith("upstream-server:") and args:
                name = statement.directive.split(":", 1)[1]
                if "down" not in args[1:]:
                    upstreams.setdefault(name, []).append((statement, args[0]))
        for statement, args, unset in filled:
            default_scheme = PASS_DIRECTIVES.get(statement.directive, "")
            if default_scheme == "" or not args:
                continue
            where = statement.source.where(statement.line, statement.directive)
            written = " ".join(statement.args)
            expression = f"{statement.directive} {written}"
            if unset:
                yield Unknown(
                    where,
                    expression,
                    f"env {', '.join(unset)} is not set for the workload by any manifest "
                    "or its image's ENV (envsubst leaves it unfilled)",
                )
                continue
            yield from _pass_targets(
                args[0], default_scheme, variables, upstreams, where, expression
            )


def _pass_targets(
    arg: str,
    default_scheme: str | None,
    variables: Mapping[str, tuple[str, str]],
    upstreams: Mapping[str, list[tuple[_Statement, str]]],
    where: Any,
    expression: str,
) -> Iterator[Found]:
    used: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name not in variables:
            return match.group(0)
        value, set_at = variables[name]
        used.append(f"${name}={value} set at {set_at}")
        return value

    value = _VARIABLE.sub(substitute, arg)
    detail = f"{expression} ({'; '.join(used)})" if used else expression
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest = default_scheme or "", value
    hostport = re.split(r"[/?]", rest, maxsplit=1)[0]
    if hostport.startswith("unix:") or not hostport:
        return  # a local socket: not a network call
    if "$" in hostport:
        unknown = ", ".join(sorted({m.group(0) for m in _VARIABLE.finditer(hostport)}))
        yield Unknown(where, detail, f"the address holds {unknown}, known only per request")
        return
    host, port = _split(hostport)
    if port is None and host in upstreams:
        for server, address in upstreams[host]:
            server_host, server_port = _split(address)
            if address.startswith("unix:"):
                continue
            yield Upstream(
                server_host,
                server_port or 80,
                scheme or None,
                server.source.where(server.line, "server"),
                f"{detail} → upstream {host}: server {address} (pass at {where})",
            )
        return
    if port is None:
        port = _DEFAULT_PORTS.get(scheme)
    yield Upstream(host, port, scheme or None, where, detail)


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


def _statements(source: Source) -> tuple[list[_Statement], list[tuple[int, str]]]:
    """Every directive of ``source``, flattened; ``server`` lines of an ``upstream`` block
    are named ``upstream-server:<name>`` so they are not mistaken for virtual servers."""
    parsed, errors = _parse(source)
    out: list[_Statement] = []

    def walk(block: list[dict[str, Any]], upstream: str | None) -> None:
        for item in block:
            directive = str(item.get("directive", ""))
            args = tuple(str(a) for a in item.get("args") or ())
            line = int(item.get("line") or 0)
            if upstream is not None and directive == "server":
                directive = f"upstream-server:{upstream}"
            out.append(_Statement(directive, args, line, source))
            inner = item.get("block")
            if isinstance(inner, list):
                walk(inner, args[0] if directive == "upstream" and args else None)

    walk(parsed, None)
    return out, errors


def _parse(source: Source) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    import crossplane

    options: dict[str, Any] = {
        "single": True,
        "comments": False,
        "catch_errors": True,
        "check_ctx": False,
        "check_args": False,
    }
    with tempfile.TemporaryDirectory(prefix="socklock-nginx-") as directory:
        path = Path(directory) / "nginx.conf"
        path.write_text(source.text, encoding="utf-8")
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
