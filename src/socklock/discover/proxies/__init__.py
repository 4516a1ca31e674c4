"""Reverse proxies and gateways: the workloads they send requests to are their callees.

Config files in the tree (nginx, Envoy, Traefik's file provider, HAProxy, Caddy, KrakenD,
Apache httpd) belong to the workload that mounts them (compose bind mounts and ``configs:``)
or whose build context holds them; ConfigMaps a workload mounts are read as the same configs.
Each reader (one module per kind, behind :class:`ProxyReader`) yields the upstream addresses,
which resolve from the proxy's workload like any address it would call. Templates are filled
from the env the workload gets (its image's ``ENV``, then the manifests). Traefik's compose
labels are read here too; Ingress and Gateway API routes are in :mod:`.routes`, with the
entry points they replace. The readers of :mod:`socklock.discover.infra` (Prometheus,
Grafana, OpenTelemetry Collector...) plug into the same attribution; a reader that also selects
(:class:`SelectingReader`) keeps the files the workload's command line loads.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath

from socklock.discover.attribution import Context, build_contexts, owner_of
from socklock.discover.builder import GraphBuilder
from socklock.discover.code.paths import skip_dir, skip_file
from socklock.discover.consul_template import add_registrator_template_edges
from socklock.discover.once import per_run
from socklock.discover.proxies.caddy import CaddyReader
from socklock.discover.proxies.devserver import DevServerReader
from socklock.discover.proxies.entrypoint import go_rendered, rendered, script_env
from socklock.discover.proxies.envoy import EnvoyReader
from socklock.discover.proxies.envsubst import is_template
from socklock.discover.proxies.gotemplate import render
from socklock.discover.proxies.haproxy import HAProxyReader
from socklock.discover.proxies.httpd import HttpdReader
from socklock.discover.proxies.images import Build, builds, copied_into
from socklock.discover.proxies.interface import ProxyReader, SelectingReader, Source
from socklock.discover.proxies.join import ProxyJoin, merged_projects
from socklock.discover.proxies.kong import KongReader, kong_fed_by
from socklock.discover.proxies.krakend import KrakenDReader
from socklock.discover.proxies.kustomize import (
    KUSTOMIZATION_NAMES,
    generated_files,
    generated_name,
)
from socklock.discover.proxies.mounts import (
    Mount,
    command_lines,
    compose_mounts,
    config_map_volumes,
    mounted_by,
    mounted_config_maps,
)
from socklock.discover.proxies.nginx import NginxReader
from socklock.discover.proxies.nginx_proxy import add_virtual_host_edges
from socklock.discover.proxies.traefik import add_traefik_edges
from socklock.discover.proxies.traefik_file import TraefikFileReader
from socklock.discover.quiet_scripts import copies_only
from socklock.model import Inventory

__all__ = ["READERS", "add_proxy_evidence", "is_proxy_config", "readers"]

READERS: tuple[ProxyReader, ...] = (
    NginxReader(),
    DevServerReader(),
    EnvoyReader(),
    TraefikFileReader(),
    HAProxyReader(),
    CaddyReader(),
    KrakenDReader(),
    KongReader(),
    HttpdReader(),
)
NGINX_PREFIXES = ("/etc/nginx", "/usr/local/nginx/conf", "/usr/local/openresty/nginx/conf")
# where the proxies read their config: a file placed there is config whatever its name
CONFIG_PREFIXES = (
    *NGINX_PREFIXES,
    "/etc/haproxy",
    "/usr/local/etc/haproxy",
    "/etc/caddy",
    "/etc/envoy",
    "/etc/traefik",
    "/etc/krakend",
    "/etc/apache2",
    "/etc/httpd",
    "/usr/local/apache2/conf",
    "/usr/share/logstash/pipeline",
    "/fluentd/etc",  # the fluent/fluentd image's config folder
    "/etc/fluent",  # td-agent and Fluentd packages
)
MAX_CONFIG_BYTES = 1024 * 1024
# packaging metadata that is also a proxy's config (create-react-app's "proxy")
_PACKAGING_CONFIGS = frozenset({"package.json"})
_CANDIDATE_SUFFIXES = (
    ".conf",
    ".config",
    ".nginx",
    ".yaml",
    ".yml",
    ".json",
    ".toml",
    ".cfg",
    ".caddy",
    ".alloy",
    ".river",
)


@lru_cache(maxsize=1)
def readers() -> dict[str, ProxyReader]:
    """Every reader by name: the proxies', then the servers' that call out by their own
    config (:mod:`socklock.discover.infra`, imported here: its plug-ins use this package)."""
    from socklock.discover.infra import CONFIG_READERS, NAMED_READERS

    return {reader.name: reader for reader in (*NAMED_READERS, *READERS, *CONFIG_READERS)}


def is_proxy_config(name: str, text: str) -> bool:
    """Whether a text is a config some reader understands (then its tokens are not read
    again as loose addresses)."""
    return any(reader.claims(name, text) for reader in readers().values())


def add_proxy_evidence(
    inventory: Inventory,
    builder: GraphBuilder,
    aliases: dict[str, str],
    *,
    files: bool = True,
    manifests: bool = True,
) -> None:
    """Edges from every proxy config: ``files`` in the tree, ConfigMaps in ``manifests``."""
    owned: dict[tuple[str, str], list[Source]] = {}
    commands = command_lines(inventory, aliases)
    contexts = build_contexts(inventory, aliases)
    built = builds(inventory, aliases, contexts)
    mounts: list[Mount] = [
        mount
        for project in inventory.compose_projects
        for mount in compose_mounts(project, aliases)
    ]
    if files:
        # consul-template's configs render the Registrator registry (consul_template.py)
        add_registrator_template_edges(inventory, mounts, aliases, builder)
        replaced = _replaced_entry_points(inventory, aliases)
        copying = {  # images that copy their configs into volumes for others, then exit
            build.workload
            for build in built
            if build.workload not in replaced
            and not commands.get(build.workload)
            and build.contexts
            and copies_only(build.instructions, build.home, build.contexts[0])
        }
        in_tree = _tree_sources(inventory, mounts, contexts, built, commands, copying)
        for workload, reader, source in in_tree:
            owned.setdefault((workload, reader.name), []).append(source)
        running = [build for build in built if build.workload not in replaced]
        envs = _environments(inventory, aliases, built)  # Go templates are filled with it
        for workload, reader, source in _rendered_sources(running, envs):
            known = owned.setdefault((workload, reader.name), [])
            real = Path(source.file).resolve()  # the one render, where the image puts it
            known[:] = [s for s in known if s.line_offset or Path(s.file).resolve() != real]
            known.append(source)
    if manifests:
        for project in merged_projects(inventory.compose_projects):
            add_traefik_edges(project, aliases, builder, inventory.dockerfiles)
            add_virtual_host_edges(project, aliases, builder, inventory.dockerfiles)
        generated = list(generated_files(_kustomizations(inventory.roots)))
        for runner in inventory.workloads:
            if runner.owner is not None:
                continue
            volumes = config_map_volumes(runner)
            covered: set[str] = set()  # generated ConfigMaps read from their files
            for item in generated:
                name = generated_name(item.config_map, volumes)
                paths = volumes.get(name) if name is not None else None
                if paths is None or item.namespace not in (None, runner.namespace):
                    continue
                covered.add(name or "")
                text = _read(item.path)
                for reader in readers().values():
                    if text is not None and reader.claims(item.key, text):
                        source = Source(
                            str(item.path),
                            text,
                            template=any(is_template(f"{p}/{item.key}") for p in paths)
                            or is_template(item.key),
                            origin=f"kustomize configMapGenerator {item.config_map}",
                            container=f"{paths[0]}/{item.key}" if paths else "",
                        )
                        owned.setdefault((runner.id, reader.name), []).append(source)
                        break
            for config_map, paths in mounted_config_maps(runner, inventory):
                if config_map.name in covered:
                    continue  # its files were read where they are written
                for key, value in config_map.data.items():
                    for reader in readers().values():
                        if reader.claims(key, value):
                            where = config_map.data_locations[key]
                            source = Source(
                                where.file,
                                value,
                                template=any(is_template(f"{p}/{key}") for p in paths)
                                or is_template(key),
                                line_offset=where.line,
                                origin=f"ConfigMap {config_map.obj.namespace or 'default'}/"
                                f"{config_map.name} key {key}",
                                container=f"{paths[0]}/{key}" if paths else "",
                            )
                            owned.setdefault((runner.id, reader.name), []).append(source)
    if manifests:
        for workload, source in _inline_configs(inventory, aliases):
            for reader in readers().values():
                if reader.claims(_INLINE_NAME, source.text):
                    owned.setdefault((workload, reader.name), []).append(source)
                    break
    if not owned:
        return
    for (workload, kind), sources in owned.items():
        reader = readers()[kind]
        sources.extend(_included(reader, sources, [m for m in mounts if m.workload == workload]))
    if not files:
        envs = _environments(inventory, aliases, built)
    join = ProxyJoin(inventory, aliases, builder)
    _move_to_fed_kongs(owned, inventory, aliases, join, envs)
    for (workload, kind), sources in sorted(owned.items(), key=lambda item: item[0]):
        env = envs.get(workload, {})
        reader = readers()[kind]
        if isinstance(reader, SelectingReader):
            sources = reader.select(sources, commands.get(workload, ()))
        origins = {source.file: source.origin for source in sources}
        for found in reader.read(sources, env):
            join.add(workload, found, origins.get(found.location.file, ""))


def _move_to_fed_kongs(
    owned: dict[tuple[str, str], list[Source]],
    inventory: Inventory,
    aliases: dict[str, str],
    join: ProxyJoin,
    envs: dict[str, dict[str, str]],
) -> None:
    """A Kong declarative config that a decK container syncs is the config of the Kong it
    writes to (:mod:`.kong`), not the decK container's: moved to that Kong when its address
    names exactly one workload, else dropped (changes ``owned`` in place)."""
    from socklock.discover.addresses import find_targets

    lines = _full_command_lines(inventory, aliases)
    for key in [k for k in owned if k[1] == KongReader.name]:
        workload = key[0]
        address = kong_fed_by(lines.get(workload, []), envs.get(workload, {}))
        if address is None:
            continue  # a Kong that reads its declarative config itself
        sources = owned.pop(key)
        targets = find_targets(address) if address else []
        resolution = join.resolve(workload, targets[0]) if len(targets) == 1 else None
        kongs = {r.workload for r in resolution} if isinstance(resolution, list) else set()
        kongs.discard(workload)
        if len(kongs) == 1:
            owned.setdefault((kongs.pop(), KongReader.name), []).extend(sources)


def _full_command_lines(inventory: Inventory, aliases: dict[str, str]) -> dict[str, list[str]]:
    """Each workload's entry point and command words (a compose ``entrypoint:`` included)."""
    from socklock.discover.proxies.mounts import words_of

    found = command_lines(inventory, aliases)
    for project in inventory.compose_projects:
        for service in project.services:
            if "entrypoint" in service.body:
                graph_id = aliases.get(service.id, service.id)
                entry = words_of(service.body.get("entrypoint"))
                found[graph_id] = [*entry, *words_of(service.body.get("command"))]
    return found


def _environments(
    inventory: Inventory, aliases: dict[str, str], built: list[Build]
) -> dict[str, dict[str, str]]:
    """The env each workload's processes see: its image's ``ENV`` (the stage it is built
    from), overridden by what the manifests set."""
    from socklock.discover.code_evidence import _dockerfile_env, workload_env

    envs: dict[str, dict[str, str]] = {}
    for build in built:
        baked = _dockerfile_env(build.instructions, dict(build.args))
        envs.setdefault(build.workload, {}).update(baked)
    for project in inventory.compose_projects:
        dotenv = _dotenv(Path(project.file).parent / ".env")
        for service in project.services:
            env = envs.setdefault(aliases.get(service.id, service.id), {})
            for var in service.environment:
                if var.value is None and var.name in dotenv:
                    env[var.name] = dotenv[var.name]  # ``- NAME``: from the project's .env
    for workload, values in workload_env(inventory, aliases).items():
        envs.setdefault(workload, {}).update({k: v.value for k, v in values.items()})
    replaced = _replaced_entry_points(inventory, aliases)
    for build in built:  # the entry point's exports: ``A=${A:-default}`` keeps the env's
        if build.workload not in replaced:
            envs[build.workload] = script_env(build, envs.get(build.workload, {}))
    return envs


def _replaced_entry_points(inventory: Inventory, aliases: dict[str, str]) -> set[str]:
    """Workloads whose deployment replaces the image's ``ENTRYPOINT`` (compose
    ``entrypoint:``, a Kubernetes container's ``command``): its script never runs."""
    replaced = {
        aliases.get(service.id, service.id)
        for project in inventory.compose_projects
        for service in project.services
        if "entrypoint" in service.body
    }
    replaced.update(
        workload.id
        for workload in inventory.workloads
        if workload.owner is None
        and any(c.role.value == "containers" and "command" in c.run for c in workload.containers)
    )
    return replaced


# Flags that hand a program its whole config on the command line: Logstash's ``-e`` /
# ``--config.string`` pipeline. The text is read as a config file of this name would be.
_INLINE_FLAGS = ("-e", "--config.string")
_INLINE_NAME = "inline.conf"


def _inline_configs(inventory: Inventory, aliases: dict[str, str]) -> Iterator[tuple[str, Source]]:
    """(workload, config text) of each compose ``command`` that gives a config inline."""
    from socklock.discover.proxies.mounts import words_of

    for project in inventory.compose_projects:
        for service in project.services:
            words = words_of(service.body.get("command"))
            position = service.body.key_position("command")
            line = position[0] if position else service.location.line
            for index, word in enumerate(words):
                text = None
                if word in _INLINE_FLAGS and index + 1 < len(words):
                    text = words[index + 1]
                elif word.startswith("--config.string="):
                    text = word.removeprefix("--config.string=")
                if text and "{" in text:
                    origin = f"{service.id} command {word}"
                    source = Source(project.file, text, line_offset=line - 1, origin=origin)
                    yield aliases.get(service.id, service.id), source


def _rendered_sources(
    built: list[Build], envs: dict[str, dict[str, str]]
) -> Iterator[tuple[str, ProxyReader, Source]]:
    """Templates an image's start-up scripts render into config: with ``envsubst`` (filled
    by the reader from the env), or Go templates (filled here with the workload's env)."""
    for build in built:
        for item in [*rendered(build), *go_rendered(build)]:
            text = _read(item.template)
            if text is None:
                continue
            written = text
            if item.go:
                text = render(text, envs.get(build.workload, {}))
            for reader in readers().values():
                if reader.claims(PurePosixPath(item.container).name, text):
                    tool = "Go template" if item.go else "envsubst"
                    origin = f"{tool} at {item.script}:{item.line} → {item.container}"
                    source = Source(
                        str(item.template),
                        text,
                        template=not item.go,
                        origin=origin,
                        container=item.container,
                        original=written if item.go else "",
                    )
                    yield build.workload, reader, source
                    break


def _dotenv(path: Path) -> dict[str, str]:
    """A compose project's ``.env`` (interpolated as compose does), empty when absent."""
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    try:
        return {k: v for k, v in dotenv_values(path).items() if v is not None}
    except (OSError, UnicodeDecodeError):
        return {}


def _included(reader: ProxyReader, sources: list[Source], mounts: list[Mount]) -> list[Source]:
    """Files the configs include that are in the tree: relative to the including file, or
    an absolute container path that a bind mount of the same workload maps to the tree."""
    seen = {Path(s.file).resolve() for s in sources if not s.line_offset}
    queue = [s for s in sources if not s.line_offset]
    added: list[Source] = []
    while queue:
        source = queue.pop(0)
        marker = getattr(reader, "include_marker", "include")  # cheap: most configs have none
        for pattern in reader.includes(source) if marker in source.text else ():
            for path in _expand(pattern, Path(source.file).parent, mounts):
                text = _read(path) if path.resolve() not in seen else None
                if text is None:
                    continue
                seen.add(path.resolve())
                # an absolute file name is where the workload sees it (Alloy's local.file)
                container = pattern if pattern.startswith("/") and "*" not in pattern else ""
                included = Source(
                    str(path), text, template=is_template(str(path)), container=container
                )
                added.append(included)
                queue.append(included)
    return added


def _expand(pattern: str, directory: Path, mounts: list[Mount]) -> list[Path]:
    bases: list[Path] = []
    written = PurePosixPath(pattern)
    if written.is_absolute():
        for mount in mounts:
            if written.is_relative_to(mount.container):
                bases.append(mount.host / written.relative_to(mount.container))
    else:
        bases.append(directory / pattern)
        for prefix in NGINX_PREFIXES:  # nginx resolves a relative include from its prefix
            container = PurePosixPath(prefix) / pattern
            for mount in mounts:
                if container.is_relative_to(mount.container):
                    bases.append(mount.host / container.relative_to(mount.container))
    found: list[Path] = []
    for base in dict.fromkeys(bases):
        found.extend(Path(p) for p in sorted(glob.glob(str(base))) if Path(p).is_file())  # noqa: PTH207
    return found


def _tree_sources(
    inventory: Inventory,
    mounts: list[Mount],
    contexts: list[Context],
    built: list[Build],
    commands: dict[str, list[str]],
    copying: set[str] | frozenset[str] = frozenset(),
) -> Iterator[tuple[str, ProxyReader, Source]]:
    """Configs of the tree with the workloads that run them: the ones that mount them or
    whose image build copies them in (the most specific of those), else the one whose build
    context holds them when no build of it is known (``socklock.toml`` owners, a repository
    named like it)."""
    if not mounts and not contexts and not built:
        return
    known = {build.workload for build in built}
    checkouts = {Path(project.file).resolve().parent for project in inventory.compose_projects}
    placed = [path for build in built for path in copied_into(build, CONFIG_PREFIXES)]
    placed += [m.host for m in mounts if str(m.container).startswith(CONFIG_PREFIXES)]
    # a file mounted on its own is put there to be read, wherever the tree keeps it (a
    # deployment under ``docs/``, which the walk skips)
    placed += [m.host for m in mounts if m.host.is_file()]
    for path, real in _candidates(inventory.roots, placed):
        text = _read(path)
        if text is None:
            continue
        for reader in readers().values():
            if not reader.claims(path.name, text):
                continue
            # a mount whose workload's command line loads other files of it: not read there
            holders = [
                (m, _reads_others(path, m, commands.get(m.workload, ())))
                for m in mounted_by(path, mounts)
                if not _checkout_only(real, m, checkouts) and not _init_scripts(str(m.container))
            ]
            skips = {m.workload for m, other in holders if other}
            skips -= {m.workload for m, other in holders if not other}
            owners = _most_specific(
                [
                    (len(m.host.parts), m.workload)
                    for m, other in holders
                    if not other
                    and not (getattr(reader, "client_config", False) and m.host != path.resolve())
                ]
                + [
                    (depth, b.workload)
                    for b in built
                    if b.workload not in copying and (depth := b.match(real))
                ]
            )
            if not owners:
                context = owner_of(str(path), contexts)
                if (
                    context is not None
                    and context.workload not in known | skips
                    and not (context.mounted and _init_scripts(context.container))
                ):
                    owners = [context.workload]
            for workload in dict.fromkeys(owners):
                container = _container_path(path, mounts, workload)
                source = Source(
                    str(path), text, template=is_template(str(path)), container=container
                )
                yield workload, reader, source
            break


# where the official database images' entry points run the ``*.sh``/``*.sql`` scripts found on
# first start (postgres, mysql, mariadb, mongo): nothing there is read as a program's config
_INIT_DIRECTORIES = ("/docker-entrypoint-initdb.d",)


def _init_scripts(container: str) -> bool:
    """Whether a mount at ``container`` puts files into a database's init-scripts directory:
    a proxy config in the mounted folder (a gateway's files kept beside the SQL) is not run
    there."""
    container = container.rstrip("/")
    return any(container == d or container.startswith(f"{d}/") for d in _INIT_DIRECTORIES)


def _checkout_only(real: Path, mount: Mount, checkouts: set[Path]) -> bool:
    """Whether ``mount`` is a checkout of a whole compose project (its directory or one
    above it, put outside the proxies' config directories: ``./:/app`` for live reload) and
    ``real`` lies below its top: the program sees the other services' configs there (a
    ``monitoring/prometheus.yml``) without running any of them."""
    host = mount.host.resolve()
    if str(mount.container).startswith(CONFIG_PREFIXES) or real.parent == host:
        return False
    return any(checkout.is_relative_to(host) for checkout in checkouts)


def _reads_others(path: Path, mount: Mount, words: Sequence[str]) -> bool:
    """Whether the command line names files of a mounted directory, but not ``path``: the
    program reads those (``redis-server /conf/redis.conf``, ``mongod --config
    /conf/mongod.conf``), not every config that shares the directory."""
    real, host = path.resolve(), mount.host.resolve()
    if real == host:
        return False
    seen = str(mount.container / real.relative_to(host))
    directory = f"{str(mount.container).rstrip('/')}/"
    named = {
        value.removeprefix("file:")
        for word in words
        for value in (word, word.partition("=")[2])
        if value.removeprefix("file:").startswith(directory)
    }
    return bool(named) and seen not in named


def _container_path(path: Path, mounts: list[Mount], workload: str) -> str:
    """Where ``workload`` sees the tree file ``path``: through its most specific mount."""
    real = path.resolve()
    held = [m for m in mounted_by(path, mounts) if m.workload == workload]
    if not held:
        return ""
    mount = max(held, key=lambda m: len(m.host.parts))
    return str(mount.container / real.relative_to(mount.host.resolve()))


def _most_specific(claims: list[tuple[int, str]]) -> list[str]:
    """The workloads that take a file in most specifically: a mount or copy of the file
    itself before one of its directory, before one of a whole tree (a source checkout
    mounted into a build container sees every config without running any)."""
    if not claims:
        return []
    best = max(depth for depth, _ in claims)
    return [workload for depth, workload in claims if depth == best]


def _candidates(roots: Sequence[str], placed: Sequence[Path] = ()) -> Iterator[tuple[Path, Path]]:
    """Files named like a proxy's config, and ``placed``: files an image build or a mount
    puts where a proxy reads its config, whatever they are named; each with its resolved
    path."""
    seen: set[Path] = set()
    for path in placed:
        real = path.resolve()
        if real.is_file() and real not in seen:
            seen.add(real)
            yield path, real
    for root in roots:
        top = Path(root)
        walked = [top] if top.is_file() else _walk(top)
        for path in walked:
            name = path.name
            stem = name.removesuffix(".template").removesuffix(".tmpl").removesuffix(".tpl")
            if not (
                stem.endswith(_CANDIDATE_SUFFIXES)
                or stem.startswith(("nginx", "Caddyfile", "haproxy", "msmtprc", ".msmtprc"))
                or stem != name
            ):
                continue
            real = path.resolve()
            if real not in seen:
                seen.add(real)
                yield path, real


def kustomization_files(roots: Sequence[str]) -> list[str]:
    """The kustomization files under ``roots``."""
    return [str(path) for path in _kustomizations(roots)]


def _kustomizations(roots: Sequence[str]) -> list[Path]:
    return [
        path
        for root in roots
        for path in ([Path(root)] if Path(root).is_file() else _walk(Path(root)))
        if path.name in KUSTOMIZATION_NAMES
    ]


@per_run
def _walk(root: Path) -> tuple[Path, ...]:
    """The files under ``root`` the proxy pass looks at: listed once per discovery run (the
    config candidates and the kustomizations both ask)."""
    found: list[Path] = []
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not skip_dir(str(Path(directory) / d), d))
        found.extend(
            Path(directory) / name
            for name in sorted(names)
            if not skip_file(name) or name in _PACKAGING_CONFIGS
        )
    return tuple(found)


def _read(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
