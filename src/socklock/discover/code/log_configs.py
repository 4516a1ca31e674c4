"""Logging configs that ship logs over the network: log4j2 and logback appenders.

A Java program's ``log4j2.xml`` or ``logback.xml`` is its own config file: a GELF appender
(``<Gelf host="udp:logstash" port="12201">``), a socket or syslog appender, a Logstash
encoder's ``<destination>``, a Loki ``<url>`` makes the program send every log line to that
address. An appender counts only when a logger refers to it (``AppenderRef`` in log4j2,
``appender-ref`` in logback), directly or through a wrapper (``Async``): an appender no
logger uses sends nothing. Values may hold ``${env:NAME:-default}`` (log4j2 lookups) or
``${NAME:-default}`` (logback substitution), read like any config placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.parsers import expat

from socklock.discover.code.config_files import emit_value

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import PurePath

    from socklock.discover.code.interface import Result

_FILE = re.compile(r"^(log4j2|logback)([-._][\w.-]*)?\.xml$", re.IGNORECASE)
# log4j2 lookups: ``${env:NAME:-default}``, ``${sys:name}``: the same placeholders once the
# lookup's prefix is dropped
_LOOKUP = re.compile(r"\$\{(?:env|sys|ctx|main):")


@dataclass
class _Element:
    tag: str
    attributes: dict[str, str]
    line: int
    column: int
    text: str = ""
    children: list[_Element] = field(default_factory=list)

    def child(self, *names: str) -> _Element | None:
        wanted = {n.lower() for n in names}
        return next((c for c in self.children if c.tag.lower() in wanted), None)

    def walk(self) -> Iterator[_Element]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class _Appender:
    name: str
    address: str  # ``udp://logstash:12201``, with placeholders as written
    line: int
    column: int
    refers: tuple[str, ...]  # the appenders it forwards to (``Async``)


class LogConfigAnalyser:
    """Reads log4j2 and logback XML configs; reports the appenders' addresses."""

    name = "logging"

    def handles(self, path: PurePath) -> bool:
        return bool(_FILE.match(path.name))

    def analyse(self, path: str, source: bytes, seen_as: str = "") -> list[Result]:
        root = _parse(source)
        if root is None:
            return []
        tag = root.tag.lower()
        appenders = _log4j2(root) if tag == "configuration" and _is_log4j2(root) else []
        if tag == "configuration" and not appenders:
            appenders = _logback(root)
        used = _used(root, appenders)
        results: list[Result] = []
        for appender in appenders:
            if appender.name in used and appender.address:
                value = _LOOKUP.sub("${", appender.address)
                key = ("appender", appender.name)
                results.extend(emit_value(path, key, value, appender.line, appender.column))
        return sorted(results, key=lambda r: (r.line, r.column))


def _parse(source: bytes) -> _Element | None:
    """The document as elements with 1-based positions; None when it is no XML, or has a
    DOCTYPE (entity declarations live there: no expansion bombs; no log config needs one)."""
    if b"<!DOCTYPE" in source or b"<!ENTITY" in source:
        return None
    parser = expat.ParserCreate()
    stack: list[_Element] = []
    roots: list[_Element] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = _Element(
            tag, attributes, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        )
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text += data

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(source, True)
    except expat.ExpatError:
        return None
    return roots[0] if roots else None


def _is_log4j2(root: _Element) -> bool:
    return root.child("Appenders") is not None


def _attribute(element: _Element, *names: str) -> str | None:
    lowered = {k.lower(): v for k, v in element.attributes.items()}
    return next((lowered[n] for n in names if lowered.get(n, "").strip()), None)


def _log4j2(root: _Element) -> list[_Appender]:
    """``<Gelf host= port=>`` (logstash-gelf: ``udp:`` or ``tcp:`` before the host, UDP and
    12201 by default), ``<Socket>`` and ``<Syslog>`` (``host``, ``port``, ``protocol``: TCP
    by default), ``<Http url=>``; wrappers (``Async``, ``Failover``) by their refs."""
    appenders: list[_Appender] = []
    section = root.child("Appenders")
    for element in section.children if section is not None else []:
        name = _attribute(element, "name") or ""
        tag = element.tag.lower()
        refers = tuple(
            ref.attributes.get("ref", "")
            for ref in element.walk()
            if ref.tag.lower() in ("appenderref", "appender-ref")
        )
        address: str | None = None
        if tag == "gelf":
            address = _gelf(_attribute(element, "host", "server"), _attribute(element, "port"))
        elif tag in ("socket", "syslog"):
            host = _attribute(element, "host")
            protocol = (_attribute(element, "protocol") or "tcp").lower()
            port = _attribute(element, "port") or ("514" if tag == "syslog" else None)
            if host and port and protocol in ("tcp", "udp", "ssl"):
                scheme = "udp" if protocol == "udp" else "tcp"
                address = f"{scheme}://{host}:{port}"
        elif tag == "http":
            address = _attribute(element, "url")
        if address is not None or refers:
            appenders.append(_Appender(name, address or "", element.line, element.column, refers))
    return appenders


def _gelf(host: str | None, port: str | None, protocol: str = "udp") -> str | None:
    """logstash-gelf's ``udp:logstash`` / ``tcp:logstash`` and port (12201 by default);
    ``protocol``: the one a bare host is sent over (logback-gelf's ``GelfTcpAppender``)."""
    if not host:
        return None
    scheme, _, rest = host.partition(":")
    if scheme.lower() in ("udp", "tcp") and rest and not rest.startswith("//"):
        host, protocol = rest, scheme.lower()
    elif "://" in host:
        return host if port is None else f"{host}:{port}"
    return f"{protocol}://{host}:{port or '12201'}"


# logback appender children that hold the address: a Logstash encoder's destination, a
# GELF appender's host and port (logstash-gelf, logback-gelf's graylogHost), syslogHost,
# a Loki appender's url
_LOGBACK_HOSTS = ("destination", "host", "graylogHost", "syslogHost", "remoteHost")
_LOGBACK_PORTS = ("port", "graylogPort")


def _logback(root: _Element) -> list[_Appender]:
    appenders: list[_Appender] = []
    for element in root.walk():
        if element.tag.lower() != "appender":
            continue
        name = _attribute(element, "name") or ""
        kind = (_attribute(element, "class") or "").lower()
        refers = tuple(
            ref.attributes.get("ref", "")
            for ref in element.walk()
            if ref.tag.lower() == "appender-ref"
        )
        host_element = element.child(*_LOGBACK_HOSTS)
        port_element = element.child(*_LOGBACK_PORTS)
        url = next((e for e in element.walk() if e.tag.lower() == "url"), None)
        address: str | None = None
        where = host_element or url
        if host_element is not None:
            host = host_element.text.strip()
            port = port_element.text.strip() if port_element is not None else None
            if "gelf" in kind:
                address = _gelf(host, port, "tcp" if "gelftcp" in kind else "udp")
            elif "udp" in kind or "syslog" in kind:
                address = f"udp://{host}:{port or '514'}" if port or "syslog" in kind else None
            elif host_element.tag.lower() == "destination":
                address = f"tcp://{host}"
            elif port:
                address = f"tcp://{host}:{port}"
        elif url is not None and ("loki" in kind or "http" in kind):
            address = url.text.strip()
        if address is not None and where is not None:
            appenders.append(_Appender(name, address, where.line, where.column, refers))
        elif refers:
            appenders.append(_Appender(name, "", element.line, element.column, refers))
    return [a for a in appenders if a.address or a.refers]


def _used(root: _Element, appenders: list[_Appender]) -> set[str]:
    """Appenders a ``Root``/``Logger`` (log4j2) or ``root``/``logger`` (logback) refers to,
    and what those forward to."""
    start: set[str] = set()
    for element in root.walk():
        if element.tag.lower() in ("root", "logger", "asyncroot", "asynclogger"):
            for ref in element.walk():
                if ref.tag.lower() in ("appenderref", "appender-ref"):
                    start.add(ref.attributes.get("ref", ""))
    by_name = {a.name: a for a in appenders}
    reached: set[str] = set()
    pending = [name for name in start if name in by_name]
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        pending.extend(r for r in by_name[name].refers if r in by_name)
    return reached


ANALYSER = LogConfigAnalyser()
