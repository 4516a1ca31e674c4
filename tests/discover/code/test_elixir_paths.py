"""Elixir files code discovery reads: the app and its Mix config, not ExUnit tests nor the
test env's config."""

from __future__ import annotations

import pytest

from socklock.discover.code.paths import skip_file


@pytest.mark.parametrize(
    ("name", "skipped"),
    [
        ("orders_test.exs", True),  # an ExUnit test
        ("test.exs", True),  # config/test.exs: the test env's config
        ("dev.exs", False),
        ("runtime.exs", False),
        ("orders.ex", False),
        ("latest.exs", False),
    ],
)
def test_elixir_test_files_are_skipped(name: str, skipped: bool) -> None:
    assert skip_file(name) is skipped
