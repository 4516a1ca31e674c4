"""NameTable: a name's ids read back as sets, a lone id kept as the string itself."""

from __future__ import annotations

import sys

from socklock.discover.name_table import NameTable


def test_reads_back_what_was_added() -> None:
    table = NameTable()
    table.add("orders", "shop/orders")
    table.add("orders", "shop/orders")  # the same id again: still one
    table.add("api", "shop/api")
    table.add("api", "shop/api-v2")
    table.add("api", "shop/api-v3")
    assert table.get("orders") == frozenset({"shop/orders"})
    assert table.get("api") == frozenset({"shop/api", "shop/api-v2", "shop/api-v3"})
    assert table.get("missing") == frozenset()
    assert sorted(table.items()) == [
        ("api", frozenset({"shop/api", "shop/api-v2", "shop/api-v3"})),
        ("orders", frozenset({"shop/orders"})),
    ]
    assert "orders" in table
    assert "missing" not in table
    assert len(table) == 2


def test_empty_table_is_false_and_update_adds_each_id() -> None:
    table = NameTable()
    assert not table
    table.update("core", frozenset({"a/x", "b/y"}))
    table.update("core", frozenset({"a/x"}))
    assert table
    assert table.get("core") == frozenset({"a/x", "b/y"})


def test_a_read_is_a_copy() -> None:
    table = NameTable()
    table.add("web", "ns/web")
    table.add("db", "ns/db")
    table.add("db", "ns/db-replica")
    for name in ("web", "db"):
        read = set(table.get(name))
        read.add("ns/other")
        assert "ns/other" not in table.get(name)


def test_a_lone_id_is_kept_as_its_string() -> None:
    table = NameTable()
    graph_id = "ns/web"
    table.add("web", graph_id)
    assert table._ids == {"web": graph_id}
    assert table._ids["web"] is graph_id
    table.add("web", "ns/web-canary")
    assert table._ids == {"web": {"ns/web", "ns/web-canary"}}
    assert sys.getsizeof(graph_id) < sys.getsizeof({graph_id})
