"""ASP.NET Core settings: ``Configuration["BusHost"]`` reads the project's appsettings.json and
``appsettings.{Environment}.json`` (Production unless the env says otherwise); a unit named
in the plural (``OrdersService``) builds the image named in the singular (``orderservice``)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.dotnet_settings import DotnetSettings, environment_of, settings_environment
from socklock.load import load_paths

CSPROJ = (
    '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n'
    '    <PackageReference Include="RabbitMQ.Client" Version="6.2.1" />\n'
    "  </ItemGroup>\n</Project>\n"
)
CLIENT = """\
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;

public class Bus
{
    public Bus(IConfiguration configuration)
    {
        var factory = new ConnectionFactory() { HostName = configuration["BusHost"],
            Port = int.Parse(configuration["BusPort"]) };
        var connection = factory.CreateConnection();
    }
}
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: {name}, image: 'acme/{image}:1'{env}}}]
---
apiVersion: v1
kind: Service
metadata: {{name: {name}-srv}}
spec:
  selector: {{app: {name}}}
  ports: [{{port: {port}}}]
"""


def _broker(name: str) -> str:
    return DEPLOYMENT.format(name=name, image="rabbitmq", env="", port=5672)


def _app(root: Path, env: str = "") -> None:
    _write(
        root,
        {
            # the unit OrdersService builds the image orderservice
            "k8s/orders.yaml": DEPLOYMENT.format(
                name="orders-depl", image="orderservice", env=env, port=80
            ),
            "k8s/rabbit.yaml": DEPLOYMENT.format(
                name="rabbit", image="rabbitmq", env="", port=5672
            ),
            "k8s/devbus.yaml": DEPLOYMENT.format(
                name="devbus", image="rabbitmq", env="", port=5672
            ),
            "OrdersService/OrdersService.csproj": CSPROJ,
            "OrdersService/Messaging/Bus.cs": CLIENT,
            "OrdersService/appsettings.Production.json": (
                '{\n  "BusHost": "rabbit-srv",\n  "BusPort": "5672"\n}\n'
            ),
            "OrdersService/appsettings.Development.json": (
                '{\n  "BusHost": "devbus-srv",\n  "BusPort": "5672"\n}\n'
            ),
        },
    )


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]), manifests=False)
    return {(e.source, e.target, e.port) for e in graph.edges}


def test_a_host_reads_its_environments_settings(tmp_path: Path) -> None:
    _app(tmp_path)
    assert _edges(tmp_path) == {("default/orders-depl", "default/rabbit", 5672)}


def test_the_env_names_the_environment(tmp_path: Path) -> None:
    _app(tmp_path, env=", env: [{name: ASPNETCORE_ENVIRONMENT, value: Development}]")
    assert _edges(tmp_path) == {("default/orders-depl", "default/devbus", 5672)}


def test_settings_lookup(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Api/Api.csproj": CSPROJ,
            "Api/Program.cs": "class P {}\n",
            "Api/appsettings.json": (
                '{"ConnectionStrings": {"Db": "Server=db"}, "Seq": null, "Bus": "base"}\n'
            ),
            "Api/appsettings.Staging.json": '{"Bus": "staging"}\n',
            "Other/Other.csproj": CSPROJ,
            "Other/Program.cs": "class Q {}\n",
        },
    )
    settings = DotnetSettings()
    program = str(tmp_path / "Api" / "Program.cs")
    assert [
        found.value if (found := settings.lookup(key, program, environment)) else None
        for key, environment in [
            ("ConnectionStrings__Db", "Production"),
            ("connectionstrings:db", "Production"),
            ("Bus", "Production"),
            ("Bus", "Staging"),
            ("Seq", "Production"),  # null: the code's default applies
            ("Missing", "Production"),
        ]
    ] == ["Server=db", "Server=db", "base", "staging", None, None]
    # a project without settings does not read its neighbour's
    assert settings.lookup("Bus", str(tmp_path / "Other" / "Program.cs"), "Production") is None
    assert environment_of({}) == "Production"
    assert environment_of({"DOTNET_ENVIRONMENT": "Docker"}) == "Docker"
    assert environment_of({"ASPNETCORE_ENVIRONMENT": "Dev", "DOTNET_ENVIRONMENT": "X"}) == "Dev"
    assert settings_environment("/a/appsettings.Development.json") == "Development"
    assert settings_environment("/a/appsettings.json") is None
    assert settings_environment("/a/settings.Development.json") is None
