"""Azure Storage connection strings: each endpoint a storage client may call, and none
when the string names none."""

from __future__ import annotations

import pytest

from socklock.discover.addresses import find_targets
from socklock.discover.azure_storage import storage_endpoints

_AZURITE = (
    "DefaultEndpointsProtocol=http;AccountName=devacct;AccountKey=a2V5a2V5==;"
    "BlobEndpoint=http://blobs:10000/devacct;QueueEndpoint=http://queues:10001/devacct;"
    "TableEndpoint=http://tables:10002/devacct;"
)


def _found(value: str) -> list[tuple[str, int | None, str | None, str | None]]:
    return [(t.host, t.port, t.scheme, t.storage) for t in find_targets(value)]


def test_each_endpoint_key_is_an_address_of_its_service() -> None:
    assert _found(_AZURITE) == [
        ("blobs", 10000, "http", "blob"),
        ("queues", 10001, "http", "queue"),
        ("tables", 10002, "http", "table"),
    ]


def test_an_endpoint_url_without_a_port_takes_its_schemes() -> None:
    value = "BlobEndpoint=https://files.example.org/acct;QueueEndpoint=http://q/acct"
    assert _found(value) == [
        ("files.example.org", 443, "https", "blob"),
        ("q", 80, "http", "queue"),
    ]


def test_a_development_storage_proxy_is_the_emulator_on_that_host() -> None:
    value = "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://emulator"
    assert _found(value) == [
        ("emulator", 10000, "http", "blob"),
        ("emulator", 10001, "http", "queue"),
        ("emulator", 10002, "http", "table"),
    ]


def test_development_storage_without_a_proxy_is_the_local_emulator() -> None:
    targets = find_targets("UseDevelopmentStorage=true")
    assert [(t.host, t.port, t.storage, t.is_local) for t in targets] == [
        ("127.0.0.1", 10000, "blob", True),
        ("127.0.0.1", 10001, "queue", True),
        ("127.0.0.1", 10002, "table", True),
    ]


def test_an_endpoint_suffix_gives_the_accounts_public_hosts() -> None:
    value = (
        "DefaultEndpointsProtocol=https;AccountName=Shop;AccountKey=eA==;"
        "EndpointSuffix=core.windows.net"
    )
    assert _found(value) == [
        ("shop.blob.core.windows.net", 443, "https", "blob"),
        ("shop.queue.core.windows.net", 443, "https", "queue"),
        ("shop.table.core.windows.net", 443, "https", "table"),
        ("shop.file.core.windows.net", 443, "https", "file"),
    ]


@pytest.mark.parametrize(
    "value",
    [
        "AccountName=shop;AccountKey=eA==",
        "UseDevelopmentStorage=false",
        "AccountName=shop;AccountKey=eA==;UseDevelopmentStorage=false",
    ],
)
def test_a_string_that_names_no_endpoint_is_no_address(value: str) -> None:
    assert find_targets(value) == []


@pytest.mark.parametrize(
    "value",
    [
        "Server=db;Port=5432;Database=orders",
        "Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=eA==",
        "http://storage:10000",
    ],
)
def test_other_strings_are_not_storage_connection_strings(value: str) -> None:
    assert storage_endpoints(value) is None


def test_explicit_endpoints_derive_no_others_from_the_account() -> None:
    assert storage_endpoints(
        "DefaultEndpointsProtocol=http;AccountName=acct;QueueEndpoint=http://q:10001/acct"
    ) == [("queue", "http://q:10001/acct")]
