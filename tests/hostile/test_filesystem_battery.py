"""Hostile files and file systems beside a good manifest, through ``policy generate``: one
exact line each on stderr, the exit code, the good file's policies written, and nothing
outside the output directory changed (a hash of the tree before and after). Every input is
made here; the command runs in a subprocess, as a user (or CI) would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.hostile.test_output_confinement import GOOD, tree_hash

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: things.example.com}
spec:
  group: example.com
  names: {kind: Thing, plural: things}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          op: {type: string, enum: [=, "!=", <<]}
"""


def _loop(root: Path) -> None:
    (root / "a.yaml").symlink_to("b.yaml")
    (root / "b.yaml").symlink_to("a.yaml")


def _fifo(root: Path) -> None:
    os.mkfifo(root / "fifo.yaml")


def _nul(root: Path) -> None:
    (root / "nul.yaml").write_bytes(b"apiVersion: v1\x00\nkind: ConfigMap\n")


def _not_utf8(root: Path) -> None:
    (root / "latin1.yaml").write_bytes(
        b'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "caf\xe9"}\n'
    )


def _outside(root: Path) -> None:
    (root.parent / "elsewhere.yaml").write_text(GOOD.replace("good", "elsewhere"))
    (root / "linked.yaml").symlink_to(root.parent / "elsewhere.yaml")


def _crd_enum(root: Path) -> None:
    (root / "crd.yaml").write_text(CRD)


def _directory_loop(root: Path) -> None:
    (root / "loop").mkdir()
    (root / "loop" / "self").symlink_to("../loop")


@pytest.mark.parametrize(
    ("make", "code", "lines"),
    [
        (
            _loop,
            2,
            [
                "a.yaml: error: symlink loop, not followed",
                "b.yaml: error: symlink loop, not followed",
            ],
        ),
        (_fifo, 2, ["fifo.yaml: error: not a regular file (a FIFO), not read"]),
        (_nul, 2, ["nul.yaml: error: binary file (contains NUL bytes), not text"]),
        (_not_utf8, 2, ["latin1.yaml:4:15: error: not UTF-8 text: invalid byte 0xe9"]),
        (
            _outside,
            0,
            [
                # the warning names the link and its target; the run still generates for the
                # rest, and says so rather than dropping the file silently
                "linked.yaml: warning: symlink to {parent}/elsewhere.yaml, outside .: not followed"
            ],
        ),
        (_crd_enum, 0, []),  # a bare `=` in an enum is the string "=", not invalid YAML
        (_directory_loop, 0, []),  # the loop is walked once, never forever
    ],
    ids=[
        "symlink-loop",
        "fifo",
        "nul-bytes",
        "not-utf8",
        "outside-symlink",
        "crd-enum",
        "dir-loop",
    ],
)
def test_one_line_each_and_the_good_file_is_generated(
    tmp_path: Path, make: Callable[[Path], None], code: int, lines: list[str]
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.yaml").write_text(GOOD)
    make(root)
    out = root / "out"
    before = tree_hash(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "socklock", "policy", "generate", ".", "--no-code", "-o", "out"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    expected = [line.format(parent=tmp_path) for line in lines]
    assert (result.returncode, result.stderr.splitlines()) == (code, expected)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yaml")) == [
        "shop/_default-deny.yaml",
        "shop/good.yaml",
    ]
    assert tree_hash(tmp_path, skip=out) == before
