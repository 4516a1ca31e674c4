"""Logstash pipelines (``*.conf`` under ``/usr/share/logstash/pipeline``): where the
``output`` plugins send events, and the ``input`` plugins that pull from a server.

A pipeline is ``input { ... } filter { ... } output { ... }``, each section a list of
plugin blocks whose settings are ``name => value``. A plugin's address settings
(``hosts``, ``bootstrap_servers``, ``host`` + ``port``, ``url``...) name the servers it
connects to: Elasticsearch on 9200, Kafka on 9092, Redis on 6379, RabbitMQ on 5672 when no
port is written. Inputs that listen (``beats``, ``tcp``, ``http``) call nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from socklock.discover.infra.values import address
from socklock.discover.proxies.interface import Found, Source

# plugin → (address settings, the scheme its addresses speak)
_PLUGINS: dict[str, tuple[tuple[str, ...], str]] = {
    "elasticsearch": (("hosts",), "http"),
    "opensearch": (("hosts",), "http"),
    "kafka": (("bootstrap_servers",), "kafka"),
    "redis": (("host",), "redis"),
    "rabbitmq": (("host",), "amqp"),
    "mongodb": (("uri",), "mongodb"),
    "http": (("url",), "http"),
}
# the port a plugin connects to when its address names none (the plugins' docs: an
# ``elasticsearch`` output's ``hosts => ["es"]`` is es:9200, not the http scheme's 80)
_DEFAULT_PORTS = {
    "elasticsearch": 9200,
    "opensearch": 9200,
    "kafka": 9092,
    "redis": 6379,
    "rabbitmq": 5672,
}
_AUTHORITY = re.compile(
    r"^(?P<scheme>[a-z][a-z0-9+.-]*://)?(?P<host>[^/:?#\s]+)(?P<rest>[/?#].*)?$"
)
_SECTIONS = ("input", "output")
_TOKEN = re.compile(
    r'#[^\n]*|"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|=>|[{}\[\],]|[^\s{}\[\],#"\'=]+(?:=(?!>)[^\s{}\[\],#"\']*)*'
)


@dataclass(frozen=True, slots=True)
class _Setting:
    plugin: str
    section: str
    name: str
    values: tuple[tuple[str, int], ...]  # (text, line)


class LogstashReader:
    name = "logstash"

    def claims(self, name: str, text: str) -> bool:
        return (
            name.lower().endswith((".conf", ".config", ".cfg"))
            and "=>" in text
            and re.search(r"(?m)(?:^|\})\s*output\s*\{", text) is not None  # also inline
        )

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            settings = list(_settings(source.text))
            ports = {
                (s.section, s.plugin): s.values[0][0]
                for s in settings
                if s.name == "port" and s.values
            }
            for setting in settings:
                known = _PLUGINS.get(setting.plugin)
                if known is None or setting.name not in known[0]:
                    continue
                if setting.section == "input" and setting.plugin == "http":
                    continue  # the http input listens
                scheme = known[1]
                port = ports.get((setting.section, setting.plugin))
                for text, line in setting.values:
                    value = f"{text}:{port}" if port and ":" not in text else text
                    value = _with_port(value, _DEFAULT_PORTS.get(setting.plugin))
                    location = source.where(line, text)
                    label = f"Logstash {setting.section} {setting.plugin} {setting.name}"
                    yield from address(location, value, env, label, default_scheme=scheme)


def _settings(text: str) -> Iterator[_Setting]:
    """Every ``name => value`` of the plugins directly inside ``input`` and ``output``."""
    stack: list[str] = []
    pending: str | None = None  # a word that may open a block
    name: str | None = None
    values: list[tuple[str, int]] = []
    in_list = False
    line = 1
    position = 0
    for match in _TOKEN.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        token = match.group(0)
        if token.startswith("#"):
            continue
        if token == "{":
            stack.append(pending or "")
            pending = None
            continue
        if token == "}":
            if stack:
                stack.pop()
            continue
        if token == "=>":
            name, values = pending, []
            pending = None
            continue
        if token == "[":
            in_list = True
            continue
        if token == "]":
            in_list = False
            if name is not None and len(stack) == 2 and stack[0] in _SECTIONS:
                yield _Setting(stack[1], stack[0], name, tuple(values))
            name = None
            continue
        if token == ",":
            continue
        word = token[1:-1] if token[:1] in "\"'" else token
        if name is not None:
            values.append((word, line))
            if not in_list:
                if len(stack) == 2 and stack[0] in _SECTIONS:
                    yield _Setting(stack[1], stack[0], name, tuple(values))
                name = None
            continue
        pending = word


def _with_port(value: str, port: int | None) -> str:
    """``es`` or ``http://es/`` with the plugin's default port when none is written."""
    match = _AUTHORITY.match(value.strip())
    if port is None or match is None or "$" in value:
        return value
    return f"{match['scheme'] or ''}{match['host']}:{port}{match['rest'] or ''}"
