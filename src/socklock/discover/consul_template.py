"""consul-template renders a proxy's config from the Consul catalog.

``consul-template -template "site.ctmpl:/etc/apache2/sites-enabled/site.conf:reload"`` with
a template that loops ``{{range services}}`` over every service writes a backend (a
``BalancerMember``, an nginx ``server``) for each registered service: the proxy reaches
every service registered in Consul, as a Zuul proxy does every one in Eureka.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from socklock.discover.commands import words
from socklock.model import Evidence, EvidenceKind, Location

if TYPE_CHECKING:
    from socklock.discover.builder import GraphBuilder
    from socklock.discover.proxies.mounts import Mount
    from socklock.model import Inventory

_EVERY_SERVICE = re.compile(r"\{\{-?\s*range\s+services\b")
# what a proxy's config forwards with: httpd, nginx, HAProxy
_FORWARDS = re.compile(r"\b(?:ProxyPass|BalancerMember|proxy_pass|server)\b")
_MAX_BYTES = 256 * 1024
LABEL = "consul-template"


def every_service_template(command: str | list[str], context: Path) -> Path | None:
    """The template (in the build ``context``) that a ``consul-template`` command renders
    into a proxy config for every Consul service; None when the command renders none."""
    parts = words(command)  # a quoted ``-template "src:dest:reload cmd"`` stays one word
    for index, word in enumerate(parts):
        if PurePosixPath(word).name != LABEL:
            continue
        for source in _templates(parts[index + 1 :]):
            found = _in_context(context, PurePosixPath(source).name)
            if found is not None and _renders_every_service(found):
                return found
    return None


def _templates(arguments: list[str]) -> list[str]:
    """The source paths of ``-template SRC[:DEST[:COMMAND]]`` (also ``-template=...``)."""
    found: list[str] = []
    for index, word in enumerate(arguments):
        name, equals, value = word.lstrip("-").partition("=")
        if name != "template" or not word.startswith("-"):
            continue
        spec = value if equals else (arguments[index + 1] if index + 1 < len(arguments) else "")
        if spec:
            found.append(spec.split(":", 1)[0])
    return found


def _in_context(context: Path, name: str) -> Path | None:
    candidate = context / name
    if candidate.is_file():
        return candidate
    return next((p for p in sorted(context.rglob(name)) if p.is_file()), None)


def _renders_every_service(path: Path) -> bool:
    text = _read(path)
    return text is not None and bool(_EVERY_SERVICE.search(text)) and bool(_FORWARDS.search(text))


# --- templates a compose service's consul-template renders, over Registrator's registry ---

# a consul-template config's ``template { source = "..." }`` (HCL)
_TEMPLATE_SOURCE = re.compile(r"\btemplate\s*\{[^}]*?\bsource\s*=\s*\"([^\"]+)\"", re.DOTALL)
# ``{{ if .Tags.Contains "backend" }}``: the loop keeps the services with that tag
_TAG_FILTER = re.compile(r"\.Tags\.Contains\s+\"([^\"]+)\"")
_CONFIG_SUFFIXES = (".hcl", ".conf", ".json")
_MAX_FILES = 200  # files looked at under one mounted directory


def add_registrator_template_edges(
    inventory: Inventory,
    mounts: Sequence[Mount],
    aliases: Mapping[str, str],
    builder: GraphBuilder,
) -> None:
    """A compose service given a consul-template config (mounted: ``template { source =
    "/etc/consul-template/templates/app.ctmpl" }``) whose template forwards to every
    registered service (``{{range services}}`` ... ``server {{.Address}}:{{.Port}}``)
    reaches each port Registrator registers in that deployment, those with the tag the
    loop tests (``.Tags.Contains "backend"``) when it tests one."""
    from socklock.discover.resolve import registrator_names

    registered = registrator_names(inventory.compose_projects)
    if not registered:
        return
    by_workload: dict[str, list[Mount]] = {}
    for mount in mounts:
        by_workload.setdefault(mount.workload, []).append(mount)
    for server, own in sorted(by_workload.items()):
        for template in _mounted_templates(own):
            text = _read(template)
            if text is None or not (_EVERY_SERVICE.search(text) and _FORWARDS.search(text)):
                continue
            tags = set(_TAG_FILTER.findall(text))
            loop = _EVERY_SERVICE.search(text)
            line = text[: loop.start()].count("\n") + 1 if loop is not None else 1
            for entries in registered.values():
                for entry in entries:
                    callee = aliases.get(entry.service.id, entry.service.id)
                    if callee == server or (tags and not tags & entry.tags):
                        continue
                    chosen = f" tagged {', '.join(sorted(tags & entry.tags))}" if tags else ""
                    detail = (
                        f"{LABEL} renders every registered service{chosen}: {callee} ({entry.why})"
                    )
                    evidence = Evidence(
                        EvidenceKind.PROXY, Location(str(template), line, 1), detail
                    )
                    builder.add_edge(server, callee, entry.container_port, entry.protocol, evidence)


def _mounted_templates(mounts: Sequence[Mount]) -> list[Path]:
    """The templates the consul-template configs among ``mounts`` render, as files of the
    tree (their container paths mapped back through the mounts)."""
    found: list[Path] = []
    for mount in mounts:
        for config in _files(mount.host):
            if config.suffix.lower() not in _CONFIG_SUFFIXES:
                continue
            text = _read(config)
            for source in _TEMPLATE_SOURCE.findall(text or ""):
                host = _on_host(PurePosixPath(source), mounts)
                if host is not None and host.is_file() and host not in found:
                    found.append(host)
    return found


def _files(host: Path) -> list[Path]:
    if host.is_file():
        return [host]
    if not host.is_dir():
        return []
    out: list[Path] = []
    for path in sorted(host.rglob("*")):
        if path.is_file():
            out.append(path)
            if len(out) >= _MAX_FILES:
                break
    return out


def _on_host(path: PurePosixPath, mounts: Sequence[Mount]) -> Path | None:
    """The file of the tree a container path is, through the mount that holds it."""
    for mount in mounts:
        if path == mount.container:
            return mount.host
        if path.is_relative_to(mount.container):
            return mount.host / path.relative_to(mount.container)
    return None


def _read(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return handle.read(_MAX_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
