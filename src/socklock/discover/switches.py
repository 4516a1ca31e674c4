"""Feature switches beside an address: ``RETAIL_CATALOG_SEARCH_ENABLED=false`` turns off the
client that ``RETAIL_CATALOG_SEARCH_OS_ENDPOINT`` configures.

Applications group a feature's settings under one prefix and switch the feature with
``<PREFIX>_ENABLED`` (or ``<PREFIX>_DISABLED``); an address under a prefix whose switch is
off in the same environment is not called, even though the variable is set and read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_OFF = frozenset({"false", "0", "no", "off"})
_ON = frozenset({"true", "1", "yes", "on"})


def switched_off(name: str, lookup: Callable[[str], str | None]) -> str | None:
    """The ``SWITCH=value`` that turns off the feature the variable ``name`` configures
    (the longest prefix of its ``_``-separated words that has a switch), else None."""
    separator = "__" if "__" in name else "_"
    words = name.split(separator)
    for end in range(len(words) - 1, 0, -1):
        prefix = separator.join(words[:end])
        for suffix, off in (("ENABLED", _OFF), ("DISABLED", _ON)):
            for spelling in (suffix, suffix.capitalize(), suffix.lower()):
                switch = f"{prefix}{separator}{spelling}"
                value = lookup(switch)
                if value is None:
                    continue
                if value.strip().lower() in off:
                    return f"{switch}={value.strip()}"
                return None  # the nearest switch is on: the feature runs
    return None


def switched_on(switch: str, lookup: Callable[[str], str | None]) -> bool:
    """Whether the variable ``switch`` is set to a true value (``true``, ``1``, ``yes``)."""
    value = lookup(switch)
    return value is not None and value.strip().lower() in _ON
