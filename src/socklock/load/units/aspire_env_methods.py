"""AppHost extension methods that hand an endpoint to a resource as env, and those that add a
resource and return one of its endpoints.

::

    var otlp = builder.AddTelemetryStack();          // return collector.GetEndpoint("otlp-grpc")
    foreach (var project in instrumented) { project.WithTelemetry(otlp); }
    static IResourceBuilder<T> WithTelemetry<T>(this IResourceBuilder<T> b, EndpointReference? e)
        => e is null ? b : b.WithEnvironment(OtlpVariable, e);   // const string OtlpVariable = "X"

A resource method's ``.WithEnvironment("NAME", parameter)`` (the name a literal or a string
constant of the file) is env the resource it is called on gets: the endpoint the caller passes
for that parameter. A builder method whose ``return`` is ``x.GetEndpoint("name")``, ``x``
added in its body (``var x = builder.AddContainer("collector", ...)``), gives that endpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_GENERIC = r"(?:<[^>()]*>)?"
_PARAMETERS = r"((?:,\s*[\w<>.?\[\]]+(?:<[^>]*>)?\s+\w+\s*)*)"
# ``static .. Name<T>(this IResourceBuilder<T> b, ..) where T : X {`` or ``=>``
_RESOURCE_METHOD = re.compile(
    rf"\bstatic\s+[\w<>.,\s?]+?\s(\w+)\s*{_GENERIC}\s*\(\s*this\s+IResourceBuilder<[^>]*>\s+\w+\s*"
    rf"{_PARAMETERS}\)\s*(?:where\s+[^{{=]*?)?(\{{|=>)"
)
_BUILDER_METHOD = re.compile(
    r"\bstatic\s+[\w<>.,\s?]+?\s(\w+)\s*\(\s*this\s+IDistributedApplicationBuilder\s+(\w+)\s*\)"
    r"\s*\{"
)
_ENVIRONMENT = re.compile(r"\.\s*WithEnvironment\s*\(\s*(?:\"([^\"]+)\"|(\w+))\s*,\s*(\w+)\s*\)")
_CONSTANT = r"\bconst\s+string\s+{}\s*=\s*\"([^\"]*)\""
_RETURN = re.compile(r"\breturn\s+(\w+)\s*\.\s*GetEndpoint\s*\(\s*\"([^\"]+)\"\s*\)")
_ADDED = r"\b{}\s*=\s*{}\s*\.\s*Add\w+\s*(?:<[^>]*>)?\s*\(\s*(?:name\s*:\s*)?\"([^\"]+)\""


@dataclass(frozen=True, slots=True)
class EnvMethod:
    """A resource method's env: (variable name, the index of the parameter it is given)."""

    name: str
    env: tuple[tuple[str, int], ...]


def env_methods(code: str) -> list[EnvMethod]:
    """The resource methods of a file (its text, comments blanked) that set env from one of
    their parameters."""
    found: list[EnvMethod] = []
    for match in _RESOURCE_METHOD.finditer(code):
        body = _body(code, match.end(), match.group(3))
        parameters = [p.split()[-1] for p in match.group(2).split(",") if p.strip()]
        env: list[tuple[str, int]] = []
        for set_env in _ENVIRONMENT.finditer(body):
            literal, constant, argument = set_env.groups()
            name = literal or _constant(code, constant)
            if name is not None and argument in parameters:
                env.append((name, parameters.index(argument)))
        if env:
            found.append(EnvMethod(match.group(1), tuple(env)))
    return found


def endpoint_methods(code: str) -> dict[str, tuple[str, str]]:
    """Builder method name → (the resource it adds, the endpoint name it returns), of a
    file's text with comments blanked."""
    found: dict[str, tuple[str, str]] = {}
    for match in _BUILDER_METHOD.finditer(code):
        body = _body(code, match.end(), "{")
        returned = _RETURN.search(body)
        if returned is None:
            continue
        pattern = _ADDED.format(re.escape(returned.group(1)), re.escape(match.group(2)))
        added = re.search(pattern, body)
        if added is not None:
            found[match.group(1)] = (added.group(1), returned.group(2))
    return found


def _body(code: str, start: int, opener: str) -> str:
    """A method's body: to its closing brace, or an expression body to its ``;``."""
    if opener == "=>":
        end = code.find(";", start)
        return code[start : end if end >= 0 else len(code)]
    depth, end = 1, start
    while end < len(code) and depth:
        depth += {"{": 1, "}": -1}.get(code[end], 0)
        end += 1
    return code[start:end]


def _constant(code: str, name: str | None) -> str | None:
    if name is None:
        return None
    found = re.search(_CONSTANT.format(re.escape(name)), code)
    return found.group(1) if found is not None else None
