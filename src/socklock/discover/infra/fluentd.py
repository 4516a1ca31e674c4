"""Fluentd's (and td-agent's) ``fluent.conf``: where the
``<match>`` outputs send events.

A config is directives (``<source>``, ``<match PATTERN>``, ``<filter>``, ``<label>``)
holding ``name value`` parameters and nested sections (``<store>`` of ``@type copy``,
``<server>`` of ``@type forward``). An output's type says which parameters name the
servers it connects to and the port it uses when none is written (the plugins' docs):
``elasticsearch``/``opensearch`` ``host`` + ``port`` (9200) or ``hosts``; ``forward``
``<server>`` ``host`` + ``port`` (24224); ``kafka``/``kafka2``/``rdkafka2`` ``brokers``
(9092); ``mongo`` ``host`` + ``port`` (27017); ``redis`` (6379); ``influxdb`` (8086);
``http`` ``endpoint`` and ``loki`` ``url``. ``<source>`` inputs listen: they call nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from socklock.discover.infra.values import address
from socklock.discover.proxies.interface import Found, Source

# output type → (host parameter, list parameter, URL parameter, default port, scheme)
_OUTPUTS: dict[str, tuple[str | None, str | None, str | None, int | None, str]] = {
    "elasticsearch": ("host", "hosts", None, 9200, "http"),
    "opensearch": ("host", "hosts", None, 9200, "http"),
    "forward": ("host", None, None, 24224, "tcp"),
    "kafka": (None, "brokers", None, 9092, "kafka"),
    "kafka2": (None, "brokers", None, 9092, "kafka"),
    "rdkafka2": (None, "brokers", None, 9092, "kafka"),
    "mongo": ("host", None, None, 27017, "mongodb"),
    "redis": ("host", None, None, 6379, "redis"),
    "influxdb": ("host", None, None, 8086, "http"),
    "http": (None, None, "endpoint", None, "http"),
    "loki": (None, None, "url", None, "http"),
}
_OPEN = re.compile(r"^<\s*([A-Za-z_][\w-]*)([^>]*)>$")
_CLOSE = re.compile(r"^</\s*([A-Za-z_][\w-]*)\s*>$")
_PARAMETER = re.compile(r"^(@?[A-Za-z_][\w.-]*)(?:\s+(.*))?$")


@dataclass(slots=True)
class _Section:
    name: str
    parent: _Section | None
    type: str | None = None
    parameters: dict[str, tuple[str, int]] = field(default_factory=dict)  # name → (value, line)
    children: list[_Section] = field(default_factory=list)

    def output(self) -> str | None:
        """The output plugin this section configures: its own ``@type`` inside a
        ``<match>`` (a ``<store>`` of ``copy``), or its enclosing match's (``<server>``)."""
        current: _Section | None = self
        inside_match = False
        while current is not None:
            if current.name == "source":
                return None
            if current.name == "match":
                inside_match = True
            current = current.parent
        if not inside_match:
            return None
        if self.type is not None:
            return self.type
        return self.parent.type if self.parent is not None else None


class FluentdReader:
    name = "fluentd"

    def claims(self, name: str, text: str) -> bool:
        return (
            name.lower().endswith((".conf", ".config"))
            and re.search(r"(?m)^\s*<match\b[^>]*>", text) is not None
            and re.search(r"(?m)^\s*@?type\s+\S", text) is not None
        )

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            for section in _sections(source.text):
                kind = section.output()
                known = _OUTPUTS.get(kind or "")
                if kind is None or known is None:
                    continue
                if kind == "forward" and section.name != "server":
                    continue  # forward's servers are its <server> sections
                yield from _addresses(source, section, kind, known, env)


def _addresses(
    source: Source,
    section: _Section,
    kind: str,
    known: tuple[str | None, str | None, str | None, int | None, str],
    env: Mapping[str, str],
) -> Iterator[Found]:
    host_name, list_name, url_name, default_port, scheme = known
    parameters = section.parameters
    label = f"Fluentd {kind} output"
    port_text = parameters.get("port", ("", 0))[0]
    port = int(port_text) if port_text.isdigit() else default_port
    # a list of hosts (``hosts a:9200,b:9200``) wins over the single ``host``
    chosen = next((n for n in (list_name, host_name) if n is not None and n in parameters), None)
    if chosen is not None:
        value, line = parameters[chosen]
        hosts = value.split(",") if chosen == list_name else [value]
        for item in (h.strip() for h in hosts):
            if item:
                yield from address(
                    source.where(line, item),
                    _with_port(item, port),
                    env,
                    f"{label} {chosen}",
                    default_scheme=scheme,
                    name_hint="HOST",
                    default_port=port,
                )
    if url_name is not None and url_name in parameters:
        value, line = parameters[url_name]
        yield from address(source.where(line, value), value, env, f"{label} {url_name}")


def _sections(text: str) -> list[_Section]:
    """Every section of the config (nested ones too), with its parameters."""
    root = _Section("", None)
    current = root
    found: list[_Section] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        closing = _CLOSE.match(line)
        if closing is not None:
            current = current.parent or root
            continue
        opening = _OPEN.match(line)
        if opening is not None:
            section = _Section(opening.group(1).lower(), current)
            current.children.append(section)
            found.append(section)
            current = section
            continue
        parameter = _PARAMETER.match(line)
        if parameter is None:
            continue
        name, value = parameter.group(1), _unquoted((parameter.group(2) or "").strip())
        if name in ("@type", "type"):
            current.type = value.lower()
        else:
            current.parameters[name] = (value, number)
    return found


def _with_port(value: str, port: int | None) -> str:
    """``host`` as ``host:port`` (an address with a scheme or a port is kept)."""
    if port is None or "://" in value or re.search(r":\d+$", value):
        return value
    return f"{value}:{port}"


def _unquoted(value: str) -> str:
    value = re.sub(r"\s+#.*$", "", value)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
