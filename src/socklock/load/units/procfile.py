"""Procfiles (foreman, honcho, overmind, Heroku): the Procfile *is* the deployment.

Each ``name: command`` line is a process type the runner starts on the host: a workload
named by its type. The runner gives every process the ``.env`` beside the Procfile (the
repository's committed template when there is none) and a ``PORT`` of its own, as foreman,
honcho and overmind all do: 5000 (``port:`` in ``.foreman``), plus 100 for each process
type above it, plus one for each further instance of a type (``formation: web=1,stats=3`` in
``.foreman``; a type with 0 instances is not started). The command's words are expanded
from that env as the shell would, with the project's one expander; a word that still needs
an unknown variable says nothing.

What the command says:

- its listening ports: ``--port N``, ``-p N``, ``--bind/-b HOST:N`` (gunicorn, hypercorn),
  ``--entrypoints.NAME.address=:N`` (Traefik), and the ``entryPoints`` of a Traefik static
  config it is given (``--configFile=proxy/traefik.toml``);
- its code: the files its words name (``node server.js``, ``uvicorn --app-dir api
  orders:app`` → ``api/orders.py``, ``python -m app.worker``), else a directory a word names
  (``go run ./cmd/worker``), else the Procfile's own directory; a config file it is given
  stands for its directory (a proxy's routes beside its static config are its own).

``Procfile.dev`` and kin are the same application run another way: each is a deployment of
its own (one is chosen, see :mod:`socklock.discover.deployments`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from socklock.load.env_files import read_project_env
from socklock.load.units.command_lines import code_of, host_name, listen_ports
from socklock.load.units.names import port_of
from socklock.load.units.tree import Tree, read
from socklock.model import BuildUnit, ComposeEnv, Location, UnitEnv

KIND = "procfile"
BASE_PORT = 5000  # foreman's, honcho's and overmind's default
PORT_STEP = 100
_LINE = re.compile(r"^(?P<name>[A-Za-z0-9_-]+):[ \t]*(?P<command>.+)$")  # foreman's grammar
_NAME = re.compile(r"^Procfile(?:\.[A-Za-z0-9_-]+)?$")


@dataclass(frozen=True, slots=True)
class Process:
    """One line of a Procfile."""

    name: str
    command: str
    line: int


def read_processes(text: str) -> list[Process]:
    """The process types of a Procfile, in order (the order gives foreman's ports)."""
    found: list[Process] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        match = _LINE.match(raw.strip())
        if match is not None and not raw.lstrip().startswith("#"):
            found.append(Process(match["name"], match["command"].strip(), number))
    return found


def find(tree: Tree) -> list[BuildUnit]:
    """The processes of every Procfile of the tree, each a unit hosted by its Procfile."""
    units: list[BuildUnit] = []
    for directory, files in tree.files.items():
        for file in files:
            if _NAME.match(file):
                units.extend(_units(tree, directory, directory / file))
    return units


def _units(tree: Tree, directory: Path, procfile: Path) -> list[BuildUnit]:
    text = read(procfile)
    if text is None:
        return []
    host = host_name(tree, procfile)
    dotenv = _dotenv(directory, tree)
    options = _foreman_options(directory)
    base = port_of(options.get("port")) or BASE_PORT
    formation = _formation(options.get("formation", ""))
    units: list[BuildUnit] = []
    for index, process in enumerate(read_processes(text)):
        count = formation.get(process.name, formation.get("all", 1))
        if count < 1:
            continue  # formation says the runner starts none of it
        ports: list[int] = []
        first_port = base + index * PORT_STEP
        for instance in range(count):
            values = {n: e.value or "" for n, e in dotenv.items()}
            values["PORT"] = str(first_port + instance)
            for port in listen_ports(process.command, values, directory):
                if port not in ports:
                    ports.append(port)
        env = [
            UnitEnv(name, entry.value or "", entry.location)
            for name, entry in dotenv.items()
            if name != "PORT"
        ]
        where = Location(str(procfile), process.line, 1)
        env.append(UnitEnv("PORT", str(first_port), where))
        units.append(
            BuildUnit(
                name=process.name,
                kind=KIND,
                sources=tuple(str(s) for s in code_of(process.command, _values(dotenv), directory)),
                names=(process.name,),
                ports=tuple(ports),
                location=where,
                host=host,
                env=tuple(env),
                on_host=True,
            )
        )
    return units


def _dotenv(directory: Path, tree: Tree) -> dict[str, ComposeEnv]:
    """The ``.env`` the runner gives every process (its template in a new clone)."""
    root = next((r for r in tree.roots if directory.is_relative_to(r)), directory)
    return read_project_env(str(directory), str(root), lambda path: read(Path(path))).entries


def _values(dotenv: dict[str, ComposeEnv]) -> dict[str, str]:
    return {name: entry.value or "" for name, entry in dotenv.items()}


def _foreman_options(directory: Path) -> dict[str, str]:
    """``.foreman``: foreman's defaults for its command-line options (``key: value``)."""
    text = read(directory / ".foreman") or ""
    options: dict[str, str] = {}
    for raw in text.splitlines():
        key, colon, value = raw.partition(":")
        if colon and not raw.lstrip().startswith("#"):
            options[key.strip()] = value.strip().strip("\"'")
    return options


def _formation(text: str) -> dict[str, int]:
    """``web=1,stats=3`` (or ``all=2``): instances per process type."""
    found: dict[str, int] = {}
    for part in text.split(","):
        name, equals, count = part.partition("=")
        if equals and count.strip().isdigit():
            found[name.strip()] = int(count.strip())
    return found
