"""Caddy (``Caddyfile``): ``reverse_proxy`` upstreams, on the line or as ``to`` in its block,
and ``php_fastcgi``; Caddy 1's ``proxy <from> <to>...``, with ``upstream`` in its block (a
directive Caddy 2 does not have, so the two never clash).

Caddy replaces ``{$VAR}`` and ``{$VAR:default}`` from its environment when it reads the
file. A request matcher (``/api/*``, ``@name``, ``*``) may come first; placeholders such as
``{http.request.host}`` are known only per request and are reported.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping, Sequence

from socklock.discover.addresses import DEFAULT_PORTS
from socklock.discover.proxies.interface import Found, Source, Unknown, Upstream, unset_reason

_DIRECTIVES = ("reverse_proxy", "php_fastcgi", "proxy")
# the keyword that adds an upstream inside each directive's block
_BLOCK_UPSTREAMS = {"reverse_proxy": "to", "php_fastcgi": "to", "proxy": "upstream"}
_ENV = re.compile(r"\{\$([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}")
_MARKER = re.compile(r"^\s*(?:reverse_proxy|php_fastcgi|proxy)\s", re.MULTILINE)


class CaddyReader:
    name = "caddy"

    def claims(self, name: str, text: str) -> bool:
        lowered = name.lower()
        return (lowered.startswith("caddyfile") or lowered.endswith(".caddy")) and bool(
            _MARKER.search(text)
        )

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            yield from _read_one(source, env)


def _read_one(source: Source, env: Mapping[str, str]) -> Iterator[Found]:
    block: tuple[str, int] | None = None  # (directive, line) whose ``{`` we are inside
    depth = 0
    for number, raw in enumerate(source.text.split("\n"), start=1):
        text = re.sub(r"(^|\s)#.*$", "", raw)
        try:
            words = shlex.split(text, posix=True)
        except ValueError:
            words = text.split()
        if not words:
            continue
        if block is not None:
            depth += text.count("{") - text.count("}")
            if depth <= 0:
                block = None
            elif words[0] == _BLOCK_UPSTREAMS[block[0]]:
                for word in words[1:]:
                    found = _upstream(source, block[0], word, number, words[0], env)
                    if found is not None:
                        yield found
            continue
        if words[0] in _DIRECTIVES:
            rest = [w for w in words[1:] if w != "{"]
            if words[0] == "proxy":
                rest = rest[1:]  # Caddy 1: the base path to match comes first, always
            elif rest and rest[0].startswith(("/", "@", "*")):
                rest = rest[1:]  # a request matcher
            for word in rest:
                if (found := _upstream(source, words[0], word, number, words[0], env)) is not None:
                    yield found
            if text.rstrip().endswith("{"):
                block, depth = (words[0], number), 1


def _upstream(
    source: Source, directive: str, word: str, number: int, keyword: str, env: Mapping[str, str]
) -> Found | None:
    where = source.where(number, keyword)
    unset = [m.group(1) for m in _ENV.finditer(word) if m.group(1) not in env and not m.group(2)]
    value = _ENV.sub(lambda m: env.get(m.group(1), m.group(2) or ""), word)
    expression = f"{directive} {word}"
    if unset:
        return Unknown(where, expression, unset_reason(unset))
    if "{" in value:
        return Unknown(where, expression, f"the address holds {value}, known only per request")
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest = "", value
    if rest.startswith("unix/"):
        return None  # a local socket
    if rest.startswith(":"):
        rest = "localhost" + rest  # ``:8080`` is this host
    hostport = rest.split("/", 1)[0]
    host, colon, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    number_port = int(port) if colon and port.isdigit() else None
    if number_port is None and directive in ("reverse_proxy", "proxy"):
        number_port = DEFAULT_PORTS.get(scheme or "http") or None
    if scheme in ("h2c", ""):
        scheme = "http" if scheme == "" else scheme
    via = f" ({word} → {value})" if value != word else ""
    return Upstream(host.lower(), number_port, scheme, where, f"Caddy {expression}{via}")
