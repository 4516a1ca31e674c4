"""The data tables of ``discover/data/`` (conventions, client libraries, server images...).

Each table is a TOML file shipped with the package, read once per process; the modules that
turn its rows into their own types ask for a section by name.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _table(file: str) -> dict[str, Any]:
    import tomllib
    from importlib import resources

    text = resources.files("socklock.discover").joinpath("data", file)
    return tomllib.loads(text.read_text(encoding="utf-8"))


def section(file: str, name: str) -> Any:
    """The section ``name`` of ``data/<file>``: a list of ``[[name]]`` rows, or a table."""
    return _table(file)[name]


def strings(row: dict[str, object], key: str) -> tuple[str, ...]:
    """A row's list of strings under ``key`` (none when the row leaves it out)."""
    values = row.get(key, ())
    assert isinstance(values, list | tuple)
    return tuple(str(v) for v in values)
