"""KrakenD API gateway configuration (``krakend.json``, ``.yaml``, ``.toml``; format version 3).

The gateway calls every endpoint's ``backend[].host`` (a list of URLs, load balanced; a
backend without ``host`` uses the root ``host`` list), the async agents' backends and their
``async/amqp`` broker, and the servers its ``extra_config`` components dial: ``auth/validator``
``jwk_url``, ``telemetry/influx`` and ``telemetry/gelf`` ``address`` (GELF is UDP unless
``enable_tcp``), ``telemetry/opencensus`` push exporters (jaeger, zipkin, influxdb, ocagent)
and ``telemetry/opentelemetry`` ``otlp`` exporters. Components that only listen are not
calls: ``auth/revoker``'s RPC port, ``telemetry/metrics``, the Prometheus exporters;
``telemetry/logstash`` only formats the log lines on stdout.

A flexible-configuration template (``{{ ... }}``, rendered by KrakenD at start-up from its
settings files) is read with each placeholder kept: an address that holds one is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from socklock.discover.addresses import find_targets, redact_credentials
from socklock.discover.proxies.envsubst import fill
from socklock.discover.proxies.interface import Found, Source, Unknown, Upstream, items
from socklock.model import EvidenceKind, Location

_SUFFIXES = (".json", ".yaml", ".yml", ".toml", ".tmpl")
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")
_MARK = re.compile(r"@@T(\d+)@@")
_TEMPLATE_REASON = (
    "a KrakenD flexible-configuration template: filled when KrakenD renders the config at "
    "start-up (FC_ENABLE with its settings and env), not known statically"
)
# keys whose value is an address, for a template too broken to parse (``{{ range }}``)
_ADDRESS_KEY = re.compile(r"[\"']?(host|jwk_url|address|collector_url|agent_endpoint)[\"']?\s*[:=]")
# (exporter, key, default port, protocol) of the OpenCensus exporters that push
_OPENCENSUS = (
    ("jaeger", "endpoint", None, "TCP"),
    ("jaeger", "agent_endpoint", 6831, "UDP"),
    ("zipkin", "collector_url", None, "TCP"),
    ("influxdb", "address", 8086, "TCP"),
    ("ocagent", "address", 55678, "TCP"),
)


class KrakenDReader:
    name = "krakend"

    def claims(self, name: str, text: str) -> bool:
        if not name.lower().endswith(_SUFFIXES):
            return False
        if "krakend.io/schema" in text:
            return True
        return "endpoints" in text and "url_pattern" in text and "backend" in text

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            text = fill(source.text, env)[0] if source.template else source.text
            marked, placeholders = _mark(text)
            config = _load(source, marked)
            if config is None:
                if placeholders:
                    yield from _unparsed_template(source, text)
                continue
            yield from _Walk(source, placeholders).config(config)


def _mark(text: str) -> tuple[str, list[str]]:
    """``text`` with each ``{{ ... }}`` replaced by a string marker (inside a quoted string
    or as a whole value), and the placeholders by marker number."""
    placeholders: list[str] = []
    lines = []
    for line in text.split("\n"):
        out, last = [], 0
        for match in _PLACEHOLDER.finditer(line):
            before = line[last : match.start()]
            quoted = line[: match.start()].count('"') % 2 == 1
            marker = f"@@T{len(placeholders)}@@"
            placeholders.append(match.group(0))
            out.append(before + (marker if quoted else f'"{marker}"'))
            last = match.end()
        out.append(line[last:])
        lines.append("".join(out))
    return "\n".join(lines), placeholders


def _load(source: Source, text: str) -> Mapping[str, Any] | None:
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.yamlread import Document, load_json, load_yaml

    name = source.file.lower().removesuffix(".tmpl")
    if name.endswith(".toml"):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
    loader = load_json if name.endswith(".json") and not source.line_offset else load_yaml
    for document in loader(text, source.file, DEFAULT_LIMITS):
        if isinstance(document, Document) and isinstance(document.value, Mapping):
            return document.value
    return None


def _unparsed_template(source: Source, text: str) -> Iterator[Found]:
    """A template whose directives break the structure: each address it templates."""
    for number, line in enumerate(text.split("\n"), start=1):
        key = _ADDRESS_KEY.search(line)
        if key is not None and "{{" in line[key.end() :]:
            written = " ".join(_PLACEHOLDER.findall(line[key.end() :]))
            expression = f"{key.group(1)}: {written}"
            yield Unknown(source.where(number, key.group(1)), expression, _TEMPLATE_REASON)


class _Walk:
    """One parsed config: its calls, with where each address is written."""

    def __init__(self, source: Source, placeholders: list[str]) -> None:
        self.source = source
        self.placeholders = placeholders

    def config(self, config: Mapping[str, Any]) -> Iterator[Found]:
        default = config.get("host")
        for endpoint in items(config.get("endpoints")):
            if isinstance(endpoint, str) and _MARK.search(endpoint):
                yield self._unknown(config, "endpoints", endpoint)
            if not isinstance(endpoint, Mapping):
                continue
            name = f"endpoint {endpoint.get('endpoint', '?')}"
            for backend in items(endpoint.get("backend")):
                yield from self.backend(config, default, backend, name)
            yield from self.components(endpoint.get("extra_config"), name)
        for agent in items(config.get("async_agent")):
            if not isinstance(agent, Mapping):
                continue
            name = f"async agent {agent.get('name', '?')}"
            for backend in items(agent.get("backend")):
                yield from self.backend(config, default, backend, name)
            yield from self.components(agent.get("extra_config"), name)
        yield from self.components(config.get("extra_config"), "service")

    def backend(
        self, config: Mapping[str, Any], default: Any, backend: Any, user: str
    ) -> Iterator[Found]:
        if not isinstance(backend, Mapping):
            return
        pattern = backend.get("url_pattern", "")
        if "host" in backend:
            holder, hosts, via = backend, backend.get("host"), "its"
        else:
            holder, hosts, via = config, default, "the root"
        listed = hosts if isinstance(hosts, list) else [hosts] if isinstance(hosts, str) else []
        for host in listed:
            if isinstance(host, str):
                detail = f"KrakenD {user} backend {pattern} ({via} host)"
                yield from self.address(holder, "host", host, detail, EvidenceKind.PROXY)
        yield from self.components(backend.get("extra_config"), f"{user} backend {pattern}")

    def components(self, extra: Any, user: str) -> Iterator[Found]:
        """The calls of the ``extra_config`` namespaces that dial out."""
        if not isinstance(extra, Mapping):
            return
        validator = extra.get("auth/validator")
        if isinstance(validator, Mapping) and isinstance(validator.get("jwk_url"), str):
            detail = f"KrakenD {user} auth/validator jwk_url"
            yield from self.address(validator, "jwk_url", validator["jwk_url"], detail)
        for namespace in ("async/amqp", "backend/amqp/consumer", "backend/amqp/producer"):
            amqp = extra.get(namespace)
            if isinstance(amqp, Mapping) and isinstance(amqp.get("host"), str):
                detail = f"KrakenD {user} {namespace} host"
                yield from self.address(amqp, "host", amqp["host"], detail)
        influx = extra.get("telemetry/influx")
        if isinstance(influx, Mapping) and isinstance(influx.get("address"), str):
            detail = "KrakenD telemetry/influx address"
            yield from self.address(influx, "address", influx["address"], detail)
        gelf = extra.get("telemetry/gelf")
        if isinstance(gelf, Mapping) and isinstance(gelf.get("address"), str):
            protocol = "TCP" if gelf.get("enable_tcp") is True else "UDP"
            detail = f"KrakenD telemetry/gelf address ({protocol})"
            yield from self.address(gelf, "address", gelf["address"], detail, protocol=protocol)
        yield from self.opencensus(extra.get("telemetry/opencensus"))
        yield from self.opentelemetry(extra.get("telemetry/opentelemetry"))

    def opencensus(self, component: Any) -> Iterator[Found]:
        exporters = component.get("exporters") if isinstance(component, Mapping) else None
        if not isinstance(exporters, Mapping):
            return
        for exporter, key, port, protocol in _OPENCENSUS:
            spec = exporters.get(exporter)
            if isinstance(spec, Mapping) and isinstance(spec.get(key), str):
                detail = f"KrakenD telemetry/opencensus exporters.{exporter}.{key}"
                yield from self.address(spec, key, spec[key], detail, port=port, protocol=protocol)

    def opentelemetry(self, component: Any) -> Iterator[Found]:
        exporters = component.get("exporters") if isinstance(component, Mapping) else None
        if not isinstance(exporters, Mapping):
            return
        for otlp in items(exporters.get("otlp")):
            if not isinstance(otlp, Mapping) or not isinstance(otlp.get("host"), str):
                continue
            if otlp.get("disable_metrics") is True and otlp.get("disable_traces") is True:
                continue  # an exporter that sends nothing
            port = otlp.get("port")
            default = 4318 if otlp.get("use_http") is True else 4317
            number = port if isinstance(port, int) and not isinstance(port, bool) else default
            name = otlp.get("name", "otlp")
            detail = f"KrakenD telemetry/opentelemetry otlp exporter {name}"
            yield from self.address(otlp, "host", otlp["host"], detail, port=number, force=True)

    def address(
        self,
        holder: Any,
        key: str,
        value: str,
        detail: str,
        evidence: EvidenceKind = EvidenceKind.CONFIG,
        *,
        port: int | None = None,
        protocol: str = "TCP",
        force: bool = False,
    ) -> Iterator[Found]:
        """The targets ``value`` names: ``port`` is the default, or the port whatever the
        value says when ``force`` (OTLP's ``host`` and ``port`` are separate keys)."""
        if _MARK.search(value):
            yield self._unknown(holder, key, value)
            return
        where = self._where(holder, key, value)
        shown = f"{detail}: {redact_credentials(value)}"
        for target in find_targets(value, name_hint="ADDRESS"):
            number = port if force or target.port is None else target.port
            yield Upstream(target.host, number, target.scheme, where, shown, protocol, evidence)

    def _unknown(self, holder: Any, key: str, value: str) -> Unknown:
        written = _MARK.sub(lambda m: self.placeholders[int(m.group(1))], value)
        return Unknown(self._where(holder, key, written), f"{key}: {written}", _TEMPLATE_REASON)

    def _where(self, holder: Any, key: str, value: str) -> Location:
        line, column = getattr(holder, "key_positions", {}).get(key, (0, 0))
        if line and not self.source.line_offset:
            return Location(self.source.file, line, column)
        if line:
            return self.source.where(line, key)
        for number, text in enumerate(self.source.text.split("\n"), start=1):  # TOML
            if re.search(rf"\b{re.escape(key)}\s*=", text) and value.split("://")[-1] in text:
                return self.source.where(number, key)
        return Location(self.source.file)
