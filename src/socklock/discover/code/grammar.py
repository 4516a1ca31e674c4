"""Grammars, parsers and compiled queries, loaded once per process and only when used.

tree-sitter is imported here and nowhere at package import time, so ``socklock --help``
never pays for it. Each ``queries/<lang>.scm`` holds up to three sections (``;; section:
targets``, ``;; section: definitions`` and ``;; section: calls``) compiled into one query
each; the second runs only on files that need a name resolved, the third only when a
call target is a parameter of a function defined in the file. A syntax may list several
files (JavaScript and TypeScript share ``ecmascript.scm``); their sections are joined.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from socklock.discover.code.prefilter import build_prefilter

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tree_sitter import Language, Node, Parser, Query

    from socklock.discover.code.prefilter import Prefilter
    from socklock.discover.code.shapes import Plan
    from socklock.discover.code.syntax import Syntax

_SECTION = re.compile(r"^;;\s*section:\s*([\w-]+)\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Grammar:
    """Everything needed to analyse files of one syntax, built once."""

    syntax: Syntax
    language: Language  # kept alive as long as the parser and queries made from it
    parser: Parser
    targets: Query  # the ``targets`` section with its patterns of one shape merged (shapes.py)
    plan: Plan  # what each pattern of ``targets`` stands for in the section as written
    definitions: Query
    calls: Query | None  # every call with its callee's name; None when the syntax has none
    settings: tuple[dict[str, str | None], ...]  # per pattern of the section as written
    prefilter: Prefilter | None  # a file it does not match has no call sites

    def target_matches(self, root: Node) -> Iterator[tuple[int, dict[str, list[Node]]]]:
        """The ``targets`` section's matches under ``root``, numbered as written, in the order
        tree-sitter gives them for the section as written."""
        from tree_sitter import QueryCursor

        return self.plan.expand(QueryCursor(self.targets).matches(root))


_GRAMMARS: dict[str, Grammar] = {}
_PREFILTERS: dict[str, Prefilter | None] = {}


def prefilter(syntax: Syntax) -> Prefilter | None:
    """The prefilter alone: built from the query text, without loading tree-sitter."""
    if syntax.name not in _PREFILTERS:
        _PREFILTERS[syntax.name] = build_prefilter(_targets(syntax))
    return _PREFILTERS[syntax.name]


def load(syntax: Syntax) -> Grammar:
    """The grammar for ``syntax``, compiled on first use."""
    found = _GRAMMARS.get(syntax.name)
    if found is None:
        found = _GRAMMARS[syntax.name] = _compile(syntax)
    return found


def query_sections(query_files: tuple[str, ...]) -> dict[str, str]:
    """The named sections of ``.scm`` files shipped with the package, joined by name."""
    sections: dict[str, str] = {"targets": "", "definitions": "", "calls": ""}
    folder = resources.files("socklock.discover.code").joinpath("queries")
    for query_file in query_files:
        text = folder.joinpath(query_file).read_text(encoding="utf-8")
        marks = list(_SECTION.finditer(text))
        for index, mark in enumerate(marks):
            end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
            name = mark.group(1)
            sections[name] = sections.get(name, "") + text[mark.end() : end]
    return sections


def _targets(syntax: Syntax, sections: dict[str, str] | None = None) -> str:
    """The ``targets`` section, with the patterns of the client table's rows (clients.py)."""
    from socklock.discover.code.clients import client_patterns

    text = (sections or query_sections(syntax.query_files))["targets"]
    return text + client_patterns(syntax.name)


def _compile(syntax: Syntax) -> Grammar:
    from tree_sitter import Language, Parser, Query

    from socklock.discover.code.prefilter import split_patterns
    from socklock.discover.code.shapes import plan

    module = importlib.import_module(syntax.module)
    language = Language(getattr(module, syntax.entry)())
    sections = query_sections(syntax.query_files)
    merged = plan(split_patterns(_targets(syntax, sections)), language)
    targets = Query(language, merged.text)
    definitions = Query(language, sections["definitions"])
    calls = Query(language, sections["calls"]) if sections["calls"].strip() else None
    return Grammar(
        syntax=syntax,
        language=language,
        parser=Parser(language),
        targets=targets,
        plan=merged,
        definitions=definitions,
        calls=calls,
        settings=merged.settings(targets),
        prefilter=prefilter(syntax),
    )
