"""A .NET program adds its own config files (``AddJsonFile("bus.json")``, often in a shared
library project): they are read from its content root over appsettings.json, and a
``Server=localhost;...`` connection string in them is the database of the one driver the
project references. With no deployment files, localhost is the server beside the units."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.ado_drivers import driver_port, keyed_without_port
from socklock.discover.dotnet_settings import DotnetSettings
from socklock.load import load_paths


def _csproj(*packages: str, references: tuple[str, ...] = ()) -> str:
    items = "".join(f'<PackageReference Include="{p}" Version="1.0.0" />' for p in packages)
    refs = "".join(f'<ProjectReference Include="{r}" />' for r in references)
    return f'<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup>{items}{refs}</ItemGroup></Project>\n'


# the library every service references: it adds the files, the services keep their own copy
HOSTING = """\
using Microsoft.Extensions.Hosting;

public static class HostingExtensions
{
    public static IHostBuilder AddBusFile(this IHostBuilder builder) =>
        builder.ConfigureAppConfiguration(c => c.AddJsonFile("bus.json", optional: true));
    public static IHostBuilder AddStoreFile(this IHostBuilder builder) =>
        builder.ConfigureAppConfiguration(c => c.AddJsonFile("store.json", optional: true));
}
"""
BUS = """\
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;

public class Bus
{
    public Bus(IConfiguration configuration)
    {
        var factory = new ConnectionFactory() { HostName = configuration["Bus:Host"] };
        var connection = factory.CreateConnection();
    }
}
"""
STORE = """\
using System.Data.SqlClient;
using Microsoft.Extensions.Configuration;

public class Store
{
    public Store(IConfiguration configuration)
    {
        var connection = new SqlConnection(configuration.GetConnectionString("Orders"));
    }
}
"""
BUS_FILE = '{"Bus": {"Host": "localhost"}}\n'
STORE_FILE = '{"ConnectionStrings": {"Orders": "Server=localhost;Database=Orders;User Id=app"}}\n'


def test_files_a_program_adds_name_its_servers(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Hosting/Hosting.csproj": '<Project Sdk="Microsoft.NET.Sdk"></Project>\n',
            "Hosting/HostingExtensions.cs": HOSTING,
            "Hosting/bus.json": '{"Bus": {"Host": ""}}\n',  # the library's blank template
            # adds both files (through the library) and reads both
            "Kitchen/Kitchen.csproj": _csproj(
                "RabbitMQ.Client",
                "System.Data.SqlClient",
                references=("../Hosting/Hosting.csproj",),
            ),
            "Kitchen/Bus.cs": BUS,
            "Kitchen/Store.cs": STORE,
            "Kitchen/bus.json": BUS_FILE,
            "Kitchen/store.json": STORE_FILE,
            # adds store.json but never opens a connection with it: no database call
            "Pantry/Pantry.csproj": _csproj(
                "RabbitMQ.Client",
                "System.Data.SqlClient",
                references=("../Hosting/Hosting.csproj",),
            ),
            "Pantry/Bus.cs": BUS,
            "Pantry/bus.json": BUS_FILE,
            "Pantry/store.json": STORE_FILE,
            # keeps a bus.json beside it but adds no file: the value is no config it reads
            "Counter/Counter.csproj": _csproj("RabbitMQ.Client"),
            "Counter/Bus.cs": BUS,
            "Counter/bus.json": BUS_FILE,
            # references drivers of two databases: the string's port is unknown
            "Ledger/Ledger.csproj": _csproj(
                "System.Data.SqlClient", "Npgsql", references=("../Hosting/Hosting.csproj",)
            ),
            "Ledger/Store.cs": STORE,
            "Ledger/store.json": STORE_FILE,
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("code/kitchen", "code/rabbitmq", 5672),
        ("code/kitchen", "code/mssql", 1433),
        ("code/pantry", "code/rabbitmq", 5672),
    }


def test_an_added_file_wins_over_appsettings(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Api/Api.csproj": _csproj("RabbitMQ.Client"),
            "Api/Program.cs": (
                'config.AddJsonFile("first.json").AddJsonFile("second.json");\n'
                'config.AddJsonFile($"extra.{env}.json");\n'  # an environment's: not a literal
            ),
            "Api/appsettings.json": '{"Bus": "base", "Db": "base", "Queue": "base"}\n',
            "Api/first.json": '{"Bus": "first", "Db": "first"}\n',
            "Api/second.json": '{"Bus": "second"}\n',
            "Api/extra.Production.json": '{"Queue": "extra"}\n',
        },
    )
    settings = DotnetSettings()
    program = str(tmp_path / "Api" / "Program.cs")
    assert settings.added_files(tmp_path / "Api") == ("first.json", "second.json")
    assert [
        found.value if (found := settings.lookup(key, program, "Production")) else None
        for key in ("Bus", "Db", "Queue")
    ] == ["second", "first", "base"]


def test_driver_port() -> None:
    assert driver_port(["Dapper", "Microsoft.Data.SqlClient"]) == ("sqlserver", 1433)
    assert driver_port(["Npgsql.EntityFrameworkCore.PostgreSQL", "Npgsql"]) == ("postgresql", 5432)
    assert driver_port(["MySqlConnector"]) == ("mysql", 3306)
    assert driver_port(["Npgsql", "MySql.Data"]) is None
    assert driver_port(["Dapper"]) is None
    assert keyed_without_port("Server=db;Database=x")
    assert not keyed_without_port("Server=db,1433;Database=x")
    assert not keyed_without_port("Host=db;Port=5432;Database=x")
    assert not keyed_without_port("Database=x;User Id=a")
    assert not keyed_without_port("mongodb://db/x;y")
