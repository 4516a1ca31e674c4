"""Work a discovery run repeats is done once in the run, and never kept past it."""

from __future__ import annotations

from socklock.discover.once import per_run, run

calls: list[tuple[str, ...]] = []


@per_run
def _listed(roots: tuple[str, ...]) -> tuple[str, ...]:
    calls.append(roots)
    return tuple(sorted(roots))


def test_once_per_run_and_arguments() -> None:
    calls.clear()
    with run():
        assert _listed(("b", "a")) == ("a", "b")
        assert _listed(("b", "a")) == ("a", "b")
        assert _listed(("c",)) == ("c",)
        with run():  # a run inside a run shares it
            assert _listed(("b", "a")) == ("a", "b")
    assert calls == [("b", "a"), ("c",)]


def test_nothing_kept_outside_a_run() -> None:
    calls.clear()
    _listed(("a",))
    _listed(("a",))
    with run():
        _listed(("a",))
    with run():  # a new run computes again: files may have changed
        _listed(("a",))
    assert calls == [("a",)] * 4
