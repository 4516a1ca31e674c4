"""Variables a launch script gives ``docker compose``: the shell's environment, read statically.

A repository often starts its compose file from a script: ``export profile=$1`` then
``docker-compose up -d`` in the file's directory, so ``SPRING_PROFILES_ACTIVE=${profile}``
in the file takes the script's value (the shell's environment wins over ``.env``, as compose
reads them). A script counts for a compose file when one of its ``docker compose up`` /
``docker-compose up`` lines runs there: from the directory it ``cd``s to (else its own), or
with ``-f``/``--project-directory`` naming that file or directory. The variables are the ones
it ``export``s before that line, and the ones written before the command itself
(``PROFILE=docker docker compose up``); an assignment without ``export`` stays in the
script's own shell and compose never sees it.

A variable taken from the script's arguments (``$1``) is known when the README runs the script
with arguments (``./deploy.sh docker``: that documented run is the value, and a warning says
so), else from its default (``${1:-docker}``); otherwise it stays unset, as is one assigned on
a branch, one that needs a command's output, or one that two launches set differently
(warned, never guessed). A script of tests, CI or an archive, or one that verifies an
example (``verify.sh``), starts a stack of its own and is not read. Scripts are looked for in
the compose file's directory and two levels below it (``scripts/deploy.sh``), and in the
directories above it up to the input's root. Nothing is run.
"""

# ruff: noqa: PTH100, PTH113, PTH118, PTH119, PTH120, PTH123, PTH208
# (string paths, as the walk gives them)

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from socklock.load.incidental import incidental
from socklock.load.shell_lines import ScriptState, commands, is_shell_script
from socklock.load.trees import skip_reason
from socklock.model import ComposeEnv, Diagnostic, DiagnosticLevel, Location

MAX_SCRIPT_BYTES = 256 * 1024
_DEPTH_BELOW = 2
_CHECK_WORDS = frozenset({"verify", "check", "smoke", "e2e", "test", "tests", "ci"})
_README = re.compile(r"^readme(?:\.[A-Za-z0-9]+)?$", re.IGNORECASE)
_README_BYTES = 1 << 20
# compose flags that take the next word as their value (so it is not read as the command)
_VALUED = frozenset(
    {"-f", "--file", "-p", "--project-name", "--env-file", "--profile", "--project-directory"}
)


@dataclass(frozen=True, slots=True)
class Launch:
    """The variables one ``docker compose up`` line of a script gives (None: unknown)."""

    values: dict[str, str | None]
    where: dict[str, Location]
    line: Location
    argued: frozenset[str] = frozenset()  # the ones that hold the script's arguments


def launch_variables(
    compose_dir: str, root: str | None
) -> tuple[dict[str, ComposeEnv], list[Diagnostic]]:
    """The variables the launch scripts of the compose file in ``compose_dir`` set."""
    compose_dir = os.path.abspath(compose_dir)
    top = os.path.abspath(root) if root else compose_dir
    found: dict[str, list[tuple[str | None, Location, Launch]]] = {}
    diagnostics: list[Diagnostic] = []
    for script in _scripts(compose_dir, top):
        if _a_check(os.path.relpath(script, top)):
            continue  # a test's or CI job's stack, not the application's
        positional, told = _documented_arguments(script, compose_dir, top)
        for launch in _launches(script, compose_dir, positional):
            for name, value in launch.values.items():
                found.setdefault(name, []).append((value, launch.where[name], launch))
                if value is not None and told is not None and name in launch.argued:
                    diagnostics.append(_documented(name, value, launch.where[name], told))
    chosen: dict[str, ComposeEnv] = {}
    for name, given in found.items():
        values = {value for value, _, _ in given}
        if len(values) == 1 and None not in values:
            value, where, _ = given[0]
            chosen[name] = ComposeEnv(name, value, where)
        elif len(values) > 1:
            lines = ", ".join(f"{w.file}:{w.line}" for _, w, _ in given)
            diagnostics.append(
                Diagnostic(
                    given[0][2].line,
                    f"the launch scripts give {name} no one known value ({lines}): "
                    "left unset for the compose file",
                    DiagnosticLevel.WARNING,
                )
            )
    return chosen, sorted(set(diagnostics))


def _a_check(relative: str) -> bool:
    """A script of tests, CI or an archive (``ci/up.sh``, ``docker_compose_test.sh``), or one
    that verifies an example (``verify.sh``): it starts a stack to check, with its own values."""
    words = set(re.split(r"[-_./]", relative.lower()))
    return incidental(relative) or bool(words & _CHECK_WORDS)


def _documented(name: str, value: str, where: Location, told: Location) -> Diagnostic:
    return Diagnostic(
        where,
        f"{name}={value}: the script's argument as the README runs it ({told.file}:{told.line})",
        DiagnosticLevel.WARNING,
    )


def _scripts(compose_dir: str, top: str) -> Iterator[str]:
    """Shell scripts in and below the compose file's directory, and in those above it."""
    for directory, dirnames, filenames in os.walk(compose_dir):
        depth = directory[len(compose_dir) :].count(os.sep)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if depth < _DEPTH_BELOW
            and not d.startswith(".")
            and skip_reason(os.path.join(directory, d)) is None
        )
        yield from _shell_scripts(directory, filenames)
    above = os.path.dirname(compose_dir)
    while compose_dir != top and (above == top or above.startswith(top + os.sep)):
        try:
            names = sorted(os.listdir(above))
        except OSError:
            break
        yield from _shell_scripts(above, names)
        if above == top:
            break
        above = os.path.dirname(above)


def _shell_scripts(directory: str, names: list[str]) -> Iterator[str]:
    for name in sorted(names):
        path = os.path.join(directory, name)
        if os.path.isfile(path) and is_shell_script(path):
            yield path


def _read(path: str, limit: int) -> str | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit)
    except OSError:
        return None
    return data.decode("utf-8", "replace")


def _launches(script: str, compose_dir: str, positional: tuple[str, ...]) -> Iterator[Launch]:
    text = _read(script, MAX_SCRIPT_BYTES)
    if text is None or "compose" not in text or "up" not in text:
        return
    state = ScriptState(os.path.abspath(script), positional)
    for number, words in commands(text, state):
        program, prefix = state.command(words)
        if program and _runs_up(program, state.cwd, compose_dir):
            values: dict[str, str | None] = {
                name: state.variables.get(name) for name in sorted(state.exported)
            }
            where = {
                name: Location(script, state.assigned_at.get(name, number), 1) for name in values
            }
            for name, value in prefix.items():
                values[name], where[name] = value, Location(script, number, 1)
            argued = frozenset(state.argued & set(values))
            yield Launch(values, where, Location(script, number, 1), argued)


def _runs_up(words: list[str], cwd: str, compose_dir: str) -> bool:
    """Whether ``docker compose ... up`` (or ``docker-compose``) runs the compose file of
    ``compose_dir``."""
    return _up_profiles(words, cwd, compose_dir) is not None


def _up_profiles(words: list[str], cwd: str, compose_dir: str) -> tuple[str, ...] | None:
    """The profiles (``--profile P``) a ``docker compose ... up`` (or ``docker-compose``)
    of the compose file of ``compose_dir`` enables; None for another command or file."""
    name = os.path.basename(words[0]) if words else ""
    if name == "docker" and len(words) > 1 and words[1] == "compose":
        rest = words[2:]
    elif name in ("docker-compose", "podman-compose"):
        rest = words[1:]
    else:
        return None
    files: list[str] = []
    profiles: list[str] = []
    project: str | None = None
    index = 0
    command: str | None = None
    while index < len(rest) and command is None:
        flag, equals, inline = rest[index].partition("=")
        if flag in _VALUED:
            value = inline if equals else (rest[index + 1] if index + 1 < len(rest) else "")
            if flag in ("-f", "--file"):
                files.append(value)
            elif flag == "--project-directory":
                project = value
            elif flag == "--profile":
                profiles.append(value)
            index += 1 if equals else 2
        elif rest[index].startswith("-"):
            index += 1
        else:
            command = rest[index]
    if command != "up" or any("$" in f for f in files) or (project and "$" in project):
        return None
    if files:
        places = {os.path.dirname(os.path.normpath(os.path.join(cwd, f))) for f in files}
    else:
        places = {os.path.normpath(os.path.join(cwd, project or "."))}
    return tuple(profiles) if compose_dir in places else None


def documented_profiles(
    compose_dir: str, root: str | None
) -> tuple[tuple[str, ...], Location | None]:
    """The compose profiles the README starts the compose file of ``compose_dir`` with:
    those of every ``docker compose --profile P up`` (or ``COMPOSE_PROFILES=P docker
    compose up``) of the README beside the file or at the input's root, together (a
    README that starts the infrastructure, then the services, leaves both running); with
    where it first says so. ``pull``/``build`` lines start nothing and are not read."""
    compose_dir = os.path.abspath(compose_dir)
    top = os.path.abspath(root) if root else compose_dir
    found: dict[str, None] = {}
    where: Location | None = None
    for directory in dict.fromkeys((compose_dir, top)):
        readme = _readme(directory)
        text = (_read(readme, _README_BYTES) or "") if readme else ""
        if readme is None or "compose" not in text:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if "compose" not in line or "up" not in line:
                continue
            for command in _readme_commands(line):
                profiles = _up_profiles(command[1], directory, compose_dir)
                named = [*profiles, *command[0]] if profiles is not None else []
                for profile in named:
                    found.setdefault(profile)
                if named and where is None:
                    where = Location(readme, number, 1)
    return tuple(found), where


def _readme_commands(line: str) -> Iterator[tuple[list[str], list[str]]]:
    """(profiles its ``COMPOSE_PROFILES=`` prefix names, the compose command's words) of
    each compose command a README line shows: the line itself or its inline code
    (```docker compose up```), a shell prompt (``$``) and ``sudo`` before it left out."""
    pieces = line.split("`")[1::2] if "`" in line else [line]
    for piece in pieces:
        for _, found in commands(piece.strip().removeprefix("$").strip()):
            start = next(
                (
                    i
                    for i, w in enumerate(found)
                    if w in ("docker", "docker-compose", "podman-compose")
                ),
                None,
            )
            if start is None:
                continue
            prefix = [
                w.partition("=")[2] for w in found[:start] if w.startswith("COMPOSE_PROFILES=")
            ]
            yield [p.strip() for v in prefix for p in v.split(",") if p.strip()], found[start:]


def _documented_arguments(
    script: str, compose_dir: str, top: str
) -> tuple[tuple[str, ...], Location | None]:
    """The arguments the README runs ``script`` with (``./deploy.sh docker``), when every
    README command that runs it gives the same; with where the README says so."""
    name = os.path.basename(script)
    # a run of it, not a mention: a path to it (``./deploy.sh``, ``scripts/deploy.sh``) or
    # a shell given it (``bash deploy.sh``)
    pattern = re.compile(
        rf"(?:/|\b(?:ba|z)?sh[ \t]+){re.escape(name)}(?P<args>(?:[ \t]+[A-Za-z0-9_.,:/=-]+)*)"
    )
    runs: dict[tuple[str, ...], Location] = {}
    for directory in dict.fromkeys((top, compose_dir, os.path.dirname(script))):
        readme = _readme(directory)
        if readme is None:
            continue
        text = _read(readme, _README_BYTES) or ""
        for number, line in enumerate(text.splitlines(), start=1):
            for match in pattern.finditer(line):
                arguments = tuple(match["args"].split())
                runs.setdefault(arguments, Location(readme, number, 1))
    given = {a for a in runs if a}
    if len(given) != 1:
        return (), None
    (arguments,) = given
    return arguments, runs[arguments]


def _readme(directory: str) -> str | None:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return None
    return next((os.path.join(directory, n) for n in names if _README.match(n)), None)
