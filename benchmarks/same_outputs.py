"""Every output of the commands a memory pass touches, to compare two versions byte for byte.

``python benchmarks/same_outputs.py SRC OUT [--big]`` runs socklock from the source tree
``SRC`` (its ``src/`` on ``PYTHONPATH``) on ``examples/sockshop``, on ``bench_verify.py``'s
generated clusters (1,500 services, the deployments and the dump shape) and, with
``--big``, on ``bench_memory.py``'s 3 MB file, and keeps in ``OUT/<case>/`` each command's
stdout, stderr, exit code and every file it wrote (the output directory's name replaced by
``OUT``). Run it for the base and the branch into two directories, then ``diff -r`` them.
The inputs are written once under ``OUT/../inputs`` and reused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLAVORS = ("kubernetes", "calico", "anp", "cilium")


def _inputs(root: Path, big: bool) -> dict[str, Path]:
    sys.path.insert(0, str(REPO))
    from benchmarks.bench_memory import generate
    from benchmarks.bench_verify import write_cluster

    root.mkdir(parents=True, exist_ok=True)
    found = {"sockshop": REPO / "examples" / "sockshop"}
    for shape in ("deployments", "dump"):
        where = root / shape
        if not where.exists():
            write_cluster(where, 1500, 30, 3, shape=shape)
        found[shape] = where
    if big:
        file = root / "big3mb.yaml"
        if not file.exists():
            generate(file, 3_000_000)
        found["big"] = file
    return found


def _cases(inputs: dict[str, Path]) -> list[tuple[str, list[str]]]:
    cases: list[tuple[str, list[str]]] = []
    for name in ("sockshop", "deployments"):
        path = str(inputs[name])
        cases += [
            (f"{name}-map-json", ["map", path, "--format", "json", "--no-code"]),
            (f"{name}-verify", ["policy", "verify", path, "--no-code"]),
            (f"{name}-verify-json", ["policy", "verify", path, "--no-code", "--format", "json"]),
            (f"{name}-scan", ["scan", path, "--no-code", "--out-dir", "OUT"]),
        ]
        for flavor in FLAVORS:
            cases.append(
                (
                    f"{name}-generate-{flavor}",
                    ["policy", "generate", path, "--no-code", "--flavor", flavor, "-o", "OUT"],
                )
            )
        cases.append(
            (
                f"{name}-generate-caller-labels",
                ["policy", "generate", path, "--no-code", "--mode", "caller-labels", "-o", "OUT"],
            )
        )
    dump = str(inputs["dump"])
    cases += [
        ("dump-map", ["map", dump, "--no-code"]),
        ("dump-verify-summary", ["policy", "verify", dump, "--no-code", "--summary"]),
        ("dump-generate", ["policy", "generate", dump, "--no-code", "-o", "OUT"]),
        ("dump-scan", ["scan", dump, "--no-code", "--out-dir", "OUT"]),
    ]
    if "big" in inputs:
        big = str(inputs["big"])
        cases += [
            ("big-generate", ["policy", "generate", big, "--no-code", "-o", "OUT"]),
            ("big-scan", ["scan", big, "--no-code", "--out-dir", "OUT"]),
        ]
    return cases


def run(src: Path, out: Path, big: bool, only: list[str]) -> None:
    inputs = _inputs(out.parent / "inputs", big)
    env = dict(os.environ, PYTHONPATH=str(src / "src"), NO_COLOR="1", COLUMNS="120")
    for name, args in _cases(inputs):
        if only and not any(o in name for o in only):
            continue
        case = out / name
        case.mkdir(parents=True, exist_ok=True)
        written = case / "files"
        argv = [str(written) if a == "OUT" else a for a in args]
        done = subprocess.run(
            [sys.executable, "-m", "socklock", *argv], capture_output=True, env=env, cwd=case
        )
        mark = str(written).encode()
        (case / "stdout").write_bytes(done.stdout.replace(mark, b"OUT"))
        (case / "stderr").write_bytes(done.stderr.replace(mark, b"OUT"))
        (case / "exit").write_text(f"{done.returncode}\n")
        print(f"{name}: exit {done.returncode}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    argv = sys.argv[1:]
    flags = {a for a in argv if a.startswith("--")}
    names = [a for a in argv if not a.startswith("--")]
    run(Path(names[0]).resolve(), Path(names[1]).resolve(), "--big" in flags, names[2:])
