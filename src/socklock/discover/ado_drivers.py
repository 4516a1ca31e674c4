"""The database an ADO.NET connection string without a port is for, from the driver the
program references.

``Server=localhost;Database=Shop;User Id=app`` names a host and no port, and the keys do
not say which server it is (SQL Server, MySQL and PostgreSQL drivers all take ``Server=``).
The driver package the .NET project (or a library project of it) references does: with
only SQL Server's client referenced, the string is SQL Server's, on its default port. A
program referencing drivers of two databases leaves the port unknown.
"""

from __future__ import annotations

from collections.abc import Iterable

from socklock.discover.code.targets import connection_fields

_HOST_KEYS = ("server", "host", "data source", "address", "addr", "network address")

# NuGet package (exact name, compared without case) → (scheme, the server's default port);
# each client's documentation gives the port its connection string defaults to
DRIVERS: dict[str, tuple[str, int]] = {
    "system.data.sqlclient": ("sqlserver", 1433),
    "microsoft.data.sqlclient": ("sqlserver", 1433),
    "microsoft.entityframeworkcore.sqlserver": ("sqlserver", 1433),
    "npgsql": ("postgresql", 5432),
    "npgsql.entityframeworkcore.postgresql": ("postgresql", 5432),
    "mysql.data": ("mysql", 3306),
    "mysqlconnector": ("mysql", 3306),
    "pomelo.entityframeworkcore.mysql": ("mysql", 3306),
    "oracle.manageddataaccess": ("oracle", 1521),
    "oracle.manageddataaccess.core": ("oracle", 1521),
}


def driver_port(packages: Iterable[str]) -> tuple[str, int] | None:
    """(scheme, port) of the one database whose driver ``packages`` reference; None when
    they reference none, or drivers of different databases."""
    found = {DRIVERS[p.lower()] for p in packages if p.lower() in DRIVERS}
    return found.pop() if len(found) == 1 else None


def keyed_without_port(text: str) -> bool:
    """Whether ``text`` is a ``Key=value;`` connection string naming a host and no port."""
    if "://" in text or ";" not in text:
        return False
    fields = connection_fields(text)
    host = next((fields[k] for k in _HOST_KEYS if fields.get(k)), "")
    return bool(host) and "," not in host and not fields.get("port")
