"""Wait-for commands: a container that waits for a port before it starts opens TCP to it.

``wait-for-it backend:4000 -- npm start``, ``wait-for db:5432``, ``dockerize -wait
tcp://db:5432``, ``until nc -z db 5432; do sleep 1; done``, ``./wait-for-it.sh -h db -p
5432``: each connects to the address it names (again and again, until it answers), from the
container that runs it. A compose ``command``/``entrypoint`` or a Kubernetes container's
``command``/``args`` (initContainers too) is read as a shell would split it, ``sh -c``
scripts included; variables are expanded as :func:`socklock.discover.commands.expand` does.
Only these tools count, and only the addresses they are given: a bare ``nc db 5432``
(no ``-z``) may be anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from socklock.discover.commands import expand, simple_commands

# words before the program in a simple command: shell keywords, ``exec``, assignments
_LEADING = frozenset({"until", "while", "if", "!", "do", "then", "else", "elif", "exec", "time"})
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
_WAIT_FOR_IT = re.compile(r"^wait-for-it(?:\.sh)?$")
_WAIT_FOR = re.compile(r"^wait-for(?:\.sh)?$")
_NETCAT = frozenset({"nc", "netcat", "ncat"})
# nc options that take a value (OpenBSD, GNU, busybox and nmap's ncat)
_NC_VALUED = frozenset("iIOpqsTVwWxXM")
_DOCKERIZE_SCHEMES = ("tcp://", "tcp4://", "tcp6://", "http://", "https://")


@dataclass(frozen=True, slots=True)
class Wait:
    """One address a wait-for tool connects to."""

    tool: str  # the program as written (``wait-for-it``, ``nc``)
    written: str  # the address as written, before expansion
    value: str  # ``host:port`` or a URL, expanded
    used: tuple[str, ...]  # the variables expanded in it


def waits(command: str | list[str], env: Mapping[str, str]) -> list[Wait]:
    """Every address a wait-for tool in ``command`` (a string or an exec-form list) is
    given, with the variables ``env`` sets expanded; an address with an unknown variable
    that has no default is left out."""
    out: list[Wait] = []
    for words in simple_commands(command if isinstance(command, list) else [command]):
        for tool, host, port in _addresses(words):
            found = _expanded(host, port, env.get)
            if found is not None:
                written = host if port is None else f"{host}:{port}"
                out.append(Wait(tool, written, found[0], found[1]))
    return out


def _expanded(
    host: str, port: str | None, lookup: Callable[[str], str | None]
) -> tuple[str, tuple[str, ...]] | None:
    parts = [host] if port is None else [host, port]
    values: list[str] = []
    used: list[str] = []
    for part in parts:
        found = expand(part, lookup)
        if found is None or not found[0]:
            return None
        values.append(found[0])
        used += found[1]
    if port is not None and not values[1].isdigit():
        return None
    return ":".join(values), tuple(used)


def _program(words: list[str]) -> list[str]:
    """The words from the program on: shell keywords, ``exec``, ``VAR=x`` and a shell
    running a script file (``sh ./wait-for-it.sh ...``) left out."""
    start = 0
    while start < len(words) and (words[start] in _LEADING or _ASSIGNMENT.match(words[start])):
        start += 1
    rest = words[start:]
    if len(rest) > 1 and rest[0].rsplit("/", 1)[-1] in _SHELLS and not rest[1].startswith("-"):
        rest = rest[1:]
    return rest


def _addresses(words: list[str]) -> Iterator[tuple[str, str, str | None]]:
    """(tool, host or address, port or None) for each address the command waits for."""
    rest = _program(words)
    if not rest:
        return
    name = rest[0].rsplit("/", 1)[-1]
    args = rest[1:]
    if "--" in args:  # what follows runs once the wait is over
        args = args[: args.index("--")]
    if _WAIT_FOR_IT.match(name):
        yield from ((name, h, p) for h, p in _wait_for_it(args))
    elif _WAIT_FOR.match(name):
        yield from ((name, a, None) for a in _wait_for(args))
    elif name == "dockerize":
        yield from ((name, a, None) for a in _dockerize(args))
    elif name in _NETCAT:
        yield from ((name, h, p) for h, p in _netcat(args))


def _wait_for_it(args: list[str]) -> Iterator[tuple[str, str | None]]:
    """``host:port`` (positional or ``-h HOST -p PORT``, ``--host=`` ``--port=``)."""
    host: str | None = None
    port: str | None = None
    positional: list[str] = []
    index = 0
    while index < len(args):
        word = args[index]
        value = args[index + 1] if index + 1 < len(args) else None
        if word in ("-h", "-p", "-t") and value is not None:
            if word == "-h":
                host = value
            elif word == "-p":
                port = value
            index += 2
            continue
        if word.startswith("--host="):
            host = word.removeprefix("--host=")
        elif word.startswith("--port="):
            port = word.removeprefix("--port=")
        elif not word.startswith("-"):
            positional.append(word)
        index += 1
    if host is not None and port is not None:
        yield host, port
    elif positional and ":" in positional[0]:
        yield positional[0], None


def _wait_for(args: list[str]) -> Iterator[str]:
    """The one address of ``wait-for [-t 30] host:port`` (or a URL): its first operand."""
    index = 0
    while index < len(args):
        word = args[index]
        if word in ("-t", "--timeout"):
            index += 2
            continue
        if not word.startswith("-"):
            if ":" in word:
                yield word
            return
        index += 1


def _dockerize(args: list[str]) -> Iterator[str]:
    """Each ``-wait`` value (``-wait tcp://db:5432``, ``--wait=http://api/health``)."""
    for index, word in enumerate(args):
        flag, equals, value = word.partition("=")
        if flag not in ("-wait", "--wait"):
            continue
        if not equals:
            value = args[index + 1] if index + 1 < len(args) else ""
        if value.startswith(_DOCKERIZE_SCHEMES):
            yield value


def _netcat(args: list[str]) -> Iterator[tuple[str, str]]:
    """``host port`` of a ``-z`` (connect, send nothing) scan; a single port only."""
    scan = False
    positional: list[str] = []
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if not word.startswith("-") or word == "-":
            positional.append(word)
            continue
        for at, flag in enumerate(word[1:]):
            if flag == "z":
                scan = True
            if flag in _NC_VALUED:
                if at == len(word) - 2:
                    index += 1  # the value is the next word
                break  # or the rest of this one
    if scan and len(positional) == 2:
        yield positional[0], positional[1]
