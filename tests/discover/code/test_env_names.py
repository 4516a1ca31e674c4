"""Which env var names say they hold an address (an env read reported even where no call
is made with it: a settings dict, a config object)."""

from __future__ import annotations

import pytest

from socklock.discover.code.env_names import names_an_address


@pytest.mark.parametrize(
    ("name", "default", "expected"),
    [
        ("CATALOGUE_URL", None, True),
        ("ordersHost", None, True),
        ("SHOP_PAYMENTURL", None, True),  # Spring's relaxed name of shop.paymentUrl
        ("PAPERLESS_DBHOST", None, True),  # a two-letter word glued to HOST
        ("REDIS_ADDR", None, True),
        ("XDG_CACHE_HOME", None, False),
        ("DB_PORT", None, False),
        ("LOG_LEVEL", None, False),
        ("GHOST", None, False),  # no word before HOST: not glued
        ("FEATURE", "http://flags:8013", True),  # the default is an address
    ],
)
def test_names_an_address(name: str, default: str | None, expected: bool) -> None:
    assert names_an_address(name, default) is expected
