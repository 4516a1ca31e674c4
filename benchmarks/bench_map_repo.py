"""`socklock map` end to end on whole public repositories (issue 9's speed target).

The repositories are not ours and are never committed: fetch each one (the commit is
listed below) into a folder and name the folders in ``SOCKLOCK_BENCH_REPOS`` (separated by
``:``), or put them under ``/work/bigrepos/<name>`` or ``/work/realapps/<owner>+<repo>``. A
repository that is not there is reported as skipped, with the reason, never silently left
out.

"Lines" are the newlines of every regular file in the repository (symlinks not followed):
the whole repository as the user hands it over, vendored trees and docs included, because
recognising and skipping those is part of the work. Each run is a fresh process with the
default worker count (one per CPU: 2 on the reference machine), timed by the wall clock;
its CPU seconds (socklock's and its children's: the code scan's workers, kubectl), the
lines per CPU second and the load average before it started are recorded too, since other
work on the machine stretches the wall time.
"""

from __future__ import annotations

import os
import resource
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
    # ten kustomize overlays, each rendering the same 12 MB of CRDs
    "argo-workflows": ("argoproj/argo-workflows", "f016ad89eb269d282aec06dc491c29f396a38df4"),
    # a Go monorepo: Helm charts, samples, build scripts, 3,000 Go files to scan
    "istio": ("istio/istio", "86c9f01fd735fb01d8192f5bcaf0d424afb7f14c"),
    # a Python/JS application with its Helm chart and compose files
    "oncall": ("grafana/oncall", "3666186a9430dcc65c8ad2999f8353e8fcd298da"),
    # many small manifest folders, little else
    "examples": ("kubernetes/examples", "279e8e4fe314f6cb7bc55fa3fbc21bbeaa48c0ea"),
    # C++/Lua/Go benchmarks: compose files, Helm charts and vendored code
    "DeathStarBench": ("delimitrou/DeathStarBench", "6ecb09706140f8730b5385c08f1386c654c3c526"),
    # a hundred versioned copies of its install manifests (nginx ConfigMaps) in the docs
    "litmus": ("litmuschaos/litmus", "82e67d90b6e48471042bef06e4adbd865b52907a"),
}


def repositories() -> list[Path]:
    listed = os.environ.get("SOCKLOCK_BENCH_REPOS")
    if listed:
        return [Path(p) for p in listed.split(":") if p]
    found = []
    for name, (upstream, _) in KNOWN.items():
        places = [
            Path("/work/bigrepos") / name,
            Path("/work/realapps") / upstream.replace("/", "+"),
        ]
        found.append(next((p for p in places if p.is_dir()), places[0]))
    return found


def _upstream(root: Path) -> tuple[str, str]:
    for name, (upstream, commit) in KNOWN.items():
        if root.name in (name, upstream.replace("/", "+")):
            return upstream, commit
    return "?", "?"


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
        upstream = _upstream(root)
        return {"skipped": f"{root} is not there (fetch {upstream[0]} at {upstream[1]})"}
    lines = count_lines(root)
    socklock = Path(sys.executable).with_name("socklock")
    with tempfile.TemporaryDirectory(prefix="socklock-bench-") as out:
        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        run = subprocess.run(
            [str(socklock), "map", str(root), "--format", "json", "-o", f"{out}/graph.json"],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    summary = next((ln for ln in run.stderr.splitlines() if ln.startswith("skipped ")), "")
    return {
        "lines": lines,
        "wall_s": round(wall, 2),
        "lines_per_s": round(lines / wall),
        "target_lines_per_s": TARGET_LINES_PER_S,
        "cpu_s": round(cpu, 2),
        # what the run costs whatever else the machine does: 2 idle cores give at most
        # twice this per wall second (the workers scan while this process loads)
        "lines_per_cpu_s": round(lines / cpu) if cpu else None,
        "load_average": round(load, 1),
        "exit_code": run.returncode,
        "errors": [ln for ln in run.stderr.splitlines() if ": error: " in ln],
        "skip_summary": summary,
    }


def compiled() -> None:
    """socklock's modules compiled to bytecode first, as an installed wheel has them: in a
    checkout run with ``PYTHONDONTWRITEBYTECODE`` (this machine sets it) every run would
    compile its 200-odd modules again, about 1 s of CPU no user pays."""
    import compileall

    import socklock

    compileall.compile_dir(Path(socklock.__file__).parent, quiet=1)


def main(full: bool = True) -> dict[str, object]:
    """Both sizes measure the same repositories: they are what they are."""
    compiled()
    return {root.name: measure(root) for root in repositories()}


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=2))
