"""``environment`` entries without a value take the project's ``.env`` value.

The Compose Specification: a variable listed without a value is "taken from the value for
the same variable in the shell in which Compose is run or from the environment files".
socklock reads the ``.env`` (its own ``${VAR}`` resolved) and never its own environment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.load import load_paths
from socklock.model import ComposeEnv, ComposeService, Location

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    import pytest

    Write = Callable[[str, str], Path]

DOTENV = "# ports\nCART_PORT=7070\nCART_ADDR=cart:${CART_PORT}\nEMPTY=\n"


def _service(root: Path, name: str) -> ComposeService:
    inventory = load_paths([str(root)])
    (project,) = inventory.compose_projects
    return next(s for s in project.services if s.name == name)


def test_a_list_entry_without_a_value_takes_the_dotenv_line(write: Write) -> None:
    compose = write(
        "app/compose.yaml",
        "services:\n  checkout:\n    image: c\n    environment:\n"
        "      - CART_ADDR\n      - MODE=fast\n      - EMPTY\n",
    )
    dotenv = write("app/.env", DOTENV)
    checkout = _service(compose.parent, "checkout")
    assert checkout.environment == (
        ComposeEnv(
            "CART_ADDR",
            "cart:7070",  # the .env's own ${CART_PORT} resolved
            Location(str(dotenv), 3, 1),
            passed_at=Location(str(compose), 5, 9),
        ),
        ComposeEnv("MODE", "fast", Location(str(compose), 6, 9)),
        ComposeEnv(
            "EMPTY", "", Location(str(dotenv), 4, 1), passed_at=Location(str(compose), 7, 9)
        ),
    )


def test_a_map_entry_with_no_or_a_null_value_takes_the_dotenv_line(write: Write) -> None:
    compose = write(
        "app/compose.yaml",
        "services:\n  checkout:\n    image: c\n    environment:\n"
        "      CART_ADDR:\n      CART_PORT: ~\n      MODE: ''\n",
    )
    dotenv = write("app/.env", DOTENV)
    checkout = _service(compose.parent, "checkout")
    assert [(e.name, e.value, e.location, e.passed_at) for e in checkout.environment] == [
        ("CART_ADDR", "cart:7070", Location(str(dotenv), 3, 1), Location(str(compose), 5, 7)),
        ("CART_PORT", "7070", Location(str(dotenv), 2, 1), Location(str(compose), 6, 7)),
        ("MODE", "", Location(str(compose), 7, 7), None),  # an empty value is a value
    ]


def test_an_entry_the_dotenv_does_not_set_stays_unset(write: Write) -> None:
    compose = write(
        "app/compose.yaml",
        "services:\n  checkout:\n    image: c\n    environment: [PAYMENT_ADDR, CART_ADDR=]\n",
    )
    write("app/.env", DOTENV)
    checkout = _service(compose.parent, "checkout")
    assert checkout.environment == (
        ComposeEnv("PAYMENT_ADDR", None, Location(str(compose), 4, 19)),
        ComposeEnv("CART_ADDR", "", Location(str(compose), 4, 33)),  # `NAME=` sets it empty
    )


def test_the_environment_socklock_runs_in_is_never_read(
    write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAYMENT_ADDR", "payment:50051")
    monkeypatch.setenv("CART_ADDR", "elsewhere:1")
    compose = write(
        "app/compose.yaml",
        "services:\n  checkout:\n    image: c\n    environment: [PAYMENT_ADDR, CART_ADDR]\n",
    )
    write("app/.env", DOTENV)
    checkout = _service(compose.parent, "checkout")
    assert [(e.name, e.value) for e in checkout.environment] == [
        ("PAYMENT_ADDR", None),
        ("CART_ADDR", "cart:7070"),
    ]


def test_an_included_file_passes_through_what_its_own_env_sets(write: Write) -> None:
    compose = write(
        "app/compose.yaml",
        "include:\n  - path: shop/compose.yaml\n    env_file: shop.env\n"
        "services:\n  web:\n    image: w\n    environment: [CART_ADDR, SHOP_ADDR]\n",
    )
    write("app/.env", DOTENV)
    shop_env = write("app/shop.env", "SHOP_ADDR=shop:80\nCART_ADDR=cart:9\n")
    included = write(
        "app/shop/compose.yaml",
        "services:\n  shop:\n    image: s\n    environment: [CART_ADDR, SHOP_ADDR]\n",
    )
    web = _service(compose.parent, "web")
    assert [(e.name, e.value) for e in web.environment] == [
        ("CART_ADDR", "cart:7070"),
        ("SHOP_ADDR", None),  # the include's env_file is the included file's, not the main's
    ]
    shop = _service(compose.parent, "shop")
    assert shop.environment == (
        ComposeEnv(
            "CART_ADDR", "cart:9", Location(str(shop_env), 2, 1), Location(str(included), 4, 19)
        ),
        ComposeEnv(
            "SHOP_ADDR", "shop:80", Location(str(shop_env), 1, 1), Location(str(included), 4, 30)
        ),
    )
