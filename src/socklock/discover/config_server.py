"""Spring Cloud Config: the files a config server serves are its clients' configuration.

A config server with ``spring.cloud.config.server.native.search-locations:
classpath:/shared`` hands ``shared/orders.yml`` (and ``shared/orders-docker.yml``) to the
application named ``orders``, and ``shared/application.yml`` to every application; one
with ``spring.cloud.config.server.git.uri: https://git.example/shop-config`` does the same
with the files of the ``shop-config`` repository, when a checkout of that name is in the
input: the files at its top level and in its ``search-paths`` folders, as the server searches
(``search-paths: configuration-repo`` in an application's own repository: that folder of it,
wherever the input has it). A ``file:/config/repo`` location is the directory a deployment
mounts there into the server (``./config/repo:/config/repo``): the server reads every file
of it, though no code names them. The addresses in those files are calls of the applications, not
of the server, and a ``server.port`` there is the application's port.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path, PurePath, PurePosixPath

_SUFFIXES = frozenset({".yml", ".yaml", ".properties"})
_GIT = re.compile(r"^(?:[a-z+]+://|git@)|\.git$")
_SHARED_STEM = re.compile(r"^application(?:-[A-Za-z0-9_.]+)?$")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")  # {application}, {profile}, {label}
# folders of an application's own config (``src/main/resources``), never a served repository's
_OWN_CONFIG_DIRS = frozenset({"src", "resources"})


@dataclass(frozen=True, slots=True)
class ConfigServers:
    """Config server workload → the directory names its search locations point at."""

    locations: Mapping[str, frozenset[str]]
    repositories: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # git server → its search-paths (``configuration-repo``, ``{application}``)
    search_paths: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # native server → its absolute ``file:`` search locations, as paths in its container
    file_locations: Mapping[str, frozenset[PurePosixPath]] = field(default_factory=dict)
    # native servers that declare no location: they search their own classpath
    classpath: frozenset[str] = frozenset()

    @classmethod
    def from_declared(
        cls,
        declared: Iterable[tuple[str, str]],
        search_paths: Iterable[tuple[str, str]] = (),
        native: Iterable[str] = (),
    ) -> ConfigServers:
        """(workload, value) pairs: native search locations (``classpath:/shared,file:/c``)
        or a git repository URL (``https://github.com/shop/shop-config.git``); and of a git
        server, its ``search-paths`` (``configuration-repo,{application}``). ``native``: the
        servers that run the ``native`` profile; one that declares no location searches
        Spring Boot's own (``classpath:/``, ``classpath:/config``, ...)."""
        declared = list(declared)
        paths: dict[str, list[str]] = {}
        for workload, value in search_paths:
            for item in value.split(","):
                text = item.strip().strip("/")
                if text:
                    paths.setdefault(workload, []).append(text)
        locations: dict[str, set[str]] = {}
        repositories: dict[str, set[str]] = {}
        absolute: dict[str, set[PurePosixPath]] = {}
        for workload, value in declared:
            for item in value.split(","):
                text = item.strip().rstrip("/")
                if "{" in text:
                    continue  # {application}-style patterns: the name is per client
                if (found := _absolute_file(text)) is not None:
                    absolute.setdefault(workload, set()).add(found)
                if _GIT.search(text):
                    name = text.rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
                    if name:
                        repositories.setdefault(workload, set()).add(name)
                    continue
                name = text.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
                if name:
                    locations.setdefault(workload, set()).add(name)
        return cls(
            {w: frozenset(names) for w, names in locations.items()},
            {w: frozenset(names) for w, names in repositories.items()},
            {w: tuple(found) for w, found in paths.items() if w in repositories},
            {w: frozenset(found) for w, found in absolute.items()},
            frozenset(native) - {workload for workload, _ in declared},
        )

    def searches_mount(self, workload: str, host: Path, container: str, file: str) -> bool:
        """Whether ``file``, of the directory ``host`` mounted at ``container`` into
        ``workload``, lies directly in one of that server's ``file:`` search locations."""
        locations = self.file_locations.get(workload)
        if not locations or not container:
            return False
        try:
            below = Path(file).resolve().relative_to(host.resolve())
        except ValueError:
            return False
        inside = PurePosixPath(container).joinpath(*below.parts)
        return inside.suffix.lower() in _SUFFIXES and inside.parent in locations

    def adopting(
        self, roots: Iterable[str], applications: set[str], units: Iterable[str]
    ) -> ConfigServers:
        """The input roots that are a git-backed server's repository checked out under
        another name (``owner+name``, ``name-main``): with one such server in the input, a
        root that holds no build unit and whose config files are named after the input's
        ``applications`` is its repository. A user who gives both paths means them together."""
        if len(self.repositories) != 1:
            return self
        ((server, names),) = self.repositories.items()
        homes = [PurePath(u) for u in units]
        adopted = set(names)
        for root in roots:
            path = Path(root).resolve()
            if not path.is_dir() or path.name in names:
                continue
            if any(home.is_relative_to(path) for home in homes):
                continue  # an application's own code, not a config repository
            stems = [p.stem.lower() for p in path.iterdir() if p.suffix.lower() in _SUFFIXES]
            if any(_named_after(stem, applications) for stem in stems):
                adopted.add(path.name)
        return replace(self, repositories={**self.repositories, server: frozenset(adopted)})

    def server_of(self, file: str, owner: str | None) -> str | None:
        """The config server that hands ``file`` out: its own module's search locations,
        or a checkout of its git repository anywhere in the input."""
        path = PurePath(file)
        if path.suffix.lower() not in _SUFFIXES:
            return None
        directories = path.parts[:-1]
        if owner is not None and any(part in self.locations.get(owner, ()) for part in directories):
            return owner
        if owner in self.classpath and _classpath_served(path):
            return owner
        for server, names in self.repositories.items():
            patterns = self.search_paths.get(server, ())
            for index, part in enumerate(directories):
                if part in names and _searched(directories[index + 1 :], patterns):
                    return server
            if _in_search_path(directories, patterns):
                return server
        return None

    @staticmethod
    def shared(file: str) -> bool:
        """Whether a served file is for every client (``application[-profile].yml``)."""
        return bool(_SHARED_STEM.match(PurePath(file).stem.lower()))

    def clients(
        self, file: str, server: str, names: Mapping[str, set[str]], applications: set[str]
    ) -> list[str]:
        """The workloads a served file configures: ``application*`` is for every
        application (a workload that declares its service name) but the server,
        ``<name>[-<profile>]`` for the workload of that name."""
        if self.shared(file):
            return sorted(applications - {server})
        stem = PurePath(file).stem.lower()
        parts = stem.split("-")
        for end in range(len(parts), 0, -1):  # orders-service-docker → orders-service
            found = names.get("-".join(parts[:end]))
            if found:
                return sorted(found - {server})
        return []


def _classpath_served(path: PurePath) -> bool:
    """Whether a native server searching its classpath hands ``path`` out: a file at the top
    of its resources or in their ``config`` folder. The server's own ``application*`` and
    ``bootstrap*`` files are not served ("any property sources present in the server are
    removed before being sent to the client", Spring Cloud Config, File System Backend)."""
    folders = path.parts[:-1]
    if folders[-1:] == ("config",):
        folders = folders[:-1]
    if folders[-3:] != ("src", "main", "resources"):
        return False
    stem = path.stem.lower()
    return not (_SHARED_STEM.match(stem) or stem.startswith("bootstrap"))


def _absolute_file(location: str) -> PurePosixPath | None:
    """``file:/config/repo`` (or ``file:///config/repo``): a path in the server's container."""
    if not location.startswith("file:"):
        return None
    path = location[len("file:") :]
    if path.startswith("//"):
        path = path[2:]
    if not path.startswith("/") or "@" in path or "$" in path:
        return None
    return PurePosixPath(path)


def _glob(pattern: str) -> str:
    return _PLACEHOLDER.sub("*", pattern)


def _searched(below: Sequence[str], patterns: Sequence[str]) -> bool:
    """Whether a git server searches the folder ``below`` its repository's top: the top
    itself, or one of its search paths."""
    return not below or any(fnmatchcase("/".join(below), _glob(p)) for p in patterns)


def _in_search_path(directories: Sequence[str], patterns: Sequence[str]) -> bool:
    """Whether the file's folder is a search path of a repository checked out under another
    name (the application's own repository: ``search-paths: configuration-repo``). Only a
    path that starts with a plain folder name says where it is; an application module's
    own resources are never it."""
    if _OWN_CONFIG_DIRS.intersection(directories):
        return False
    for pattern in patterns:
        parts = pattern.split("/")
        if _PLACEHOLDER.search(parts[0]) or "*" in parts[0] or len(directories) <= len(parts):
            continue
        if fnmatchcase("/".join(directories[-len(parts) :]), _glob(pattern)):
            return True
    return False


def _named_after(stem: str, applications: set[str]) -> bool:
    """``orders`` or ``orders-docker`` for the application ``orders``."""
    parts = stem.split("-")
    return any("-".join(parts[:end]) in applications for end in range(len(parts), 0, -1))
