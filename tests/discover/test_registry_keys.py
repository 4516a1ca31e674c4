"""Registry keys in a Go program's ``etc/<name>.yaml`` (go-zero's layout): a server's
``Etcd.Key`` is the name it registers its ``ListenOn`` address under, a client block's
``Etcd.Key`` the server it calls. Exact edge sets, with the near misses that are none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_SERVER = (
    "package main\n\n"
    'import "github.com/zeromicro/go-zero/zrpc"\n\n'
    "func main() {\n\ts := zrpc.MustNewServer(c.RpcServerConf, nil)\n\ts.Start()\n}\n"
)
_CLIENT = (
    "package main\n\n"
    'import "github.com/zeromicro/go-zero/rest"\n\n'
    "func main() {\n\tserver := rest.MustNewServer(c.RestConf)\n\tserver.Start()\n}\n"
)
_LEDGER_RPC = """\
Name: ledger.rpc
ListenOn: 0.0.0.0:7400

Etcd:
  Hosts:
    - registry:2379
  Key: ledger.rpc
"""
_TALLY_RPC = """\
Name: tally.rpc
ListenOn: 0.0.0.0:7401
Etcd:
  Hosts: [registry:2379]
  Key: tally.rpc
LedgerRpc:
  Etcd:
    Hosts: [registry:2379]
    Key: ledger.rpc
"""
_BOOKS_API = """\
Name: Books
Host: 0.0.0.0
Port: 7500
TallyRpc:
  Etcd:
    Hosts:
      - registry:2379
    Key: tally.rpc
GhostRpc:
  Etcd:
    Hosts:
      - registry:2379
    Key: ghost.rpc
Tls:
  Etcd:
    Hosts: [registry:2379]
    Key: certs/ledger.rpc
"""


def _shop(root: Path) -> None:
    _write(
        root,
        {
            "go.mod": "module shop\n",
            "svc/ledger/rpc/ledger.go": _SERVER,
            "svc/ledger/rpc/etc/ledger.yaml": _LEDGER_RPC,
            "svc/tally/rpc/tally.go": _SERVER,
            "svc/tally/rpc/etc/tally.yaml": _TALLY_RPC,
            "svc/books/api/books.go": _CLIENT,
            "svc/books/api/etc/books.yaml": _BOOKS_API,
        },
    )


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]), manifests=False)
    return {(e.source, e.target, e.port) for e in graph.edges if not e.target.startswith("ext")}


def test_a_client_blocks_registry_key_calls_the_server_registered_under_it(
    tmp_path: Path,
) -> None:
    _shop(tmp_path)
    assert _edges(tmp_path) == {
        ("code/api", "code/tally-rpc", 7401),
        ("code/tally-rpc", "code/ledger-rpc", 7400),
    }


def test_an_unregistered_key_and_an_etc_folder_of_no_go_program_are_no_calls(
    tmp_path: Path,
) -> None:
    _shop(tmp_path)
    # the same shape in an etc folder that is not beside the program's Go files (a
    # container image's root file system) is not the program's config
    _write(tmp_path, {"svc/books/api/rootfs/etc/books.yaml": _TALLY_RPC})
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    unresolved = {(u.source, u.expression, u.reason) for u in graph.unresolved}
    assert ("code/api", "ghost.rpc", "etcd registry key 'ghost.rpc' matches no workload") in (
        unresolved
    )
    assert not any("certs" in u.expression for u in graph.unresolved)
    assert _edges(tmp_path) == {
        ("code/api", "code/tally-rpc", 7401),
        ("code/tally-rpc", "code/ledger-rpc", 7400),
    }
