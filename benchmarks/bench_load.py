"""Loading everything under examples/ and tests/ (target: under a second)."""

from __future__ import annotations

import time
from pathlib import Path

from socklock.load import load_paths

REPO = Path(__file__).resolve().parents[1]


def main(full: bool) -> dict[str, float | int]:
    roots = [str(REPO / "examples"), str(REPO / "tests")]
    runs = 5 if full else 1
    best = float("inf")
    inventory = None
    for _ in range(runs):
        start = time.perf_counter()
        inventory = load_paths(roots)
        best = min(best, time.perf_counter() - start)
    assert inventory is not None
    result = {
        "seconds": round(best, 3),
        "files": len(inventory.files),
        "objects": len(inventory.objects),
        "target_seconds": 1.0,
    }
    print(f"load examples/ + tests/: {len(inventory.files)} files in {best:.3f} s", flush=True)
    return result
