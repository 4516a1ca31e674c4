"""Prometheus (``prometheus.yml``): the targets it scrapes, the Alertmanagers it notifies,
the remote storage it writes to and reads from.

``static_configs`` targets are written in the file. ``file_sd_configs`` name target files
by glob (``/etc/prometheus/targets/*.yml``): the ones in the tree, where the workload's mounts
put them, are read as the job's targets (lists of ``{targets, labels}`` groups, YAML or JSON);
the other ``*_sd_configs`` (``kubernetes_sd``, ``consul_sd``...) and a ``file_sd`` whose
files are not in the tree find theirs at run time and are reported as unknown. A target
without a port is scraped on its scheme's (``http`` 80, ``https`` 443). The Collector's
``prometheus`` receiver embeds the same ``scrape_configs`` (:func:`scrape`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
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
    include_marker = "files"  # file_sd_configs' ``files``, ``scrape_config_files``

    def claims(self, name: str, text: str) -> bool:
        keys = top_keys(text)
        return bool(keys & {"scrape_configs", "remote_write"}) and keys <= _KEYS

    def includes(self, source: Source) -> list[str]:
        """The files a config loads: ``scrape_config_files`` and ``file_sd_configs``'
        target files, as written (relative to the config's directory, or where the
        workload sees them)."""
        patterns: list[str] = []
        for config in documents(source, {}):
            patterns += [f for f in items(config.get("scrape_config_files")) if isinstance(f, str)]
            for job in items(config.get("scrape_configs")):
                patterns += [pattern for pattern, _ in _file_sd(job)]
        return patterns

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        configs = [(source, config) for source in sources for config in documents(source, env)]
        target_files = [(s, g) for s in sources if (g := _target_groups(s)) is not None]
        jobs = [  # each job with the file name pattern of each of its target files
            (job, PurePosixPath(pattern).name)
            for _, config in configs
            for job in items(config.get("scrape_configs"))
            for pattern, _ in _file_sd(job)
        ]
        found_for: set[int] = set()  # jobs some of whose target files are in the tree
        for source, groups in target_files:
            name = PurePosixPath(source.file).name
            job = next((j for j, pattern in jobs if fnmatchcase(name, pattern)), None)
            if job is not None:
                found_for.add(id(job))
            job_name = str(job.get("job_name", "?")) if job is not None else "?"
            scheme = str(job.get("scheme") or "http") if job is not None else "http"
            label = f"Prometheus scrape job {job_name} file_sd target"
            yield from _groups(source, groups, label, scheme, {})
        for source, config in configs:
            yield from scrape(source, config.get("scrape_configs"), "Prometheus", {}, found_for)
            yield from _alerting(source, config.get("alerting"))
            for key in ("remote_write", "remote_read"):
                for index, entry in enumerate(items(config.get(key))):
                    if isinstance(entry, Mapping) and "url" in entry:
                        location = where(source, entry, "url", str(entry["url"]))
                        label = f"Prometheus {key}[{index}] url"
                        yield from address(location, entry["url"], {}, label)


def _file_sd(job: object) -> list[tuple[str, Mapping[str, Any]]]:
    """(file pattern, its ``file_sd_configs`` entry) of a scrape job."""
    if not isinstance(job, Mapping):
        return []
    return [
        (pattern, entry)
        for entry in items(job.get("file_sd_configs"))
        if isinstance(entry, Mapping)
        for pattern in items(entry.get("files"))
        if isinstance(pattern, str)
    ]


def _target_groups(source: Source) -> list[Any] | None:
    """The target groups of a ``file_sd`` file (a list of ``{targets, labels}``), or None
    when the source is not one."""
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.yamlread import Document, load_json, load_yaml

    text = source.text.lstrip()
    if not text.startswith(("-", "[")):
        return None
    loader = load_json if source.file.endswith(".json") else load_yaml
    for document in loader(source.text, source.file, DEFAULT_LIMITS):
        if isinstance(document, Document) and isinstance(document.value, list):
            groups = [g for g in document.value if isinstance(g, Mapping) and "targets" in g]
            return groups or None
    return None


def scrape(
    source: Source,
    configs: object,
    who: str,
    env: Mapping[str, str],
    found_for: Collection[int] = (),
) -> Iterator[Found]:
    """The targets of ``scrape_configs``: each job's static targets on its ``scheme``;
    ``env`` fills ``${VAR}`` where the program expands it (the Collector does, Prometheus
    does not). A job in ``found_for`` had its ``file_sd`` files read: not unknown."""
    for job in items(configs):
        if not isinstance(job, Mapping):
            continue
        name = str(job.get("job_name", "?"))
        scheme = str(job.get("scheme") or "http")
        label = f"{who} scrape job {name}"
        yield from _targets(source, job, label, scheme, env, id(job) in found_for)


def _alerting(source: Source, alerting: object) -> Iterator[Found]:
    managers = alerting.get("alertmanagers") if isinstance(alerting, Mapping) else None
    for index, manager in enumerate(items(managers)):
        if isinstance(manager, Mapping):
            scheme = str(manager.get("scheme") or "http")
            label = f"Prometheus alertmanagers[{index}]"
            yield from _targets(source, manager, label, scheme, {})


def _targets(
    source: Source,
    block: Mapping[str, Any],
    label: str,
    scheme: str,
    env: Mapping[str, str],
    files_read: bool = False,
) -> Iterator[Found]:
    for key, value in block.items():
        if key == "static_configs":
            yield from _groups(source, items(value), f"{label} target", scheme, env)
        elif key == "file_sd_configs" and files_read:
            continue
        elif isinstance(key, str) and key.endswith("_sd_configs") and value:
            location = where(source, block, key, key)
            yield Unknown(
                location,
                f"{label} {key}",
                f"{key.removesuffix('_configs')} finds the targets at run time",
            )
            yield from _discovery_servers(source, key, value, label, env)


# The server a service-discovery config asks for the targets (Prometheus "Configuration":
# consul_sd ``server`` host:port with its ``scheme``; eureka_sd, kuma_sd, nomad_sd
# ``server`` and http_sd ``url`` URLs; marathon_sd ``servers`` URLs; nerve_sd and
# serverset_sd ``servers``, ZooKeeper host:port): Prometheus itself calls it. Left out:
# a default (consul_sd's localhost:8500: nothing written) and the platform APIs
# (kubernetes, cloud providers), which are not the deployment's workloads.
_SD_SERVERS: dict[str, tuple[str, str | None, int | None]] = {
    "consul_sd_configs": ("server", "http", 8500),
    "eureka_sd_configs": ("server", None, None),
    "kuma_sd_configs": ("server", None, None),
    "nomad_sd_configs": ("server", None, None),
    "http_sd_configs": ("url", None, None),
    "marathon_sd_configs": ("servers", None, None),
    "nerve_sd_configs": ("servers", "zookeeper", 2181),
    "serverset_sd_configs": ("servers", "zookeeper", 2181),
}


def _discovery_servers(
    source: Source, key: str, configs: object, label: str, env: Mapping[str, str]
) -> Iterator[Found]:
    """The servers a ``*_sd_configs`` list asks for its targets (:data:`_SD_SERVERS`)."""
    known = _SD_SERVERS.get(key)
    if known is None:
        return
    field, scheme, port = known
    name = key.removesuffix("_configs")
    for config in items(configs):
        if not isinstance(config, Mapping):
            continue
        given = config.get(field)
        written_scheme = config.get("scheme")
        uses = str(written_scheme) if isinstance(written_scheme, str) and scheme else scheme
        servers = given if isinstance(given, list) else [given]
        for index, server in enumerate(servers):
            node, at = (given, index) if isinstance(given, list) else (config, field)
            location = where(source, node, at, str(server))
            yield from address(
                location,
                server,
                env,
                f"{label} {name} {field}",
                default_scheme=uses,
                name_hint="HOST",
                default_port=port,
            )


def _groups(
    source: Source, groups: list[Any], label: str, scheme: str, env: Mapping[str, str]
) -> Iterator[Found]:
    """The ``targets`` of target groups (``static_configs``, a ``file_sd`` file)."""
    for group in groups:
        targets = group.get("targets") if isinstance(group, Mapping) else None
        for index, target in enumerate(items(targets)):
            location = where(source, targets, index, str(target))
            yield from address(location, target, env, label, default_scheme=scheme)
