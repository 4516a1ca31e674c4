"""Configuration keys C# code reads, joined with a compose file's env: .NET binds them in
any case, through options classes too (code only: the edges come from the code)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_COMPOSE = """\
services:
  gateway:
    build: ./Gateway
    environment: ["urls__grpcBasket=http://basket:81", "identityUrl=http://identity"]
  worker:
    build: ./Worker
    environment: ["identityUrl=http://identity"]
  basket: {image: shop/basket}
  identity: {image: shop/identity}
"""
_STARTUP = """\
public static class Startup
{
    public static void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UrlsConfig>(configuration.GetSection("urls"));
        services.AddGrpcClient<Basket.BasketClient>((provider, options) =>
        {
            var basketApi = provider.GetRequiredService<IOptions<UrlsConfig>>().Value.GrpcBasket;
            options.Address = new Uri(basketApi);
        });
        services.AddAuthentication("Bearer").AddJwtBearer(options =>
        {
            options.Authority = configuration["IdentityUrl"];
        });
    }
}
"""
_URLS = "public class UrlsConfig { public string GrpcBasket { get; set; } }\n"
# a process env read is case-sensitive on Linux: Python's os.environ is no .NET key
_WORKER = 'import os, requests\nrequests.get(os.environ["IdentityUrl"] + "/health")\n'


def test_keys_the_code_reads_match_the_env_in_any_case(tmp_path: Path) -> None:
    files = {
        "compose.yaml": _COMPOSE,
        "Gateway/Gateway.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
        "Gateway/Startup.cs": _STARTUP,
        "Gateway/Config/UrlsConfig.cs": _URLS,
        "Gateway/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
        "Worker/worker.py": _WORKER,
        "Worker/Dockerfile": "FROM python:3.12\nCOPY worker.py .\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    edges = {(e.source.split("/")[1], e.target.split("/")[1], e.port) for e in graph.edges}
    assert edges == {("gateway", "basket", 81), ("gateway", "identity", 80)}


_ACCESSOR_COMPOSE = """\
services:
  orders:
    build: ./Orders
    environment: ["Billing__BaseUrl=http://billing:5000", "Stock__BaseUrl=http://stock:5001"]
  billing: {image: shop/billing}
  stock: {image: shop/stock}
"""
_SETTINGS = """\
public class Settings : ISettings
{
    private readonly IConfiguration _configuration;
    public Settings(IConfiguration configuration) { _configuration = configuration; }
    public BillingSettings Billing()
    {
        return _configuration.GetSection("Billing").Get<BillingSettings>();
    }
    public string Name() { return "orders"; }
}
"""
_CLIENT = """\
public class BillingClient
{
    private readonly string _baseUrl;
    private readonly HttpClient _http;
    public BillingClient(HttpClient http, ISettings settings)
    {
        _http = http;
        _baseUrl = settings.Billing().BaseUrl;
    }
    public Task Send() => _http.PostAsync($"{_baseUrl}/invoices", null);
}
"""


def test_an_options_object_handed_out_by_a_settings_method(tmp_path: Path) -> None:
    """``settings.Billing().BaseUrl``: the method returns the class bound to ``Billing``;
    ``Stock__BaseUrl``, which the code never reads, is no call."""
    files = {
        "compose.yaml": _ACCESSOR_COMPOSE,
        "Orders/Orders.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
        "Orders/Settings.cs": _SETTINGS,
        "Orders/BillingSettings.cs": "public class BillingSettings { public string BaseUrl; }\n",
        "Orders/BillingClient.cs": _CLIENT,
        "Orders/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    edges = {(e.source.split("/")[1], e.target.split("/")[1], e.port) for e in graph.edges}
    assert edges == {("orders", "billing", 5000)}


_EF_COMPOSE = """\
services:
  catalog:
    build: ./Catalog
    environment: ["Database__Server=sqldata", "Database__Port=1434", "Database__Name=catalog"]
  audit:
    build: ./Audit
  sqldata: {image: mcr.microsoft.com/mssql/server:2022-latest, expose: ["1433", "1434"]}
  pg: {image: postgres:16}
"""
_DB_SETTINGS = """\
public class DbSettings
{
    public string Server { get; set; }
    public string Port { get; set; }
    public string Name { get; set; }
    public string ConnectionString => $"Server={Server},{Port};Initial Catalog={Name}";
}
"""
_CATALOG = """\
var builder = WebApplication.CreateBuilder(args);
var db = builder.Configuration.GetSection("Database").Get<DbSettings>();
builder.Services.AddDbContext<CatalogContext>(o => o.UseSqlServer(db.ConnectionString));
"""
_AUDIT = """\
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDbContext<AuditContext>(o => o.UseNpgsql("Host=pg;Database=audit"));
"""


def test_ef_core_providers_and_a_computed_connection_string(tmp_path: Path) -> None:
    """``UseSqlServer(db.ConnectionString)``: the property interpolates the others bound to
    ``Database``; ``UseNpgsql("Host=pg")``: the server image's port when none is written."""
    files = {
        "compose.yaml": _EF_COMPOSE,
        "Catalog/Catalog.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
        "Catalog/DbSettings.cs": _DB_SETTINGS,
        "Catalog/Program.cs": _CATALOG,
        "Catalog/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
        "Audit/Audit.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
        "Audit/Program.cs": _AUDIT,
        "Audit/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    edges = {(e.source.split("/")[1], e.target.split("/")[1], e.port) for e in graph.edges}
    assert edges == {("catalog", "sqldata", 1434), ("audit", "pg", 5432)}
