"""Work a discovery run asks for again with the same arguments, done once in that run.

Several passes of one :func:`~socklock.discover.discover` call read the same files of the
input for the same answer (the ``docker build`` lines of its scripts: once for the
build-unit identities of each pass, once for the build contexts of the code and proxy
passes). Inside :func:`run` a function wrapped with :func:`per_run` computes each answer
once; outside a run it computes it every time, so a caller that changes files between two
calls sees the change, as does the next run.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_memo: list[dict[Hashable, object]] = []


@contextmanager
def run() -> Iterator[None]:
    """A discovery run: answers of :func:`per_run` functions are kept until it ends (a run
    inside a run shares the outer one's)."""
    if _memo:
        yield
        return
    _memo.append({})
    try:
        yield
    finally:
        _memo.clear()


def per_run(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` computed once per run for each set of (hashable) arguments; its answer
    must be immutable, since every caller of the run gets the same object."""

    @functools.wraps(function)
    def once(*args: P.args, **kwargs: P.kwargs) -> R:
        if not _memo:
            return function(*args, **kwargs)
        key = (function.__qualname__, args, tuple(sorted(kwargs.items())))
        memo = _memo[0]
        if key not in memo:
            memo[key] = function(*args, **kwargs)
        return memo[key]  # type: ignore[return-value]

    return once
