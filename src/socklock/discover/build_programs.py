"""Which directory of a shared build context an image's build makes its program of.

Several services often build one context with one Dockerfile and pick their program with a
build arg (``args: {service: orders, cmd: cdc}`` and ``WORKDIR /src/${service}/cmd/${cmd}``
before ``RUN go install .``). The program is the directory the build compiles (a ``go
build``/``go install`` package, or the ``WORKDIR`` it runs in), else the directory the final
stage runs its command in; taken back to the context through what the build ``COPY``s where.
The rest of the context is library code the program runs only in part
(:mod:`socklock.discover.reach`).

The Dockerfile is read as docker does: ``ARG`` defaults overridden by the build's args,
``ENV`` values, ``WORKDIR`` relative to the one before, each stage starting from its base
stage's state. A variable nothing sets (``$GOPATH``) stays a name of its own: ``COPY .
$GOPATH/src`` and ``WORKDIR $GOPATH/src/orders`` still meet.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from socklock.discover.commands import simple_commands, words
from socklock.model import Dockerfile, Instruction

_REFERENCE = re.compile(r"\$(?:\{(\w+)(?::?[-=]([^}]*))?\}|(\w+))")
_FROM = re.compile(r"--from=(\S+)")
_RUN_FLAGS = re.compile(r"^\s*(?:--[a-z-]+=\S*\s+)+")  # ``RUN --mount=... --network=none``
# ``dotnet publish``/``build`` options that take a value as the next word
_DOTNET_VALUE_FLAGS = frozenset(
    {"-c", "--configuration", "-o", "--output", "-r", "--runtime", "-f", "--framework"}
    | {"-a", "--arch", "--os", "-v", "--verbosity", "-s", "--source", "--version-suffix"}
)
_DOTNET_PROJECTS = frozenset({".csproj", ".fsproj", ".vbproj"})
# ``go build`` flags that take a value as the next word
_VALUE_FLAGS = frozenset(
    {"-o", "-ldflags", "-gcflags", "-asmflags", "-tags", "-mod", "-p", "-installsuffix"}
    | {"-pkgdir", "-buildmode", "-compiler", "-modfile", "-overlay", "-pgo", "-C"}
)


@dataclass(slots=True)
class _Stage:
    """What a stage has done so far: its working directory, the context directories it
    copied where, and the directory it last compiled."""

    workdir: PurePosixPath = field(default_factory=lambda: PurePosixPath("/"))
    copies: list[tuple[PurePosixPath, str]] = field(default_factory=list)  # image dir, source
    compiled: PurePosixPath | None = None
    values: dict[str, str] = field(default_factory=dict)

    def copy(self) -> _Stage:
        return _Stage(self.workdir, list(self.copies), self.compiled, dict(self.values))


def program_directory(
    dockerfile: Dockerfile, context: Path, args: Mapping[str, str], target: str | None = None
) -> Path | None:
    """The directory of ``context`` the build makes its program of, when it is a directory
    below the context's root (at the root, or unknown: None, the whole context runs)."""
    states = _run(dockerfile, args)
    final = _final_stage(dockerfile, target)
    if final is None:
        return None
    used = _used_stages(dockerfile, final)
    compiled = [states[i] for i in used if states[i].compiled is not None]
    chosen = compiled[-1] if compiled else states[final]
    inside = chosen.compiled if chosen.compiled is not None else chosen.workdir
    directory = _in_context(inside, chosen.copies, context.resolve())
    if directory is None or directory == context.resolve() or not directory.is_dir():
        return None
    return directory


def copied_sources(
    dockerfile: Dockerfile, context: Path, args: Mapping[str, str], target: str | None = None
) -> tuple[Path, ...] | None:
    """The files and directories of ``context`` a build that compiles its program in the
    image (``dotnet publish``, ``go build``) puts there: what the stages the final one is
    built from ``COPY``/``ADD``/bind-mount. A source file of the context none of them holds
    is compiled into no container of the image. None when that is the whole context or
    unknown (a source at the context's root, outside it, or with a variable the build does
    not set), and for a build that compiles nothing: what it copies (``target/app.jar``) was
    built from the context outside the image."""
    states = _run(dockerfile, args)
    final = _final_stage(dockerfile, target)
    if final is None:
        return None
    used = _used_stages(dockerfile, final)
    if all(states[i].compiled is None for i in used):
        return None
    root = context.resolve()
    found: dict[Path, None] = {}
    for index in used:
        for _, source in states[index].copies:
            if "$" in source or "://" in source or source.startswith("/"):
                return None
            # ``src/*/app.csproj``: the directory before the first wildcard
            plain = re.split(r"[*?\[]", source, maxsplit=1)[0]
            if plain != source:
                plain = plain.rpartition("/")[0]
            origin = (root / plain.removeprefix("./")).resolve()
            if origin == root or not origin.is_relative_to(root):
                return None
            found[origin] = None
    return tuple(found) or None


def working_directory(
    dockerfile: Dockerfile, args: Mapping[str, str], target: str | None = None
) -> PurePosixPath | None:
    """The directory the image's program starts in: its final stage's ``WORKDIR``."""
    final = _final_stage(dockerfile, target)
    return None if final is None else _run(dockerfile, args)[final].workdir


def _final_stage(dockerfile: Dockerfile, target: str | None) -> int | None:
    if not dockerfile.stages:
        return None
    if target:
        for stage in dockerfile.stages:
            if stage.name and stage.name.lower() == target.lower():
                return stage.index
    return dockerfile.stages[-1].index


def _used_stages(dockerfile: Dockerfile, final: int) -> list[int]:
    """The final stage and the stages it is built on or copies from, in file order."""
    names = {s.name.lower(): s.index for s in dockerfile.stages if s.name}
    used: set[int] = set()
    queue = [final]
    while queue:
        index = queue.pop()
        if index in used:
            continue
        used.add(index)
        stage = dockerfile.stages[index]
        base = names.get(stage.base_image.lower())
        if base is not None:
            queue.append(base)
        for instruction in dockerfile.instructions:
            if instruction.stage == index and instruction.keyword in ("COPY", "ADD"):
                found = _FROM.search(instruction.value)
                if found and found.group(1).lower() in names:
                    queue.append(names[found.group(1).lower()])
                elif found and found.group(1).isdigit():
                    queue.append(int(found.group(1)))
    return sorted(i for i in used if 0 <= i < len(dockerfile.stages))


def _run(dockerfile: Dockerfile, args: Mapping[str, str]) -> list[_Stage]:
    """Each stage's state at its end."""
    names = {s.name.lower(): s.index for s in dockerfile.stages if s.name}
    globals_: dict[str, str] = {}
    for instruction in dockerfile.instructions:
        if instruction.stage < 0 and instruction.keyword == "ARG":
            _declare(instruction.value, globals_, args)
    states: list[_Stage] = []
    for stage in dockerfile.stages:
        base = names.get(stage.base_image.lower())
        state = states[base].copy() if base is not None and base < len(states) else _Stage()
        state.values = {**globals_, **state.values}
        for instruction in dockerfile.instructions:
            if instruction.stage == stage.index:
                _step(state, instruction, args)
        states.append(state)
    return states


def _declare(value: str, values: dict[str, str], args: Mapping[str, str]) -> None:
    name, sep, default = value.strip().partition("=")
    name = name.strip()
    if name in args:
        values[name] = args[name]
    elif sep:
        values[name] = default.strip().strip("\"'")


def _step(state: _Stage, instruction: Instruction, args: Mapping[str, str]) -> None:
    keyword, value = instruction.keyword, instruction.value
    if keyword == "ARG":
        _declare(value, state.values, args)
    elif keyword == "ENV":
        for name, val in env_pairs(value):
            state.values[name] = _expand(val, state.values)
    elif keyword == "WORKDIR":
        state.workdir = _path(_expand(value.strip().strip("\"'"), state.values), state.workdir)
    elif keyword in ("COPY", "ADD") and not _FROM.search(value):
        parts = [_expand(w, state.values) for w in _copy_words(value)]
        if len(parts) >= 2:
            destination = _path(parts[-1], state.workdir)
            for source in parts[:-1]:
                state.copies.append((destination, source))
    elif keyword == "RUN":
        flags = _RUN_FLAGS.match(value)
        command = value[flags.end() :] if flags else value
        for target, source in _bind_mounts(flags.group(0) if flags else ""):
            # what the command compiles there is the context's: a copy for this command
            state.copies.append((_path(_expand(target, state.values), state.workdir), source))
        for package in _compiled(command, state.values):
            state.compiled = _path(package, state.workdir)


def _bind_mounts(flags: str) -> list[tuple[str, str]]:
    """The build context's directories a ``RUN``'s ``--mount=type=bind,source=.,target=/app``
    flags put where (a bind mount's ``source`` defaults to the context's root; one
    ``from`` another stage or image is not the context)."""
    found: list[tuple[str, str]] = []
    for flag in flags.split():
        if not flag.startswith("--mount="):
            continue
        options = dict(
            (key.strip().lower(), value.strip().strip("\"'"))
            for key, _, value in (part.partition("=") for part in flag[8:].split(","))
        )
        destination = options.get("target") or options.get("dst") or options.get("destination")
        if options.get("type", "bind") != "bind" or "from" in options or not destination:
            continue
        found.append((destination, options.get("source") or options.get("src") or "."))
    return found


def env_pairs(value: str) -> list[tuple[str, str]]:
    parts = words(value)
    if len(parts) >= 2 and "=" not in parts[0]:
        return [(parts[0], " ".join(parts[1:]))]  # ENV NAME value
    return [(k, v) for k, sep, v in (p.partition("=") for p in parts) if sep]


def _copy_words(value: str) -> list[str]:
    text = value.strip()
    if text.startswith("["):
        parts = [w.strip().strip("\"'") for w in text.strip("[]").split(",")]
    else:
        parts = text.split()
    return [w for w in parts if w and not w.startswith("--")]


def _expand(text: str, values: Mapping[str, str]) -> str:
    """``text`` with the variables the build sets replaced; others kept as ``$NAME``."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3) or ""
        if name in values:
            return values[name]
        return match.group(2) if match.group(2) is not None else f"${name}"

    return _REFERENCE.sub(replace, text)


def _path(text: str, workdir: PurePosixPath) -> PurePosixPath:
    """An image path; one starting with a variable (``$GOPATH/src``) is absolute."""
    if text.startswith(("/", "$")):
        return PurePosixPath(text)
    return workdir / text


def _compiled(value: str, values: Mapping[str, str]) -> list[str]:
    """The directories a ``RUN`` line's ``go build``/``go install`` or ``dotnet
    publish``/``dotnet build`` compiles, relative to the working directory (``.`` for the
    working directory itself)."""
    found: list[str] = []
    for command in simple_commands(words(value)):
        command = [w for w in command if not re.match(r"^[A-Za-z_]\w*=", w)]  # VAR=x go ...
        if len(command) >= 2 and command[0] == "dotnet" and command[1] in ("publish", "build"):
            project = _dotnet_project(command[2:], values)
            if project is not None:
                found.append(project)
            continue
        if len(command) < 2 or command[0] != "go" or command[1] not in ("build", "install"):
            continue
        packages = _positionals(command[2:], _VALUE_FLAGS, values)
        directories = {d for d in (_package_directory(p) for p in packages) if d is not None}
        if not packages:
            found.append(".")
        elif len(directories) == 1:
            found.append(directories.pop())
    return found


def _positionals(
    arguments: list[str], value_flags: Collection[str], values: Mapping[str, str]
) -> list[str]:
    """The words of a build command that are no flag nor a flag's value, expanded."""
    found: list[str] = []
    skip = False
    for word in arguments:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word.split("=", 1)[0] in value_flags and "=" not in word
        else:
            found.append(_expand(word, values))
    return found


def _dotnet_project(arguments: list[str], values: Mapping[str, str]) -> str | None:
    """The directory of the project ``dotnet publish ./Api/Api.csproj -c Release -o /app``
    builds (``.`` when it names none); None for a solution or an unreadable path."""
    paths = _positionals(arguments, _DOTNET_VALUE_FLAGS, values)
    if not paths:
        return "."
    if len(paths) != 1 or paths[0].lower().endswith(".sln"):
        return None
    path = PurePosixPath(paths[0].replace("\\", "/"))
    return str(path.parent) if path.suffix.lower() in _DOTNET_PROJECTS else str(path)


def _package_directory(package: str) -> str | None:
    """``./cmd/orders`` → ``./cmd/orders``; ``./cmd/...`` → ``./cmd``; ``./main.go`` →
    ``.``; an import path (``example.com/x``) is not a directory of the build: None."""
    if not package.startswith((".", "/", "$")):
        return None
    if package.endswith(".go"):
        return str(PurePosixPath(package).parent)
    if package.endswith("..."):
        return str(PurePosixPath(package.removesuffix("...").rstrip("/") or "."))
    return package


def _in_context(
    inside: PurePosixPath, copies: list[tuple[PurePosixPath, str]], context: Path
) -> Path | None:
    """The context directory the image directory ``inside`` holds a copy of: through the
    deepest copy whose destination holds it."""
    best: tuple[int, Path] | None = None
    for destination, source in copies:
        if not (inside == destination or inside.is_relative_to(destination)):
            continue
        origin = (context / source.removeprefix("./")).resolve()
        if not origin.is_dir() or not origin.is_relative_to(context):
            continue
        depth = len(destination.parts)
        if best is None or depth > best[0]:
            best = (depth, origin.joinpath(*inside.relative_to(destination).parts))
    return best[1].resolve() if best is not None else None
