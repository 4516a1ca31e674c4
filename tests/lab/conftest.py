"""Lab fixtures: skip without root, ``ip`` and ``nft``; a unique prefix per test; teardown
that removes the run's namespaces (and stops its listeners) even when the test fails."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from socklock.lab import system
from socklock.lab.topology import new_run_id


@pytest.fixture
def lab_run_id() -> Iterator[str]:
    """A fresh run id (so parallel workers never share a name); its namespaces are removed
    after the test whatever happened."""
    reason = system.unavailable()
    if reason is not None:
        pytest.skip(reason)
    run_id = new_run_id()
    try:
        yield run_id
    finally:
        system.delete_namespaces(f"{system.PREFIX}{run_id}-")
        assert system.namespaces(f"{system.PREFIX}{run_id}-") == []
