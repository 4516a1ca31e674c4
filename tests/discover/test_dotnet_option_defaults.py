"""An options class in a shared library project: its section constant and its property
defaults are read where a service binds and reads it (``GetSection(UrlsOptions.SectionName)
.Get<UrlsOptions>() ?? new UrlsOptions()``); a default is a call only of a service that reads
the property, and env for its key wins over it. A service that only references the library
calls none of its defaults."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from socklock.discover import discover
from socklock.discover.code.options import forget
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_OPTIONS = """\
namespace Shop.Core.Options;

public class UrlsOptions
{
    public const string SectionName = "Urls";

    public string OrdersApi { get; set; } = "http://orders";
    public string StockApi { get; set; } = "http://stock";
}
"""
_READER = """\
public static class Startup
{
    public static void AddClients(IServiceCollection services, IConfiguration configuration)
    {
        var urls = configuration.GetSection(UrlsOptions.SectionName).Get<UrlsOptions>()
            ?? new UrlsOptions();
        services.AddHttpClient("orders", c => c.BaseAddress = new Uri(urls.OrdersApi));
    }
}
"""
_OTHER = "public static class Startup { public static void Run() { } }\n"
_REFERENCE = '<ItemGroup><ProjectReference Include="..\\\\Core\\\\Core.csproj" /></ItemGroup>'
_WEB = f'<Project Sdk="Microsoft.NET.Sdk.Web">{_REFERENCE}</Project>'


def _write(root: Path, compose: str) -> None:
    files = {
        "compose.yaml": compose,
        "Core/Core.csproj": '<Project Sdk="Microsoft.NET.Sdk"></Project>',
        "Core/Options/UrlsOptions.cs": _OPTIONS,
        "Reader/Reader.csproj": _WEB,
        "Reader/Startup.cs": _READER,
        "Reader/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
        "Other/Other.csproj": _WEB,
        "Other/Startup.cs": _OTHER,
        "Other/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    forget()


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]), manifests=False)
    return {(e.source.split("/")[1], e.target.split("/")[1], e.port) for e in graph.edges}


_SERVICES = """\
  other: {build: ./Other}
  orders: {image: shop/orders, expose: [80]}
  stock: {image: shop/stock, expose: [80, 81]}
"""


def test_a_read_property_calls_its_default(tmp_path: Path) -> None:
    _write(tmp_path, "services:\n  reader: {build: ./Reader}\n" + _SERVICES)
    assert _edges(tmp_path) == {("reader", "orders", 80)}


def test_env_for_the_key_wins_over_the_default(tmp_path: Path) -> None:
    reader = '  reader: {build: ./Reader, environment: ["Urls__OrdersApi=http://stock:81"]}\n'
    _write(tmp_path, "services:\n" + reader + _SERVICES)
    assert _edges(tmp_path) == {("reader", "stock", 81)}


@pytest.mark.parametrize("accessors", ["get; set;", "get; init;"])
def test_a_settable_default_alone_is_no_call(tmp_path: Path, accessors: str) -> None:
    _write(tmp_path, "services:\n" + _SERVICES)
    options = tmp_path / "Core/Options/UrlsOptions.cs"
    options.write_text(_OPTIONS.replace("get; set;", accessors), encoding="utf-8")
    assert _edges(tmp_path) == set()


def test_a_constant_or_a_get_only_property_is_still_a_call(tmp_path: Path) -> None:
    _write(tmp_path, "services:\n" + _SERVICES)
    (tmp_path / "Other/Startup.cs").write_text(
        "public static class Startup {\n"
        '    private const string Orders = "http://orders";\n'
        '    public string Stock { get; } = "http://stock";\n'
        "}\n",
        encoding="utf-8",
    )
    assert _edges(tmp_path) == {("other", "orders", 80), ("other", "stock", 80)}
