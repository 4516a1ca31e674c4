"""Grafana data source provisioning (``provisioning/datasources/*.yaml``): the ``url`` of
each data source is queried by the Grafana server.

A data source with ``access: direct`` is queried by the user's browser, not by Grafana,
so it is no call of the workload. Grafana fills ``$VAR`` and ``${VAR}`` from its
environment when it reads the file; ``$$`` is a literal dollar.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from socklock.discover.infra.values import address, documents, top_keys, where
from socklock.discover.proxies.envsubst import fill
from socklock.discover.proxies.interface import Found, Source, Unknown, items, unset_reason

_KEYS = frozenset({"apiVersion", "datasources", "deleteDatasources", "prune"})


class GrafanaReader:
    name = "grafana-datasources"

    def claims(self, name: str, text: str) -> bool:
        keys = top_keys(text)
        return "datasources" in keys and keys <= _KEYS

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            for config in documents(source, env):
                for datasource in items(config.get("datasources")):
                    if not isinstance(datasource, Mapping) or "url" not in datasource:
                        continue
                    if str(datasource.get("access", "proxy")).lower() == "direct":
                        continue  # the browser queries it
                    url = str(datasource["url"])
                    location = where(source, datasource, "url", url)
                    label = f"Grafana data source {datasource.get('name', '?')} url"
                    filled, unset = fill(url.replace("$$", "\0"), env)
                    if unset:
                        yield Unknown(location, f"{label} {url}", unset_reason(unset))
                        continue
                    yield from address(location, filled.replace("\0", "$"), {}, label)
