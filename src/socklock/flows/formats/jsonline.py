"""JSON lines, parsed by pydantic-core (pinned: a Rust parser, about twice json's speed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic_core import from_json

from socklock.flows.record import BadLine


def json_object(line: str) -> dict[str, Any]:
    try:
        value = from_json(line)
    except TypeError:  # text with bytes that are not UTF-8 (the reader rejects it first)
        raise BadLine("bytes that are not UTF-8") from None
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
    except (ValueError, TypeError):  # TypeError: text with bytes that are not UTF-8
        return None
    return value if isinstance(value, dict) else None


_SECONDS: dict[str, float] = {}  # "2026-01-10T10:00:01Z" -> epoch: records share seconds
_SECONDS_MAX = 100_000


def rfc3339(value: object) -> float | None:
    """``2024-05-01T10:00:00.123456789Z`` -> seconds since the epoch (None when absent).

    The whole seconds are parsed once per distinct second (cached), the fraction by float():
    flow files hold millions of records over few seconds each."""
    if not isinstance(value, str) or not value:
        return None
    head, rest = value[:19], value[19:]
    if rest[-1:] in ("Z", "z"):
        digits, rest = rest[:-1], "Z"
    elif len(rest) >= 6 and rest[-6] in "+-":
        digits, rest = rest[:-6], rest[-6:]
    else:
        digits, rest = rest, ""
    try:
        fraction = float(digits) if digits else 0.0
    except ValueError:
        raise BadLine(f"time {value!r} is not RFC 3339") from None
    if not 0 <= fraction < 1 or (digits and digits[0] != "."):
        raise BadLine(f"time {value!r} is not RFC 3339")
    key = head + rest
    seconds = _SECONDS.get(key)
    if seconds is None:
        try:
            parsed = dt.datetime.fromisoformat(head + ("+00:00" if rest == "Z" else rest))
        except ValueError:
            raise BadLine(f"time {value!r} is not RFC 3339") from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        seconds = parsed.timestamp()
        if len(_SECONDS) >= _SECONDS_MAX:
            _SECONDS.clear()
        _SECONDS[key] = seconds
    return seconds + fraction


def epoch(value: object, what: str) -> float | None:
    """Unix seconds as a number or a numeric string."""
    if value is None or value == "-":
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise BadLine(f"{what} {value!r} is not a Unix time") from None
