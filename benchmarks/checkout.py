"""Check out the applications the truth files name, at the commits their truth was written from.

The accuracy harness reads one folder per application (``owner+name``, see
``benchmarks/truth/README.md``). Given a directory of git clones of those repositories (bare
or not, one per repository as ``owner+name/`` holding the clone, or ``owner+name/repo``),
this writes each application's files at its truth's commit (the clone's HEAD when the truth
names none or the clone lacks it) into the apps directory, without a ``.git``: the harness
reads the tree as a user's checkout, and nothing here runs the applications' code::

    python -m benchmarks.checkout CLONES APPS   # then: python -m benchmarks.accuracy APPS
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.accuracy import truths


def git_dir(clones: Path, repo: str) -> Path | None:
    """The git directory of ``repo``'s clone under ``clones``, if there is one."""
    folder = clones / repo.replace("/", "+")
    for candidate in (folder / "repo" / ".git", folder / "repo", folder / ".git", folder):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def _has_commit(git: Path, commit: str) -> bool:
    probe = ["git", "--git-dir", str(git), "cat-file", "-e", f"{commit}^{{commit}}"]
    return bool(commit) and subprocess.run(probe, capture_output=True, check=False).returncode == 0


def check_out(git: Path, commit: str, into: Path) -> str:
    """Write the tree of ``commit`` (else HEAD) into ``into``; what was written, in words.
    Files git cannot read (a clone without its largest blobs) are left out, as the
    snapshot left them out."""
    revision = commit if _has_commit(git, commit) else "HEAD"
    into.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        base = ["git", "--git-dir", str(git), "--work-tree", str(into)]
        subprocess.run([*base, "read-tree", revision], env=env, check=True, capture_output=True)
        done = subprocess.run(
            [*base, "checkout-index", "--all", "--force"], env=env, capture_output=True, text=True
        )
    missing = done.stderr.count("unable to read")
    where = "at the truth's commit" if revision == commit else "at HEAD (no truth commit here)"
    return f"{where}{f', {missing} unreadable file(s) left out' if missing else ''}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.checkout")
    parser.add_argument("clones", type=Path, help="one git clone per repository: owner+name/")
    parser.add_argument("apps", type=Path, help="where the harness reads the applications")
    args = parser.parse_args(argv)
    done: set[str] = set()
    for truth in truths():
        folder = args.apps / truth.folder
        if truth.folder in done or folder.exists():
            continue
        done.add(truth.folder)
        git = git_dir(args.clones, truth.repo)
        if git is None:
            print(f"{truth.repo}: no clone under {args.clones}", file=sys.stderr)
            continue
        print(f"{truth.folder}: {check_out(git, truth.commit, folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
