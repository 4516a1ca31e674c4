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


def analyser_for(path: PurePath) -> Analyser | None:
    """The first analyser that reads ``path``, if any."""
    for analyser in ANALYSERS:
        if analyser.handles(path):
            return analyser
    return None


def analyser_named(name: str) -> Analyser:
    """The analyser called ``name`` (worker processes receive analysers by name)."""
    for analyser in ANALYSERS:
        if analyser.name == name:
            return analyser
    raise KeyError(name)
