"""A Python lookup table of peer URLs read by written keys: an entry no read names is no
call; a table passed on or read with a computed key keeps every entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.registry import analyser_for

if TYPE_CHECKING:
    from pathlib import Path

TABLE = """\
import requests

SERVICE_URLS = {
    "delivery": "http://delivery_service:5002",
    "driver": "http://driver_service:5004",
    "geoalgo": "http://geoalgo_service:5006",
    "match": "http://select_driver:5024",
}


def create(order_id):
    requests.post(SERVICE_URLS["delivery"] + "/deliveryinfo", json={"id": order_id})
    return requests.get(f"{SERVICE_URLS.get('driver')}/drivers/{order_id}")
"""


def _targets(path: Path) -> set[str]:
    analyser = analyser_for(path)
    assert analyser is not None
    return {
        r.target
        for r in analyser.analyse(str(path), path.read_bytes())
        if getattr(r, "target", None) is not None
    }


def test_an_entry_no_read_names_is_no_call(tmp_path: Path) -> None:
    path = tmp_path / "create.py"
    path.write_text(TABLE)
    assert _targets(path) == {
        "http://delivery_service:5002/deliveryinfo",
        "http://driver_service:5004/drivers/",
    }


def test_a_table_read_any_other_way_keeps_every_entry(tmp_path: Path) -> None:
    for other in (
        "\ndef any_of(name):\n    return requests.get(SERVICE_URLS[name])\n",
        "\nfor url in SERVICE_URLS.values():\n    requests.get(url)\n",
        "\nclient = Client(SERVICE_URLS)\n",
    ):
        path = tmp_path / "create.py"
        path.write_text(TABLE + other)
        found = _targets(path)
        assert any("geoalgo_service:5006" in t for t in found), other
        assert any("select_driver:5024" in t for t in found), other
