"""The generic tree-sitter analyser: one instance per language, configured by a Syntax."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.engine import analyse_tree
from socklock.discover.code.grammar import load, prefilter
from socklock.discover.code.interface import CallKind
from socklock.discover.code.sdk_uses import may_use_sdk, sdk_sites

if TYPE_CHECKING:
    from pathlib import PurePath

    from socklock.discover.code.interface import Result
    from socklock.discover.code.syntax import Syntax


class TreeSitterAnalyser:
    """Parses a file once, runs the language's query once (and its definitions query when a
    name must be resolved), evaluates what it found.

    ``config_dirs``: files under a directory of that name are configuration (Node's
    ``config/*.js``), so their literal addresses are reported as ``config``.
    """

    def __init__(self, syntax: Syntax, *, config_dirs: frozenset[str] = frozenset()) -> None:
        self.name = syntax.name
        self.syntax = syntax
        self._config_dirs = config_dirs

    def warm(self) -> None:
        """Compile the grammar now (before forking workers that would each compile it)."""
        load(self.syntax)

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The files it reads: by suffix alone (see ``registry.analyser_for``)."""
        return self.syntax.suffixes

    def handles(self, path: PurePath) -> bool:
        return path.suffix.lower() in self.syntax.suffixes

    def analyse(self, path: str, source: bytes) -> list[Result]:
        quick = prefilter(self.syntax)
        calls = quick is None or quick.search(source)
        sdk = may_use_sdk(source)
        if not calls and not sdk:
            return []
        grammar = load(self.syntax)
        try:
            source.decode("utf-8")
        except UnicodeDecodeError:
            # query predicates fail on invalid UTF-8; lines stay where they were
            source = source.decode("utf-8", "replace").encode()
        tree = grammar.parser.parse(source)
        found: list[Result] = []
        if calls:
            found.extend(analyse_tree(path, source, tree, grammar, self._literal_kind(path)))
        if sdk:
            found.extend(sdk_sites(path, source, tree, self.syntax))
            found.sort(key=lambda result: (result.line, result.column))
        return found

    def _literal_kind(self, path: str) -> CallKind:
        if self._config_dirs:
            parts = path.replace("\\", "/").split("/")[:-1]
            if any(part in self._config_dirs for part in parts):
                return CallKind.CONFIG
        return self.syntax.literal_kind
