"""node-config's ``custom-environment-variables``: each key is read from the env var its
value names, else from ``default.json`` beside it; a ``host`` with a ``port`` that has a
default is one address."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from socklock.discover.code.config_files import ConfigFileAnalyser
from socklock.discover.code.interface import CallSite

if TYPE_CHECKING:
    from pathlib import Path


def _sites(tmp_path: Path, defaults: dict[str, object]) -> list[tuple[object, ...]]:
    config = tmp_path / "config"
    config.mkdir()
    names = {
        "history": {"host": "HISTORY_HOST", "port": "HISTORY_PORT"},
        "cache": {"host": "CACHE_HOST", "port": "CACHE_PORT"},
        "timeout": "TIMEOUT_MS",
    }
    (config / "custom-environment-variables.json").write_text(json.dumps(names, indent=1))
    if defaults:
        (config / "default.json").write_text(json.dumps(defaults))
    path = config / "custom-environment-variables.json"
    return [
        (r.env_var, r.target, r.env_default, r.other_defaults)
        for r in ConfigFileAnalyser().analyse(str(path), path.read_bytes())
        if isinstance(r, CallSite)
    ]


def test_a_host_and_a_port_with_a_default_make_one_address(tmp_path: Path) -> None:
    defaults = {"history": {"port": "3054"}, "timeout": 500, "cache": {"host": "localhost"}}
    assert _sites(tmp_path, defaults) == [
        ("HISTORY_HOST", "${HISTORY_HOST}:${HISTORY_PORT}", None, (("HISTORY_PORT", "3054"),)),
        ("HISTORY_PORT", None, "3054", ()),
        # no default port: the env's port beside the host, else the protocol's
        ("CACHE_HOST", None, "localhost", ()),
        ("CACHE_PORT", None, None, ()),
        ("TIMEOUT_MS", None, "500", ()),
    ]


def test_without_default_json_each_key_is_its_env_var(tmp_path: Path) -> None:
    assert [site[:3] for site in _sites(tmp_path, {})] == [
        ("HISTORY_HOST", None, None),
        ("HISTORY_PORT", None, None),
        ("CACHE_HOST", None, None),
        ("CACHE_PORT", None, None),
        ("TIMEOUT_MS", None, None),
    ]
