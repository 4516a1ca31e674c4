"""What looks like a secret: variable names and credentials inside URLs."""

from __future__ import annotations

import re

_SECRET_WORDS = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PWD",
        "SECRET",
        "TOKEN",
        "KEY",
        "APIKEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "PRIVATE",
        "AUTH",
        "SIGNATURE",
        "SALT",
    }
)
_NOT_SECRET_SUFFIXES = ("FILE", "PATH", "DIR", "NAME", "USER", "USERNAME", "ID", "TYPE")
_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_URL_CREDENTIALS = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:([^/\s@]+)@", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^\$\{?[A-Za-z_][A-Za-z0-9_]*(?::?[-?][^}]*)?\}?$")


def secret_name(name: str) -> bool:
    """``DB_PASSWORD``, ``apiKey``, ``AWS_SECRET_ACCESS_KEY`` yes; ``PASSWORD_FILE`` no."""
    words = [w.upper() for w in _SPLIT.split(name) if w]
    if not words or words[-1] in _NOT_SECRET_SUFFIXES:
        return False
    return any(w in _SECRET_WORDS for w in words)


def url_with_password(value: str) -> bool:
    match = _URL_CREDENTIALS.search(value)
    return match is not None and not _PLACEHOLDER.match(match[1])


def literal_secret(name: str, value: str | None) -> str | None:
    """Why a name/value pair holds a secret literally, or None."""
    if value is None or not value.strip() or _PLACEHOLDER.match(value.strip()):
        return None
    if secret_name(name):
        return f"{name} holds a literal value"
    if url_with_password(value):
        return f"{name} holds a URL with a password"
    return None
