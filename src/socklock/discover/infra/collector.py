"""OpenTelemetry Collector configs (and Jaeger v2's, which is a Collector build): the
addresses its exporters send to, its scraping receivers pull from and its client
extensions (``opamp``, ``jaeger_storage``) connect to.

Only components that run count: the receivers and exporters a ``service.pipelines``
entry uses and the ``service.extensions``; a component defined but used by no pipeline
is never started. Components whose addresses are where they listen (``otlp`` receiver,
``prometheus`` exporter, ``health_check``) are data (``data/collector_components.toml``).
The files given by ``--config`` flags are merged in order as the Collector does (mappings
merged, lists replaced), so a later file can replace a pipeline's receiver list; values
expand ``${env:NAME}``, ``${NAME}`` and ``${NAME:-default}`` from the workload's env.
``service.telemetry`` exporters (the Collector's own metrics, logs and traces) count too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from socklock.discover.infra.prometheus import scrape
from socklock.discover.infra.values import address, documents, top_keys, where
from socklock.discover.proxies.interface import Found, Source, Upstream, items

_SECTIONS = frozenset({"receivers", "processors", "exporters", "extensions", "connectors"})
_ADDRESS_KEYS = frozenset({"endpoint", "endpoints", "brokers", "targets", "server_urls", "url"})
_ADDRESS_KEYS |= frozenset({"urls", "servers"})
_SKIP_KEYS = frozenset({"tls", "auth", "headers", "cors", "pull", "metrics_path", "ui"})
_OTHER_SCHEMES = ("env:", "yaml:", "http:", "https:")


@dataclass(frozen=True, slots=True)
class _Leaf:
    """A value of the merged config, with the file and mapping it is written in."""

    value: Any
    source: Source
    parent: Any
    key: str


class CollectorReader:
    name = "otel-collector"

    def claims(self, name: str, text: str) -> bool:
        keys = top_keys(text)
        return bool(keys) and keys <= _SECTIONS | {"service"} and "pipelines" in text

    def includes(self, source: Source) -> list[str]:
        return []

    def select(self, sources: Sequence[Source], args: Sequence[str]) -> list[Source]:
        """The files ``--config`` names, in its order, matched by where the workload sees
        them; every config when the flags name none of them."""
        named: list[str] = []
        for index, word in enumerate(args):
            value = None
            if word.startswith("--config="):
                value = word.removeprefix("--config=")
            elif word == "--config" and index + 1 < len(args):
                value = args[index + 1]
            if value is not None and not value.startswith(_OTHER_SCHEMES):
                named.append(value.removeprefix("file:"))
        by_path = {source.container: source for source in sources if source.container}
        chosen = [by_path[path] for path in named if path in by_path]
        return chosen or list(sources)

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        merged: dict[str, Any] = {}
        for source in sources:
            for document in documents(source, env):
                _merge(merged, document, source)
        service = merged.get("service")
        if not isinstance(service, dict):
            return
        for section, component, why in _used(service):
            kind = component.split("/", 1)[0]
            if kind in _listening().get(section, frozenset()):
                continue
            defined = merged.get(section)
            config = defined.get(component) if isinstance(defined, dict) else None
            label = f"Collector {section} {component}"
            if section == "receivers" and kind == "prometheus":
                yield from _scrape(config, label, env)
                continue
            for found in _addresses(config, env, label):
                yield _with(found, why)
        telemetry = service.get("telemetry")
        yield from _addresses(telemetry, env, "Collector service.telemetry")


def _merge(into: dict[str, Any], node: Mapping[Any, Any], source: Source) -> None:
    """``node`` merged over ``into``: mappings key by key, anything else replaced."""
    for key, value in node.items():
        name = str(key)
        if isinstance(value, Mapping):
            below = into.get(name)
            if not isinstance(below, dict):
                below = into[name] = {}
            _merge(below, value, source)
        else:
            into[name] = _Leaf(value, source, node, name)


def _used(service: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(section, component id, why it runs) of every component the service starts."""
    seen: set[tuple[str, str]] = set()
    pipelines = service.get("pipelines")
    for pipeline, roles in sorted(pipelines.items()) if isinstance(pipelines, dict) else ():
        for role in ("receivers", "exporters"):
            listed = roles.get(role) if isinstance(roles, dict) else None
            for component in items(listed.value if isinstance(listed, _Leaf) else None):
                if (role, str(component)) not in seen:
                    seen.add((role, str(component)))
                    yield role, str(component), f"pipeline {pipeline}"
    extensions = service.get("extensions")
    for component in items(extensions.value if isinstance(extensions, _Leaf) else None):
        yield "extensions", str(component), "service.extensions"


def _with(found: Found, why: str) -> Found:
    if isinstance(found, Upstream):
        return replace(found, detail=f"{found.detail}, used by {why}")
    return found


def _scrape(config: object, label: str, env: Mapping[str, str]) -> Iterator[Found]:
    """The ``prometheus`` receiver: Prometheus's own ``scrape_configs`` under ``config``."""
    inner = config.get("config") if isinstance(config, dict) else None
    jobs = inner.get("scrape_configs") if isinstance(inner, dict) else None
    if isinstance(jobs, _Leaf):
        yield from scrape(jobs.source, jobs.value, label, env)


def _addresses(node: object, env: Mapping[str, str], label: str) -> Iterator[Found]:
    if isinstance(node, _Leaf):
        yield from _raw(node.value, node.source, node.parent, node.key, env, label)
    elif isinstance(node, dict):
        for key, child in node.items():
            if key not in _SKIP_KEYS:
                yield from _addresses(child, env, label)


def _raw(
    value: Any, source: Source, parent: Any, key: str, env: Mapping[str, str], label: str
) -> Iterator[Found]:
    """Addresses under ``parent[key]`` (a value as written in one file)."""
    if key in _SKIP_KEYS:
        return
    if key in _ADDRESS_KEYS or key.endswith("_endpoint"):
        if isinstance(value, str):
            location = where(source, parent, key, value)
            yield from address(location, value, env, f"{label} {key}")
            return
        for index, item in enumerate(items(value)):
            if isinstance(item, str):
                location = where(source, value, index, item)
                yield from address(location, item, env, f"{label} {key}")
            elif isinstance(item, Mapping):
                for inner, below in item.items():
                    yield from _raw(below, source, item, str(inner), env, label)
        return
    if isinstance(value, Mapping):
        for inner, below in value.items():
            yield from _raw(below, source, value, str(inner), env, label)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping):
                for inner, below in item.items():
                    yield from _raw(below, source, item, str(inner), env, label)


@lru_cache(maxsize=1)
def _listening() -> dict[str, frozenset[str]]:
    from socklock.discover.tables import section

    table = section("collector_components.toml", "listen")
    return {section: frozenset(map(str, names)) for section, names in table.items()}
