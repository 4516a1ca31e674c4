"""Does an env var's name say it holds an address? Decides which env reads found outside a
known call are worth reporting (``CATALOGUE_URL`` is, ``LOG_LEVEL`` is not).

The caller joins each reported read with the value the manifests set, so a false yes
costs little; a false no loses an edge, hence a generous list of address words.
"""

from __future__ import annotations

import re

from socklock.discover.code.targets import parse_target

# words of an env var name that say it holds an address (strong ones win over the words
# that say it holds something else: USER_URL is a URL, DB_USER is not)
_STRONG_WORDS = frozenset(
    [
        "URL",
        "URLS",
        "URI",
        "URIS",
        "HOST",
        "HOSTS",
        "HOSTNAME",
        "ADDR",
        "ADDRESS",
        "ENDPOINT",
        "ENDPOINTS",
        "DSN",
        "BROKER",
        "BROKERS",
        "BOOTSTRAP",
        "UPSTREAM",
    ]
)
_WEAK_WORDS = frozenset(
    [
        "SERVICE",
        "SVC",
        "SERVER",
        "SERVERS",
        "CONN",
        "CONNECTION",
        "DB",
        "DATABASE",
        "MONGO",
        "MONGODB",
        "REDIS",
        "RABBIT",
        "RABBITMQ",
        "AMQP",
        "KAFKA",
        "NATS",
        "GRPC",
        "API",
        "BACKEND",
        "REMOTE",
        "PROXY",
        "GATEWAY",
        "MQ",
        "POSTGRES",
        "POSTGRESQL",
        "PG",
        "MYSQL",
        "ELASTIC",
        "ELASTICSEARCH",
        "SMTP",
        "BASE",
    ]
)
_NOT_ADDRESS_WORDS = frozenset(["DIR", "PATH", "FILE", "FILES", "HOME", "BUNDLE", "CERT", "KEY"])
_OTHER_WORDS = _NOT_ADDRESS_WORDS | frozenset(
    [
        "SOFTWARE",
        "PLATFORM",
        "LEVEL",
        "NAME",
        "MODE",
        "TIMEOUT",
        "VERSION",
        "ENABLED",
        "DEBUG",
        "SECRET",
        "TOKEN",
        "PASSWORD",
        "USER",
        "USERNAME",
        "PORT",
        "SIZE",
        "COUNT",
        "TTL",
    ]
)

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def names_an_address(name: str, default: str | None = None) -> bool:
    """``CATALOGUE_URL``, ``ordersHost``, ``USER_URL``: yes; ``XDG_CACHE_HOME``, ``DB_PORT``: no."""
    if default is not None and parse_target(default) is not None:
        return True
    words = {word.upper() for word in _WORD.findall(name)}
    if words & _STRONG_WORDS or _glued(name):
        return not words & _NOT_ADDRESS_WORDS
    return bool(words & _WEAK_WORDS) and not words & _OTHER_WORDS


_GLUED = ("URL", "URLS", "URI", "HOST", "HOSTS", "ADDR", "ADDRESS", "ENDPOINT")


def _glued(name: str) -> bool:
    """``SHOP_PAYMENTURL``: Spring's relaxed env name of ``shop.paymentUrl`` glues the words."""
    last = name.rsplit("_", 1)[-1].upper()
    return any(last.endswith(word) and len(last) >= len(word) + 2 for word in _GLUED)
