"""Azure Storage connection strings: each endpoint a storage client may call, and none
when the string names none."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from socklock.discover import discover
from socklock.discover.addresses import find_targets
from socklock.discover.azure_storage import called_endpoints, storage_endpoints
from socklock.discover.libraries import storage_services
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

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


@pytest.mark.parametrize(
    ("package", "services"),
    [
        ("Azure.Storage.Blobs", {"blob"}),
        ("Azure.Storage.Queues", {"queue"}),
        ("Azure.Data.Tables", {"table"}),
        ("Azure.Storage.Files.Shares", {"file"}),
        ("Microsoft.Orleans.Clustering.AzureStorage", {"table"}),
        ("Microsoft.Orleans.Persistence.AzureStorage", {"table", "blob"}),
        ("Microsoft.Orleans.Streaming.AzureStorage", {"queue"}),
        ("WindowsAzure.Storage", {"blob", "queue", "table"}),
        ("Azure.Storage.Common", set()),
        ("Npgsql", set()),
    ],
)
def test_each_storage_row_names_its_services(package: str, services: set[str]) -> None:
    assert storage_services([package]) == services


def test_a_client_of_some_services_calls_only_their_endpoints() -> None:
    targets = find_targets(_AZURITE) + find_targets("http://api:8080")
    kept = called_endpoints(targets, frozenset({"queue"}))
    assert [(t.host, t.port) for t in kept] == [("queues", 10001), ("api", 8080)]
    assert called_endpoints(targets, frozenset()) == targets


_STRING = "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://azurite"
_COMPOSE = f"""\
services:
  storage: {{image: "mcr.microsoft.com/azure-storage/azurite", hostname: azurite}}
  queues: {{build: ./Queues, environment: ["ConnectionStrings__Store={_STRING}"]}}
  silo: {{build: ./Silo, environment: ["ConnectionStrings__Store={_STRING}"]}}
  legacy: {{build: ./Legacy, environment: ["ConnectionStrings__Store={_STRING}"]}}
  grains: {{build: ./Grains, environment: ["ConnectionStrings__Store={_STRING}"]}}
  blobs: {{build: ./Blobs, environment: ["ConnectionStrings__Store={_STRING}"]}}
"""
_PROGRAM = 'var store = builder.Configuration.GetConnectionString("Store");\n'


def _project(name: str, *packages: str, code: str = "") -> dict[str, str]:
    references = "".join(f'<PackageReference Include="{p}" Version="1.0.0" />' for p in packages)
    return {
        f"{name}/{name}.csproj": (
            f'<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup>{references}</ItemGroup></Project>'
        ),
        f"{name}/Program.cs": _PROGRAM + code,
        f"{name}/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
    }


def test_each_workload_calls_the_endpoints_of_the_clients_its_build_has(tmp_path: Path) -> None:
    """queues builds a Queue client, silo Orleans Table clustering: each calls its service's
    port; legacy's build names no storage client, so every endpoint is its call. Orleans
    grain storage is Table or Blob by package: grains' code names Table grain storage;
    blobs has no storage package but its code builds a BlobServiceClient."""
    files = {
        "compose.yaml": _COMPOSE,
        **_project("Queues", "Azure.Storage.Queues"),
        **_project("Silo", "Microsoft.Orleans.Clustering.AzureStorage"),
        **_project("Legacy", "Newtonsoft.Json"),
        **_project(
            "Grains",
            "Microsoft.Orleans.Persistence.AzureStorage",
            code='silo.AddAzureTableGrainStorage("r", o => o.ConfigureTableServiceClient(s));\n',
        ),
        **_project("Blobs", code="var client = new BlobServiceClient(store);\n"),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path)]))
    edges = {(e.source.split("/")[1], e.target.split("/")[1], e.port) for e in graph.edges}
    assert edges == {
        ("queues", "storage", 10001),
        ("silo", "storage", 10002),
        ("legacy", "storage", 10000),
        ("legacy", "storage", 10001),
        ("legacy", "storage", 10002),
        ("grains", "storage", 10002),
        ("blobs", "storage", 10000),
    }
