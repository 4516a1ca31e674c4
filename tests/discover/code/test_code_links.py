"""Names defined in one file and used in another: every file of a fixture tree reports
exactly what its expectation comments say (files without any report nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.discover.code.expectations import mismatches, parse_comments

from socklock.discover.code.links import forget
from socklock.discover.code.registry import analyser_for
from socklock.discover.code.scan import scan_tree

TREES = Path(__file__).parents[2] / "fixtures" / "values" / "links"


@pytest.mark.parametrize("tree", sorted(p.name for p in TREES.iterdir()))
def test_tree(tree: str) -> None:
    forget()
    root = TREES / tree
    results = list(scan_tree([str(root)], workers=1))
    problems: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if analyser_for(path) is None:
            continue
        expectations = parse_comments(path.read_text(encoding="utf-8"))
        found = [r for r in results if r.file == str(path)]
        problems += [f"{path.relative_to(root)}: {p}" for p in mismatches(expectations, found)]
    assert not problems, "\n".join(problems)


def test_a_file_is_linked_only_when_a_name_is_missing(tmp_path: Path) -> None:
    """A name the file defines itself wins over another file's definition of it."""
    forget()
    (tmp_path / "settings.py").write_text('URL = "http://elsewhere:80"\n')
    (tmp_path / "app.py").write_text(
        "import requests\nfrom settings import URL\nURL = 'http://here:80'\nrequests.get(URL)\n"
    )
    results = list(scan_tree([str(tmp_path / "app.py")], workers=1))
    assert [(r.line, getattr(r, "target", None)) for r in results] == [(4, "http://here:80")]


def test_a_package_of_files_that_all_use_a_name_none_defines_is_searched_a_bounded_depth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Go package is one namespace: every file that mentions ``routes`` may define it, so
    a sibling that does not asks the others again. The depth of the lookups in progress
    bounds that search (a parsed file is cached with the depth it was first loaded at, so
    its own depth cannot), and a sibling's answer for ``routes["x"]`` is kept: thirty files
    ask at most ``30**3`` times, never every ordering of the package (a run that did not
    finish)."""
    from socklock.discover.code import links

    forget()
    files = 30  # more than the parsed files a process keeps
    for index in range(files):
        (tmp_path / f"part{index}.go").write_text(
            f'package shop\n\nimport "net/http"\n\nfunc part{index}() {{\n'
            f'\thttp.Get(routes["part{index}"])\n}}\n'
        )
    (tmp_path / "table.go").write_text(
        'package shop\n\nvar known = map[string]string{"part0": "http://api:8080"}\n'
    )
    asked = 0
    original = links.Links.item

    def counted(self: links.Links, name: str, key: str) -> object:
        nonlocal asked
        asked += 1
        return original(self, name, key)

    monkeypatch.setattr(links.Links, "item", counted)
    results = list(scan_tree([str(tmp_path)], workers=1))
    # the URL literal is the only address: no part resolves ``routes`` (nothing defines it)
    found = [(Path(r.file).name, r.line) for r in results if getattr(r, "target", None)]
    assert found == [("table.go", 3)]
    assert asked <= files**3
