"""Patterns of one shape matched as one (discover/code/shapes.py): the merged query reports
exactly what the query as written reports, in the same order, with the same settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from tree_sitter import Language, Node, Parser, Query, QueryCursor

from socklock.discover.code.analyser import TreeSitterAnalyser
from socklock.discover.code.grammar import _targets, load
from socklock.discover.code.prefilter import split_patterns
from socklock.discover.code.registry import ANALYSERS
from socklock.discover.code.shapes import Plan, plan

SYNTAXES = [a.syntax for a in ANALYSERS if isinstance(a, TreeSitterAnalyser)]
FIXTURES = Path(__file__).parent / "fixtures"

Seen = list[tuple[int, tuple[tuple[str, tuple[tuple[int, int], ...]], ...]]]


def _seen(matches: object) -> Seen:
    return [
        (
            index,
            tuple(
                (name, tuple((n.start_byte, n.end_byte) for n in nodes))
                for name, nodes in captures.items()
            ),
        )
        for index, captures in matches  # type: ignore[attr-defined]
    ]


def _go() -> Language:
    import tree_sitter_go

    return Language(tree_sitter_go.language())


def _both(text: str, source: bytes) -> tuple[Seen, Seen, Plan]:
    language = _go()
    root: Node = Parser(language).parse(source).root_node
    written = _seen(QueryCursor(Query(language, text)).matches(root))
    merged = plan(split_patterns(text), language)
    found = _seen(merged.expand(QueryCursor(Query(language, merged.text)).matches(root)))
    return written, found, merged


_GET = """((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#eq? @_pkg "{pkg}") (#any-of? @_fn {names}))
"""
_ANY_CALL = """((call_expression function: (_) @_f arguments: (argument_list . (_) @seed))
  (#match? @_f "Get"))
"""
_SOURCE = b"""package main
func main() {
	http.Get(url)
	grpc.Dial(addr)
	http.Head(other)
	client.Get(x)
}
"""


def test_patterns_of_one_shape_become_one_with_the_same_matches_in_order() -> None:
    text = (
        _GET.format(pkg="http", names='"Get" "Post"')
        + _GET.format(pkg="grpc", names='"Dial"')
        + _GET.format(pkg="http", names='"Head"')
    )
    written, found, merged = _both(text, _SOURCE)
    assert merged.rows and len(merged.rows) == 1
    assert [m.index for m in merged.rows[0]] == [0, 1, 2]  # type: ignore[union-attr]
    assert found == written
    assert [index for index, _ in found] == [0, 1, 2]
    assert [_SOURCE[dict(c)["target"][0][0] : dict(c)["target"][0][1]] for _, c in found] == [
        b"url",
        b"addr",
        b"other",
    ]


def test_a_pattern_between_that_can_match_the_same_call_keeps_the_groups_apart() -> None:
    """The second ``Get`` pattern would move before ``_ANY_CALL``, which matches the same
    call at the same step: it starts a group of its own."""
    text = (
        _GET.format(pkg="grpc", names='"Dial"')
        + _ANY_CALL
        + _GET.format(pkg="client", names='"Get"')
    )
    written, found, merged = _both(text, _SOURCE)
    assert merged.rows == (0, 1, 2)
    assert found == written


def test_a_pattern_between_that_names_other_functions_does_not() -> None:
    between = _GET.format(pkg="os", names='"Getenv"').replace("@target))", "@env.name)) @env")
    text = (
        _GET.format(pkg="grpc", names='"Dial"') + between + _GET.format(pkg="client", names='"Get"')
    )
    written, found, merged = _both(text, _SOURCE)
    assert [r if isinstance(r, int) else [m.index for m in r] for r in merged.rows] == [
        [0, 2],
        1,
    ]
    assert found == written


def test_regex_names_and_inline_flags_merge_exactly() -> None:
    text = (
        "((call_expression function: (selector_expression field: (field_identifier) @_fn)"
        ' arguments: (argument_list . (_) @target)) (#match? @_fn "(?i)^get$"))\n'
        "((call_expression function: (selector_expression field: (field_identifier) @_fn)"
        ' arguments: (argument_list . (_) @target)) (#eq? @_fn "Dial"))\n'
    )
    written, found, merged = _both(text, _SOURCE)
    assert len(merged.rows) == 1
    assert [index for index, _ in found] == [0, 1, 0]
    assert found == written


def test_quantified_captures_and_negative_predicates_are_evaluated_as_tree_sitter_does() -> None:
    shape = (
        "((call_expression function: (selector_expression field: (field_identifier) @_fn)"
        " arguments: (argument_list (identifier)* @args)) {})\n"
    )
    text = "".join(
        shape.format(predicates)
        for predicates in (
            '(#eq? @_fn "Get") (#not-eq? @args "url")',
            '(#any-of? @_fn "Get" "Dial") (#any-eq? @args "x")',
            '(#eq? @_fn "Head") (#not-match? @args "^o")',
            '(#eq? @_fn "Dial") (#not-any-of? @args "addr" "b")',
            '(#eq? @_fn "Get") (#any-not-match? @args "^x$")',
        )
    )
    source = _SOURCE.replace(b"client.Get(x)", b"client.Get(x, y)\n\tweb.Get()")
    written, found, merged = _both(text, source)
    assert len(merged.rows) == 1
    assert found == written
    assert sorted({index for index, _ in found}) == [0, 1, 3, 4]


def test_a_pattern_with_a_predicate_it_cannot_evaluate_is_left_as_written() -> None:
    text = _GET.format(pkg="http", names='"Get"') + _GET.format(pkg="grpc", names='"Dial"').replace(
        "(#eq?", "(#is? local) (#eq?"
    )
    _, _, merged = _both(text, _SOURCE)
    assert merged.rows == (0, 1)


@pytest.mark.parametrize("syntax", SYNTAXES, ids=lambda s: s.name)
def test_every_language_reports_what_its_query_as_written_reports(syntax: object) -> None:
    """Each pattern once, the settings tree-sitter gives the query as written, and the same
    matches in the same order on every fixture of the language."""
    grammar = load(syntax)  # type: ignore[arg-type]
    written = Query(grammar.language, _targets(syntax))  # type: ignore[arg-type]
    assert grammar.settings == tuple(
        written.pattern_settings(i) for i in range(written.pattern_count)
    )
    indices = [
        i
        for row in grammar.plan.rows
        for i in ([row] if isinstance(row, int) else [m.index for m in row])
    ]
    assert sorted(indices) == list(range(written.pattern_count))
    assert grammar.targets.pattern_count == len(grammar.plan.rows)
    files = [
        p
        for p in FIXTURES.rglob("*")
        if p.is_file() and p.name.endswith(syntax.suffixes)  # type: ignore[attr-defined]
    ]
    for path in files:
        root = grammar.parser.parse(path.read_bytes()).root_node
        assert _seen(grammar.target_matches(root)) == _seen(QueryCursor(written).matches(root)), (
            path
        )
