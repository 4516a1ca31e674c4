"""The one listing of source files near a file whose callers are looked for (the import
and the ``#include`` reverse searches): skipped trees, skipped files, order, once a process."""

from __future__ import annotations

from pathlib import Path

from socklock.discover.code.paths import forget_listings, nearby_sources


def _tree(root: Path, files: list[str]) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n")


def test_source_files_are_listed_in_walk_order_without_skipped_trees(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        ["b/svc.py", "a/app.py", "a/app_test.py", "tests/t.py", ".hidden/h.py", "a/x.go"],
    )
    forget_listings()
    assert nearby_sources(str(tmp_path), (".py",)) == [
        str(tmp_path / "a" / "app.py"),
        str(tmp_path / "b" / "svc.py"),
    ]


def test_skipped_files_can_be_kept(tmp_path: Path) -> None:
    _tree(tmp_path, ["src/main.cpp", "src/main_test.cpp", "tests/t.cpp", "src/readme.txt"])
    forget_listings()
    assert nearby_sources(str(tmp_path), (".cpp",), skip_files=False) == [
        str(tmp_path / "src" / "main.cpp"),
        str(tmp_path / "src" / "main_test.cpp"),
    ]
    assert nearby_sources(str(tmp_path), (".cpp",)) == [str(tmp_path / "src" / "main.cpp")]


def test_a_listing_is_kept_until_forgotten(tmp_path: Path) -> None:
    _tree(tmp_path, ["a/one.py"])
    forget_listings()
    assert nearby_sources(str(tmp_path), (".py",)) == [str(tmp_path / "a" / "one.py")]
    _tree(tmp_path, ["a/two.py"])
    assert nearby_sources(str(tmp_path), (".py",)) == [str(tmp_path / "a" / "one.py")]
    forget_listings()
    assert nearby_sources(str(tmp_path), (".py",)) == [
        str(tmp_path / "a" / "one.py"),
        str(tmp_path / "a" / "two.py"),
    ]
