"""A JavaScript dev server's own proxy: create-react-app's ``"proxy"`` in package.json.

When the container runs the dev server (``react-scripts start``, or the ``craco`` and
``react-app-rewired`` wrappers), requests the browser sends to it for anything that is not
a static file are forwarded to the ``proxy`` URL: the frontend workload calls that
service. The file belongs to the workload whose image copies it in, as for every proxy;
a production image serves built files and never runs the dev server, so the start script
must be a dev server for the proxy to count.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from socklock.discover.proxies.interface import Found, Source

_DEV_SERVERS = ("react-scripts start", "craco start", "react-app-rewired start")


class DevServerReader:
    name = "dev-server"

    def claims(self, name: str, text: str) -> bool:
        return name == "package.json" and '"proxy"' in text and any(s in text for s in _DEV_SERVERS)

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        # the infra readers' helpers (imported here: that package plugs into this one)
        from socklock.discover.infra.values import address, documents, where

        for source in sources:
            for package in documents(source, {}):
                proxy = package.get("proxy")
                if not isinstance(proxy, str) or not _runs_dev_server(package):
                    continue
                location = where(source, package, "proxy", proxy)
                yield from address(location, proxy, env, "dev server proxy")


def _runs_dev_server(package: Mapping[str, Any]) -> bool:
    scripts = package.get("scripts")
    start = scripts.get("start") if isinstance(scripts, Mapping) else None
    return isinstance(start, str) and any(s in start for s in _DEV_SERVERS)
