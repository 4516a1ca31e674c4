"""OpenTelemetry SDK declarative configuration (``file_format:``, the file
``OTEL_CONFIG_FILE`` names): the endpoints its exporters push traces, metrics and logs to.

Exporters sit under ``tracer_provider.processors[]``, ``logger_provider.processors[]``
(``batch``/``simple``) and ``meter_provider.readers[].periodic``; a ``pull`` reader is a
port the process listens on. Values expand ``${NAME}``, ``${env:NAME}`` and
``${NAME:-default}`` from the workload's env.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from socklock.discover.infra.values import address, documents, top_keys, where
from socklock.discover.proxies.interface import Found, Source

_PROVIDERS = ("tracer_provider", "meter_provider", "logger_provider")


class OtelSdkReader:
    name = "otel-sdk-config"
    # a client library's file: the program opens it by name, so a directory mount alone
    # (a database mounting ./config for its certificates) does not make it that program's
    client_config = True

    def claims(self, name: str, text: str) -> bool:
        keys = top_keys(text)
        return "file_format" in keys and bool(keys & set(_PROVIDERS))

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            for config in documents(source, env):
                for provider in _PROVIDERS:
                    yield from _exporters(source, config.get(provider), env, provider, False)


def _exporters(
    source: Source, node: Any, env: Mapping[str, str], label: str, inside: bool
) -> Iterator[Found]:
    """``endpoint`` values below an ``exporter`` mapping, skipping ``pull`` readers."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "pull":
                continue
            if inside and key == "endpoint" and isinstance(value, str):
                location = where(source, node, key, value)
                yield from address(location, value, env, f"OpenTelemetry SDK {label}")
            else:
                below = f"{label}.{key}"
                yield from _exporters(source, value, env, below, inside or key == "exporter")
    elif isinstance(node, list):
        for item in node:
            yield from _exporters(source, item, env, label, inside)
