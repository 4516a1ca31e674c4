"""Which workload a source file belongs to: the one whose build context contains it.

Build contexts come from, in order of trust: a ``socklock.toml`` ``[code.owners]`` table
(path prefix → workload id), compose ``build:`` contexts, build units (a CMake target's
files: the service whose command runs it), compose bind mounts (what a service mounts it
runs), and Dockerfile directories matched
to a workload by image name or directory name (a repo-per-service layout where the repo or
directory is named like the image; a Dockerfile in a generic ``src/`` or ``app/`` directory
is matched by the name of the directory above it). The deepest context that contains a file
wins. A library that several build units include (a .NET project several services
reference) is code of each of them. A service built FROM the repository's own image (a
compose ``build: ./docker`` that adds an entry script) runs the repository's code.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from socklock.discover.asset_builders import builds_assets
from socklock.discover.build_scripts import script_builds
from socklock.discover.commands import service_words
from socklock.discover.entrypoints import command_line, entry_paths, run_words
from socklock.discover.name_table import NameTable
from socklock.model import BuildUnit, ComposeProject, ComposeService, Dockerfile, Inventory


@dataclass(frozen=True, slots=True)
class Context:
    directory: Path
    workload: str  # graph id: ns/name or project/service
    why: str
    shared: bool = False  # a file that configures several services: it calls none of them
    mounted: bool = False  # bind-mounted into the workload: config in it counts when read
    served: bool = False  # a config server hands the file to the workload
    # a shared tree mounted with a ``working_dir`` inside it: the program's own directory
    # (the rest of the tree is library code: :mod:`socklock.discover.reach`)
    program: Path | None = None
    container: str = ""  # where a bind mount puts it in the workload's container
    # of a mounted directory, the files the service's command or healthcheck names: it runs
    # those (``mongosh /scripts/replica-set.js``), not every script kept beside them
    named: frozenset[Path] = frozenset()
    # the words of the command a service runs one program with (``app search``): of a
    # program several services run, it runs what its subcommand dispatches to
    arguments: tuple[str, ...] = ()
    # the file suffixes the program compiles, when the context holds other files it does
    # not run (a Go module's root: its scripts and config files are no program's code)
    only: tuple[str, ...] = ()
    # the program is an entry point of the tree (a sibling's ``python -m app.worker``): it
    # runs the modules it imports, not every module naming what it names
    imports: bool = False
    # of a build context, what the Dockerfile copies into the image (empty: all of it)
    copied: tuple[Path, ...] = ()

    def runs_file(self, path: str) -> bool:
        """Whether the workload runs the code file ``path`` of this context: any file of it,
        but of a mounted directory whose files its command names, only those and the
        files they mention (a helper module they import); of a build that copies only
        some of its context, only what it copies."""
        if self.only and not path.endswith(self.only):
            return False
        if self.copied and not any(Path(path).resolve().is_relative_to(c) for c in self.copied):
            return False
        if not self.named:
            return True
        resolved = Path(path).resolve()
        if resolved in self.named:
            return True
        return any(_mentions(named, resolved.stem) for named in self.named)


def _image_name(image: str | None) -> str | None:
    if not image:
        return None
    name = image.split("@")[0].rsplit("/", 1)[-1]
    return name.split(":")[0] or None


_TAG_VERSION = re.compile(r"-(?:latest|main|master|dev|v?\d[\w.]*)$")


def _tag_name(image: str | None) -> str | None:
    """The component a shared image repository's tag names: ``org/app:web-1.2`` and
    ``org/app:web-latest`` are images of ``web`` (one repository, a tag per service). A
    tag without such a version suffix (``alpine``, ``1.2``) names no component."""
    if not image or ":" not in image.split("@")[0].rsplit("/", 1)[-1]:
        return None
    tag = image.split("@")[0].rsplit(":", 1)[-1]
    name = _TAG_VERSION.sub("", tag)
    return name if name != tag and re.search(r"[A-Za-z]", name) else None


def _image_names(image: str | None) -> set[str]:
    return {n for n in (_image_name(image), _tag_name(image)) if n}


def _repository(image: str) -> str:
    """The image without tag, digest and Docker Hub's implicit prefixes."""
    name = image.split("@")[0].lower()
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    return name.removeprefix("docker.io/").removeprefix("library/")


def _unhosted(image: str) -> str:
    """The repository of ``image`` without its registry host: a build tags
    ``org/app`` and a manifest pulls it as ``ghcr.io/org/app`` once pushed."""
    name = _repository(image)
    host, _, rest = name.partition("/")
    if rest and ("." in host or ":" in host or host == "localhost"):
        return rest
    return name


def running_image(inventory: Inventory, aliases: dict[str, str], image: str) -> set[str]:
    """The graph ids of the workloads and compose services that run ``image`` (any tag,
    any registry host)."""
    wanted = _unhosted(image)
    found = {
        workload.id
        for workload in inventory.workloads
        if workload.owner is None
        and any(c.image and _unhosted(c.image) == wanted for c in workload.containers)
    }
    found.update(
        aliases.get(service.id, service.id)
        for project in inventory.compose_projects
        for service in project.services
        if service.image and _unhosted(service.image) == wanted
    )
    return found


def workload_names(inventory: Inventory, aliases: dict[str, str]) -> NameTable:
    """Name → the graph ids it may stand for: workload and service names, the images they
    run (``org/shop-api:1`` → ``shop-api``) and a shared repository's tags."""
    by_name = NameTable()
    for workload in inventory.workloads:
        if workload.owner is not None:
            continue
        by_name.add(workload.name, workload.id)
        for container in workload.containers:
            for name in _image_names(container.image):
                by_name.add(name, workload.id)
    for project in inventory.compose_projects:
        for service in project.services:
            graph_id = aliases.get(service.id, service.id)
            for name in {service.name, *_image_names(service.image)}:
                by_name.add(name, graph_id)
    return by_name


def build_contexts(inventory: Inventory, aliases: dict[str, str]) -> list[Context]:
    """Every directory that is the build context of a known workload, deepest first."""
    from socklock.discover.identity import server_build

    contexts: dict[Path, Context] = {}
    by_name = workload_names(inventory, aliases)
    replicas: list[Context] = []
    for project in inventory.compose_projects:
        builders: dict[Path, list[tuple[str, str, bool]]] = {}  # context → (id, service, runs)
        helpers: set[str] = set()  # services that only build assets
        for service in project.services:
            graph_id = aliases.get(service.id, service.id)
            server = server_build(inventory, service)
            if server is not None:  # a server's image over a wider context: not its code
                contexts.setdefault(
                    server, Context(server, graph_id, f"Dockerfile of {service.id}")
                )
                continue
            if service.build_context:
                directory = Path(service.build_context).resolve()
                line = command_line(service.body, "entrypoint", "command")
                # a command naming no file of the build (``sidekiq``, ``dev_worker``) runs
                # the image's code base as a whole, as the image's own command does; so does
                # a shell script (``./bin/run-prod.sh`` that execs gunicorn): a launcher
                runs_default = not any(
                    not (_launcher(path) or _console(path, directory))
                    for word in line
                    for path in entry_paths(word, directory)
                )
                builders.setdefault(directory, []).append((graph_id, service.id, runs_default))
                if builds_assets(service_words(service.body), directory):
                    helpers.add(service.id)
        replicas.extend(_image_runners(project, aliases, helpers))
        for directory, services in builders.items():
            # an asset watcher beside the application (``css: yarn build:css``) runs a
            # compiler over the tree, none of its code
            services = [s for s in services if s[1] not in helpers] or services
            # the one running the image's own command is the program; when each runs a
            # command of its own (``dev_server``, ``dev_worker``), the code is each one's
            default = [s for s in services if s[2]] or services
            graph_id, service_id, _ = default[0]
            # services sharing a context, each building its own program of it (a build arg
            # picks the directory): the rest of the context is library code
            programs = built_programs(inventory, project, directory) if len(services) > 1 else {}
            copied = copied_by_builds(inventory, project, directory)
            contexts[directory] = Context(
                directory,
                graph_id,
                f"compose build context of {service_id}",
                program=programs.get(service_id),
                copied=copied.get(service_id, ()),
            )
            if len(default) > 1:  # copies of one service (web1, web2): the code runs in each
                replicas.extend(
                    Context(
                        directory,
                        g,
                        f"compose build context of {s} (and {len(default) - 1} more)",
                        program=programs.get(s),
                        copied=copied.get(s, ()),
                    )
                    for g, s, _ in default
                )
    for dockerfile in inventory.dockerfiles:
        directory = Path(dockerfile.context_dir).resolve()
        if directory in contexts:
            continue
        owners = by_name.get(directory.name)
        if len(owners) == 1:
            (owner,) = owners
            contexts[directory] = Context(
                directory, owner, f"Dockerfile directory named like {owner}"
            )
            continue
        image = _one_image(inventory, aliases, owners)
        if image is not None:  # one image several services run, each with its command
            replicas.extend(
                Context(
                    directory, owner, f"Dockerfile directory named like {image}, run by {owner}"
                )
                for owner in sorted(owners)
            )
            continue
        named = _named_parent(directory, by_name) or _prefixed(directory, by_name)
        if named is not None:
            owner, parent = named
            contexts[directory] = Context(
                directory, owner, f"Dockerfile directory inside {parent.name}/, named like {owner}"
            )
    # a left-out compose file's builds; a context several images are built from (a
    # Dockerfile each picks its project) is none of theirs as a whole
    built_from: dict[Path, set[str]] = {}
    for image, context in inventory.image_builds:
        built_from.setdefault(Path(context).resolve(), set()).add(_repository(image))
    for image, context in inventory.image_builds:
        directory = Path(context).resolve()
        owners = by_name.get(_image_name(image) or "")
        if directory not in contexts and len(owners) == 1 and len(built_from[directory]) == 1:
            (owner,) = owners
            contexts[directory] = Context(
                directory, owner, f"builds image {image} (a compose file left out says so)"
            )
    for image, context in script_builds(tuple(inventory.roots)):  # ``docker build -t``
        directory = Path(context).resolve()
        runners = running_image(inventory, aliases, image)
        if directory not in contexts and len(runners) == 1:
            (owner,) = runners
            contexts[directory] = Context(
                directory, owner, f"builds image {image} (a build script says so)"
            )
        elif directory not in contexts and not any(r.directory == directory for r in replicas):
            # one image several workloads run, each with its command: the web server and
            # its workers (each one's part of it: :func:`_entry_programs`)
            replicas.extend(
                Context(directory, owner, f"builds image {image} (a build script says so)")
                for owner in sorted(runners)
            )
    entries: dict[str, dict[str, dict[Path, None]]] = {}  # image → workload → its entries
    shared = _add_units(inventory, aliases, contexts, entries, replicas) + replicas
    _add_host_built(inventory, contexts)
    shared = _entry_programs(entries, contexts, shared)
    shared += _add_mounts(inventory, aliases, contexts)
    for root in inventory.roots:
        for directory, owner in _configured_owners(Path(root)).items():
            contexts[directory] = Context(directory, owner, "socklock.toml [code.owners]")
    for root in inventory.roots:  # a repo per service: the root itself is named like it
        directory = Path(root).resolve()
        owners = by_name.get(directory.name)
        if directory.is_dir() and directory not in contexts and len(owners) == 1:
            (owner,) = owners
            contexts[directory] = Context(directory, owner, f"repository named like {owner}")
    for root in inventory.roots:
        directory = Path(root).resolve()
        if directory.is_dir() and directory not in contexts:
            names = {Path(root).absolute().name.lower(), directory.name.lower()}
            based = _built_on(inventory, aliases, names)
            shared.extend(
                Context(directory, owner, f"{service} is built FROM {image}, this repository's")
                for owner, service, image in based
            )
    every = [*contexts.values(), *shared]
    return sorted(every, key=lambda c: len(c.directory.parts), reverse=True)


def _one_image(inventory: Inventory, aliases: dict[str, str], owners: frozenset[str]) -> str | None:
    """The image repository every one of ``owners`` runs (compose services or workloads of
    one image: the web server and its workers), else None."""
    images: dict[str, set[str]] = {}
    for project in inventory.compose_projects:
        for service in project.services:
            graph_id = aliases.get(service.id, service.id)
            if graph_id in owners and service.image:
                images.setdefault(graph_id, set()).add(_unhosted(service.image))
    for workload in inventory.workloads:
        if workload.id in owners and workload.owner is None:
            images.setdefault(workload.id, set()).update(
                _unhosted(c.image) for c in workload.containers if c.image
            )
    found = {image for ran in images.values() for image in ran}
    return found.pop() if len(found) == 1 and set(images) == set(owners) else None


def _image_runners(
    project: ComposeProject, aliases: dict[str, str], helpers: set[str]
) -> list[Context]:
    """Services that run, without a build of their own, the image another service of the
    project builds (``celeryworker: image: org/app`` beside ``web: build: .`` tagged
    ``org/app``): the same code, started with another command (not an asset watcher's:
    ``helpers`` collects those)."""
    built: dict[str, tuple[Path, str]] = {}
    for service in project.services:
        name = _untagged(service.image)
        if service.build_context and name:
            built.setdefault(name, (Path(service.build_context).resolve(), service.id))
    found = []
    for service in project.services:
        name = _untagged(service.image)
        if service.build_context or name not in built:
            continue
        directory, builder = built[name]
        if builds_assets(service_words(service.body), directory):
            helpers.add(service.id)
            continue
        why = f"runs image {service.image}, which {builder} builds"
        found.append(Context(directory, aliases.get(service.id, service.id), why))
    return found


def _untagged(image: str | None) -> str:
    """An image reference without its tag or digest (``org/app:1`` → ``org/app``)."""
    if not image:
        return ""
    name = image.split("@")[0]
    last = name.rsplit("/", 1)[-1]
    return name[: len(name) - len(last)] + last.split(":")[0]


def _built_on(
    inventory: Inventory, aliases: dict[str, str], names: set[str]
) -> list[tuple[str, str, str]]:
    """(graph id, service, image) of the compose services whose Dockerfile builds FROM the
    image of the repository (its name is one of ``names``): a thin layer (an entry point
    script) over the program whose code is the repository."""
    by_path = {Path(d.path).resolve(): d for d in inventory.dockerfiles}
    found = []
    for project in inventory.compose_projects:
        for service in project.services:
            if not service.build_context:
                continue
            path = Path(service.build_context, service.dockerfile or "Dockerfile").resolve()
            dockerfile = by_path.get(path)
            if dockerfile is None or not dockerfile.stages:
                continue
            image = dockerfile.stages[-1].base_image
            if (_image_name(image) or "").lower() in names:
                found.append((aliases.get(service.id, service.id), service.id, image))
    return found


def built_programs(
    inventory: Inventory, project: ComposeProject, directory: Path
) -> dict[str, Path]:
    """Service id → the directory of the shared build context ``directory`` its build
    compiles or runs (:mod:`socklock.discover.build_programs`), for the services of
    ``project`` built there whose builds pick different directories."""
    from socklock.discover.build_programs import program_directory

    found: dict[str, Path] = {}
    for service, dockerfile, args, target in _builds_in(inventory, project, directory):
        program = program_directory(dockerfile, directory, args, target)
        if program is not None:
            found[service.id] = program
    return found if len(set(found.values())) > 1 else {}


def _builds_in(
    inventory: Inventory, project: ComposeProject, directory: Path
) -> Iterator[tuple[ComposeService, Dockerfile, dict[str, str], str | None]]:
    """The services of ``project`` built in ``directory``, each with its Dockerfile (when the
    input holds it), build args and target."""
    from socklock.discover.proxies.images import build_settings, dockerfile_at

    for service in project.services:
        if not service.build_context or Path(service.build_context).resolve() != directory:
            continue
        dockerfile = dockerfile_at(inventory, directory / (service.dockerfile or "Dockerfile"))
        if dockerfile is not None:
            yield (service, dockerfile, *build_settings(service))


def copied_by_builds(
    inventory: Inventory, project: ComposeProject, directory: Path
) -> dict[str, tuple[Path, ...]]:
    """Service id → what of the build context ``directory`` its Dockerfile copies into the
    image, for the services of ``project`` built there whose Dockerfile copies only part of
    it (:func:`socklock.discover.build_programs.copied_sources`)."""
    from socklock.discover.build_programs import copied_sources

    found: dict[str, tuple[Path, ...]] = {}
    for service, dockerfile, args, target in _builds_in(inventory, project, directory):
        copied = copied_sources(dockerfile, directory, args, target)
        if copied:
            found[service.id] = copied
    return found


def _add_host_built(inventory: Inventory, contexts: dict[Path, Context]) -> None:
    """A build unit whose own build script compiles its program into another folder that a
    workload's image is built from and copies it (:mod:`socklock.discover.host_built`):
    the unit's code runs in that workload."""
    from socklock.discover.host_built import built_into, copies

    for unit in inventory.units:
        if unit.kind != "go" or not unit.sources:
            continue
        directory = Path(unit.sources[0]).resolve()
        if directory in contexts or not directory.is_dir():
            continue
        for output, script in built_into(directory):
            target = contexts.get(output.parent.resolve())
            dockerfile = output.parent / "Dockerfile"
            if target is None or not copies(dockerfile, output.name):
                continue
            why = (
                f"{script.name} of go build unit {unit.name} builds {output.name} into the "
                f"build context of {target.workload}"
            )
            contexts[directory] = Context(directory, target.workload, why)
            break


def _add_units(
    inventory: Inventory,
    aliases: dict[str, str],
    contexts: dict[Path, Context],
    entries: dict[str, dict[str, dict[Path, None]]],
    images: list[Context],
) -> list[Context]:
    """Contexts of build units (into ``contexts``); returns the contexts that several
    services share: files that configure several services (a config repository's
    ``application.yml``) and libraries several services build in (each owns their code).
    ``entries`` collects, per shared image, the entry points each of its services runs;
    ``images``: the contexts of images several workloads run (what each one's is built
    from, before a build unit inside it)."""
    from socklock.discover.entrypoints import shared_image_commands
    from socklock.discover.identity import Identities, unit_id

    shared: list[Context] = []
    owned: list[tuple[BuildUnit, str]] = []  # each unit and the workload it is
    own: list[tuple[BuildUnit, str]] = []  # the units that are workloads of their own
    if inventory.units:  # the names of every workload are matched only to units
        identities = Identities(inventory, aliases)
        owned += [(u, identities.twins[u]) for u in identities.twins]
        owned += [(u, w) for u, versions in identities.versions.items() for w in versions]
        own = [(u, unit_id(u)) for u in (*identities.own, *(u for u in inventory.units if u.host))]
        # the build unit a host program's process runs (``go run ./cmd/orders``) runs there
        # as a unit of its own would
        hosted = {unit_id(u) for u in inventory.units if u.on_host}
        own += [(u, w) for u, w in identities.twins.items() if w in hosted]
        owned += own
        del identities
    claims: dict[Path, dict[str, str]] = {}  # directory → owner → why
    files: dict[Path, dict[str, str]] = {}  # a file several units' targets compile
    for unit, owner in owned:
        why = f"{unit.kind} build unit {unit.name}"
        for source in unit.sources:
            path = Path(source).resolve()
            (files if path.is_file() else claims).setdefault(path, {}).setdefault(owner, why)
    for directory, owners in claims.items():
        if len(owners) == 1 or directory in contexts:
            owner, why = next(iter(owners.items()))
            contexts.setdefault(directory, Context(directory, owner, why))
        else:  # a library several services build in: its code runs in each of them
            shared.extend(
                Context(directory, owner, f"{why}, a library {len(owners)} services reference")
                for owner, why in owners.items()
            )
    for unit, owner in owned:
        for file in unit.config_files:
            path = Path(file).resolve()
            if Path(file).stem.startswith("application"):
                why = f"config-server file shared by {unit.name} and other services"
                shared.append(Context(path, owner, why, shared=True, served=True))
            else:
                why = f"config-server file named after {unit.name}"
                contexts[path] = Context(path, owner, why, served=True)
    for path, owners in files.items():
        if len(owners) == 1:
            ((owner, why),) = owners.items()
            contexts.setdefault(path, Context(path, owner, why))
        elif path not in contexts:
            shared.extend(Context(path, o, f"{why} (and others)") for o, why in owners.items())
    context_of = {c.workload: c.directory for c in contexts.values() if c.directory.is_dir()}
    context_of.update((c.workload, c.directory) for c in images if c.directory.is_dir())
    commanded: dict[Path, dict[str, tuple[str, tuple[str, ...]]]] = {}
    for path, owner, why, line, image in shared_image_commands(inventory, aliases, context_of):
        commanded.setdefault(path, {})[owner] = (why, line)
        entries.setdefault(image, {}).setdefault(owner, {})[path] = None
    commands = {p: {o: why for o, (why, _) in owners.items()} for p, owners in commanded.items()}
    for path, owners in _imported_packages(commands).items():
        if len(owners) == 1:
            ((owner, why),) = owners.items()
            contexts[path] = Context(path, owner, why)
            continue
        # one program, a subcommand each (it runs in each, per its arguments), or a package
        # one service's command names and another's entry file imports
        contexts.pop(path, None)
        lines = commanded.get(path, {})
        shared.extend(
            Context(path, owner, why, arguments=lines.get(owner, ("", ()))[1])
            for owner, why in owners.items()
        )
    taken = set(contexts) | {c.directory for c in shared}
    return shared + _go_module_programs(own, taken)


def _entry_programs(
    entries: dict[str, dict[str, dict[Path, None]]],
    contexts: dict[Path, Context],
    shared: list[Context],
) -> list[Context]:
    """Of the services of one image that each run an entry point of their own (``python -m
    app.worker``, ``npm run $NPM_RUN_COMMAND`` picking ``worker``), the code they share is
    each one's in the part its entry point reaches (:mod:`socklock.discover.reach`), not
    every sibling's whole: the deepest context holding every entry point is made a
    shared tree with each service's entry point as its program, which runs the modules it
    imports (:mod:`socklock.discover.imports`): the last entry point its command
    line names of its own (``npm run config && node api.js``: the server it keeps running;
    the entry points they all name, a telemetry preload, are library code). Only when every
    service of the image has one and every owner of that context is one of them; else the
    context stays as it was (``contexts`` changes in place; returns the new ``shared``).
    Their contexts above it (the image's whole build context) are dropped: the entry points
    say where their program is."""
    for members in entries.values():
        programs: dict[str, Path] = {}
        for owner, paths in members.items():
            others = {p for o, named in members.items() if o != owner for p in named}
            own = [p for p in paths if p not in others]
            if own:
                programs[owner] = own[-1]
        if len(programs) < 2 or len(programs) != len(members):
            continue
        holding = [
            d
            for d in {*contexts, *(c.directory for c in shared)}
            if d.is_dir() and all(p != d and p.is_relative_to(d) for p in programs.values())
        ]
        if not holding:
            continue
        library = max(holding, key=lambda d: len(d.parts))
        at = [c for c in (contexts.get(library), *shared) if c and c.directory == library]
        if any(c.workload not in programs for c in at):
            continue
        whys = {c.workload: c.why for c in reversed(at)}
        imported = all(_imports_modules(entry) for entry in programs.values())
        contexts.pop(library, None)
        # the rest of the image's context (another app's config, a web UI's sources) is
        # code none of their entry points runs
        # and an entry point's own context (``celery -A proj``: the package ``proj/``, also
        # given whole to a sibling whose entry file names it) would keep from the others
        # what they import of it, or give it whole: the shared tree says what each runs
        entered = set(programs.values())
        shared = [
            c
            for c in shared
            if c.directory != library
            and not (c.workload in programs and library.is_relative_to(c.directory))
            and not (c.workload in programs and c.directory in entered and c.program is None)
        ]
        for directory in [d for d, c in contexts.items() if library.is_relative_to(d)]:
            if contexts[directory].workload in programs:
                del contexts[directory]
        for entry in entered:
            if entry in contexts and contexts[entry].workload in programs:
                del contexts[entry]
        shared.extend(
            Context(
                library,
                owner,
                f"{whys.get(owner, 'a sibling of its image')}: the part {entry.name} reaches",
                program=entry,
                imports=imported,
            )
            for owner, entry in sorted(programs.items())
        )
    return shared


def _imports_modules(entry: Path) -> bool:
    """Whether the entry point is a Python or JavaScript module (a file, or a package with
    its ``__main__``/``__init__``/``index``), whose imports say what it runs; of another
    language, what it names does (:mod:`socklock.discover.reach`)."""
    from socklock.discover.imports import IMPORTING

    if entry.is_file():
        return entry.suffix in IMPORTING
    return any(
        (entry / name).is_file() for name in ("__main__.py", "__init__.py", "index.js", "index.ts")
    )


def _go_module_programs(own: list[tuple[BuildUnit, str]], taken: set[Path]) -> list[Context]:
    """Go main packages of one module that run on their own (``cmd/orders``, ``cmd/billing``
    beside ``pkg/``, ``internal/``): the module's other packages are library code that each
    program runs in the part it reaches (:mod:`socklock.discover.reach`), so a client built
    in ``pkg/store`` is a call of the programs that name it. Only the module's ``.go`` files:
    its scripts and config files are no program's code. A module a deployment builds, or
    whose root a unit owns whole (its only main package), is left as it is."""
    by_module: dict[Path, list[tuple[Path, str, str]]] = {}
    for unit, owner in own:
        if unit.kind != "go" or not unit.sources or unit.host is not None:
            continue
        directory = Path(unit.sources[0]).resolve()
        module = _go_module(directory)
        if module is not None and module != directory:
            by_module.setdefault(module, []).append((directory, owner, unit.name))
    return [
        Context(
            module,
            owner,
            f"go build unit {name}: the code of module {module.name} it reaches",
            program=directory,
            only=(".go",),
        )
        for module, programs in by_module.items()
        if len(programs) > 1 and module not in taken
        for directory, owner, name in programs
    ]


def _go_module(directory: Path) -> Path | None:
    """The directory of the ``go.mod`` above ``directory`` (itself included), or None."""
    for candidate in (directory, *directory.parents):
        if (candidate / "go.mod").is_file():
            return candidate
    return None


def _imported_packages(commands: dict[Path, dict[str, str]]) -> dict[Path, dict[str, str]]:
    """``commands`` with each package directory that one service's command names (``celery
    -A proj``) also owned by the services whose entry file imports it (``manage.py`` setting
    ``DJANGO_SETTINGS_MODULE`` to ``proj.settings``): both run that package's code."""
    entries: dict[str, list[Path]] = {}
    for path, owners in commands.items():
        for owner in owners:
            if path.is_file():
                entries.setdefault(owner, []).append(path)
    out = {path: dict(owners) for path, owners in commands.items()}
    for path, owners in out.items():
        if not path.is_dir():
            continue
        for other, files in entries.items():
            importer = next((f for f in files if _imports(f, path.name)), None)
            if other not in owners and importer is not None:
                owners[other] = f"{importer.name}, the entry point of {other}, imports it"
    return out


@functools.cache
def _imports(path: Path, package: str) -> bool:
    """Whether the source file ``path`` imports ``package`` (``import proj``, ``from proj.x
    import``) or names one of its modules in a string (``"proj.settings"``, ``"proj:app"``),
    or, a shell script, on a command line (``exec gunicorn proj.wsgi``)."""
    try:
        text = path.read_bytes()[:MAX_NAMED_BYTES]
    except OSError:
        return False
    name = re.escape(package.encode())
    # a launcher script names it as a word of a command line: ``gunicorn proj.wsgi``
    quote = rb"(?:^|[\s\"'=])" if _launcher(path) else rb"[\"']"
    pattern = rb"(?:\b(?:import|from)\s+" + name + rb"\b)|(?:" + quote + name + rb"[.:]\w)"
    return re.search(pattern, text, re.MULTILINE) is not None


def _add_mounts(
    inventory: Inventory, aliases: dict[str, str], contexts: dict[Path, Context]
) -> list[Context]:
    """Files and directories of the tree a compose service bind-mounts: code and config it
    runs (``./lua-scripts:/usr/local/openresty/nginx/lua-scripts``, ``./config:/app/config``).
    A mount of a directory that holds another service's build context or code is a source
    checkout, not this service's own files: it adds nothing. A path several services mount
    is each of theirs (returned, as the contexts of a file shared by several services)."""
    from socklock.discover.proxies.mounts import compose_mounts

    known = [c.directory for c in contexts.values()]
    owners: dict[Path, dict[str, tuple[str, str]]] = {}
    programs: dict[tuple[Path, str], Path] = {}  # (mount, workload) → its working directory
    named: dict[tuple[Path, str], frozenset[Path]] = {}  # (mount, workload) → files it runs
    for project in inventory.compose_projects:
        working = {aliases.get(s.id, s.id): s.body.get("working_dir") for s in project.services}
        ran = {
            aliases.get(s.id, s.id): [*run_words(s.body), *(e.value or "" for e in s.environment)]
            for s in project.services
        }
        for mount in compose_mounts(project, aliases):
            host = mount.host.resolve()
            if not host.exists() or host in contexts:
                continue
            if host.is_dir() and any(k.is_relative_to(host) for k in known):
                continue
            why = f"mounted by {mount.workload} at {mount.container}"
            owners.setdefault(host, {}).setdefault(mount.workload, (why, str(mount.container)))
            program = _working_directory(host, mount.container, working.get(mount.workload))
            if program is not None:
                programs[host, mount.workload] = program
            if host.is_dir():
                named[host, mount.workload] = _named_files(
                    host, mount.container, ran.get(mount.workload, [])
                )
            elif str(mount.container) in ran.get(mount.workload, []):
                # a file its command or env names (``OTEL_CONFIG=/etc/otel.toml``): its config
                named[host, mount.workload] = frozenset({host})
    shared: list[Context] = []
    for host, mounted in owners.items():
        if len(mounted) == 1:
            ((workload, (why, container)),) = mounted.items()
            program = programs.get((host, workload))
            contexts[host] = Context(
                host,
                workload,
                why,
                mounted=True,
                program=program,
                container=container,
                named=named.get((host, workload), frozenset()),
            )
        else:
            shared.extend(
                Context(
                    host,
                    w,
                    why,
                    shared=True,
                    mounted=True,
                    program=programs.get((host, w)),
                    container=container,
                    named=named.get((host, w), frozenset()),
                )
                for w, (why, container) in mounted.items()
            )
    return shared


def _named_files(host: Path, container: PurePosixPath, ran: list[str]) -> frozenset[Path]:
    """The files of the mounted directory ``host`` that the words a service runs name by
    their path in the container (``/scripts/replica-set.js``)."""
    found: set[Path] = set()
    for word in ran:
        if not word.startswith("/"):
            continue
        inside = PurePosixPath(word)
        if inside == container or not inside.is_relative_to(container):
            continue
        path = host.joinpath(*inside.relative_to(container).parts)
        if path.is_file():
            found.add(path.resolve())
    return frozenset(found)


_SHELL_SHEBANG = re.compile(rb"#!\s*\S*/(?:env\s+)?(?:ba|da|z|a)?sh\b")


def _launcher(path: Path) -> bool:
    """Whether ``path`` is a shell script: it starts a program (gunicorn, a JVM, the app's
    own binary) that loads the code base as a whole, not one module of it."""
    if path.suffix == ".sh":
        return True
    if path.suffix or not path.is_file():
        return False
    return _first_line_matches(path, _SHELL_SHEBANG)


_SCRIPT_SHEBANG = re.compile(rb"#!\s*\S*/(?:env\s+)?(?:php|ruby|python[\d.]*|node|perl)\b")


def _console(path: Path, directory: Path) -> bool:
    """Whether ``path`` is the application's console, a suffix-less interpreter script at the
    root of the build or in its ``bin/`` (``php artisan horizon``, ``bin/console
    messenger:consume``, ``bin/rails``): it boots the framework with the whole code base and
    runs one of its commands."""
    if path.suffix or not path.is_file() or path.parent not in (directory, directory / "bin"):
        return False
    return _first_line_matches(path, _SCRIPT_SHEBANG)


def _first_line_matches(path: Path, shebang: re.Pattern[bytes]) -> bool:
    """Whether the file's first 64 bytes start with ``shebang`` (False if it cannot be read)."""
    try:
        with path.open("rb") as handle:
            return shebang.match(handle.read(64)) is not None
    except OSError:
        return False


@functools.cache
def _mentions(path: Path, stem: str) -> bool:
    """Whether the file ``path`` names ``stem`` (a module it imports or a script it runs)."""
    try:
        text = path.read_bytes()[:MAX_NAMED_BYTES]
    except OSError:
        return False
    return re.search(rb"\b" + re.escape(stem.encode()) + rb"\b", text) is not None


MAX_NAMED_BYTES = 256 * 1024


def _working_directory(host: Path, container: PurePosixPath, working_dir: object) -> Path | None:
    """The directory of the tree that ``working_dir`` names, when it is a directory below
    the mount's root (at the root, the whole tree is the program)."""
    if not isinstance(working_dir, str) or not working_dir.startswith("/"):
        return None
    inside = PurePosixPath(working_dir)
    if inside == container or not inside.is_relative_to(container):
        return None
    directory = host.joinpath(*inside.relative_to(container).parts)
    return directory if directory.is_dir() else None


_NAMELESS_DIRS = frozenset({"src", "app", "docker", "build", "server", "service", "deploy"})


def _named_parent(directory: Path, by_name: NameTable) -> tuple[str, Path] | None:
    """``cartservice/src/Dockerfile``: a generic directory name, its parent names the workload."""
    if directory.name.lower() not in _NAMELESS_DIRS:
        return None
    parent = directory.parent
    owners = by_name.get(parent.name)
    if len(owners) != 1:
        return None
    (owner,) = owners
    return owner, parent


def _prefixed(directory: Path, by_name: NameTable) -> tuple[str, Path] | None:
    """``calculator/web/Dockerfile`` built as image ``calculator-web``: an image named by a
    directory above and its own directory (compose's ``<project>-<service>`` naming)."""
    for parent in directory.parents:
        owners = by_name.get(f"{parent.name}-{directory.name}")
        if parent.name and len(owners) == 1:
            (owner,) = owners
            return owner, parent
    return None


def _configured_owners(root: Path) -> dict[Path, str]:
    config = root / "socklock.toml" if root.is_dir() else root.parent / "socklock.toml"
    if not config.is_file():
        return {}
    with config.open("rb") as handle:
        data = tomllib.load(handle)
    owners = data.get("code", {}).get("owners", {})
    return {(config.parent / prefix).resolve(): str(owner) for prefix, owner in owners.items()}


def owners_of(path: str, contexts: list[Context]) -> list[Context]:
    """Every owner of the deepest context holding ``path`` (one, but for a file that
    configures several services)."""
    by_directory = _index(contexts)
    resolved = Path(path).resolve()
    for directory in (resolved, *resolved.parents):
        found = by_directory.get(directory)
        if found:
            return list(found)
    return []


def owner_of(path: str, contexts: list[Context]) -> Context | None:
    """The first (most trusted) owner of the deepest context holding ``path``."""
    found = owners_of(path, contexts)
    return found[0] if found else None


_INDEXED: list[tuple[list[Context], int, dict[Path, list[Context]]]] = []


def _index(contexts: list[Context]) -> dict[Path, list[Context]]:
    """Contexts by directory, in list order (a file's owners are looked up by walking up its
    parents: one dict lookup per level instead of a scan of every context)."""
    for known, size, cached in _INDEXED:
        if known is contexts and size == len(contexts):
            return cached
    index: dict[Path, list[Context]] = {}
    for context in contexts:
        index.setdefault(context.directory, []).append(context)
    _INDEXED[:] = [(contexts, len(contexts), index)]
    return index
