"""`--fix` writes the user's files safely (issue 12): each case of the issue has its test."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from socklock.files import EditRefused, edit_file, read_for_edit

POD = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
    "    - name: c\n      image: busybox@sha256:" + "a" * 64 + "\n"
    "      securityContext:\n        allowPrivilegeEscalation: true\n"
)


def harden_fix(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "socklock", "harden", "--fix", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_edit_saved_meanwhile_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text("a: 1\n")
    before = read_for_edit(path)
    path.write_text("a: 2\n")  # the user saves while socklock works
    with pytest.raises(EditRefused, match="changed since socklock read it"):
        edit_file(path, before, "a: 3\n")
    assert path.read_text() == "a: 2\n"


def test_mode_owner_and_group_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text("a: 1\n")
    path.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(path, 1234, 5678)
    edit_file(path, "a: 1\n", "a: 2\n")
    info = path.stat()
    assert (stat.S_IMODE(info.st_mode), path.read_text()) == (0o640, "a: 2\n")
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (1234, 5678)


def test_a_symlink_is_edited_at_its_target_and_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("a: 1\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    edit_file(link, "a: 1\n", "a: 2\n", within=tmp_path)
    assert link.is_symlink() and real.read_text() == "a: 2\n"


def test_a_symlink_out_of_the_scanned_tree_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("a: 1\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "link.yaml").symlink_to(outside)
    with pytest.raises(EditRefused, match="outside"):
        edit_file(tree / "link.yaml", "a: 1\n", "a: 2\n", within=tree)
    assert outside.read_text() == "a: 1\n"


def test_hard_links_and_read_only_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text("a: 1\n")
    os.link(path, tmp_path / "twin.yaml")
    with pytest.raises(EditRefused, match="2 hard links"):
        edit_file(path, "a: 1\n", "a: 2\n")
    (tmp_path / "twin.yaml").unlink()
    path.chmod(0o444)
    with pytest.raises(EditRefused, match="read-only"):
        edit_file(path, "a: 1\n", "a: 2\n")
    assert path.read_text() == "a: 1\n"


def test_a_crlf_file_keeps_crlf_on_the_lines_the_fix_adds(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_bytes(POD.replace("\n", "\r\n").encode())
    done = harden_fix(path)
    assert done.returncode in (0, 1), done.stderr
    data = path.read_bytes()
    assert b"allowPrivilegeEscalation: false\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare LF anywhere


def test_fix_reports_a_refused_file_and_leaves_it(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    path.chmod(0o444)
    done = harden_fix(path)
    assert f"{path}: warning: fixes not applied: the file is read-only" in done.stderr
    assert path.read_text() == POD
