"""socklock: map who talks to whom, lock the network down, prove it, harden the containers.

The library never prints, never exits and never reads the environment; the CLI in
``socklock._cli`` does that. Heavy modules are imported lazily so ``socklock --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from socklock.pipeline import Result, scan

__all__ = ["Result", "__version__", "scan"]


def __getattr__(name: str) -> Any:
    if name in ("scan", "Result"):
        from socklock import pipeline as _pipeline

        return getattr(_pipeline, name)
    raise AttributeError(name)
