"""Go config structs nested in others: envconfig and caarlos0/env name the inner fields'
env vars after the outer field (``PG`` + ``CONN`` → ``PG_CONN``), across a package's files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.interface import CallKind, CallSite
from socklock.discover.code.scan import scan_tree

if TYPE_CHECKING:
    from pathlib import Path

_INNER = """\
package config

type pgCfg struct {
\tConn string `envconfig:"CONN"`
}

type busCfg struct {
\tURL string `env:"URL"`
}

type rpcCfg struct {
\tOrders clientCfg `envconfig:"ORDERS"`
}

type clientCfg struct {
\tAddr string `envconfig:"ADDR"`
}
"""
_OUTER = """\
package config

type Config struct {
\tPostgres pgCfg   `envconfig:"PG"`
\tBus      busCfg  `envPrefix:"BUS_"`
\tRpc      rpcCfg  `envconfig:"RPC"`
\tRemote   ext.Cfg `envconfig:"REMOTE"`
\tLogLevel string  `envconfig:"LOG_LEVEL"`
}
"""


def _reads(root: Path) -> set[tuple[str, int, str]]:
    return {
        (r.file.rsplit("/", 1)[-1], r.line, r.env_var or "")
        for r in scan_tree([str(root)], workers=1)
        if isinstance(r, CallSite) and r.kind is CallKind.ENV_READ
    }


def test_a_nested_struct_reads_its_fields_under_the_outer_prefix(tmp_path: Path) -> None:
    (tmp_path / "inner.go").write_text(_INNER)
    (tmp_path / "outer.go").write_text(_OUTER)
    reads = _reads(tmp_path)
    assert {
        ("inner.go", 4, "PG_CONN"),
        ("inner.go", 8, "BUS_URL"),
        ("inner.go", 16, "ORDERS_ADDR"),
        ("inner.go", 16, "RPC_ORDERS_ADDR"),  # two levels deep
    } <= reads
    # a struct of another package (ext.Cfg) or a plain field nests nothing
    assert not any(name.startswith(("REMOTE_", "LOG_LEVEL_")) for _, _, name in reads)


def test_structs_of_another_package_are_not_joined(tmp_path: Path) -> None:
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "inner.go").write_text(_INNER)
    (tmp_path / "outer.go").write_text(_OUTER)
    assert not any(name == "PG_CONN" for _, _, name in _reads(tmp_path))
