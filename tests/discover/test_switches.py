"""A feature switch beside an address turns the call off: ``X_ENABLED=false`` for the
client that ``X_..._ENDPOINT`` configures; the nearest switch decides."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from socklock.discover import discover
from socklock.discover.switches import switched_off
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("name", "env", "expected"),
    [
        ("SHOP_SEARCH_OS_ENDPOINT", {"SHOP_SEARCH_ENABLED": "false"}, "SHOP_SEARCH_ENABLED=false"),
        ("SHOP_SEARCH_OS_ENDPOINT", {"SHOP_SEARCH_DISABLED": "true"}, "SHOP_SEARCH_DISABLED=true"),
        ("Search__Endpoint", {"Search__Enabled": "False"}, "Search__Enabled=False"),
        ("search_url", {"search_enabled": "0"}, "search_enabled=0"),
        # switched on, or the nearest switch is on; a switch of another feature; none at all
        ("SHOP_SEARCH_OS_ENDPOINT", {"SHOP_SEARCH_ENABLED": "true"}, None),
        (
            "SHOP_SEARCH_OS_ENDPOINT",
            {"SHOP_SEARCH_OS_ENABLED": "true", "SHOP_SEARCH_ENABLED": "false"},
            None,
        ),
        ("SHOP_CART_ENDPOINT", {"SHOP_SEARCH_ENABLED": "false"}, None),
        ("SHOP_SEARCH_OS_ENDPOINT", {}, None),
        # the variable's own name is no switch of itself
        ("SEARCH", {"SEARCH_ENABLED": "false"}, None),
    ],
)
def test_switched_off(name: str, env: dict[str, str], expected: str | None) -> None:
    assert switched_off(name, env.get) == expected


def test_a_switched_off_feature_makes_no_call_with_or_without_code(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "name: shop\nservices:\n"
        "  catalog:\n    build: ./catalog\n    environment:\n"
        "      - SHOP_SEARCH_ENABLED=false\n"
        "      - SHOP_SEARCH_ENDPOINT=http://search:9200\n"
        "      - SHOP_DB_ENDPOINT=db:3306\n"
        "  search: {image: opensearch:2, expose: ['9200']}\n"
        "  db: {image: mysql:8, expose: ['3306']}\n"
    )
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "Dockerfile").write_text("FROM python:3.12\n")
    (tmp_path / "catalog" / "app.py").write_text(
        "import os\n"
        'SEARCH = os.environ["SHOP_SEARCH_ENDPOINT"]\n'
        'DB = os.environ["SHOP_DB_ENDPOINT"]\n'
    )
    for manifests in (True, False):
        graph = discover(load_paths([str(tmp_path)]), manifests=manifests)
        assert [(e.source, e.target, e.port) for e in graph.edges] == [
            ("shop/catalog", "shop/db", 3306)
        ]
        assert [(u.location.line, u.reason) for u in graph.unresolved] == [
            (2, "the feature is switched off: SHOP_SEARCH_ENABLED=false")
        ]
    without_code = discover(load_paths([str(tmp_path)]), code=False)
    assert [(e.source, e.target) for e in without_code.edges] == [("shop/catalog", "shop/db")]
