"""Jaeger client configuration (the YAML or JSON a Jaeger tracer library, or nginx's
``opentracing_load_tracer`` plugin, is given): where the tracer sends its spans.

``reporter.localAgentHostPort`` is the Jaeger agent (UDP, Thrift compact);
``reporter.collectorEndpoint`` and ``sampler.samplingServerURL`` are HTTP. A config with
``disabled: true`` sends nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence

from socklock.discover.infra.values import address, documents, where
from socklock.discover.proxies.interface import Found, Source, Upstream

_KEYS = (
    ("reporter", "localAgentHostPort", "UDP"),
    ("reporter", "collectorEndpoint", "TCP"),
    ("sampler", "samplingServerURL", "TCP"),
)


class JaegerClientReader:
    name = "jaeger-client"
    # a client library's file: the program opens it by name, so a directory mount alone
    # (a database mounting ./config for its certificates) does not make it that program's
    client_config = True

    def claims(self, name: str, text: str) -> bool:
        return (
            name.lower().endswith((".yaml", ".yml", ".json"))
            and "reporter" in text
            and ("localAgentHostPort" in text or "collectorEndpoint" in text)
        )

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            for config in documents(source, env):
                if config.get("disabled") is True:
                    continue
                for section, key, protocol in _KEYS:
                    block = config.get(section)
                    if not isinstance(block, Mapping) or key not in block:
                        continue
                    value = str(block[key])
                    location = where(source, block, key, value)
                    for found in address(location, value, {}, f"Jaeger client {section}.{key}"):
                        if isinstance(found, Upstream) and protocol == "UDP":
                            found = dataclasses.replace(found, protocol="UDP")
                        yield found
