"""The query files: they compile, they are safe to compile, every language has fixtures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.grammar import query_sections
from socklock.discover.code.prefilter import split_patterns
from socklock.discover.code.registry import ANALYSERS

SYNTAXES = [a.syntax for a in ANALYSERS if isinstance(a, TreeSitterAnalyser)]
QUERIES = Path(__file__).parents[3] / "src" / "socklock" / "discover" / "code" / "queries"
FIXTURES = Path(__file__).parent / "fixtures"
_TEXT_PREDICATE = re.compile(r"\(#(?:not-)?(?:eq|match|any-of)\?")


@pytest.mark.parametrize("query_file", sorted(p.name for p in QUERIES.glob("*.scm")))
def test_set_comes_before_text_predicates(query_file: str) -> None:
    """py-tree-sitter 0.26.1 corrupts memory when a text predicate precedes ``#set!``
    (a segfault after a few Query compilations); keep ``#set!`` first in every pattern."""
    for pattern in split_patterns((QUERIES / query_file).read_text(encoding="utf-8")):
        settings = pattern.find("(#set!")
        first_text = _TEXT_PREDICATE.search(pattern)
        if settings != -1 and first_text is not None:
            assert settings < first_text.start(), pattern


def test_every_query_file_is_used() -> None:
    used = {name for syntax in SYNTAXES for name in syntax.query_files}
    assert used == {p.name for p in QUERIES.glob("*.scm")}


def test_queries_compile_repeatedly_without_crashing() -> None:
    program = (
        "import importlib\n"
        "from tree_sitter import Language, Query\n"
        "from socklock.discover.code.analyser import TreeSitterAnalyser\n"
        "from socklock.discover.code.grammar import query_sections\n"
        "from socklock.discover.code.registry import ANALYSERS\n"
        "for a in ANALYSERS:\n"
        "    if isinstance(a, TreeSitterAnalyser):\n"
        "        s = a.syntax\n"
        "        lang = Language(getattr(importlib.import_module(s.module), s.entry)())\n"
        "        text = query_sections(s.query_files)['targets']\n"
        "        for _ in range(4):\n"
        "            Query(lang, text)\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True)


@pytest.mark.parametrize("syntax", SYNTAXES, ids=lambda s: s.name)
def test_every_language_has_a_fixture(syntax: object) -> None:
    suffixes = getattr(syntax, "suffixes", ())
    assert any(p.suffix in suffixes for p in FIXTURES.rglob("*")), suffixes


@pytest.mark.parametrize("syntax", SYNTAXES, ids=lambda s: s.name)
def test_sections_exist(syntax: object) -> None:
    sections = query_sections(getattr(syntax, "query_files", ()))
    assert sections["targets"].strip()
    assert sections["definitions"].strip()
