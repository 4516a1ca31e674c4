""".NET projects that host a service: ``Sdk="Microsoft.NET.Sdk.Web"`` or ``.Worker``, or an
``Exe`` that references ASP.NET Core, gRPC or the generic host. Aspire AppHost projects are
not services: ``aspire.py`` reads them as the deployment they are.

Identity: the project file's name (``Catalog.API.csproj`` → ``catalog-api``).
"""

from __future__ import annotations

import re
from pathlib import Path

from socklock.load.units.tree import Tree, read
from socklock.load.units.unit import make_unit
from socklock.model import BuildUnit, Diagnostic

_PROJECT_SUFFIXES = (".csproj", ".fsproj", ".vbproj")
_WEB_SDK = re.compile(r"""Sdk\s*=\s*["']Microsoft\.NET\.Sdk\.(Web|Worker|BlazorWebAssembly)["']""")
_EXE = re.compile(r"<OutputType>\s*Exe\s*</OutputType>", re.IGNORECASE)
_HOSTS = re.compile(
    r"""Include\s*=\s*["'](Microsoft\.AspNetCore[\w.]*|Grpc\.AspNetCore[\w.]*"""
    r"""|Microsoft\.Extensions\.Hosting|Microsoft\.Azure\.Functions\.Worker[\w.]*)["']"""
)
_APPHOST = re.compile(r"Aspire\.AppHost\.Sdk|<IsAspireHost>\s*true", re.IGNORECASE)


def is_apphost(text: str) -> bool:
    return bool(_APPHOST.search(text))


def projects(tree: Tree) -> list[tuple[Path, str]]:
    """Every project file under the roots with its text."""
    found: list[tuple[Path, str]] = []
    for directory, files in tree.files.items():
        for name in files:
            if name.endswith(_PROJECT_SUFFIXES):
                found.append((directory / name, read(directory / name) or ""))
    return found


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    units: list[BuildUnit] = []
    for path, text in projects(tree):
        if is_apphost(text):
            continue
        web = _WEB_SDK.search(text)
        if not web and not (_EXE.search(text) and _HOSTS.search(text)):
            continue
        if web and web.group(1) == "BlazorWebAssembly":
            continue  # runs in the browser
        units.append(
            make_unit(
                "dotnet",
                path.parent,
                path.stem,
                path,
                tree,
                names=(path.stem.replace(".", "_"),),
            )
        )
    return units
