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
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

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


class Same(Generic[T]):
    """An argument of a :func:`per_run` function that is keyed by its object's identity:
    for large values (an inventory's Services) the memo neither hashes nor compares
    deeply. The memo holds the key, so the object lives as long as the answer."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.value is self.value
