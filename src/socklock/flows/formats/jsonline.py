"""JSON lines, parsed by pydantic-core (pinned: a Rust parser, about twice json's speed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic_core import from_json

from socklock.flows.record import BadLine


def json_object(line: str) -> dict[str, Any]:
    try:
        value = from_json(line)
    except ValueError as exc:
        reason = str(exc).splitlines()[0].partition(" at line ")[0]
        raise BadLine(f"not JSON: {reason}") from None
    if not isinstance(value, dict):
        raise BadLine("not a JSON object")
    return value


def looks_like_object(line: str) -> dict[str, Any] | None:
    """The object on ``line`` or None (for format detection)."""
    if not line.lstrip().startswith("{"):
        return None
    try:
        value = from_json(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def rfc3339(value: object) -> float | None:
    """``2024-05-01T10:00:00.123456789Z`` -> seconds since the epoch (None when absent)."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:  # fromisoformat takes at most 6 fractional digits
        digits = len(rest) - len(rest.lstrip("0123456789"))
        rest = rest[:digits][:6] + rest[digits:]
        text = f"{head}.{rest}"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadLine(f"time {value!r} is not RFC 3339") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


def epoch(value: object, what: str) -> float | None:
    """Unix seconds as a number or a numeric string."""
    if value is None or value == "-":
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise BadLine(f"{what} {value!r} is not a Unix time") from None
