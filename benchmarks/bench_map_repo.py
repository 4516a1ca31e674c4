"""`socklock map` end to end on whole public repositories (issue 9's speed target).

The repositories are not ours and are never committed: fetch each one (the commit is
listed below) into a folder and name the folders in ``SOCKLOCK_BENCH_REPOS`` (separated by
``:``), or put them under ``/work/bigrepos/<name>``. A repository that is not there is
reported as skipped, with the reason, never silently left out.

"Lines" are the newlines of every regular file in the repository (symlinks not followed):
the whole repository as the user hands it over, vendored trees and docs included, because
recognising and skipping those is part of the work. Each run is a fresh process with the
default worker count (one per CPU: 2 on the reference machine), timed by the wall clock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_LINES_PER_S = 250_000

# name -> (owner/repo, commit measured in docs/benchmarks.md)
KNOWN = {
    "argo-cd": ("argoproj/argo-cd", "37ee0097cf851bc2dd7665fc081bbce61a7e836e"),
    "loki": ("grafana/loki", "65e30f8488e8a5ea2013c6881675f8103a8f6bc7"),
}


def repositories() -> list[Path]:
    listed = os.environ.get("SOCKLOCK_BENCH_REPOS")
    if listed:
        return [Path(p) for p in listed.split(":") if p]
    return [Path("/work/bigrepos") / name for name in KNOWN]


def count_lines(root: Path) -> int:
    """Newlines in every regular file under ``root`` (no symlinks followed)."""
    total = 0
    for directory, _, files in os.walk(root):
        for name in files:
            path = Path(directory, name)
            if path.is_symlink() or not path.is_file():
                continue
            with path.open("rb") as handle:
                total += sum(
                    chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")
                )
    return total


def measure(root: Path) -> dict[str, object]:
    if not root.is_dir():
        upstream = KNOWN.get(root.name, ("?", "?"))
        return {"skipped": f"{root} is not there (fetch {upstream[0]} at {upstream[1]})"}
    lines = count_lines(root)
    socklock = Path(sys.executable).with_name("socklock")
    with tempfile.TemporaryDirectory(prefix="socklock-bench-") as out:
        started = time.perf_counter()
        run = subprocess.run(
            [str(socklock), "map", str(root), "--format", "json", "-o", f"{out}/graph.json"],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
    summary = next((ln for ln in run.stderr.splitlines() if ln.startswith("skipped ")), "")
    return {
        "lines": lines,
        "wall_s": round(wall, 2),
        "lines_per_s": round(lines / wall),
        "target_lines_per_s": TARGET_LINES_PER_S,
        "exit_code": run.returncode,
        "errors": [ln for ln in run.stderr.splitlines() if ": error: " in ln],
        "skip_summary": summary,
    }


def main(full: bool = True) -> dict[str, object]:
    """Both sizes measure the same repositories: they are what they are."""
    return {root.name: measure(root) for root in repositories()}


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=2))
