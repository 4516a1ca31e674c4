"""Every analyser, in the order files are offered to them. No plugins: one explicit table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code import (
    config_files,
    cpp,
    csharp,
    elixir,
    go,
    java,
    javascript,
    kotlin,
    log_configs,
    lua,
    php,
    python,
    ruby,
    rust,
    scala,
)

if TYPE_CHECKING:
    from pathlib import PurePath

    from socklock.discover.code.interface import Analyser

ANALYSERS: tuple[Analyser, ...] = (
    go.ANALYSER,
    python.ANALYSER,
    java.ANALYSER,
    javascript.JAVASCRIPT,
    javascript.TYPESCRIPT,
    javascript.TSX,
    csharp.ANALYSER,
    ruby.ANALYSER,
    php.ANALYSER,
    kotlin.ANALYSER,
    scala.ANALYSER,
    rust.ANALYSER,
    cpp.ANALYSER,
    lua.ANALYSER,
    elixir.ANALYSER,
    log_configs.ANALYSER,
    config_files.ANALYSER,
)


def _steps(analysers: tuple[Analyser, ...]) -> tuple[dict[str, Analyser] | Analyser, ...]:
    """``analysers`` in order, each run of those that go by suffix alone (a ``suffixes``
    attribute: they read exactly the files whose lowercased suffix is listed) folded into
    one table, where the first of them keeps a suffix, as asking them in turn would."""
    steps: list[dict[str, Analyser] | Analyser] = []
    for analyser in analysers:
        suffixes: tuple[str, ...] | None = getattr(analyser, "suffixes", None)
        if suffixes is None:
            steps.append(analyser)
            continue
        if not steps or not isinstance(steps[-1], dict):
            steps.append({})
        table = steps[-1]
        assert isinstance(table, dict)
        for suffix in suffixes:
            table.setdefault(suffix, analyser)
    return tuple(steps)


_STEPS = _steps(ANALYSERS)  # every file of every tree walk asks: one lookup, not fifteen


def analyser_for(path: PurePath) -> Analyser | None:
    """The first analyser that reads ``path``, if any."""
    suffix = path.suffix.lower()
    for step in _STEPS:
        if isinstance(step, dict):
            found = step.get(suffix)
            if found is not None:
                return found
        elif step.handles(path):
            return step
    return None


def analyser_named(name: str) -> Analyser:
    """The analyser called ``name`` (worker processes receive analysers by name)."""
    for analyser in ANALYSERS:
        if analyser.name == name:
            return analyser
    raise KeyError(name)
