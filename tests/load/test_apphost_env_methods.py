"""AppHost extension methods: a builder method that adds a container and returns one of its
endpoints, and a resource method that sets env from its parameter, called on each resource of
an array in a ``foreach``: each resource gets the endpoint's URL as that env. A method that
sets env from a literal, or a resource outside the array, gets nothing from it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.load.units import find_units

if TYPE_CHECKING:
    from pathlib import Path

_APPHOST = """\
var builder = DistributedApplication.CreateBuilder(args);
var otlp = builder.AddTelemetryStack();
var orders = builder.AddProject<Projects.Orders_API>("orders-api");
var stock = builder.AddProject<Projects.Stock_API>("stock-api");
var audit = builder.AddProject<Projects.Audit_API>("audit-api");
IResourceBuilder<ProjectResource>[] instrumented = [orders, stock];
foreach (var project in instrumented)
{
    project.WithTelemetry(otlp);
}
audit.WithLabel(otlp);
builder.Build().Run();
"""
_EXTENSIONS = """\
internal static class TelemetryExtensions
{
    private const string OtlpVariable = "TELEMETRY_OTLP_ENDPOINT";

    public static EndpointReference? AddTelemetryStack(this IDistributedApplicationBuilder builder)
    {
        var collector = builder.AddContainer("otel-collector", "otel/opentelemetry-collector")
            .WithEndpoint(port: 14317, targetPort: 4317, scheme: "http", name: "otlp-grpc")
            .WithHttpEndpoint(port: 4318, targetPort: 4318, name: "otlp-http");
        return collector.GetEndpoint("otlp-grpc");
    }

    public static IResourceBuilder<T> WithTelemetry<T>(
        this IResourceBuilder<T> builder,
        EndpointReference? otlpEndpoint)
        where T : IResourceWithEnvironment
        => otlpEndpoint is null ? builder : builder.WithEnvironment(OtlpVariable, otlpEndpoint);

    public static IResourceBuilder<T> WithLabel<T>(this IResourceBuilder<T> builder, object x)
        where T : IResourceWithEnvironment
        => builder.WithEnvironment(OtlpVariable, "off");
}
"""
_WEB = '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>'


def test_an_extension_method_sets_the_returned_endpoint_on_each_resource(tmp_path: Path) -> None:
    files = {
        "AppHost/AppHost.csproj": '<Project Sdk="Aspire.AppHost.Sdk/9.0.0"></Project>',
        "AppHost/Program.cs": _APPHOST,
        "AppHost/TelemetryExtensions.cs": _EXTENSIONS,
        "Orders.API/Orders.API.csproj": _WEB,
        "Stock.API/Stock.API.csproj": _WEB,
        "Audit.API/Audit.API.csproj": _WEB,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    units, _ = find_units([str(tmp_path)])
    by_name = {u.name: u for u in units if u.host is not None}
    env = {name: {(e.name, e.value) for e in unit.env} for name, unit in by_name.items()}
    assert env == {
        "otel-collector": set(),
        "orders-api": {("TELEMETRY_OTLP_ENDPOINT", "http://otel-collector:4317")},
        "stock-api": {("TELEMETRY_OTLP_ENDPOINT", "http://otel-collector:4317")},
        "audit-api": set(),
    }
    assert dict(by_name["otel-collector"].endpoints) == {"otlp-grpc": 4317, "otlp-http": 4318}
