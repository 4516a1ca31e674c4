"""Taskfiles (go-task, ``Taskfile.yml``): the tasks that start the repository's own programs
on the host are the processes of a deployment.

A task is a process when one of its commands runs the repository's own code: ``go run
cmd/orders/main.go``, ``node server.js``, ``python app.py`` / ``python -m app``, ``uvicorn
app:api``, ``java -jar target/x.jar`` naming a file or directory of the tree. A task that
builds, lints, migrates with a tool, or starts containers (``docker compose up``: the compose
file is read as itself) starts none. Each distinct run is one workload, named by the
directory of its code (``cmd/svc/org/main.go`` → ``org``; the task's name is another name of
it), with the env it gets:

- the Taskfile's ``dotenv`` files and its global ``env``, then the task's ``env``;
- ``{{.NAME}}`` in values and commands from the variables a ``task:`` call passes, then the
  task's ``vars``, the Taskfile's (and an including Taskfile's) ``vars``, then the env, as
  Task resolves them; anything else in ``{{ }}`` (functions, pipes, conditions) or a
  ``sh:`` variable is unknown, and a word or value that needs it says nothing.

Tasks are followed through ``deps`` and ``cmds`` (``task: name`` with ``vars``), and
``includes`` (``ns: path``, ``{taskfile: path, dir: ...}``) add their tasks as ``ns:name``.
A Taskfile another one includes is read only through it. Nothing is run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from socklock.load.interpolate import read_env_entries
from socklock.load.units.command_lines import code_of, expanded_commands, host_name, listen_ports
from socklock.load.units.tree import Tree, read
from socklock.model import BuildUnit, Location, UnitEnv

KIND = "taskfile"
_NAMES: tuple[str, ...] = ("Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml")
_NAMES += ("Taskfile.dist.yml", "Taskfile.dist.yaml")
_TEMPLATE = re.compile(r"\{\{-?\s*(?P<body>.*?)\s*-?\}\}")
_REFERENCE = re.compile(r"^\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)$")
_NODE = frozenset({"node", "bun", "deno", "tsx", "ts-node", "nodemon"})
_PYTHON = frozenset({"python", "python3"})
_SERVERS = frozenset({"uvicorn", "gunicorn", "hypercorn", "daphne", "granian"})
_UNKNOWN = "\x00"  # a template part Task fills at run time, which is not known here
_MAX_CALLS = 200  # task calls followed from one task (a Taskfile may call in cycles)


@dataclass(slots=True)
class _File:
    """One Taskfile: its tasks under their full names, and the variables it declares."""

    path: Path
    directory: Path  # where its commands run (``dir:`` of the include, else its own)
    namespace: str
    vars: dict[str, object] = field(default_factory=dict)
    env: dict[str, object] = field(default_factory=dict)
    dotenv: object = None  # the ``dotenv`` list as written (the root's is read)
    tasks: dict[str, dict[str, object]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Run:
    task: str  # the task nearest the command that is not internal (its caller's name)
    command: str
    directory: Path
    env: tuple[tuple[str, str], ...]
    values: tuple[tuple[str, str], ...]  # what words of the command are expanded with
    where: Location


def find(tree: Tree) -> list[BuildUnit]:
    """The processes the Taskfiles of the tree start, each a unit hosted by its Taskfile."""
    roots: list[Path] = []
    included: set[Path] = set()
    for directory, names in tree.files.items():
        for name in _NAMES:
            if name in names:
                roots.append(directory / name)
                break
    loaded = {root: _load(root, tree) for root in roots}
    for files in loaded.values():
        included.update(f.path.resolve() for f in files[1:])
    units: list[BuildUnit] = []
    for root, files in loaded.items():
        if root.resolve() not in included and files:
            units.extend(_units(tree, root, files))
    return units


def _load(root: Path, tree: Tree) -> list[_File]:
    """The Taskfile at ``root`` and those it includes (recursively), root first."""
    found: list[_File] = []
    pending: list[tuple[Path, Path, str]] = [(root, root.parent, "")]
    seen: set[Path] = set()
    while pending and len(found) < 50:
        path, directory, namespace = pending.pop(0)
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        data = _yaml(path)
        if data is None:
            continue
        file = _File(path, directory, namespace)
        file.vars = _mapping(data.get("vars"))
        file.env = _mapping(data.get("env"))
        file.dotenv = data.get("dotenv")
        for name, task in _mapping(data.get("tasks")).items():
            body = task if isinstance(task, dict) else {"cmds": task}
            file.tasks[f"{namespace}{name}"] = body
        found.append(file)
        for key, spec in _mapping(data.get("includes")).items():
            given = spec.get("taskfile") if isinstance(spec, dict) else spec
            if not isinstance(given, str) or "{{" in given:
                continue
            target = path.parent / given
            if target.is_dir():
                target = next((target / n for n in _NAMES if (target / n).is_file()), target)
            dir_given = spec.get("dir") if isinstance(spec, dict) else None
            runs_in = path.parent / dir_given if isinstance(dir_given, str) else directory
            if target.is_file():
                pending.append((target, runs_in, f"{namespace}{key}:"))
    return found


def _yaml(path: Path) -> dict[str, object] | None:
    import yaml

    text = read(path)
    try:
        data = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _mapping(value: object) -> dict[str, object]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _dotenv(root: Path, listed: object) -> dict[str, tuple[str, Location]]:
    """The ``dotenv`` files of the root Taskfile, the first one to set a name winning."""
    found: dict[str, tuple[str, Location]] = {}
    for name in listed if isinstance(listed, list) else ():
        path = root.parent / str(name)
        text = read(path) if "{{" not in str(name) and path.is_file() else None
        for key, entry in read_env_entries(text or "", str(path)).items():
            found.setdefault(key, (entry.value or "", entry.location))
    return found


def _units(tree: Tree, root: Path, files: list[_File]) -> list[BuildUnit]:
    host = host_name(tree, root)
    dotenv = _dotenv(root, files[0].dotenv)
    env_at = {key: where for key, (_, where) in dotenv.items()}
    runs: dict[tuple[object, ...], _Run] = {}
    owner = {name: file for file in files for name in file.tasks}
    for file in files:
        for name, task in file.tasks.items():
            if task.get("internal") is True:
                continue
            for run in _Walk(files[0], owner, dotenv).task(name, {}, 0, name):
                key = (run.command, run.directory, run.env)
                runs.setdefault(key, run)
    units: list[BuildUnit] = []
    taken: set[str] = set()
    for run in runs.values():
        values = dict(run.values)
        sources = code_of(run.command, values, run.directory)
        if not _runs_own_code(run.command, values, run.directory, sources):
            continue
        name = _name(sources[0], run.task, taken)
        env = tuple(UnitEnv(k, v, env_at.get(k, run.where)) for k, v in run.env)
        units.append(
            BuildUnit(
                name=name,
                kind=KIND,
                sources=tuple(str(s) for s in sources),
                names=tuple(dict.fromkeys((name, run.task.rsplit(":", 1)[-1]))),
                ports=tuple(listen_ports(run.command, values, run.directory)),
                location=run.where,
                host=host,
                env=env,
                on_host=True,
            )
        )
    return units


def _name(source: Path, task: str, taken: set[str]) -> str:
    """The directory of the code (``cmd/svc/org/main.go`` → ``org``), else the task's name;
    the task's name too when another run has the directory's."""
    folder = source.parent if source.is_file() else source
    for name in (folder.name, task.rsplit(":", 1)[-1], task.replace(":", "-")):
        if name and name not in taken:
            taken.add(name)
            return name
    return task


def _runs_own_code(command: str, values: dict[str, str], directory: Path, code: list[Path]) -> bool:
    """Whether the command runs a program of the tree (see the module's docstring)."""
    if code == [directory]:
        return False
    for words in expanded_commands(command, values):
        program = Path(words[0]).name if words else ""
        if program == "go" and words[1:2] == ["run"]:
            return True
        if program in _NODE | _PYTHON | _SERVERS:
            return True
        if program == "java" and "-jar" in words:
            return True
    return False


class _Walk:
    """One task followed through its deps and commands, with the variables of each call."""

    def __init__(
        self, root: _File, owner: Mapping[str, _File], dotenv: dict[str, tuple[str, Location]]
    ):
        self.root = root  # its global vars and env hold in every included file
        self.owner = owner
        self.dotenv = {k: v for k, (v, _) in dotenv.items()}
        self.calls = 0

    def task(self, name: str, given: dict[str, str], depth: int, shown: str) -> Iterator[_Run]:
        """The commands task ``name`` runs, called with ``given`` variables; ``shown`` is
        the nearest task of the call chain that is not internal."""
        file = self.owner.get(name)
        self.calls += 1
        if file is None or depth > 8 or self.calls > _MAX_CALLS:
            return
        task = file.tasks[name]
        shown = shown if task.get("internal") is True else name
        scope: dict[str, str] = dict(self.dotenv)
        env: dict[str, str] = dict(self.dotenv)
        for layer in (self.root.vars, file.vars):
            scope.update(self._values(layer, scope))
        for layer in (self.root.env, file.env):
            values = self._values(layer, scope)
            env.update(values)
            scope.update(values)
        scope.update(self._values(_mapping(task.get("vars")), {**scope, **given}))
        scope.update(given)
        task_env = self._values(_mapping(task.get("env")), scope)
        env.update(task_env)
        directory = file.directory
        if isinstance(task.get("dir"), str):
            directory = file.directory / str(task["dir"])
        namespace = name.rpartition(":")[0]
        steps: list[object] = []
        deps = task.get("deps")  # a dep is a task: ``[build]`` or ``[{task: build, vars: ...}]``
        steps.extend(
            {"task": d} if isinstance(d, str) else d
            for d in (deps if isinstance(deps, list) else [])
        )
        cmds = task.get("cmds")
        steps.extend(cmds if isinstance(cmds, list) else [cmds] if cmds else [])
        if isinstance(task.get("cmd"), (str, dict)):
            steps.append(task["cmd"])
        where = Location(str(file.path), 1, 1)
        for step in steps:
            called = _called(step)
            if called is not None:
                target, passed = called
                inner = f"{namespace}:{target}"
                full = inner if namespace and inner in self.owner else target
                arguments = self._values(passed, scope)
                yield from self.task(full.lstrip(":"), arguments, depth + 1, shown)
                continue
            command = step.get("cmd") if isinstance(step, dict) else step
            if not isinstance(command, str):
                continue
            filled = fill(command, scope)
            shell_env = {**env, **{k: v for k, v in scope.items() if k not in env}}
            yield _Run(
                shown,
                filled,
                directory,
                tuple(sorted((k, v) for k, v in env.items() if _UNKNOWN not in v)),
                tuple(sorted((k, v) for k, v in shell_env.items() if _UNKNOWN not in v)),
                where,
            )

    @staticmethod
    def _values(layer: Mapping[str, object], scope: Mapping[str, str]) -> dict[str, str]:
        """A ``vars:``/``env:`` block filled from ``scope`` and the entries above it."""
        out: dict[str, str] = {}
        for key, value in layer.items():
            if isinstance(value, (str, int, float, bool)) and not isinstance(value, bool):
                out[key] = fill(str(value), {**scope, **out})
            elif isinstance(value, bool):
                out[key] = str(value).lower()
            else:  # ``sh:`` (a command's output), ``ref:``, maps: known at run time only
                out[key] = _UNKNOWN
        return out


def _called(step: object) -> tuple[str, dict[str, object]] | None:
    """``task: name`` (with ``vars``) as a dep or a command; a dep may be the bare name."""
    if isinstance(step, dict) and isinstance(step.get("task"), str):
        return str(step["task"]), _mapping(step.get("vars"))
    return None


def fill(text: str, scope: Mapping[str, str]) -> str:
    """``text`` with each ``{{.NAME}}`` replaced from ``scope``; any other template action,
    or a name not in scope, becomes unknown."""

    def replace(match: re.Match[str]) -> str:
        reference = _REFERENCE.match(match["body"])
        if reference is None:
            return _UNKNOWN
        return scope.get(reference["name"], _UNKNOWN)

    return _TEMPLATE.sub(replace, text)
