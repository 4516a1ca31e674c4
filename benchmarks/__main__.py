"""Run every benchmark at full size (``make bench``) or small size (``--small``) and print JSON."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--small", action="store_true", help="the small size used by make test")
    parser.add_argument("only", nargs="*", help="benchmark names (default: all)")
    args = parser.parse_args()
    results: dict[str, object] = {}
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda i: i.name):
        if not info.name.startswith("bench_"):
            continue
        if args.only and info.name.removeprefix("bench_") not in args.only:
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        print(f"== {info.name}", file=sys.stderr, flush=True)
        results[info.name] = module.main(full=not args.small)
    print(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
