"""Addresses on command lines: Kubernetes ``command``/``args`` and Dockerfile CMD/ENTRYPOINT.

``locust --host="http://${FRONTEND_ADDR}"`` or ``wget http://$(API_HOST)/ready`` name a
callee through an env var the manifests set. Variables are expanded as Kubernetes
(``$(VAR)``) and a shell (``${VAR}``, ``$VAR``, ``${VAR:-default}``) would. Only words that
carry a URL scheme, a ``--flag=host:port`` value, or the ``host:port`` after an address
flag (``-consul consul:8500``) count: a bare word in a script is too weak a sign of a call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from socklock.discover.addresses import is_socat_address

# the one shell lexer and expander, in load so that loaders share it
from socklock.load.shell_lines import PRINTERS as _PRINTERS
from socklock.load.shell_lines import expand, may_spell, simple_commands, words

__all__ = [
    "command_values",
    "expand",
    "may_spell",
    "service_words",
    "simple_commands",
    "without_heredocs",
    "words",
]

_FLAG_VALUE = re.compile(r"^--?[A-Za-z0-9][A-Za-z0-9_.-]*=(?P<value>.+)$")


def service_words(body: Mapping[str, object]) -> list[str]:
    """The shell words of a compose service's ``entrypoint`` then ``command``, as written."""
    return [
        word
        for key in ("entrypoint", "command")
        if isinstance(value := body.get(key), (str, list))
        for word in words(value)
    ]


def command_values(
    command: str | list[str], env: Mapping[str, str]
) -> Iterator[tuple[str, str, list[str]]]:
    """(word as written, expanded value, env vars used) for each word that, once expanded,
    is a URL or the ``host:port`` value of a ``--flag=``; what ``echo``/``printf`` print is
    a message, not an address handed to a program."""
    parts = command if isinstance(command, list) else [command]
    for simple in simple_commands([without_heredocs(str(part)) for part in parts]):
        if simple[0].rsplit("/", 1)[-1] not in _PRINTERS:
            servers = _client_servers(simple, env)
            hosts = {host for host, _, _, _ in servers}
            for found in _handed(simple, env):
                if found[0] not in hosts:  # ``--host=db:27017``: the client's, said below
                    yield found
            for _, written, url, used in servers:
                yield written, url, used


def _client_servers(
    simple: list[str], env: Mapping[str, str]
) -> list[tuple[str, str, str, list[str]]]:
    """(host flag's value, the client and host as written, URL, env vars used) of the
    server a database client on the command line connects to (``mongoimport --host
    db``): :mod:`.db_clients`."""
    from socklock.discover.db_clients import client_addresses, client_url

    found: list[tuple[str, str, str, list[str]]] = []
    for client in client_addresses(simple):
        host = expand(client.host, env.get)
        port = expand(client.port, env.get) if client.port is not None else None
        if host is None or (client.port is not None and port is None):
            continue
        url = client_url(client.scheme, host[0], port[0] if port is not None else None)
        if url is not None:
            used = host[1] + (port[1] if port is not None else [])
            found.append((client.host, f"{client.tool} {client.host}", url, used))
    return found


_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")


def without_heredocs(script: str) -> str:
    """``script`` without its here-documents' bodies: text written to a file or fed to a
    program's input (``cat <<'EOF' > dynamic.yml``), not words of a command line."""
    kept: list[str] = []
    ending: list[str] = []
    for line in script.split("\n"):
        if ending:
            if line.strip() == ending[0]:
                ending.pop(0)
            continue
        kept.append(line)
        ending.extend(match[2] for match in _HEREDOC.finditer(line))
    return "\n".join(kept)


def _handed(simple: list[str], env: Mapping[str, str]) -> Iterator[tuple[str, str, list[str]]]:
    for index, word in enumerate(simple):
        flag = _FLAG_VALUE.match(word)
        # ``-consul consul:8500``: an address flag's value as the next word
        spaced = index > 0 and bool(_ADDRESS_FLAG.match(simple[index - 1]))
        written = flag["value"] if flag else word
        expanded = expand(written, env.get)
        if expanded is None or not expanded[0]:
            continue
        value = expanded[0]
        if (
            "://" in value
            or (flag and ":" in value)
            or (spaced and _HOST_PORT.match(value))
            or is_socat_address(value)
        ):
            yield written, value, expanded[1]


# a flag that is only a server's address (``-consul``; not a compound one such as a Dapr
# sidecar's ``-placement-host-address``, whose server is no call of the app), and its value
_ADDRESS_FLAG = re.compile(
    r"^--?(?:consul|addr|address|server|servers|endpoint|broker|brokers"
    r"|bootstrap-server|bootstrap-servers|zookeeper|upstream|backend)$",
    re.IGNORECASE,
)
_HOST_PORT = re.compile(r"^(?=[^:]*[A-Za-z])[A-Za-z0-9_.-]+:[0-9]{1,5}$")
