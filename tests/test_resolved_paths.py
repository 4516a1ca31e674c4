"""``resolved_paths`` (what a run read, to refuse writing over it) is ``Path.resolve()`` of
each path, through symlinked directories and files, dangling links, loops and ``..``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from socklock.files import resolved_paths


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.yaml").write_text("a: 1\n")
    (real / "sub" / "b.yaml").write_text("b: 1\n")
    (tmp_path / "linked").symlink_to(real)  # a symlinked directory
    (real / "c.yaml").symlink_to(real / "sub" / "b.yaml")  # a symlinked file
    (real / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")  # dangling
    (real / "loop.yaml").symlink_to(real / "loop.yaml")  # a loop
    (real / "up").symlink_to(real / "sub")  # "up/.." is real, not sub's parent lexically
    return tmp_path


def test_same_as_resolve(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    paths: list[str | Path] = [
        "real/a.yaml",
        "linked/a.yaml",
        "linked/sub/b.yaml",
        "real/c.yaml",
        "linked/c.yaml",
        "real/gone.yaml",
        "real/missing.yaml",
        "real/up/../a.yaml",
        "./real//sub/./b.yaml",
        "linked",
        "linked/",
        "",
        ".",
        "/",
        tree / "linked" / "a.yaml",
        str(tree / "linked" / "sub"),
    ]
    for path in paths:
        assert resolved_paths([path]) == {Path(path).resolve()}, path
    assert resolved_paths(paths) == frozenset(Path(p).resolve() for p in paths)
    assert resolved_paths(["linked/a.yaml"]) == {tree.resolve() / "real" / "a.yaml"}
    assert resolved_paths(["real/c.yaml"]) == {tree.resolve() / "real" / "sub" / "b.yaml"}
    assert os.path.isdir(tree / "real" / "up")


def test_a_symlink_loop_is_refused_as_resolve_refuses_it(tree: Path) -> None:
    for path in (tree / "real" / "loop.yaml", tree / "real" / "loop.yaml" / "x.yaml"):
        with pytest.raises(RuntimeError, match="Symlink loop"):
            Path(path).resolve()
        with pytest.raises(RuntimeError, match="Symlink loop"):
            resolved_paths([path])
