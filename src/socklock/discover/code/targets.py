"""Is this text an address a program would connect to? If so, its normalized form.

One place decides for every language and config format, so "what counts as a call
target" is the same everywhere: URLs with a network scheme, ``host:port``, Kafka
bootstrap lists, Go MySQL DSNs. Schema and XML-namespace URLs, wildcard listen
addresses and unfilled format placeholders are not targets. Credentials are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from socklock.discover.names import SCHEMES as NAME_SCHEMES
from socklock.discover.names import service_name

SCHEMES = frozenset(
    {
        "http",
        "https",
        "ws",
        "wss",
        "grpc",
        "grpcs",
        "h2c",
        "tcp",
        "tls",
        "udp",
        "mongodb",
        "mongodb+srv",
        "mysql",
        "mariadb",
        "postgres",
        "postgresql",
        "sqlserver",
        "mssql",
        "amqp",
        "amqps",
        # MassTransit's broker addresses: ``rabbitmq://rabbitmq/vhost`` is AMQP
        "rabbitmq",
        "rabbitmqs",
        "redis",
        "rediss",
        "kafka",
        "nats",
        "memcached",
        "cassandra",
        "hazelcast",
        "elasticsearch",
        "ftp",
        "sftp",
        "smtp",
        "smtps",
        "ldap",
        "ldaps",
        # Akka and Pekko remoting: ``akka.tcp://System@host:2552`` (classic), ``akka://``
        # (Artery), an actor system on that host and port
        "akka",
        "akka.tcp",
        "akka.ssl.tcp",
        "pekko",
        "pekko.tcp",
        # Ruby's dRuby: ``druby://host:port``, a remote object's TCP address
        "druby",
    }
)

# Hosts whose URLs name schemas, XML namespaces and specifications, never services.
_SCHEMA_HOSTS = frozenset(
    {
        "w3.org",
        "www.w3.org",
        "json-schema.org",
        "schema.org",
        "purl.org",
        "xmlns.com",
        "xmlns.jcp.org",
        "java.sun.com",
        "openxmlformats.org",
        "maven.apache.org",
        "www.springframework.org",
        "docs.oasis-open.org",
        "ns.adobe.com",
        "www.apache.org",
    }
)
_WILDCARDS = frozenset({"0.0.0.0", "*", "+", "[::]", "::", ""})
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]", "::1", "ip6-localhost"})
_JDBC_WRAPPERS = re.compile(r"^(?:[a-z][a-z0-9-]*:)+(?=[a-z][a-z0-9+.-]*://)", re.IGNORECASE)

_PLACEHOLDER = r"\$\{[A-Za-z0-9_.\-]+\}"
_HOST = rf"(?:{_PLACEHOLDER}|[A-Za-z0-9_\-.])+"
_HOST_RE = re.compile(rf"^(?:{_HOST}|\[[0-9A-Fa-f:.]+\])$")
_PORT_RE = re.compile(rf"^(?:[0-9]{{1,5}}|{_PLACEHOLDER})$")
_HOST_PORT_RE = re.compile(rf"^({_HOST}|\[[0-9A-Fa-f:.]+\]):([0-9]{{1,5}}|{_PLACEHOLDER})$")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_GO_MYSQL_DSN = re.compile(r"^(?:[^@/\s]*@)?tcp\(([^)]+)\)(.*)$")
_IPV4 = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$")
_LETTER = re.compile(r"[A-Za-z]")
# up to the authority's last ``@``: an unencoded ``@`` in a password is still the password
_CREDENTIALS = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)[^/?#\s]*@")
# PHP PDO / Perl DBI data source names: ``mysql:host=db;port=3306;dbname=shop``
_PDO_DSN = re.compile(
    r"^(?:dbi:)?(mysql|pgsql|Pg|sqlsrv|dblib|mariadb|cubrid|firebird):(?=\w+\s*=)"
)
_PDO_SCHEMES = {
    "pgsql": "postgresql",
    "pg": "postgresql",
    "dblib": "sqlserver",
    "sqlsrv": "sqlserver",
}
_CONNECTION_KEY = re.compile(
    r"(?i)(?:^|;)\s*(?:server|host|data source|address|addr|network address)\s*="
)
# libpq's keyword/value connection string (Go lib/pq and pgx, psycopg, libpq itself):
# ``host=orders-db port=5432 user=app dbname=orders``; values may be single-quoted.
_CONNINFO = re.compile(r"^\s*(?:[A-Za-z_]+\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s=']+)\s*)+$")
_CONNINFO_PAIR = re.compile(r"([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s=']+)")


@dataclass(frozen=True, slots=True)
class Address:
    """A recognised target: normalized text plus what callers need to filter it."""

    text: str
    host: str
    loopback: bool
    scheme: str | None


def parse_target(raw: str, *, bare_host: bool = False) -> Address | None:
    """The normalized address ``raw`` names, or None when it names none.

    ``bare_host`` accepts a lone host name: right for arguments that are documented to
    be a host (``forAddress(host, port)``), wrong for arbitrary strings.
    """
    text = raw.strip()
    pdo = _PDO_DSN.match(text)
    if pdo is not None:
        inner = _connection_string(text[pdo.end() :])
        if inner is None:
            return None
        scheme = _PDO_SCHEMES.get(pdo.group(1).lower(), pdo.group(1).lower())
        return Address(f"{scheme}://{inner.text}", inner.host, inner.loopback, scheme)
    if "=" in text and ";" not in text and " " in text.strip() and _CONNINFO.match(text):
        return _conninfo(text)
    if "=" in text and _CONNECTION_KEY.search(text):
        return _connection_string(text)
    if not text or any(c.isspace() for c in text):
        text = re.sub(r"\s*,\s*", ",", text)
        if not text or any(c.isspace() for c in text):
            return None
    if text.startswith("jdbc:"):
        # a wrapping driver's word before the database's URL (``jdbc:tracing:postgresql://``,
        # OpenTracing's; ``jdbc:otel:``, ``jdbc:p6spy:``, ``jdbc:aws-wrapper:``) names no host
        inner = parse_target(_JDBC_WRAPPERS.sub("", text[5:]))
        if inner is None or inner.scheme is None:
            return None
        return Address("jdbc:" + inner.text, inner.host, inner.loopback, inner.scheme)
    if text.startswith("dns:///"):
        text = text[7:]
    dsn = _GO_MYSQL_DSN.match(text)
    if dsn is not None:
        text = "mysql://" + dsn.group(1) + dsn.group(2)
    scheme = _SCHEME_RE.match(text)
    if scheme is not None:
        named = service_name(text)
        if named is not None and scheme.group(1).lower() in NAME_SCHEMES:
            return Address(text, named.name, False, scheme.group(1).lower())
        address = _url(text, scheme.group(1).lower(), len(scheme.group(0)))
        if address is not None and named is not None:  # a sidecar on localhost forwards it
            return Address(address.text, address.host, False, address.scheme)
        return address
    if "," in text:
        return _host_list(text)
    return _host_port(text, bare_host=bare_host)


def redact(text: str) -> str:
    """``amqp://guest:secret@rabbitmq`` → ``amqp://rabbitmq``: reports never carry secrets."""
    return _CREDENTIALS.sub(r"\1", text)


def looks_like_host(text: str) -> bool:
    """A plausible DNS name, IP address or ``${NAME}`` placeholder."""
    if not _HOST_RE.match(text):
        return False
    return bool(_LETTER.search(text)) or bool(_IPV4.match(text)) or text.startswith("[")


def _url(text: str, scheme: str, authority_start: int) -> Address | None:
    if scheme not in SCHEMES:
        return None
    rest = text[authority_start:]
    cut = len(rest)
    for stop in "/?#":
        index = rest.find(stop)
        if index != -1:
            cut = min(cut, index)
    authority, tail = rest[:cut], rest[cut:]
    authority = authority.rpartition("@")[2]  # credentials are never reported
    first = authority.split(",", 1)[0]
    host, port = _split_port(first)
    if port is not None and not _PORT_RE.match(port):
        return None
    if host.lower() in _WILDCARDS or not looks_like_host(host):
        return None
    if host.lower() in _SCHEMA_HOSTS or host.lower().startswith(("schemas.", "xmlns.")):
        return None
    if tail.lower().endswith((".xsd", ".dtd")):
        return None
    normalized = scheme + "://" + _lower_host(authority) + tail
    return Address(normalized, host, host.lower() in _LOOPBACK, scheme)


def _conninfo(text: str) -> Address | None:
    """libpq ``host=db port=5432 ...``: a PostgreSQL address (port 5432 when none is set)."""
    fields = {k.lower(): v.strip("'") for k, v in _CONNINFO_PAIR.findall(text)}
    host = fields.get("host") or fields.get("hostaddr") or ""
    if not host or host.startswith("/") or "," in host:  # a Unix socket, or a host list
        return None
    inner = _host_port(f"{host}:{fields['port']}" if fields.get("port") else host, bare_host=True)
    if inner is None:
        return None
    return Address(f"postgresql://{inner.text}", inner.host, inner.loopback, "postgresql")


def connection_fields(text: str) -> dict[str, str]:
    """``Key=value;Key=value``: each key (lower-cased) with its value. A value keeps any
    ``=`` after the first (a base64 ``AccountKey=...==``)."""
    fields: dict[str, str] = {}
    for item in text.split(";"):
        name, _, value = item.partition("=")
        if name.strip():
            fields[name.strip().lower()] = value.strip()
    return fields


def _connection_string(text: str) -> Address | None:
    """ADO.NET style ``Host=db;Port=5432;...`` or ``Server=tcp:db,1433;...``."""
    fields = connection_fields(text)
    host = next(
        (
            fields[k]
            for k in ("server", "host", "data source", "address", "addr", "network address")
            if fields.get(k)
        ),
        "",
    )
    host = host.removeprefix("tcp:")
    port = fields.get("port", "")
    if "," in host:
        host, _, port = host.partition(",")
    if port:
        return _host_port(f"{host.strip()}:{port.strip()}", bare_host=False)
    return _host_port(host.strip(), bare_host=True)


def _host_port(text: str, *, bare_host: bool) -> Address | None:
    match = _HOST_PORT_RE.match(text)
    if match is None:
        if bare_host and looks_like_host(text) and text.lower() not in _WILDCARDS:
            return Address(_lower_host(text), text, text.lower() in _LOOPBACK, None)
        return None
    host, port = match.group(1), match.group(2)
    if host.lower() in _WILDCARDS or not looks_like_host(host):
        return None
    if port.isdigit() and not 0 < int(port) < 65536:
        return None
    return Address(_lower_host(host) + ":" + port, host, host.lower() in _LOOPBACK, None)


def _host_list(text: str) -> Address | None:
    items = [item for item in text.split(",") if item]
    if len(items) < 2:
        return None
    parsed = [_host_port(item, bare_host=False) for item in items]
    if any(item is None for item in parsed):
        return None
    first = parsed[0]
    assert first is not None
    joined = ",".join(item.text for item in parsed if item is not None)
    return Address(joined, first.host, first.loopback, None)


def _split_port(authority: str) -> tuple[str, str | None]:
    if authority.startswith("["):
        end = authority.find("]")
        if end != -1:
            rest = authority[end + 1 :]
            return authority[: end + 1], rest[1:] if rest.startswith(":") else None
    if ":" in authority:
        host, _, port = authority.rpartition(":")
        return host, port
    return authority, None


def _lower_host(authority: str) -> str:
    """Host names are case-insensitive; ``${NAME}`` placeholders keep their case."""
    if "${" in authority:
        return authority
    return authority.lower()
