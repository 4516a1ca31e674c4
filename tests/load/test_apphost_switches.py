"""An AppHost that picks a resource from its configuration (``useX ? AddProject<A> :
AddProject<B>``) adds the one its run's configuration picks: appsettings.json, then
appsettings.<Environment>.json, then the default launch profile's environment variables.
An undecidable condition leaves the statement as it was."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from socklock.load.units import find_units

if TYPE_CHECKING:
    from pathlib import Path

_APPHOST = """\
var builder = DistributedApplication.CreateBuilder(args);
var kind = (builder.Configuration["IdentityType"]
        ?? builder.Configuration["IDENTITY_TYPE"]
        ?? "Duende")
    .Trim();
var useOpenIddict = kind.Equals("OpenIddict", StringComparison.OrdinalIgnoreCase);
var grafana = builder.Configuration.GetValue<bool>("UseGrafana");
var identity = useOpenIddict
    ? builder.AddProject<Projects.OpenIdentity_App>("openidentity-app")
    : builder.AddProject<Projects.Identity_API>("identity-app");
var monitor = grafana ? builder.AddContainer("grafana", "grafana/grafana") : null;
builder.AddProject<Projects.Orders_API>("orders-api").WithReference(identity);
builder.Build().Run();
"""
_PROFILE = """\
{ "profiles": {
    "https": { "commandName": "Project",
      "environmentVariables": { "DOTNET_ENVIRONMENT": "Development", %s } },
    "http": { "commandName": "Project", "environmentVariables": { "IdentityType": "Other" } }
} }
"""
_WEB = '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>'


def _resources(root: Path, settings: str, development: str, profile_env: str) -> set[str]:
    files = {
        "AppHost/AppHost.csproj": '<Project Sdk="Aspire.AppHost.Sdk/9.0.0"></Project>',
        "AppHost/Program.cs": _APPHOST,
        "AppHost/appsettings.json": settings,
        "AppHost/appsettings.Development.json": development,
        "AppHost/Properties/launchSettings.json": _PROFILE % profile_env,
        "OpenIdentity.App/OpenIdentity.App.csproj": _WEB,
        "Identity.API/Identity.API.csproj": _WEB,
        "Orders.API/Orders.API.csproj": _WEB,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    units, _ = find_units([str(root)])
    return {u.name for u in units if u.host is not None}


_ORDERS = {"orders-api"}


@pytest.mark.parametrize(
    ("settings", "development", "profile_env", "expected"),
    [
        # the literal fallback when nothing sets the key
        ("{}", "{}", '"X": "1"', {"identity-app"}),
        # appsettings.json, with a comment, in any case of the value
        ('{ "IdentityType": "openiddict" // or Duende\n}', "{}", '"X": "1"', {"openidentity-app"}),
        # the environment's file over appsettings.json; the profile's env over both
        (
            '{"IdentityType": "Duende"}',
            '{"IdentityType": "OpenIddict"}',
            '"X": "1"',
            {"openidentity-app"},
        ),
        ('{"IdentityType": "OpenIddict"}', "{}", '"IdentityType": "Duende"', {"identity-app"}),
        # a bool read from configuration
        ('{"UseGrafana": true}', "{}", '"X": "1"', {"identity-app", "grafana"}),
        ("{}", "{}", '"UseGrafana": "false"', {"identity-app"}),
    ],
)
def test_the_run_adds_the_branch_its_configuration_picks(
    tmp_path: Path, settings: str, development: str, profile_env: str, expected: set[str]
) -> None:
    assert _resources(tmp_path, settings, development, profile_env) == expected | _ORDERS


def test_an_unknown_condition_is_left_as_written(tmp_path: Path) -> None:
    (tmp_path / "AppHost").mkdir()
    app = _APPHOST.replace(
        'var useOpenIddict = kind.Equals("OpenIddict", StringComparison.OrdinalIgnoreCase);',
        "var useOpenIddict = Random.Shared.Next() > 3;",
    )
    found = _resources(tmp_path, "{}", "{}", '"X": "1"')
    (tmp_path / "AppHost/Program.cs").write_text(app, encoding="utf-8")
    units, _ = find_units([str(tmp_path)])
    assert found == {"identity-app"} | _ORDERS
    assert {u.name for u in units if u.host is not None} == {"openidentity-app"} | _ORDERS


def test_an_apphost_is_read_once_whatever_its_files_and_helpers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its configuration once, and each of its C# files once (comments blanked), however
    many programs, helpers and extension methods read them; a helper called from a second
    program sees the same configuration's switches."""
    from socklock.load.units import aspire

    helper = """\
public static class Sales
{
    public static IResourceBuilder<ProjectResource> AddSales(IDistributedApplicationBuilder builder)
    {
        var useOpenIddict = builder.Configuration.GetValue<bool>("UseOpenIddict");
        var sales = useOpenIddict
            ? builder.AddProject<Projects.OpenIdentity_App>("openidentity-app")
            : builder.AddProject<Projects.Identity_API>("identity-app");
        return sales;
    }
}
"""
    files = {
        "AppHost/AppHost.csproj": '<Project Sdk="Aspire.AppHost.Sdk/9.0.0"></Project>',
        "AppHost/Program.cs": _APPHOST,
        "AppHost/More.cs": "var sales = Sales.AddSales(builder); // a second program\n",
        "AppHost/Resources/Sales.cs": helper,
        "AppHost/appsettings.json": '{"UseOpenIddict": true}',
        "OpenIdentity.App/OpenIdentity.App.csproj": _WEB,
        "Identity.API/Identity.API.csproj": _WEB,
        "Orders.API/Orders.API.csproj": _WEB,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    configurations: list[Path] = []
    blanked: list[Path] = []
    configuration, blank_comments = aspire.configuration, aspire.blank_comments
    monkeypatch.setattr(
        aspire, "configuration", lambda p: configurations.append(p) or configuration(p)
    )
    monkeypatch.setattr(aspire, "blank_comments", lambda p: blanked.append(p) or blank_comments(p))
    units, _ = find_units([str(tmp_path)])
    assert {u.name for u in units if u.host is not None} == {
        "identity-app",
        "openidentity-app",
        "orders-api",
    }
    assert configurations == [tmp_path / "AppHost"]
    assert sorted(blanked) == sorted(
        tmp_path / "AppHost" / n for n in ("Program.cs", "More.cs", "Resources/Sales.cs")
    )
