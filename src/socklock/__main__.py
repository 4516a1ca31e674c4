"""``python -m socklock``."""

from __future__ import annotations

from socklock._cli.main import run

if __name__ == "__main__":
    run()
