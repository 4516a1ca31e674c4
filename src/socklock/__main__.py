"""``python -m socklock``."""

from __future__ import annotations

from socklock._cli.main import main

if __name__ == "__main__":
    main()
