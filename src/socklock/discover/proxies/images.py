"""Whether a workload's image holds a config file: its build copies it in.

A file inside a build context is only run by a workload when its image takes it in
(``COPY nginx.conf /etc/nginx/``, ``COPY conf/ ...``, ``COPY . .``); an example config
that sits in the same repository for another deployment is not. A compose build is
evaluated as docker does: its context, its Dockerfile, its ``target`` stage and the stages
that one is built ``FROM``, ``ARG`` defaults overridden by ``build.args`` (several services
often share one context and one Dockerfile, and pick their config with a build arg). A
Dockerfile known only by its directory is matched relative to that directory and the ones
above it, since its real build context is not written anywhere.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from socklock.discover.attribution import Context, owner_of, workload_names
from socklock.discover.name_table import NameTable
from socklock.model import ComposeService, Dockerfile, Instruction, Inventory

_REFERENCE = re.compile(r"\$(?:\{(\w+)(?::?[-=]([^}]*))?\}|(\w+))")


@dataclass(frozen=True, slots=True)
class Build:
    workload: str
    contexts: tuple[Path, ...]  # the build context, or the candidates when it is not known
    dockerfile: Dockerfile
    instructions: tuple[Instruction, ...]  # the target stage after the stages below it
    sources: tuple[str, ...]  # what COPY/ADD take from the context, build args expanded
    home: Path  # the Dockerfile's directory
    args: tuple[tuple[str, str], ...] = ()  # the build args it is built with (compose)

    def holds(self, path: Path) -> bool:
        return self.match(path.resolve()) > 0

    def match(self, real: Path) -> int:
        """How specifically the build copies ``real`` (a resolved path) in: the depth of the
        copied source that holds it (0: not copied)."""
        if not any(real.is_relative_to(base) for base in self.contexts):
            return 0
        return max((_matches(real, s, self.contexts, self.home) for s in self.sources), default=0)


def _build(
    workload: str,
    contexts: tuple[Path, ...],
    dockerfile: Dockerfile,
    args: Mapping[str, str],
    target: str | None,
) -> Build:
    chain = stage_chain(dockerfile, target)
    values = _arg_defaults(dockerfile, chain)
    values.update(args)
    sources = [
        _REFERENCE.sub(
            lambda m: values.get(m.group(1) or m.group(3) or "", m.group(2) or ""), source
        ).strip("\"'")
        for instruction in chain
        if instruction.keyword in ("COPY", "ADD")
        for source in _sources(instruction.value)
    ]
    home = Path(dockerfile.path).resolve().parent
    return Build(
        workload, contexts, dockerfile, tuple(chain), tuple(sources), home, tuple(args.items())
    )


def builds(inventory: Inventory, aliases: dict[str, str], contexts: list[Context]) -> list[Build]:
    """Every image build the input describes, with the workload that runs it."""
    by_path = {Path(d.path).resolve(): d for d in inventory.dockerfiles}
    found: list[Build] = []
    used: set[Path] = set()
    for project in inventory.compose_projects:
        for service in project.services:
            if not service.build_context:
                continue
            context = Path(service.build_context).resolve()
            path = (context / (service.dockerfile or "Dockerfile")).resolve()
            dockerfile = by_path.get(path) or _load(path)
            if dockerfile is None:
                continue
            used.add(path)
            args, target = build_settings(service)
            found.append(
                _build(aliases.get(service.id, service.id), (context,), dockerfile, args, target)
            )
    names: NameTable | None = None
    # a compose ``build:`` says exactly which Dockerfile makes the workload's image: another
    # Dockerfile found beside its code (an unused copy, another deployment's) does not
    declared = {build.workload for build in found}
    for path, dockerfile in by_path.items():
        if path in used:
            continue
        owner = owner_of(dockerfile.path, contexts)
        workload = owner.workload if owner is not None else None
        if workload is None and _named_file(path):
            names = workload_names(inventory, aliases) if names is None else names
            owners = names.get(_named_file(path))
            workload = next(iter(owners)) if len(owners) == 1 else None
        if workload is not None and workload not in declared:
            contexts_above = (path.parent, *path.parent.parents)
            found.append(_build(workload, contexts_above, dockerfile, {}, None))
    return found


def build_settings(service: ComposeService) -> tuple[dict[str, str], str | None]:
    """A compose service's ``build.args`` and ``build.target``."""
    build = service.body.get("build")
    settings = build if isinstance(build, Mapping) else {}
    target = settings.get("target")
    return _build_args(settings.get("args")), str(target) if isinstance(target, str) else None


def dockerfile_at(inventory: Inventory, path: Path) -> Dockerfile | None:
    """The Dockerfile at ``path``: as loaded with the inventory, else read now."""
    resolved = path.resolve()
    for dockerfile in inventory.dockerfiles:
        if Path(dockerfile.path).resolve() == resolved:
            return dockerfile
    return _load(resolved)


def _named_file(path: Path) -> str:
    """The image a Dockerfile's own name gives: ``Dockerfile.web``, ``web.Dockerfile``."""
    name = path.name
    for prefix in ("Dockerfile.", "dockerfile."):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    for suffix in (".Dockerfile", ".dockerfile"):
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return ""


def stage_chain(dockerfile: Dockerfile, target: str | None) -> list[Instruction]:
    if not dockerfile.stages:
        return []
    names = {s.name.lower(): s for s in dockerfile.stages if s.name}
    stage = names.get(target.lower()) if target else None
    stage = stage or dockerfile.stages[-1]
    chain = [stage.index]
    while True:
        base = names.get(stage.base_image.lower())
        if base is None or base.index in chain:
            break
        chain.append(base.index)
        stage = base
    order = set(chain)
    return [i for i in dockerfile.instructions if i.stage in order]


def _arg_defaults(dockerfile: Dockerfile, chain: Sequence[Instruction]) -> dict[str, str]:
    """``ARG NAME=default`` before the first ``FROM`` and in the stages of the chain."""
    args: dict[str, str] = {}
    for instruction in [i for i in dockerfile.instructions if i.stage < 0] + list(chain):
        if instruction.keyword != "ARG":
            continue
        name, sep, value = instruction.value.strip().partition("=")
        if sep:
            args[name.strip()] = value.strip().strip("\"'")
    return args


def _build_args(value: object) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        pairs = (str(item).partition("=") for item in value)
        return {k: v for k, sep, v in pairs if sep}
    return {}


def _load(path: Path) -> Dockerfile | None:
    from socklock.load.dockerfile import load_dockerfile

    try:
        return load_dockerfile(path.read_text(encoding="utf-8", errors="replace"), str(path))
    except (OSError, ValueError):
        return None


def copied_into(build: Build, prefixes: Sequence[str]) -> list[Path]:
    """Files of the tree that ``build`` copies under one of ``prefixes`` (``COPY conf
    /etc/nginx/conf.d/default.conf``): config by where it lands, whatever its own name."""
    found: list[Path] = []
    for instruction in build.instructions:
        if instruction.keyword not in ("COPY", "ADD"):
            continue
        words = _words(instruction.value)
        if len(words) < 2 or not words[-1].startswith(tuple(prefixes)):
            continue
        for source in _sources(instruction.value):
            for base in build.contexts:
                path = base / context_relative(source)
                if path.is_file():
                    found.append(path)
                elif path.is_dir():
                    found.extend(p for p in sorted(path.iterdir()) if p.is_file())
    return found


def image_file(build: Build, container: str) -> Path | None:
    """The file of the tree that ``build`` copies to ``container`` (``COPY files/run.sh
    /run.sh``, ``COPY conf/ /tmp/conf/``), the last copy winning as in the image."""
    found: Path | None = None
    target = PurePosixPath(container)
    for instruction in build.instructions:
        if instruction.keyword not in ("COPY", "ADD"):
            continue
        words = _words(instruction.value)
        sources = _sources(instruction.value)
        if len(words) < 2 or not sources:
            continue
        destination = PurePosixPath(words[-1])
        for source in sources:
            for base in build.contexts:
                path = base / context_relative(source)
                if path.is_file() and (
                    destination == target
                    or (
                        (words[-1].endswith("/") or len(sources) > 1)
                        and destination / path.name == target
                    )
                ):
                    found = path
                elif path.is_dir() and target.is_relative_to(destination):
                    inside = path / target.relative_to(destination)
                    if inside.is_file():
                        found = inside
    return found


def instruction_words(value: str) -> list[str]:
    """The words of a Dockerfile instruction's value (exec or shell form), flags dropped."""
    return _words(value)


def context_relative(source: str) -> str:
    """A ``COPY``/``ADD`` source as a path of the build context: ``/dev.conf`` and
    ``./dev.conf`` are both the context's ``dev.conf`` (a build reads nothing outside it)."""
    path = source.lstrip("/")
    while path.startswith("./"):
        path = path[2:].lstrip("/")
    return path


def _words(value: str) -> list[str]:
    text = value.strip()
    if text.startswith("["):
        try:
            return [str(w) for w in json.loads(text)]
        except ValueError:
            return text.split()
    return [w for w in text.split() if not w.startswith("--")]


def _sources(value: str) -> list[str]:
    text = value.strip()
    words: list[str]
    if text.startswith("["):
        try:
            words = [str(w) for w in json.loads(text)]
        except ValueError:
            words = text.split()
    else:
        words = text.split()
    if any(w.startswith("--from") for w in words):
        return []  # from another stage or image: not the build context
    words = [w for w in words if not w.startswith("--")]
    return words[:-1]


def _matches(real: Path, source: str, bases: Sequence[Path], home: Path) -> int:
    """The depth of the copied path that holds ``real``, 0 when the source does not."""
    pattern = context_relative(source).rstrip("/")
    for base in bases:
        if not real.is_relative_to(base):
            continue
        relative = real.relative_to(base).as_posix()
        if pattern in ("", ".", "*"):
            # ``COPY . .`` of a whole context is the code of the Dockerfile beside it; a
            # context that spans other projects' directories copies them as files, not as
            # configs the image runs
            held = base == bases[0] and real.is_relative_to(home)
            return len(base.parts) if held else 0
        if relative == pattern or fnmatch.fnmatch(relative, pattern):
            return len(real.parts)
        if relative.startswith(pattern + "/"):
            return len((base / pattern).parts)
    return 0
