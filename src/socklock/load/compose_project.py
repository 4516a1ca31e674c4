"""Compose files as ``docker compose`` reads them, assembled into projects before any rule runs.

For each compose file found (a project's main file): ``${VAR}`` substitution from the
``.env`` beside it, which also gives ``environment`` entries without a value theirs (never
from the environment socklock runs in: a scan is hermetic); the override file that
``docker compose`` merges into the main file it picks (load/compose_files.py) merged in;
version-1 files (services at the top level) read as ``services:``; top-level ``include``
files added (a service defined twice is an error, as in compose); ``extends`` resolved in
the same file and across files (a cycle is an error naming the chain); services of a
profile that the ``.env``'s ``COMPOSE_PROFILES`` does not enable left out, with a warning.
A file that another project includes or overrides is part of that project, not one of its
own. Values inherited through ``extends`` point at the ``extends:`` line that brought them.
"""

# ruff: noqa: PTH100, PTH112, PTH117, PTH118, PTH119, PTH120
# (paths stay the strings the user will see in messages)

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socklock.load.compose import (
    is_compose_file_name,
    is_compose_v1,
    load_compose,
    project_name,
)
from socklock.load.compose_files import main_and_override
from socklock.load.compose_merge import copy_tree, merge_service
from socklock.load.compose_runs import add_run_services
from socklock.load.env_files import read_env_file, read_project_env
from socklock.load.interpolate import Interpolation
from socklock.load.launch_scripts import documented_profiles, launch_variables
from socklock.load.limits import Limits
from socklock.load.text import read_text
from socklock.load.yamlread import load_yaml
from socklock.model import (
    ComposeEnv,
    ComposeProject,
    Diagnostic,
    DiagnosticLevel,
    Location,
    YMap,
    YSeq,
)
from socklock.model.document import is_reset, position_of

_PATH_KEYS = ("env_file",)
MAX_CHAIN = 32  # extends links and include levels followed; real projects use two or three


@dataclass(frozen=True, slots=True)
class ComposeFile:
    """A parsed compose document as the walk found it."""

    file: str
    value: YMap
    line: int


@dataclass(slots=True)
class _Context:
    files: dict[str, ComposeFile]  # absolute path -> the walked document
    limits: Limits
    diagnostics: list[Diagnostic] = field(default_factory=list)
    roots: tuple[str, ...] = ()  # real paths of the directories input may come from
    loaded: dict[str, YMap | None] = field(default_factory=dict)  # files read for include/extends
    extended: set[str] = field(default_factory=set)  # files other files extend services of

    def raw(self, path: str, display: str, where: Location) -> YMap | None:
        """A compose file's document (walked, or read now for an include or extends)."""
        absolute = os.path.abspath(path)
        walked = self.files.get(absolute)
        if walked is not None:
            return walked.value
        if absolute in self.loaded:
            return self.loaded[absolute]
        value: YMap | None = None
        if not self._inside_roots(absolute):
            self.diagnostics.append(
                Diagnostic(
                    where,
                    f"{display} is outside the input paths: not read",
                    DiagnosticLevel.WARNING,
                )
            )
            self.loaded[absolute] = None
            return None
        text = read_text(Path(absolute), display, self.limits)
        if isinstance(text, Diagnostic):
            self.diagnostics.append(Diagnostic(where, f"cannot read {display}: {text.message}"))
        else:
            for item in load_yaml(text.text, display, self.limits):
                if isinstance(item, Diagnostic):
                    self.diagnostics.append(item)
                elif value is None and isinstance(item.value, YMap):
                    value = item.value
        self.loaded[absolute] = value
        return value

    def read(self, path: str, *, report: bool = True) -> str | None:
        """An env file's text under the limits; None when it cannot be read (why: a
        diagnostic, when ``report``)."""
        text = read_text(Path(path), path, self.limits)
        if isinstance(text, Diagnostic):
            if report:
                self.diagnostics.append(text)
            return None
        return text.text

    def shown(self, path: str) -> str:
        """How messages name ``path``: as the walk found it, else as given."""
        walked = self.files.get(os.path.abspath(path))
        return path if walked is None else walked.file

    def root_of(self, path: str) -> str | None:
        """The input root ``path`` lies in (setup steps are read up to it), or None."""
        real = os.path.realpath(path)
        for root in self.roots:
            if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
                return root
        return None

    def _inside_roots(self, path: str) -> bool:
        """A file an include or extends names is read only inside the paths given (after
        resolving links), as the walk itself never leaves them."""
        real = os.path.realpath(path)
        return any(
            real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots
        )


def assemble_projects(
    files: list[ComposeFile], limits: Limits, roots: Sequence[str] = ()
) -> tuple[list[ComposeProject], list[Diagnostic]]:
    """One project per main compose file, with its overrides, includes and extends.

    ``roots``: the paths the user gave (a file stands for its directory); files outside
    them are not read. Empty: the directories of ``files``."""
    by_path: dict[str, ComposeFile] = {}
    for item in files:
        by_path.setdefault(os.path.abspath(item.file), item)
    given = roots or [os.path.dirname(p) for p in by_path]
    real_roots = tuple(
        os.path.realpath(r if os.path.isdir(r) else os.path.dirname(r) or ".") for r in given
    )
    context = _Context(by_path, limits, roots=real_roots)
    overrides = _overrides(by_path)
    built: list[tuple[str, ComposeProject, set[str]]] = []
    for path, item in by_path.items():
        if path in overrides.values():
            continue
        override = overrides.get(path)
        project, parts = _project(item, () if override is None else (override,), context)
        built.append((path, project, parts))
    mains = _main_files(by_path)
    included: set[str] = set()
    for path, _, parts in built:
        for part in parts - {path}:
            # What ``docker compose`` reads by default in a directory stays a deployment of
            # its own when a variant beside it includes it (``-f compose-extras.yml``).
            if part not in mains or os.path.dirname(part) != os.path.dirname(path):
                included.add(part)
    # A file that only lends services to extends (common.yml) is not a project of its own;
    # one named like a compose file (docker-compose.yml extended by a variant) still is.
    included.update(p for p in context.extended if not is_compose_file_name(os.path.basename(p)))
    projects = [project for path, project, _ in built if path not in included]
    return projects, context.diagnostics


def _main_files(by_path: dict[str, ComposeFile]) -> set[str]:
    """The main file ``docker compose`` reads by default in each directory (compose_files)."""
    in_directory: dict[str, set[str]] = {}
    for path in by_path:
        in_directory.setdefault(os.path.dirname(path), set()).add(os.path.basename(path))
    mains = ((d, main_and_override(names)[0]) for d, names in in_directory.items())
    return {os.path.join(d, main) for d, main in mains if main is not None}


def _overrides(by_path: dict[str, ComposeFile]) -> dict[str, str]:
    """Main file -> the override file ``docker compose`` merges into it (compose_files)."""
    in_directory: dict[str, set[str]] = {}
    for path in by_path:
        in_directory.setdefault(os.path.dirname(path), set()).add(os.path.basename(path))
    out: dict[str, str] = {}
    for directory, names in in_directory.items():
        main, override = main_and_override(names)
        if main is not None and override is not None:
            out[os.path.join(directory, main)] = os.path.join(directory, override)
    return out


def assemble_layered(
    files: Sequence[str], limits: Limits, roots: Sequence[str] = ()
) -> tuple[ComposeProject | None, list[Diagnostic]]:
    """The project ``docker compose -f files[0] -f files[1] ...`` reads: the first file
    (with its includes), each next one merged over it in order, and no other file (the
    directory's default override is read only when listed). None when the first file is
    not a compose document."""
    given = roots or [os.path.dirname(f) for f in files]
    real_roots = tuple(
        os.path.realpath(r if os.path.isdir(r) else os.path.dirname(r) or ".") for r in given
    )
    context = _Context({}, limits, roots=real_roots)
    first = files[0]
    value = context.raw(first, first, Location(first, 1))
    if value is None or not isinstance(value.get("services"), YMap):
        return None, context.diagnostics
    project, _ = _project(ComposeFile(first, value, 1), tuple(files[1:]), context)
    return project, context.diagnostics


def _project(
    item: ComposeFile, overrides: Sequence[str], context: _Context
) -> tuple[ComposeProject, set[str]]:
    """The assembled project of one main file merged with ``overrides`` in order, and every
    file that went into it."""
    directory = os.path.dirname(item.file)
    dotenv = _dotenv(directory, context)
    launched, said = launch_variables(directory or ".", context.root_of(directory or "."))
    dotenv.update(launched)  # the shell's environment wins over .env
    context.diagnostics.extend(d for d in said if d not in context.diagnostics)
    env = _values(dotenv)
    # the shell's working directory, which ``$PWD/config:/config`` mounts: where compose is
    # run, the project's directory (unless .env or the launch script says otherwise)
    env.setdefault("PWD", os.path.abspath(directory or "."))
    interpolation = Interpolation(env)
    document = _normalised(interpolation.tree(copy_tree(item.value), item.file))
    parts = {os.path.abspath(item.file)}
    service_files: dict[str, str] = {}
    included_env: dict[str, dict[str, ComposeEnv]] = {}
    _include(
        document,
        item.file,
        _Env(interpolation, dotenv),
        context,
        parts,
        service_files,
        [item.file],
        included_env,
    )
    for override in overrides:  # merged over the model the main file's includes completed
        overriding = context.raw(override, override, Location(item.file, 1))
        if overriding is None:
            continue
        parts.add(os.path.abspath(override))
        shown = context.shown(override)
        _merge_override(
            document,
            _normalised(interpolation.tree(copy_tree(overriding), shown)),
            shown,
            service_files,
        )
    _report_missing(interpolation, context)
    _resolve_extends(document, item.file, service_files, interpolation, context)
    _apply_profiles(document, env, item.file, context)
    service_files.update(_run_services(document, item.file))
    passed = {str(name): included_env.get(str(name), dotenv) for name in document["services"]}
    project, problems = load_compose(document, item.file, service_files, passed)
    context.diagnostics.extend(problems)
    return project, parts


def _run_services(document: YMap, file: str) -> dict[str, str]:
    """The containers the scripts beside ``file`` start on its networks, added as services
    (:mod:`socklock.load.compose_runs`); each one's script."""
    declared = document.get("networks")
    networks = {
        str(key): str(spec["name"])
        if isinstance(spec, dict) and isinstance(spec.get("name"), str)
        else ""
        for key, spec in (declared.items() if isinstance(declared, dict) else ())
    }
    services = document["services"]
    if not isinstance(services, YMap):
        return {}
    return add_run_services(services, networks, project_name(document, file), os.path.dirname(file))


def _dotenv(directory: str, context: _Context) -> dict[str, ComposeEnv]:
    """The project's ``.env`` beside its compose file: what ``${VAR}`` and pass-through
    ``environment`` entries read (the shell's environment is not: a scan is hermetic)."""
    found = read_project_env(directory, context.root_of(directory or "."), context.read)
    if found.template is not None:  # a new clone: the repository's template for its .env
        said = Diagnostic(
            Location(found.template),
            f"no .env beside it: its values read from {os.path.basename(found.template)}, "
            "the template the repository ships for it",
            DiagnosticLevel.WARNING,
        )
        if said not in context.diagnostics:  # once, whatever the files beside it
            context.diagnostics.append(said)
    return found.entries


def _values(entries: dict[str, ComposeEnv]) -> dict[str, str]:
    return {name: entry.value or "" for name, entry in entries.items()}


@dataclass(frozen=True, slots=True)
class _Env:
    """The variables a compose file is read with: for ``${VAR}`` and pass-through entries."""

    interpolation: Interpolation
    entries: dict[str, ComposeEnv]


def _report_missing(interpolation: Interpolation, context: _Context) -> None:
    """One warning per required variable left unset, at its place: the value reads as
    empty and the rest of the file maps (a deployment the user can name is never dropped
    for it), though ``docker compose`` itself would refuse to start."""
    for missing, where in zip(interpolation.missing, interpolation.missing_at, strict=True):
        said = Diagnostic(
            where,
            f"required variable {missing} (not set in .env; compose would refuse to start)",
            DiagnosticLevel.WARNING,
        )
        if said not in context.diagnostics:
            context.diagnostics.append(said)
    interpolation.missing.clear()
    interpolation.missing_at.clear()


def _normalised(document: Any) -> YMap:
    """A compose document with a ``services`` mapping (a version-1 file gets one)."""
    if not isinstance(document, YMap):
        return YMap(services=YMap())
    if is_compose_v1(document):
        services = YMap((k, v) for k, v in document.items() if k != "version")
        services.position = document.position
        services.key_positions = dict(document.key_positions)
        wrapped = YMap(services=services)
        wrapped.position = document.position
        wrapped.key_positions = {"services": document.position}
        return wrapped
    if not isinstance(document.get("services"), YMap):
        document["services"] = YMap()
    return document


# --- merging (override files and extends) -------------------------------------------------


def _merge_override(
    document: YMap, override: YMap, override_file: str, service_files: dict[str, str]
) -> None:
    """Compose's merge of an override file into the main document.

    A service the override defines is, after the merge, the override's: what it writes wins,
    so findings point there and fixes are written there. What it keeps from the main file
    points at the override's service (its first key), the place where a change would win."""
    services: YMap = document["services"]
    for name, body in override["services"].items():
        if is_reset(body):  # ``search: !reset []``: the override removes the service
            if name in services:
                del services[name]
            service_files.pop(str(name), None)
            continue
        if name in services and isinstance(services[name], YMap) and isinstance(body, YMap):
            at = body.key_positions.get(next(iter(body), ""), body.position)
            merged = merge_service(copy_tree(services[name], at), body)
            if "extends" in services[name]:
                merged["extends"] = copy_tree(services[name]["extends"], at)
                merged.key_positions["extends"] = at
            services[name] = merged
            services.key_positions[name] = override["services"].key_positions.get(name, (0, 0))
            service_files[str(name)] = override_file
        else:
            services[name] = body
            services.key_positions[name] = override["services"].key_positions.get(name, (0, 0))
            service_files[str(name)] = override_file
    for key, value in override.items():
        if key == "services":
            continue
        if isinstance(value, YMap) and isinstance(document.get(key), YMap):
            document[key].update(copy_tree(value, document.key_positions.get(key, (1, 1))))
        else:
            document[key] = copy_tree(value, (1, 1))


# --- include ------------------------------------------------------------------------------


def _include_paths(entry: Any) -> tuple[list[str], str | None]:
    if isinstance(entry, str):
        return [entry], None
    if isinstance(entry, dict):
        paths = entry.get("path")
        env_file = entry.get("env_file")
        listed = (
            [paths] if isinstance(paths, str) else [p for p in paths or [] if isinstance(p, str)]
        )
        return listed, env_file if isinstance(env_file, str) else None
    return [], None


def _include(
    document: YMap,
    file: str,
    outer: _Env,
    context: _Context,
    parts: set[str],
    service_files: dict[str, str],
    chain: list[str],
    service_env: dict[str, dict[str, ComposeEnv]],
) -> None:
    """Add the services of the ``include``d files; ``service_env`` gets, for each, the
    variables its file is read with (the includer's, its own ``.env``, the ``env_file``)."""
    entries = document.get("include")
    if not isinstance(entries, YSeq):
        return
    services: YMap = document["services"]
    for index, entry in enumerate(entries):
        where = Location(file, *position_of(entries, index))
        paths, env_file = _include_paths(entry)
        for relative in paths:
            path = os.path.normpath(os.path.join(os.path.dirname(file), relative))
            if len(chain) > MAX_CHAIN:
                context.diagnostics.append(
                    Diagnostic(where, f"include nested deeper than {MAX_CHAIN} files: not followed")
                )
                continue
            if path in chain or os.path.abspath(path) in map(os.path.abspath, chain):
                context.diagnostics.append(
                    Diagnostic(where, "include cycle: " + " -> ".join([*chain, path]))
                )
                continue
            raw = context.raw(path, path, where)
            if raw is None:
                continue
            parts.add(os.path.abspath(path))
            entries = dict(outer.entries)
            entries.update(_dotenv(os.path.dirname(path), context))
            if env_file is not None:
                entries.update(_env_file(os.path.join(os.path.dirname(file), env_file), context))
            inner = Interpolation(_values(entries))
            included = _normalised(inner.tree(copy_tree(raw), path))
            _report_missing(inner, context)
            inner_files: dict[str, str] = {}
            inner_env: dict[str, dict[str, ComposeEnv]] = {}
            _include(
                included,
                path,
                _Env(inner, entries),
                context,
                parts,
                inner_files,
                [*chain, path],
                inner_env,
            )
            _resolve_extends(included, path, inner_files, inner, context)
            for name, body in included["services"].items():
                if name in services:
                    context.diagnostics.append(
                        Diagnostic(
                            where,
                            f"service {name!r} is defined in {service_files.get(name, file)} "
                            f"and in the included {inner_files.get(name, path)}",
                        )
                    )
                    continue
                services[name] = body
                services.key_positions[name] = included["services"].key_positions.get(name, (0, 0))
                service_files[name] = inner_files.get(name, path)
                service_env[str(name)] = inner_env.get(str(name), entries)
            for key in ("networks", "volumes", "configs", "secrets"):
                if isinstance(included.get(key), YMap):
                    target = document.setdefault(key, YMap())
                    if isinstance(target, YMap):
                        for k, v in included[key].items():
                            target.setdefault(k, v)


def _env_file(path: str, context: _Context) -> dict[str, ComposeEnv]:
    top = context.root_of(os.path.dirname(path) or ".")
    return read_env_file(path, top, lambda chosen: context.read(chosen, report=False)).entries


# --- extends ------------------------------------------------------------------------------


def _extends_target(body: YMap, file: str) -> tuple[str, str] | None:
    """(file, service) that ``body`` extends, or None."""
    spec = body.get("extends")
    if isinstance(spec, str):
        return file, spec
    if isinstance(spec, dict) and isinstance(spec.get("service"), str):
        other = spec.get("file")
        if isinstance(other, str):
            return os.path.normpath(os.path.join(os.path.dirname(file), other)), spec["service"]
        return file, spec["service"]
    return None


def _resolve_extends(
    document: YMap,
    file: str,
    service_files: dict[str, str],
    interpolation: Interpolation,
    context: _Context,
) -> None:
    services: YMap = document["services"]
    resolved: dict[tuple[str, str], YMap] = {}
    for name in list(services):
        body = services[name]
        if isinstance(body, YMap) and "extends" in body:
            source = service_files.get(str(name), file)
            services[name] = _resolved(
                body, str(name), source, services, interpolation, context, resolved, []
            )


def _resolved(
    body: YMap,
    name: str,
    file: str,
    services: YMap,
    interpolation: Interpolation,
    context: _Context,
    done: dict[tuple[str, str], YMap],
    chain: list[tuple[str, str]],
) -> YMap:
    """``body`` with its ``extends`` chain merged in (each link at most once)."""
    key = (os.path.abspath(file), name)
    if key in done:
        return done[key]
    target = _extends_target(body, file)
    if target is None:
        return body
    at = body.key_positions.get("extends", body.position)
    where = Location(file, *at)
    other_file, other_name = target
    other_key = (os.path.abspath(other_file), other_name)
    if len(chain) >= MAX_CHAIN:
        context.diagnostics.append(
            Diagnostic(where, f"extends chain longer than {MAX_CHAIN} services: not followed")
        )
        return _without_extends(body)
    if other_key in [*chain, key]:
        names = [f"{n} ({os.path.basename(f)})" for f, n in [*chain, key, other_key]]
        context.diagnostics.append(Diagnostic(where, "extends cycle: " + " -> ".join(names)))
        return _without_extends(body)
    if os.path.abspath(other_file) == os.path.abspath(file):
        pool: Any = services
    else:
        raw = context.raw(other_file, other_file, where)
        context.extended.add(os.path.abspath(other_file))
        pool = (
            _normalised(interpolation.tree(copy_tree(raw), other_file))["services"]
            if raw is not None
            else None
        )
    base = pool.get(other_name) if isinstance(pool, YMap) else None
    if not isinstance(base, YMap):
        if pool is not None:
            context.diagnostics.append(
                Diagnostic(where, f"extends names no service {other_name!r} in {other_file}")
            )
        return _without_extends(body)
    base = _resolved(
        base, other_name, other_file, pool, interpolation, context, done, [*chain, key]
    )
    inherited = copy_tree(base, at)
    if other_file != file:
        _rebase_paths(inherited, os.path.dirname(other_file), os.path.dirname(file))
    merged = merge_service(inherited, body)
    done[key] = merged
    return merged


def _without_extends(body: YMap) -> YMap:
    out: YMap = copy_tree(body)
    out.pop("extends", None)
    return out


def _rebase_paths(body: YMap, base_dir: str, here: str) -> None:
    """Relative paths in an inherited service stay relative to the file that wrote them."""

    def rebase(path: str) -> str:
        if os.path.isabs(path) or "://" in path:
            return path
        return os.path.relpath(os.path.join(base_dir or ".", path), here or ".")

    build = body.get("build")
    if isinstance(build, str):
        body["build"] = rebase(build)
    elif isinstance(build, YMap):
        build["context"] = rebase(str(build.get("context", ".")))
    for key in _PATH_KEYS:
        value = body.get(key)
        if isinstance(value, str):
            body[key] = rebase(value)
        elif isinstance(value, YSeq):
            for index, entry in enumerate(value):
                if isinstance(entry, str):
                    value[index] = rebase(entry)

    def host_path(path: str) -> str:  # ``./x`` stays a path, not a named volume ``x``
        moved = rebase(path)
        return moved if moved.startswith((".", "/")) else f"./{moved}"

    volumes = body.get("volumes")
    if not isinstance(volumes, YSeq):
        return
    for index, entry in enumerate(volumes):
        # a bind mount's host path (``../proxy:/etc/nginx/templates``); a named volume stays
        if isinstance(entry, str) and entry.startswith("."):
            host, sep, rest = entry.partition(":")
            volumes[index] = host_path(host) + sep + rest
        elif isinstance(entry, YMap) and entry.get("type") == "bind":
            source = entry.get("source")
            if isinstance(source, str) and source.startswith("."):
                entry["source"] = host_path(source)


# --- profiles -----------------------------------------------------------------------------

_BASE_PROFILES = ("base", "core")  # what a project's own setup enables before any extra


def _apply_profiles(document: YMap, env: dict[str, str], file: str, context: _Context) -> None:
    """Leave out services whose profiles are not enabled (``COMPOSE_PROFILES`` in .env, else
    the ``--profile`` flags of the README's ``docker compose up`` commands: what it says to
    start is the application, with a warning).

    A file whose every service is in a profile, with no ``COMPOSE_PROFILES`` set (the
    repository leaves it to an uncommitted ``.env``), would map to nothing: every profile
    is read then, as ``COMPOSE_PROFILES=*``, and a warning says so. In a file that has
    services outside any profile too, a profile named as the application's base
    (``base``, ``core``: the setup script that enables it is not compose) is read with
    them, also with a warning."""
    enabled = {p.strip() for p in env.get("COMPOSE_PROFILES", "").split(",") if p.strip()}
    services: YMap = document["services"]
    profiled: list[list[object]] = [
        body["profiles"]
        for body in services.values()
        if isinstance(body, YMap) and isinstance(body.get("profiles"), list) and body["profiles"]
    ]
    used = {str(p) for profiles in profiled for p in profiles}
    base = next((p for p in _BASE_PROFILES if p in used), None)
    directory = os.path.dirname(file) or "."
    started, told = (
        documented_profiles(directory, context.root_of(directory))
        if "COMPOSE_PROFILES" not in env and profiled
        else ((), None)
    )
    if told is not None and used.intersection(started):
        enabled = set(started)
        context.diagnostics.append(
            Diagnostic(
                Location(file),
                f"COMPOSE_PROFILES is not set: profiles {', '.join(started)} read as the README "
                f"starts them ({told.file}:{told.line})",
                DiagnosticLevel.WARNING,
            )
        )
    elif "COMPOSE_PROFILES" not in env and base is not None and len(profiled) < len(services):
        enabled = {base}
        context.diagnostics.append(
            Diagnostic(
                Location(file),
                f"COMPOSE_PROFILES is not set: profile {base} read as the application's base",
                DiagnosticLevel.WARNING,
            )
        )
    if (
        told is None
        and "COMPOSE_PROFILES" not in env
        and profiled
        and len(profiled) == len(services)
    ):
        names = sorted({str(p) for profiles in profiled for p in profiles})
        context.diagnostics.append(
            Diagnostic(
                Location(file),
                "every service is in a profile and COMPOSE_PROFILES is not set: all profiles "
                f"read ({', '.join(names)})",
                DiagnosticLevel.WARNING,
            )
        )
        return
    left_out: dict[str, list[str]] = {}
    for name, body in list(services.items()):
        profiles = body.get("profiles") if isinstance(body, YMap) else None
        if not isinstance(profiles, list) or not profiles:
            continue
        if "*" in enabled or enabled.intersection(str(p) for p in profiles):
            continue
        for profile in profiles:
            left_out.setdefault(str(profile), []).append(str(name))
        del services[name]
    if left_out:
        listed = "; ".join(f"{p}: {', '.join(sorted(set(n)))}" for p, n in sorted(left_out.items()))
        context.diagnostics.append(
            Diagnostic(
                Location(file),
                f"services of profiles not enabled (COMPOSE_PROFILES) left out: {listed}",
                DiagnosticLevel.WARNING,
            )
        )
