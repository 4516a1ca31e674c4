"""benchmarks/checkout.py writes an application's tree at its truth's commit, from a clone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from benchmarks.checkout import check_out, git_dir

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    done = subprocess.run([*command, *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_truths_commit_is_written_else_head(tmp_path: Path) -> None:
    clone = tmp_path / "clones" / "us+shop"
    clone.mkdir(parents=True)
    _git(clone, "init", "-q")
    (clone / "compose.yaml").write_text("services: {web: {image: web:1}}\n")
    _git(clone, "add", ".")
    _git(clone, "commit", "-qm", "one")
    first = _git(clone, "rev-parse", "HEAD")
    (clone / "compose.yaml").write_text("services: {web: {image: web:2}}\n")
    (clone / "later.txt").write_text("added later\n")
    _git(clone, "commit", "-qam", "two")
    _git(clone, "add", ".")
    _git(clone, "commit", "-qm", "three")
    git = git_dir(tmp_path / "clones", "us/shop")
    assert git == clone / ".git"
    assert git_dir(tmp_path / "clones", "us/other") is None

    pinned = tmp_path / "apps" / "us+shop"
    assert check_out(git, first, pinned) == "at the truth's commit"
    assert sorted(p.name for p in pinned.iterdir()) == ["compose.yaml"]
    assert (pinned / "compose.yaml").read_text() == "services: {web: {image: web:1}}\n"

    head = tmp_path / "apps" / "us+shop@head"
    assert check_out(git, "0" * 40, head) == "at HEAD (no truth commit here)"
    assert sorted(p.name for p in head.iterdir()) == ["compose.yaml", "later.txt"]
