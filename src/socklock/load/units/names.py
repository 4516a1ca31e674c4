"""Names a service answers to, spelled one way so that sources agree."""

from __future__ import annotations

import re

_NOT_NAME = re.compile(r"[^a-z0-9]+")


def normal(name: str) -> str:
    """``Catalog.API``, ``catalog_api`` and ``catalog-api`` are one name: ``catalog-api``."""
    return _NOT_NAME.sub("-", name.lower()).strip("-")


def image_name(image: str | None) -> str | None:
    """``registry:5000/org/orders:1.2@sha256:..`` → ``orders``."""
    if not image:
        return None
    name = image.split("@")[0].rsplit("/", 1)[-1]
    return name.split(":")[0] or None


def placeholder_default(value: str) -> str:
    """``${PORT:8080}`` / ``${PORT:-8080}`` → ``8080``; other text as written."""
    match = re.fullmatch(r"\$\{[^:}]+:-?([^}]*)\}", value.strip())
    return match.group(1) if match else value.strip()


def port_of(value: object) -> int | None:
    text = placeholder_default(str(value)) if value is not None else ""
    if text.isdigit() and 0 < int(text) < 65536:
        return int(text)
    return None
