""".NET launch profiles (``Properties/launchSettings.json``): the endpoints a project listens on
when it is run as a project, as ``dotnet run`` and an Aspire AppHost run it.

A profile's ``applicationUrl`` lists URLs separated by ``;``; each is an endpoint named by
its scheme (``https://localhost:5243;http://localhost:5223`` → https 5243, http 5223), as
Aspire names the endpoints it makes from them. Without a profile name, the first profile
whose ``commandName`` is ``Project`` is the one run (Aspire's and ``dotnet run``'s default).

Kestrel endpoints in the project's ``appsettings.json`` (``Kestrel:Endpoints:<name>:Url``,
``appsettings.Development.json`` over it) come first: Aspire makes an endpoint of each, named
by its key, and then ignores the launch profile's URLs.
"""

from __future__ import annotations

import re
from pathlib import Path

from socklock.load.units.names import port_of
from socklock.load.units.tree import read

LAUNCH_SETTINGS = Path("Properties") / "launchSettings.json"
_URL = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*)://[^/:;]*(?::([0-9]+))?")


def profiles(project_directory: Path) -> dict[str, dict[str, object]]:
    """The project's launch profiles by name (none when it has no readable launchSettings)."""
    from socklock.load.claims import read_jsonc

    text = read(project_directory / LAUNCH_SETTINGS)
    data = read_jsonc(text) if text else None
    found = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(found, dict):
        return {}
    return {str(k): v for k, v in found.items() if isinstance(v, dict)}


def default_profile(found: dict[str, dict[str, object]]) -> str | None:
    """The profile run when none is named: the first that runs the project itself."""
    return next((name for name, p in found.items() if p.get("commandName") == "Project"), None)


def endpoints(profile: dict[str, object]) -> dict[str, int]:
    """Endpoint name (the URL's scheme) → port, in the order the profile lists them."""
    out: dict[str, int] = {}
    for url in str(profile.get("applicationUrl") or "").split(";"):
        match = _URL.match(url)
        if match is None:
            continue
        scheme = match.group(1).lower()
        port = port_of(match.group(2)) or {"http": 80, "https": 443}.get(scheme)
        if port is not None:
            out.setdefault(scheme, port)
    return out


def kestrel_endpoints(project_directory: Path) -> dict[str, int]:
    """Endpoint name → port of the Kestrel endpoints the project's appsettings configure."""
    from socklock.load.claims import read_jsonc

    found: dict[str, int] = {}
    for name in ("appsettings.json", "appsettings.Development.json"):
        text = read(project_directory / name)
        data = read_jsonc(text) if text else None
        endpoints = _key(_key(data, "Kestrel"), "Endpoints")
        for endpoint, config in endpoints.items() if isinstance(endpoints, dict) else ():
            match = _URL.match(str(_key(config, "Url") or ""))
            if match is None:
                continue
            scheme = match.group(1).lower()
            port = port_of(match.group(2)) or {"http": 80, "https": 443}.get(scheme)
            if port is not None:
                found[str(endpoint)] = port
    return found


def run_ports(project_directory: Path) -> tuple[int, ...]:
    """The ports ``dotnet run`` makes the project listen on, when nothing sets
    ``ASPNETCORE_URLS``: its Kestrel endpoints, which override the launch profile's URLs,
    else those of its default launch profile."""
    kestrel = kestrel_endpoints(project_directory)
    if kestrel:
        return tuple(dict.fromkeys(kestrel.values()))
    found = profiles(project_directory)
    name = default_profile(found)
    return tuple(dict.fromkeys(endpoints(found[name]).values())) if name is not None else ()


def _key(data: object, name: str) -> object:
    """``data[name]`` as .NET configuration reads it: in any case; None when absent."""
    if not isinstance(data, dict):
        return None
    return next((v for k, v in data.items() if str(k).lower() == name.lower()), None)
