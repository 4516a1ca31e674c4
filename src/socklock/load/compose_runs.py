"""Containers a script beside a compose file starts with ``docker run`` on its network.

A repository often starts its infrastructure with ``docker compose up`` and its own
services with a script of ``docker run --name orders --network shop_default -e
DB_HOST=db shop/orders`` lines: those containers are part of the compose project (they
reach its services by name, and each other by ``--name``). Each such line of a shell
script in the compose file's directory becomes a service of the project, as if written
in the compose file: ``--name`` its name, the image, ``-e``/``--env`` values, ``-p``
published ports, the command after the image.

A line counts only when its ``--network`` (``--net``) is the project's: ``<project>_default``
or ``<project>_<network>`` of a network the file declares (or a declared network's
``name:``); the project part may be the directory's name as the author's clone spelled it,
so it only has to end the project name socklock computes. A line without ``--name``, a
name the project already has, or a name, image or network that needs a variable the
script does not assign a literal value (outside any ``if``/loop) is left out; so is an
``-e NAME`` that takes its value from the shell. The first script (in name order) to
start a name wins.
"""

# ruff: noqa: PTH113, PTH114, PTH118, PTH119, PTH123, PTH208
# (string paths, as the compose loader gives them)

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

from socklock.load.shell_lines import is_shell_script, logical_lines
from socklock.model import YMap, YSeq

MAX_SCRIPT_BYTES = 256 * 1024
_SEPARATORS = frozenset({";", "&&", "||", "|", "&", ";;", "|&"})
_OPEN = frozenset({"if", "case", "for", "while", "until", "select", "{"})
_CLOSE = frozenset({"fi", "esac", "done", "}"})
_ASSIGNMENT = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>[^$`]*)$")
_VARIABLE = re.compile(
    r"\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?P<default>[^}$]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)
# ``docker run`` flags that take the next word as their value (the others are switches)
_VALUED = frozenset(
    {
        "--add-host",
        "--annotation",
        "--attach",
        "-a",
        "--blkio-weight",
        "--cap-add",
        "--cap-drop",
        "--cgroup-parent",
        "--cgroupns",
        "--cidfile",
        "--cpu-period",
        "--cpu-quota",
        "--cpu-shares",
        "-c",
        "--cpus",
        "--cpuset-cpus",
        "--cpuset-mems",
        "--device",
        "--dns",
        "--dns-option",
        "--dns-search",
        "--domainname",
        "--entrypoint",
        "--env-file",
        "--expose",
        "--gpus",
        "--group-add",
        "--health-cmd",
        "--health-interval",
        "--health-retries",
        "--health-start-period",
        "--health-timeout",
        "--hostname",
        "-h",
        "--ip",
        "--ip6",
        "--ipc",
        "--isolation",
        "--label",
        "-l",
        "--label-file",
        "--link",
        "--log-driver",
        "--log-opt",
        "--mac-address",
        "--memory",
        "-m",
        "--memory-reservation",
        "--memory-swap",
        "--mount",
        "--network-alias",
        "--pid",
        "--platform",
        "--pull",
        "--restart",
        "--runtime",
        "--security-opt",
        "--shm-size",
        "--stop-signal",
        "--stop-timeout",
        "--storage-opt",
        "--sysctl",
        "--tmpfs",
        "--ulimit",
        "--user",
        "-u",
        "--userns",
        "--uts",
        "--volume",
        "-v",
        "--volumes-from",
        "--workdir",
        "-w",
    }
)


@dataclass(frozen=True, slots=True)
class RunLine:
    """One ``docker run`` line: what a compose service needs of it."""

    file: str
    line: int
    name: str
    image: str
    network: str
    env: tuple[str, ...]  # ``NAME=value``
    ports: tuple[str, ...]  # as ``-p`` wrote them
    command: tuple[str, ...]


def add_run_services(
    services: YMap, networks: dict[str, str], project: str, directory: str
) -> dict[str, str]:
    """Add to ``services`` the containers the scripts in ``directory`` run on the project's
    networks (``networks``: compose key → the network's Docker name, or "" when it has
    none of its own); returns each added service's script file."""
    added: dict[str, str] = {}
    for run in _runs(directory):
        joined = _joined(run.network, networks, project)
        if joined is None or run.name in services or run.name in added:
            continue
        services[run.name] = _service(run, joined)
        position = (run.line, 1)
        keys = services.key_positions
        keys[run.name] = position
        added[run.name] = run.file
    return added


def _joined(network: str, networks: dict[str, str], project: str) -> str | None:
    """The compose network key that ``--network`` names, None when it is not the project's."""
    for key, own in {"default": "", **networks}.items():
        if own and network == own:
            return key
        prefix, _, rest = network.rpartition("_")
        if rest == key and prefix and project.endswith(prefix) and not own:
            return key
    return None


def _service(run: RunLine, network: str) -> YMap:
    position = (run.line, 1)
    body = YMap(image=run.image, container_name=run.name)
    if run.env:
        body["environment"] = _seq(run.env, position)
    if run.ports:
        body["ports"] = _seq(run.ports, position)
    if run.command:
        body["command"] = _seq(run.command, position)
    if network != "default":
        body["networks"] = _seq((network,), position)
    body.position = position
    body.key_positions = dict.fromkeys(body, position)
    return body


def _seq(items: tuple[str, ...], position: tuple[int, int]) -> YSeq:
    seq = YSeq(items)
    seq.position = position
    seq.item_positions = [position] * len(items)
    return seq


def _runs(directory: str) -> Iterator[RunLine]:
    try:
        names = sorted(os.listdir(directory or "."))
    except OSError:
        return
    for name in names:
        path = os.path.join(directory, name)
        if os.path.isfile(path) and not os.path.islink(path) and is_shell_script(path):
            yield from _script_runs(path)


def _script_runs(path: str) -> Iterator[RunLine]:
    try:
        with open(path, "rb") as handle:
            text = handle.read(MAX_SCRIPT_BYTES).decode("utf-8", "replace")
    except OSError:
        return
    if "run" not in text:
        return
    assigned: dict[str, str] = {}
    depth = 0
    for number, line in logical_lines(text):
        for command in _simple_commands(line):
            head = command[0]
            if head in _OPEN or head.endswith("()"):
                depth += 1
            if head in _CLOSE:
                depth = max(0, depth - 1)
            words = command[1:] if head in ("export", "readonly") else command
            if len(words) == 1 and (found := _ASSIGNMENT.match(words[0])) is not None:
                if depth == 0:
                    assigned[found["name"]] = found["value"]
                else:
                    assigned.pop(found["name"], None)  # no one value
                continue
            run = _run(command, assigned, path, number)
            if run is not None:
                yield run


def _run(command: list[str], assigned: dict[str, str], path: str, line: int) -> RunLine | None:
    """The ``docker``/``podman`` ``run`` (``container run``) line, None for anything else."""
    if os.path.basename(command[0]) not in ("docker", "podman"):
        return None
    rest = command[1:]
    if rest[:2] == ["container", "run"]:
        rest = rest[2:]
    elif rest[:1] == ["run"]:
        rest = rest[1:]
    else:
        return None
    options: dict[str, list[str]] = {}
    index = 0
    while index < len(rest) and rest[index].startswith("-"):
        word = rest[index]
        flag, equals, value = word.partition("=")
        if equals and flag.startswith("--"):
            options.setdefault(flag, []).append(value)
        elif flag in _VALUED or flag in ("--name", "-e", "--env", "-p", "--publish"):
            if index + 1 >= len(rest):
                return None
            options.setdefault(flag, []).append(rest[index + 1])
            index += 1
        elif flag in ("--network", "--net"):
            if index + 1 >= len(rest):
                return None
            options.setdefault("--network", []).append(rest[index + 1])
            index += 1
        index += 1
    if index >= len(rest):
        return None
    networks = options.get("--network", []) + options.get("--net", [])
    names = options.get("--name", [])
    if len(networks) != 1 or len(names) != 1:
        return None
    fixed = [_expanded(w, assigned) for w in (names[0], rest[index], networks[0])]
    if any(w is None for w in fixed):
        return None
    name, image, network = (str(w) for w in fixed)
    env = [
        got
        for written in options.get("-e", []) + options.get("--env", [])
        if "=" in written and (got := _expanded(written, assigned)) is not None
    ]
    ports = [
        got
        for written in options.get("-p", []) + options.get("--publish", [])
        if (got := _expanded(written, assigned)) is not None
    ]
    command_words = [_expanded(w, assigned) for w in rest[index + 1 :]]
    kept = [] if any(w is None for w in command_words) else [str(w) for w in command_words]
    return RunLine(path, line, name, image, network, tuple(env), tuple(ports), tuple(kept))


def _expanded(word: str, assigned: dict[str, str]) -> str | None:
    """``word`` with the script's variables filled in; None when one has no known value."""
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match["braced"] or match["bare"]
        value: str | None = assigned.get(name)
        if value is None:
            value = match.group("default")  # None when not matched
        if value is None:
            missing.append(name)
            return ""
        return value

    out = _VARIABLE.sub(replace, word)
    return None if missing or "$" in out or "`" in out else out


def _simple_commands(line: str) -> Iterator[list[str]]:
    """The simple commands of a line, split at ``;``, ``&&``, ``|``...; none when the line
    does not lex (unbalanced quotes)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:
        return
    current: list[str] = []
    for token in tokens:
        if token in _SEPARATORS or set(token) <= set(";&|"):
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current
