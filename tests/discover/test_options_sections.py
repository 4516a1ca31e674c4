""".NET options sections (``…Options``/``…Settings``) that no C# source of the project names
are configured but unbound: their addresses are no calls. A section the project or a project
it references names (``nameof``, a string, even a comment) is bound; library sections
(``Serilog``) and files outside a project are not judged."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files

from socklock.discover import discover
from socklock.discover.options_sections import unbound_options_section
from socklock.load import load_paths

CSPROJ = '<Project Sdk="Microsoft.NET.Sdk.Web">\n</Project>\n'
REFERENCING = (
    '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n'
    '    <ProjectReference Include="..\\Shared\\Shared.csproj" />\n'
    "  </ItemGroup>\n</Project>\n"
)
SETTINGS = """\
{
  "OrderGrpcClientOptions": {"BaseAddress": "http://orders"},
  "CatalogGrpcClientOptions": {"BaseAddress": "http://catalog"},
  "StockSettings": {"Url": "http://stock:8080"},
  "Seq": {"ServerUrl": "http://seq:5341"}
}
"""
PROGRAM = """\
var builder = WebApplication.CreateBuilder(args);
builder.Services.Configure<CatalogGrpcClientOptions>(
    builder.Configuration.GetSection(nameof(CatalogGrpcClientOptions)));
builder.Services.AddHttpClient<Api>(c =>
    c.BaseAddress = new Uri(builder.Configuration["Seq:ServerUrl"]));
"""
SHARED = 'public static class Names { public const string Stock = "StockSettings"; }\n'


def _project(root: Path) -> None:
    write_files(
        root,
        {
            "Api/Api.csproj": REFERENCING,
            "Api/Program.cs": PROGRAM,
            "Api/appsettings.json": SETTINGS,
            "Shared/Shared.csproj": CSPROJ,
            "Shared/Names.cs": SHARED,
            "Loose/appsettings.json": SETTINGS,
        },
    )


def test_an_options_section_no_source_names_is_unbound(tmp_path: Path) -> None:
    _project(tmp_path)
    settings = str(tmp_path / "Api" / "appsettings.json")
    loose = str(tmp_path / "Loose" / "appsettings.json")
    assert [
        unbound_options_section(file, key)
        for file, key in [
            (settings, "OrderGrpcClientOptions.BaseAddress"),  # named nowhere
            (settings, "CatalogGrpcClientOptions.BaseAddress"),  # nameof in Program.cs
            (settings, "StockSettings.Url"),  # a string of the referenced project
            (settings, "Seq.ServerUrl"),  # not an options section's name: not judged
            (settings, "OrderGrpcClientOptions"),  # a top-level value
            (loose, "OrderGrpcClientOptions.BaseAddress"),  # no project around the file
        ]
    ] == [True, False, False, False, False, False]


def test_an_unbound_sections_address_is_no_call(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "Api" / "Dockerfile").write_text(
        'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY . .\nENTRYPOINT ["dotnet", "Api.dll"]\n'
    )
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  api:\n    build: ./Api\n"
        "  orders:\n    image: acme/orders\n    expose: ['80']\n"
        "  catalog:\n    image: acme/catalog\n    expose: ['80']\n"
    )
    graph = discover(load_paths([str(tmp_path / "compose.yaml"), str(tmp_path / "Api")]))
    p = tmp_path.name
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        (f"{p}/api", f"{p}/catalog", 80)
    }
