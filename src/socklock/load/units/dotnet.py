""".NET projects that host a service: ``Sdk="Microsoft.NET.Sdk.Web"`` or ``.Worker``, or an
``Exe`` that references ASP.NET Core, gRPC or the generic host. Aspire AppHost projects are
not services: ``aspire.py`` reads them as the deployment they are.

Identity: the project file's name (``Catalog.API.csproj`` → ``catalog-api``). The library
projects a service references (``<ProjectReference>``, transitively) are sources of it too,
and its dependencies are the ``<PackageReference>`` packages of all of them.
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
_PROJECT_REFERENCE = re.compile(r"""<ProjectReference\s+Include\s*=\s*["']([^"']+)["']""")
_PACKAGE_REFERENCE = re.compile(r"""<PackageReference\s+Include\s*=\s*["']([^"']+)["']""")
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
    found = projects(tree)
    texts = {path.resolve(): text for path, text in found}
    services = {path.resolve() for path, text in found if _is_service(text)}
    for path, text in found:
        if path.resolve() not in services:
            continue
        if (web := _WEB_SDK.search(text)) and web.group(1) == "BlazorWebAssembly":
            continue  # runs in the browser
        libraries = _libraries(path.resolve(), texts, services)
        units.append(
            make_unit(
                "dotnet",
                path.parent,
                path.stem,
                path,
                tree,
                names=(path.stem.replace(".", "_"),),
                sources=tuple(lib.parent for lib in libraries),
                dependencies=_packages([text, *(texts[lib] for lib in libraries)]),
            )
        )
    return units


def _packages(texts: list[str]) -> tuple[str, ...]:
    """The NuGet packages the project and its library projects reference, in order."""
    found: list[str] = []
    for text in texts:
        for match in _PACKAGE_REFERENCE.finditer(text):
            if match.group(1) not in found:
                found.append(match.group(1))
    return tuple(found)


def _is_service(text: str) -> bool:
    if is_apphost(text):
        return False
    return bool(_WEB_SDK.search(text) or (_EXE.search(text) and _HOSTS.search(text)))


def _libraries(project: Path, texts: dict[Path, str], services: set[Path]) -> list[Path]:
    """The library projects a service references, directly or through other libraries: their
    code runs in the service (a shared ``ServiceDefaults`` reading ``Identity:Url``)."""
    found: list[Path] = []
    pending = [project]
    while pending:
        current = pending.pop()
        for match in _PROJECT_REFERENCE.finditer(texts.get(current, "")):
            relative = match.group(1).replace("\\", "/")
            referenced = (current.parent / relative).resolve()
            if (
                referenced in texts
                and referenced not in services
                and referenced not in found
                and referenced.parent != project.parent
                and not is_apphost(texts[referenced])
            ):
                found.append(referenced)
                pending.append(referenced)
    return sorted(found)
