"""Compose services built alike (same context, Dockerfile, build args and command) are
copies of one program: the build unit matched to one of them by name runs in each, so the
code's reads join each copy's env, and an env value the code never reads is no call of
either."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_PROGRAM = """\
public static class Startup
{
    public static void Configure(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ConnectionMultiplexer.Connect(configuration["ConnectionStrings:Redis"]));
    }
}
"""
_BUILD = "build: {context: ., dockerfile: src/Bid.API/Dockerfile}"
_ENV = 'environment: ["ConnectionStrings:Redis=cache:6379", "Unread__Url=http://audit:80"]'
_COMPOSE = f"""\
services:
  cache: {{image: redis}}
  audit: {{image: shop/audit}}
  bid.api:
    {_BUILD}
    {_ENV}
  bid.api_clone:
    {_BUILD}
    {_ENV}
"""


def test_a_copy_of_a_built_service_runs_its_code(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": _COMPOSE,
            "src/Bid.API/Bid.API.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
            "src/Bid.API/Startup.cs": _PROGRAM,
            "src/Bid.API/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    edges = {
        (e.source.split("/")[1], e.target.split("/")[1], e.port) for e in graph.edges if not e.hint
    }
    assert edges == {("bid.api", "cache", 6379), ("bid.api_clone", "cache", 6379)}


def test_another_command_or_build_arg_is_no_copy(tmp_path: Path) -> None:
    from socklock.discover import add_nodes
    from socklock.discover.builder import GraphBuilder
    from socklock.discover.identity import Identities

    compose = f"""\
services:
  api: {{{_BUILD}}}
  api2: {{{_BUILD}}}
  worker:
    {_BUILD}
    command: ["dotnet", "Worker.dll"]
  other:
    build: {{context: ., dockerfile: src/Bid.API/Dockerfile, args: {{APP: Other}}}}
"""
    _write(tmp_path, {"compose.yaml": compose, "src/Bid.API/Dockerfile": "FROM scratch\n"})
    inventory = load_paths([str(tmp_path)])
    identities = Identities(inventory, add_nodes(inventory, GraphBuilder()))
    copies = {k.split("/")[1]: [w.split("/")[1] for w in v] for k, v in identities.copies.items()}
    assert copies == {"api": ["api", "api2"], "api2": ["api", "api2"]}
