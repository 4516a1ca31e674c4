"""A Ruby constant that a required file defines: constants are global once the file is
loaded, so ``require_relative '../config/settings'`` brings ``CUSTOMER_HOST`` into scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.interface import CallSite
from socklock.discover.code.registry import analyser_for

if TYPE_CHECKING:
    from pathlib import Path

SETTINGS = "CUSTOMER_HOST = 'customer:8081'\nSTOCK_HOST = 'stock:9000'\n"


def _targets(tmp_path: Path, client: str) -> list[str]:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.rb").write_text(SETTINGS)
    (tmp_path / "lib").mkdir()
    path = tmp_path / "lib" / "client.rb"
    path.write_text(client)
    analyser = analyser_for(path)
    assert analyser is not None
    found = analyser.analyse(str(path), client.encode())
    return [r.target for r in found if isinstance(r, CallSite) and r.target]


def test_a_constant_of_a_required_relative_file(tmp_path: Path) -> None:
    client = (
        "require 'net/http'\nrequire_relative '../config/settings'\n"
        'Net::HTTP.get(URI("http://#{CUSTOMER_HOST}/customer"))\n'
    )
    assert _targets(tmp_path, client) == ["http://customer:8081/customer"]


def test_a_required_file_with_its_suffix(tmp_path: Path) -> None:
    client = (
        'require_relative("../config/settings.rb")\nNet::HTTP.get(URI("http://#{STOCK_HOST}/s"))\n'
    )
    assert _targets(tmp_path, client) == ["http://stock:9000/s"]


def test_a_gem_require_and_an_unrequired_file_define_nothing(tmp_path: Path) -> None:
    client = (
        "require 'settings'\n"  # a gem (or $LOAD_PATH), not the file beside this one
        "require '../config/settings'\n"  # relative to the working directory, unknown
        'Net::HTTP.get(URI("http://#{CUSTOMER_HOST}/customer"))\n'
    )
    assert _targets(tmp_path, client) == []
