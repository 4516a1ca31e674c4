"""YARP in an Aspire AppHost: the clusters and routes a proxy resource is configured with.

``builder.AddYarp("bff").WithConfiguration(yarp => { yarp.AddRoute("/api/{**any}", catalog); })``
or an extension method of the AppHost's files called with resources
(``.ConfigureBffRoutes(catalogApi, orderingApi)``, whose body does ``yarp.AddCluster(catalogApi)``
or ``yarp.AddRoute(path, orderingApi.GetEndpoint("http"))``): each names a resource the proxy
calls, on the endpoint named (a cluster: by service discovery, https else http).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from socklock.load.units.tree import read
from socklock.model import Location, UnitReference

_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_CLUSTER = re.compile(r"\.\s*AddCluster\s*\(\s*(\w+)\s*[,)]")
_ROUTE = re.compile(
    r"\.\s*AddRoute\s*\(\s*(?:path\s*:\s*)?\"[^\"]*\"\s*,\s*(\w+)"
    r"(?:\s*\.\s*GetEndpoint\s*\(\s*\"([^\"]*)\"\s*\))?"
)
# extension methods that configure a resource: ``static .. Name(this IResourceBuilder<..> b, ..)``
_METHOD = re.compile(
    r"\bstatic\s+[\w<>.,\s?]+?\s(\w+)\s*\(\s*this\s+IResourceBuilder<[^>]*>\s+\w+\s*"
    r"((?:,\s*[\w<>.?\[\]]+(?:<[^>]*>)?\s+\w+\s*)*)\)\s*\{"
)
_EXTENSION_CALL = re.compile(r"\.\s*(\w+)\s*\(([\w\s,]*)\)")


@dataclass(frozen=True, slots=True)
class Method:
    """An AppHost extension method on a resource builder: its parameters and its body."""

    name: str
    parameters: tuple[str, ...]
    file: Path
    text: str  # the whole file, comments blanked
    start: int  # where the body starts in ``text``
    body: str


def blank_comments(path: Path) -> str:
    """The file's text with comments blanked (lines and offsets kept)."""
    text = read(path) or ""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def extension_methods(path: Path, code: str) -> list[Method]:
    """The methods of a file (``code``: its text, comments blanked) that configure a
    resource builder."""
    found: list[Method] = []
    for match in _METHOD.finditer(code):
        depth, end = 1, match.end()
        while end < len(code) and depth:
            depth += {"{": 1, "}": -1}.get(code[end], 0)
            end += 1
        parameters = tuple(p.split()[-1] for p in match.group(2).split(",") if p.strip())
        body = code[match.end() : end]
        found.append(Method(match.group(1), parameters, path, code, match.end(), body))
    return found


def routes(
    proxy: str,
    statement: str,
    file: Path,
    code: str,
    start: int,
    variables: dict[str, str],
    methods: dict[str, Method],
) -> list[UnitReference]:
    """The YARP clusters and routes a statement on the proxy resource ``proxy`` declares, in
    place or in the extension methods it calls with resources (their parameters bound to the
    caller's variables); ``variables``: variable → resource name."""
    found = _routes(proxy, statement, file, code, start, variables)
    for call in _EXTENSION_CALL.finditer(statement):
        method = methods.get(call.group(1))
        if method is not None:
            arguments = [a.strip() for a in call.group(2).split(",")]
            bound = {
                param: variables[arg]
                for param, arg in zip(method.parameters, arguments, strict=False)
                if arg in variables
            }
            found += _routes(proxy, method.body, method.file, method.text, method.start, bound)
    return found


def _routes(
    proxy: str, text: str, file: Path, code: str, start: int, variables: dict[str, str]
) -> list[UnitReference]:
    found: list[tuple[int, str, str, str | None]] = []
    for match in _CLUSTER.finditer(text):
        found.append((match.start(), match.group(1), "AddCluster", None))
    for match in _ROUTE.finditer(text):
        found.append((match.start(), match.group(1), "AddRoute", match.group(2)))
    out: list[UnitReference] = []
    for at, variable, how, endpoint in sorted(found):
        target = variables.get(variable)
        if target is None or target == proxy:
            continue
        line = code.count("\n", 0, start + at) + 1
        shown = f"{variable}.GetEndpoint({endpoint!r})" if endpoint else variable
        out.append(
            UnitReference(
                target,
                Location(str(file), line, 1),
                f"AppHost YARP {proxy}.{how}({shown})",
                endpoint=endpoint or "https+http",
                proxy=True,
            )
        )
    return out
