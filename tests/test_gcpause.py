"""The cyclic collector's pause: resumed with the objects made meanwhile counted as old."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from socklock.gcpause import paused_gc


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if not was_enabled:
        gc.disable()


def _in_generation(value: object, generation: int) -> bool:
    return any(o is value for o in gc.get_objects(generation=generation))


def test_objects_made_while_paused_are_old_and_the_collector_runs_again() -> None:
    with paused_gc():
        assert not gc.isenabled()
        made = [[index] for index in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert not _in_generation(made[0], 0)
    assert not _in_generation(made[0], 1)
    assert _in_generation(made[0], 2)


def test_a_cycle_made_while_paused_is_still_collected() -> None:
    with paused_gc():
        first, second = _Node(), _Node()
        first.other, second.other = second, first
        gone = weakref.ref(first)
        del first, second
    assert gone() is not None  # not freed by reference counts: it is a cycle
    gc.collect()
    assert gone() is None


def test_nested_pauses_resume_once_at_the_outermost() -> None:
    with paused_gc():
        with paused_gc():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    with paused_gc():
        made = [1]
    assert not gc.isenabled()
    assert _in_generation(made, 0)  # untouched: nothing was moved


def test_a_programs_own_freeze_is_left_alone() -> None:
    held = [2]
    gc.freeze()
    frozen = gc.get_freeze_count()
    with paused_gc():
        made = [3]
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
    assert not _in_generation(held, 2)
    assert _in_generation(made, 0)


def test_resumed_on_an_error_too() -> None:
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()
