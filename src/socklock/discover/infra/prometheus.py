"""Prometheus (``prometheus.yml``): the targets it scrapes, the Alertmanagers it notifies,
the remote storage it writes to and reads from.

``static_configs`` targets are written in the file; the ``*_sd_configs`` (``file_sd``,
``kubernetes_sd``, ``consul_sd``...) find theirs at run time and are reported as unknown.
A target without a port is scraped on its scheme's (``http`` 80, ``https`` 443). The
Collector's ``prometheus`` receiver embeds the same ``scrape_configs`` (:func:`scrape`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from socklock.discover.infra.values import address, documents, top_keys, where
from socklock.discover.proxies.interface import Found, Source, Unknown, items

_KEYS = frozenset(
    {
        "global",
        "scrape_configs",
        "scrape_config_files",
        "rule_files",
        "alerting",
        "remote_write",
        "remote_read",
        "storage",
        "tracing",
        "otlp",
        "runtime",
    }
)


class PrometheusReader:
    name = "prometheus"

    def claims(self, name: str, text: str) -> bool:
        keys = top_keys(text)
        return bool(keys & {"scrape_configs", "remote_write"}) and keys <= _KEYS

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            for config in documents(source, env):
                yield from scrape(source, config.get("scrape_configs"), "Prometheus", {})
                yield from _alerting(source, config.get("alerting"))
                for key in ("remote_write", "remote_read"):
                    for index, entry in enumerate(items(config.get(key))):
                        if isinstance(entry, Mapping) and "url" in entry:
                            location = where(source, entry, "url", str(entry["url"]))
                            label = f"Prometheus {key}[{index}] url"
                            yield from address(location, entry["url"], {}, label)


def scrape(source: Source, configs: object, who: str, env: Mapping[str, str]) -> Iterator[Found]:
    """The targets of ``scrape_configs``: each job's static targets on its ``scheme``;
    ``env`` fills ``${VAR}`` where the program expands it (the Collector does, Prometheus
    does not)."""
    for job in items(configs):
        if not isinstance(job, Mapping):
            continue
        name = str(job.get("job_name", "?"))
        scheme = str(job.get("scheme") or "http")
        yield from _targets(source, job, f"{who} scrape job {name}", scheme, env)


def _alerting(source: Source, alerting: object) -> Iterator[Found]:
    managers = alerting.get("alertmanagers") if isinstance(alerting, Mapping) else None
    for index, manager in enumerate(items(managers)):
        if isinstance(manager, Mapping):
            scheme = str(manager.get("scheme") or "http")
            label = f"Prometheus alertmanagers[{index}]"
            yield from _targets(source, manager, label, scheme, {})


def _targets(
    source: Source, block: Mapping[str, Any], label: str, scheme: str, env: Mapping[str, str]
) -> Iterator[Found]:
    for key, value in block.items():
        if key == "static_configs":
            for group in items(value):
                targets = group.get("targets") if isinstance(group, Mapping) else None
                for index, target in enumerate(items(targets)):
                    location = where(source, targets, index, str(target))
                    yield from address(
                        location, target, env, f"{label} target", default_scheme=scheme
                    )
        elif isinstance(key, str) and key.endswith("_sd_configs") and value:
            location = where(source, block, key, key)
            yield Unknown(
                location,
                f"{label} {key}",
                f"{key.removesuffix('_configs')} finds the targets at run time",
            )
