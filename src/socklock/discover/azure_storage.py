"""Azure Storage connection strings: the endpoint URL of each storage service they name.

Microsoft's format is an ADO.NET-style ``Key=value;`` list (read by
:func:`socklock.discover.code.targets.connection_fields`) in one of three forms:

- ``BlobEndpoint=http://storage:10000/acct;QueueEndpoint=...;TableEndpoint=...``: each
  ``<Service>Endpoint`` URL is where that service's client goes;
- ``UseDevelopmentStorage=true`` is the local emulator (Azurite): ``127.0.0.1`` on 10000
  (blob), 10001 (queue), 10002 (table), or, with ``DevelopmentStorageProxyUri=http://host``,
  that URI's host on the same ports;
- ``DefaultEndpointsProtocol=https;AccountName=acct;EndpointSuffix=core.windows.net``:
  ``https://acct.<service>.<suffix>`` for each service (when no ``*Endpoint`` is set).

A string with only ``AccountName``/``AccountKey`` names no endpoint: no address.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socklock.discover.code.targets import connection_fields

if TYPE_CHECKING:
    from socklock.discover.addresses import Target

# The emulator's port of each service (Azurite's defaults); ``file`` has no emulator.
EMULATOR_PORTS: dict[str, int] = {"blob": 10000, "queue": 10001, "table": 10002}
SERVICES = ("blob", "queue", "table", "file")
_DEFAULT_SUFFIX = "core.windows.net"
_KEYS = re.compile(
    r"(?i)(?:^|;)\s*(?:UseDevelopmentStorage|DevelopmentStorageProxyUri|DefaultEndpointsProtocol"
    r"|EndpointSuffix|(?:Blob|Queue|Table|File)Endpoint|(?:Blob|Queue|Table|File)SecondaryEndpoint"
    r")\s*="
)
_SCHEME_HOST = re.compile(r"^(?P<scheme>https?)://(?P<host>[^/:?#\s]+)", re.IGNORECASE)


def storage_endpoints(text: str) -> list[tuple[str, str]] | None:
    """``(service, url)`` for each endpoint ``text`` names, in :data:`SERVICES` order;
    None when ``text`` is no Azure Storage connection string."""
    if "=" not in text or not _KEYS.search(text):
        return None
    fields = connection_fields(text)
    if fields.get("usedevelopmentstorage", "").lower() == "true":
        return _emulator(fields.get("developmentstorageproxyuri", ""))
    explicit = {
        service: fields[f"{service}endpoint"]
        for service in SERVICES
        if fields.get(f"{service}endpoint")
    }
    account = fields.get("accountname", "")
    # a string that sets its endpoints (Azurite's ``BlobEndpoint=http://storage:10000/...``)
    # points its clients there: the services it leaves out are not derived from the account
    automatic = (
        not explicit
        and account
        and ("defaultendpointsprotocol" in fields or "endpointsuffix" in fields)
    )
    found: list[tuple[str, str]] = []
    for service in SERVICES:
        if service in explicit:
            found.append((service, explicit[service]))
        elif automatic:
            protocol = (fields.get("defaultendpointsprotocol") or "https").lower()
            suffix = fields.get("endpointsuffix") or _DEFAULT_SUFFIX
            found.append((service, f"{protocol}://{account.lower()}.{service}.{suffix}"))
    return found


def _emulator(proxy: str) -> list[tuple[str, str]]:
    """The emulator's endpoints: on the proxy URI's host when one is given (its scheme, the
    emulator's ports), else on loopback."""
    match = _SCHEME_HOST.match(proxy.strip())
    scheme, host = (match["scheme"].lower(), match["host"]) if match else ("http", "127.0.0.1")
    return [
        (service, f"{scheme}://{host}:{port}/devstoreaccount1")
        for service, port in EMULATOR_PORTS.items()
    ]


def called_endpoints(targets: list[Target], services: frozenset[str]) -> list[Target]:
    """The targets a workload whose build has clients of ``services`` calls: a storage
    endpoint only when it is one of those services' (``services`` empty: which clients
    the workload builds is unknown, so every endpoint)."""
    if not services:
        return targets
    return [t for t in targets if t.storage is None or t.storage in services]
