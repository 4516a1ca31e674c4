"""Find network addresses in the strings users write: URLs, DSNs, ``host:port``, host lists.

``http://catalogue``, ``catalogue:80``, ``catalogue.sock-shop.svc.cluster.local:80``,
``mongodb://user:pass@a:27017,b:27017/db``, ``jdbc:mysql://catalogue-db:3306/socksdb``,
``amqp://guest:guest@rabbitmq``, ``kafka-0:9092,kafka-1:9092``. Whether a host is a Service
or an external endpoint is decided later, by the resolver.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

DEFAULT_PORTS: dict[str, int] = {
    "http": 80,
    "ws": 80,
    "https": 443,
    "wss": 443,
    "grpc": 443,
    "mongodb": 27017,
    "mysql": 3306,
    "mariadb": 3306,
    "postgres": 5432,
    "postgresql": 5432,
    "amqp": 5672,
    "amqps": 5671,
    # MassTransit's broker addresses (``rabbitmq://host/vhost``): AMQP
    "rabbitmq": 5672,
    "rabbitmqs": 5671,
    "redis": 6379,
    "rediss": 6379,
    "nats": 4222,
    "kafka": 9092,
    "memcached": 11211,
    "zookeeper": 2181,
    "cassandra": 9042,
    "elasticsearch": 9200,
    "hazelcast": 5701,  # a member's client port (hazelcast.xml ``network.port``)
    "sqlserver": 1433,
    "mssql": 1433,
    "tcp": 0,
    "udp": 0,
}
# The port a server image is dialled on when a client names only its host: the image's
# protocol's port (``mariadb`` also exposes 33060, the X protocol; ``rabbitmq`` 15672, its UI)
IMAGE_PORTS: dict[str, int] = {
    "mysql": 3306,
    "mariadb": 3306,
    "postgres": 5432,
    "postgresql": 5432,
    "postgis": 5432,
    "redis": 6379,
    "valkey": 6379,
    "mongo": 27017,
    "mongodb": 27017,
    "rabbitmq": 5672,
    "kafka": 9092,
    "memcached": 11211,
    "elasticsearch": 9200,
    "opensearch": 9200,
    "cassandra": 9042,
    "nats": 4222,
    "zookeeper": 2181,
}
# Vendor builds of the same servers, by the name they go by above (Confluent Platform's
# ``confluentinc/cp-kafka`` is Apache Kafka on 9092, ``cp-zookeeper`` ZooKeeper on 2181)
_IMAGE_ALIASES: dict[str, str] = {
    "cp-kafka": "kafka",
    "cp-server": "kafka",
    "cp-zookeeper": "zookeeper",
}
UDP_SCHEMES = frozenset({"udp", "statsd"})


def server_image(image: str | None) -> str | None:
    """The name a well-known server image goes by in :data:`IMAGE_PORTS` (``bitnami/redis:7``
    → ``redis``), by the image's last name component; None for any other image."""
    if not image:
        return None
    name = image.split("@")[0].rsplit("/", 1)[-1].split(":")[0].lower()
    name = _IMAGE_ALIASES.get(name, name)
    return name if name in IMAGE_PORTS else None


def image_port(image: str | None) -> int | None:
    """The protocol port of a well-known server image (``mariadb:10.6`` → 3306); None for
    any other image."""
    name = server_image(image)
    return IMAGE_PORTS[name] if name is not None else None


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", "::", "[::1]", "[::]"})

# A host label: RFC 1123, allowing underscores as in compose service names.
_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOST = rf"(?:\[[0-9A-Fa-f:.]+\]|{_LABEL}(?:\.{_LABEL})*)"
# a list's next host is not the start of another URL or ``name=URL`` pair
# (``http://etcd1:2379,http://etcd2:2379``, ``etcd1=http://etcd1:2380,etcd2=http://...``)
_URL = re.compile(
    rf"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?:[^/\s?#]*@)?(?P<hosts>{_HOST}(?::[0-9]+)?"
    rf"(?:,{_HOST}(?::[0-9]+)?(?![\w.:-]*(?:://|=)))*)"
)
# Go's MySQL driver DSN: user:password@tcp(host:port)/dbname
_GO_MYSQL_DSN = re.compile(rf"@(?:tcp|unix)\((?P<host>{_HOST})(?::(?P<port>[0-9]{{1,5}}))?\)/")
_HOST_PORT = re.compile(rf"^(?P<host>{_HOST}):(?P<port>[0-9]{{1,5}})$")
# socat's connecting addresses: ``TCP:upstream:8080``, ``UDP4-CONNECT:dns:53,opts``
_SOCAT = re.compile(
    rf"^(?P<kind>TCP|UDP|OPENSSL|SSL)[46]?(?:-CONNECT)?:(?P<host>{_HOST}):(?P<port>[0-9]{{1,5}})"
    r"(?:,[^\s]*)?$",
    re.IGNORECASE,
)
_SOCAT_LISTEN = re.compile(r"^(?:TCP|UDP|OPENSSL|SSL)[46]?-LISTEN:", re.IGNORECASE)
# ``db:5432/orders``, ``replica:3306/readyz``: an address with a path and no scheme (a
# health-check tool's argument, a database named after the port); the address is its head
_HOST_PORT_PATH = re.compile(rf"^(?P<host>{_HOST}):(?P<port>[0-9]{{1,5}})/[^\s:@]*$")
_BARE_HOST = re.compile(rf"^{_HOST}$")
_DNS_NAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")
_HOSTISH_NAME = re.compile(
    r"(HOST|HOSTNAME|ADDR|ADDRESS|URL|URI|ENDPOINT|SERVER|SERVERS|BROKER|BROKERS|DSN|SERVICE|SVC|"
    r"BOOTSTRAP|UPSTREAM|TARGET|REMOTE|BACKEND|API|PEER)S?($|_)",
    re.IGNORECASE,
)
# a name ending in one of these holds which kind of thing to use, not where it is
# (``BROKER_TYPE=redis``, ``CACHE_BACKEND_DRIVER=memcached``, ``SERVICE_MODE=rabbitmq``)
_KIND_NAME = re.compile(
    r"(?:^|_)(?:TYPE|KIND|DRIVER|ENGINE|MODE|PROVIDER|DIALECT|FLAVOU?R|VENDOR|IMPL)S?$",
    re.IGNORECASE,
)


# a name that lists the host names a server answers to (Django's ``ALLOWED_HOSTS``, Rails'
# ``config.hosts`` from ``RAILS_ADDITIONAL_HOSTS``), not a host it dials
_ACCEPTED_NAME = re.compile(
    r"(?:^|_)(?:ALLOWED|ADDITIONAL|TRUSTED|PERMITTED|ACCEPTED)_(?:HOST|HOSTNAME|DOMAIN)S?$",
    re.IGNORECASE,
)


def _hostish(name: str | None) -> bool:
    """Whether the name says a bare word in it is a host."""
    return bool(
        name
        and _HOSTISH_NAME.search(name)
        and not _KIND_NAME.search(name)
        and not _ACCEPTED_NAME.search(name)
    )


@dataclass(frozen=True, slots=True)
class Target:
    """One address named in a string."""

    host: str
    port: int | None  # None: not written and no default for the scheme
    scheme: str | None
    protocol: str  # TCP or UDP
    text: str  # the part of the input that named it
    certain: bool = True  # False: a bare dotted word that counts only if it names a Service
    # the Azure Storage service (blob, queue, table, file) a connection string's endpoint is
    # for: only a client of that service calls it (azure_storage.py)
    storage: str | None = None

    @property
    def is_local(self) -> bool:
        return self.host.lower() in LOCAL_HOSTS


# The userinfo ends at the authority's last ``@`` (WHATWG URL, Go's net/url): an
# unencoded ``@`` in a password (``postgres:P@ssw0rd@db``) is part of the password.
_USERINFO_PASSWORD = re.compile(r"(://[^:@/\s]*:)([^/\s]+)(@)")
# ADO.NET / ODBC connection strings: ``Server=db;User Id=sa;Password=secret;``
_KEYWORD_PASSWORD = re.compile(r"(?i)((?:^|;)\s*(?:password|pwd)\s*=\s*)([^;]+)")


def redact_credentials(text: str) -> str:
    """``mysql://user:secret@db`` → ``mysql://user:***@db``, ``Password=secret;`` →
    ``Password=***;``: evidence must not leak secrets."""
    return _KEYWORD_PASSWORD.sub(r"\1***", _USERINFO_PASSWORD.sub(r"\1***\3", text))


def _split_host_port(text: str) -> tuple[str, int | None]:
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    host, sep, port = text.rpartition(":")
    if sep and port.isdigit():
        return host, int(port)
    return text, None


def _valid_port(port: int | None) -> bool:
    return port is None or 0 < port < 65536


# ``orders.<NAMESPACE>:8080``, ``orders.${POD_NAMESPACE}.svc.cluster.local``: a namespace the
# program (or a templating step) fills in at run time with the one it runs in.
_NAMESPACE_PLACEHOLDER = re.compile(
    r"\.(?:<[^<>\s]*>|\{\{?[^{}\s]*\}\}?|\$\{[^}\s]*\}|\$\([^)\s]*\))"
    r"(?:\.svc(?:\.cluster\.local)?)?(?=[:/,?#]|$)"
)
_NAMESPACE_WORD = re.compile(r"(?i)namespace|(?<![a-z])ns(?![a-z])")


def without_namespace_placeholder(text: str) -> str:
    """``orders.<NAMESPACE>:8080`` → ``orders:8080``. A placeholder in the namespace part of
    a service's DNS name stands for the namespace the caller runs in: the name it leaves
    is the same Service, found in the caller's namespace. Only a placeholder that says it
    is a namespace counts (``<NAMESPACE>``, ``{namespace}``, ``${POD_NAMESPACE}``,
    ``$(NS)``); ``api.<DOMAIN>`` stays as written."""
    if "." not in text:
        return text

    def drop(match: re.Match[str]) -> str:
        return "" if _NAMESPACE_WORD.search(match.group(0)) else match.group(0)

    return _NAMESPACE_PLACEHOLDER.sub(drop, text)


# a scheme put before an address that brings its own: ``amqp://`` + ``amqp://guest@mq``
_NESTED_SCHEME = re.compile(r"^[A-Za-z][\w+.-]*://(?=[A-Za-z][\w+.-]*://|https?:[A-Za-z])")
# ``http:orders:4222``: the slashes left out, which a URL parser (Node's ``url.parse``) adds
# back for a scheme that always has them
_HALF_URL = re.compile(r"^(https?):(?!//)(?=[A-Za-z])")


def own_scheme(text: str) -> str:
    """The address a client's scheme was put before (``amqp://${RABBIT_URL}``, its value
    filled in): the value's own scheme wins when it has one (``amqp://guest@mq``,
    ``http://nats:4222``, also ``http:nats:4222`` without its slashes)."""
    return _HALF_URL.sub(r"\1://", _NESTED_SCHEME.sub("", text, count=1), count=1)


def find_targets(value: str, *, name_hint: str | None = None) -> list[Target]:
    """Every address in ``value``. ``name_hint`` (an env var or config key name) lets a bare
    word such as ``catalogue`` count as a host when the name says it holds one."""
    text = value.strip()
    if not text or len(text) > 4096:
        return []
    text = without_namespace_placeholder(text)
    targets: list[Target] = []
    if "=" in text:
        from socklock.discover.azure_storage import storage_endpoints

        endpoints = storage_endpoints(text)
        if endpoints is not None:  # an Azure Storage connection string: its endpoints
            return [
                replace(target, storage=service)
                for service, url in endpoints
                for target in find_targets(url)
            ]
    if "=" in text and "://" not in text and (";" in text or " " in text):
        # a PDO/DBI data source name, an ADO.NET connection string or a libpq
        # ``host=db port=5432 ...`` one: its host and port
        from socklock.discover.code.targets import parse_target

        address = parse_target(text)
        if address is not None and address.text != text:
            # ``Host=db;...``: the key says the word is a host, whatever the variable's name
            return find_targets(address.text, name_hint="HOST")
    dsn = _GO_MYSQL_DSN.search(text)
    if dsn is not None:
        dsn_port = int(dsn["port"]) if dsn["port"] else DEFAULT_PORTS["mysql"]
        return [Target(dsn["host"].lower(), dsn_port, "mysql", "TCP", dsn.group(0))]
    if "://" in text:
        for match in _URL.finditer(text):
            scheme = match["scheme"].lower()
            if scheme.startswith("jdbc:"):
                scheme = scheme[5:]
            scheme = scheme.split("+")[0]  # mongodb+srv, postgresql+psycopg
            for part in match["hosts"].split(","):
                host, port = _split_host_port(part)
                if port is None:
                    port = DEFAULT_PORTS.get(scheme) or None
                if not _valid_port(port):
                    continue
                protocol = "UDP" if scheme in UDP_SCHEMES else "TCP"
                targets.append(Target(host.lower(), port, scheme, protocol, match.group(0)))
        # jdbc:mysql://... is caught above because "mysql://" follows "jdbc:".
        return targets
    # a list of quoted items (``'etcd1:2379','etcd2:2379'``): the items
    for part in (p.strip().strip("'\"").strip() for p in text.split(",")):
        if not part:
            continue
        if _SOCAT_LISTEN.match(part):
            break  # socat's own listener (``TCP-LISTEN:80,fork``)
        socat = _SOCAT.match(text) if part == text.split(",", 1)[0].strip() else None
        if socat is not None and _valid_port(int(socat["port"])):
            protocol = "UDP" if socat["kind"].upper() == "UDP" else "TCP"
            written = f"{socat['host']}:{socat['port']}"
            targets.append(
                Target(socat["host"].lower(), int(socat["port"]), None, protocol, written)
            )
            break
        host_port = _HOST_PORT.match(part) or _HOST_PORT_PATH.match(part)
        if host_port:
            host, port = host_port["host"].strip("[]").lower(), int(host_port["port"])
            numeric = host.replace(".", "").isdigit()
            if _valid_port(port) and (not numeric or _is_ipv4(host)):
                targets.append(Target(host, port, None, "TCP", part.split("/", 1)[0]))
            continue
        if not _BARE_HOST.match(part) or (part.replace(".", "").isdigit() and not _is_ipv4(part)):
            continue
        hinted = _hostish(name_hint)
        if hinted or "." in part:
            targets.append(Target(part.strip("[]").lower(), None, None, "TCP", part, hinted))
    return targets


_HOST_NAME_SUFFIX = re.compile(r"(?i)(?:HOST|HOSTNAME|ADDR|ADDRESS|SERVER|ENDPOINT|URL|URI)$")


def is_socat_address(word: str) -> bool:
    """Whether ``word`` is an address socat connects to (``TCP:upstream:8080``)."""
    return _SOCAT.match(word) is not None


def sibling_port_name(name: str) -> str | None:
    """``ORDER_QUEUE_HOSTNAME`` → ``ORDER_QUEUE_PORT``, ``AUTH_GRPC_ENDPOINT`` →
    ``AUTH_GRPC_PORT``: the variable that holds the port
    of the host a variable of this name holds (None: the name says no host)."""
    found = _HOST_NAME_SUFFIX.search(name)
    if found is None or found.start() == 0:
        return None
    prefix = name[: found.start()]
    return f"{prefix}{'PORT' if name[found.start()].isupper() else 'port'}"


def with_sibling_port(
    targets: list[Target], name: str, lookup: Callable[[str], str | None]
) -> list[Target]:
    """A bare host (no port, no scheme) under ``X_HOST`` takes the port ``X_PORT`` holds,
    when the same environment sets it to a number (``lookup``: the environment)."""
    sibling = sibling_port_name(name)
    value = None
    if sibling is not None:  # .NET configuration keys ignore case: ``Bus__Host``, ``Bus__Port``
        prefix = sibling[: -len("port")]
        spellings = (sibling, f"{prefix}Port", f"{prefix}port", f"{prefix}PORT")
        value = next((v for n in dict.fromkeys(spellings) if (v := lookup(n)) is not None), None)
    if value is None or not value.strip().isdigit() or not _valid_port(int(value.strip())):
        return targets
    port = int(value.strip())
    return [
        Target(t.host, port, t.scheme, t.protocol, t.text, t.certain)
        if t.port is None and t.scheme is None
        else t
        for t in targets
    ]


# words of an env var name that say which protocol a bare host in it speaks
_PROTOCOL_WORDS: dict[str, str] = {
    "POSTGRES": "postgres",
    "POSTGRESQL": "postgres",
    "MYSQL": "mysql",
    "MARIADB": "mysql",
    "REDIS": "redis",
    "RABBITMQ": "amqp",
    "AMQP": "amqp",
    "MONGO": "mongodb",
    "MONGODB": "mongodb",
    "MEMCACHED": "memcached",
}


def with_named_protocol(targets: list[Target], name: str) -> list[Target]:
    """A bare host (no port, no scheme) under a name that says its protocol
    (``REMOTE_POSTGRES_HOST``) takes that scheme: a server that declares no port is then
    dialled on the protocol's (resolve.py). Names that say two protocols say none."""
    schemes = {_PROTOCOL_WORDS[w] for w in name.upper().split("_") if w in _PROTOCOL_WORDS}
    if len(schemes) != 1:
        return targets
    (scheme,) = schemes
    return [
        Target(t.host, t.port, scheme, t.protocol, t.text, t.certain)
        if t.port is None and t.scheme is None
        else t
        for t in targets
    ]


def _is_ipv4(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts)


def is_dns_name(host: str) -> bool:
    """A name with at least one dot that could be an internet host (``api.stripe.com``)."""
    return bool(_DNS_NAME.match(host)) and not _is_ipv4(host)


def is_ip(host: str) -> bool:
    return _is_ipv4(host) or (":" in host and all(c in "0123456789abcdefABCDEF:." for c in host))
