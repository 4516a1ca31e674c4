"""The byte-level prefilter never hides a call site: checked on every window of every fixture."""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.engine import analyse_tree
from socklock.discover.code.grammar import load
from socklock.discover.code.registry import ANALYSERS, analyser_for

FIXTURES = Path(__file__).parent / "fixtures"
CODE = sorted(
    p
    for p in FIXTURES.rglob("*")
    if p.is_file() and isinstance(analyser_for(PurePath(p.name)), TreeSitterAnalyser)
)


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_prefilter_keeps_every_window_with_results(path: Path) -> None:
    analyser = analyser_for(PurePath(path.name))
    assert isinstance(analyser, TreeSitterAnalyser)
    grammar = load(analyser.syntax)
    assert grammar.prefilter is not None
    lines = path.read_bytes().splitlines(keepends=True)
    for size in (1, 2, 4):
        for start in range(len(lines)):
            window = b"".join(lines[start : start + size])
            tree = grammar.parser.parse(window)
            if analyse_tree("w", window, tree, grammar) and not grammar.prefilter.search(window):
                raise AssertionError(
                    f"prefilter drops lines {start + 1}-{start + size}: {window!r}"
                )


def test_prefilter_rejects_plain_code() -> None:
    for analyser in ANALYSERS:
        if isinstance(analyser, TreeSitterAnalyser):
            prefilter = load(analyser.syntax).prefilter
            assert prefilter is not None
            assert not prefilter.search(b"total = 0\nfor item in items:\n    total += item.price\n")
