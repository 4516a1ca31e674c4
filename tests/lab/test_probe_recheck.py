"""A row of the lab where some attempts went through and others timed out is looked at
again, its timed-out attempts alone: a late answer on a loaded machine is not a denial,
while a refusal, or a row where nothing went through, stands as probed."""

from __future__ import annotations

from socklock.lab.probe import Attempt, _timed_out_in_partial_rows
from socklock.model import Protocol


def _attempt(netns: str, address: str, expect: str = "z-c") -> Attempt:
    return Attempt("y/b", "z/c", 80, Protocol.UDP, netns, address, None, expect, "y/b -> z/c")


def test_only_timeouts_of_partly_answered_rows_are_probed_again() -> None:
    v4, v6 = _attempt("y-b", "10.0.0.3"), _attempt("y-b", "fd00::3")
    refused, denied4, denied6 = (
        _attempt("y-b", "10.0.0.4"),
        _attempt("x-a", "10.0.0.5"),
        _attempt("x-a", "fd00::5"),
    )
    connected, late = _attempt("q-p", "10.0.0.6", "connected"), _attempt("q-p", "fd00::6")
    rows = [[v4, v6], [refused, _attempt("y-b", "fd00::4")], [denied4, denied6], [connected, late]]
    index = {id(a): i for i, a in enumerate(a for row in rows for a in row)}
    outcomes = {
        (v4.netns, index[id(v4)]): "ok:z-c",
        (v6.netns, index[id(v6)]): "timeout",
        (refused.netns, index[id(refused)]): "refused",
        (rows[1][1].netns, index[id(rows[1][1])]): "timeout",
        (denied4.netns, index[id(denied4)]): "timeout",
        (denied6.netns, index[id(denied6)]): "timeout",
        (connected.netns, index[id(connected)]): "ok:connected",
        (late.netns, index[id(late)]): "timeout",
    }
    again = _timed_out_in_partial_rows(rows, outcomes, index)
    assert {netns: [(i, a.address) for i, a in found] for netns, found in again.items()} == {
        "y-b": [(1, "fd00::3")],
        "q-p": [(7, "fd00::6")],
    }


def test_a_row_that_answered_wrongly_is_not_probed_again() -> None:
    """An answer from another pod than the one meant is not "went through"."""
    one, other = _attempt("y-b", "10.0.0.3"), _attempt("y-b", "fd00::3")
    index = {id(one): 0, id(other): 1}
    outcomes = {("y-b", 0): "ok:x-a", ("y-b", 1): "timeout"}
    assert _timed_out_in_partial_rows([[one, other]], outcomes, index) == {}
