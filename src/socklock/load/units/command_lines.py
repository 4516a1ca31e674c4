"""What a command line that starts a program on the host says: the code it runs and the
ports it listens on. Read from the words as the shell splits and expands them (the project's
one lexer and expander); a word that needs an unknown variable says nothing.

Shared by the host programs that start processes from command lines (Procfiles, Taskfiles).
"""

# (string paths where the walk gives them)

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from socklock.load.shell_lines import expand, simple_commands
from socklock.load.units.names import port_of
from socklock.load.units.tree import Tree, read

_CODE_SUFFIXES = frozenset(
    {".py", ".js", ".mjs", ".cjs", ".ts", ".rb", ".go", ".php", ".jar", ".java", ".kt", ".sh"}
)
_SERVERS = frozenset({"uvicorn", "gunicorn", "hypercorn", "daphne", "granian"})
_PORT_FLAGS = frozenset({"--port", "-p", "--http-port", "--listen-port"})
_BIND_FLAGS = frozenset({"--bind", "-b", "--listen", "--address", "--host-port"})
_TRAEFIK_ENTRY = re.compile(r"^--entry[pP]oints\.[^.=]+\.address$")
_TRAEFIK_CONFIG = frozenset({"--configfile", "--configFile"})


def expanded_commands(command: str, values: dict[str, str]) -> list[list[str]]:
    """The simple commands of the line, each word expanded (None-free: an unknown word is
    dropped with its flag's meaning)."""
    out: list[list[str]] = []
    for simple in simple_commands([command]):
        words: list[str] = []
        for word in simple:
            expanded = expand(word, values.get)
            words.append(expanded[0] if expanded is not None else "\x00")
        out.append(words)
    return out


def listen_ports(command: str, values: dict[str, str], directory: Path) -> list[int]:
    """The ports a command line says its program listens on: ``--port N``, ``-p N``,
    ``--bind/-b HOST:N``, Traefik's ``--entrypoints.NAME.address=:N`` and the entry points of
    the static config it is given (``--configFile=...``)."""
    ports: list[int] = []
    for words in expanded_commands(command, values):
        for i, word in enumerate(words):
            flag, equals, value = word.partition("=")
            if not equals:
                value = words[i + 1] if i + 1 < len(words) else ""
            found: int | None = None
            if flag in _PORT_FLAGS:
                found = port_of(value)
            elif flag in _BIND_FLAGS or _TRAEFIK_ENTRY.match(flag):
                found = port_of(value.rpartition(":")[2]) if ":" in value else None
            elif flag in _TRAEFIK_CONFIG and equals:
                ports.extend(p for p in traefik_entry_ports(directory / value) if p not in ports)
            if found is not None and found not in ports:
                ports.append(found)
    return ports


def traefik_entry_ports(path: Path) -> list[int]:
    """The ports of a Traefik static config's ``entryPoints.<name>.address`` (TOML or YAML)."""
    text = read(path) if path.is_file() else None
    if not text:
        return []
    data: object
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, ValueError, yaml_errors()):
        return []  # a file that does not parse names no port
    points = data.get("entryPoints") if isinstance(data, dict) else None
    ports: list[int] = []
    for point in points.values() if isinstance(points, dict) else ():
        address = point.get("address") if isinstance(point, dict) else None
        if isinstance(address, str) and ":" in address:
            port = port_of(address.rpartition(":")[2].split("/")[0])
            if port is not None and port not in ports:
                ports.append(port)
    return ports


def yaml_errors() -> type[Exception]:
    import yaml

    return yaml.YAMLError


def code_of(command: str, values: dict[str, str], directory: Path) -> list[Path]:
    """The code a command line run in ``directory`` runs: the code files its words name
    (``node server.js``; ``go run cmd/x/main.go``: the package's directory; ``uvicorn
    --app-dir api orders:app`` → ``api/orders.py``; ``python -m app.worker``), else the
    directories they name (``go run ./cmd/worker``; a config file it is given stands for its
    directory), else ``directory`` itself."""
    files: list[Path] = []
    folders: list[Path] = []
    for words in expanded_commands(command, values):
        app_dir = directory
        for i, word in enumerate(words):
            flag, equals, value = word.partition("=")
            if flag == "--app-dir":
                given = value if equals else (words[i + 1] if i + 1 < len(words) else "")
                app_dir = directory / given
        program = Path(words[0]).name if words else ""
        for i, word in enumerate(words):
            value = word.partition("=")[2] if word.startswith("-") else word
            if not value or "\x00" in value:
                continue
            path = directory / value
            if value.startswith("/") or ".." in Path(value).parts:
                continue
            if path.is_file() and path.suffix == ".go":
                files.append(path.parent)  # Go builds the file's package: its directory
            elif path.is_file():
                (files if path.suffix in _CODE_SUFFIXES else folders).append(
                    path if path.suffix in _CODE_SUFFIXES else path.parent
                )
            elif path.is_dir() and value not in (".", "./"):
                folders.append(path)
            elif program in _SERVERS and ":" in word and not word.startswith("-"):
                module = app_dir / (word.partition(":")[0].replace(".", "/") + ".py")
                files.extend([module] if module.is_file() else [])
            elif i > 0 and words[i - 1] == "-m":
                module = directory / (word.replace(".", "/") + ".py")
                files.extend([module] if module.is_file() else [])
    chosen = files or folders or [directory]
    return list(dict.fromkeys(Path(os.path.normpath(p)) for p in chosen))


def host_name(tree: Tree, path: Path) -> str:
    """A host deployment's name: its file's path (a Procfile, a Taskfile) from its input
    root, ``/`` as ``-`` (a graph id is ``<host>/<process>``)."""
    root = next((r for r in tree.roots if path.is_relative_to(r)), path.parent)
    return "-".join(path.relative_to(root).parts)
