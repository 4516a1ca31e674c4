"""What every infrastructure-config reader shares: YAML with line numbers, the ``${VAR}``
forms these programs expand from their environment, and an address value turned into the
:class:`Upstream` (or :class:`Unknown`) that the proxies' join resolves from the workload."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from socklock.discover.addresses import find_targets, redact_credentials
from socklock.discover.proxies.envsubst import fill
from socklock.discover.proxies.interface import Found, Source, Unknown, Upstream, unset_reason
from socklock.model import EvidenceKind, Location
from socklock.model.document import position_of

# ``${env:NAME}``, ``${NAME}``, with an optional ``:-default`` (the Collector's and the
# OpenTelemetry SDK config's forms); ``$$`` is a literal dollar.
_REFERENCE = re.compile(r"\$\$|\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)


def top_keys(text: str) -> set[str]:
    """The keys written at the top level of a YAML text (column 0), cheaply, for claims."""
    return set(_TOP_KEY.findall(text))


def documents(source: Source, env: Mapping[str, str]) -> Iterator[Any]:
    """The YAML (or JSON) documents of a source that are mappings; an envsubst template is
    filled first, as the container's entrypoint does."""
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.yamlread import Document, load_json, load_yaml

    text = fill(source.text, env)[0] if source.template else source.text
    loader = load_json if source.file.endswith(".json") and not source.line_offset else load_yaml
    for document in loader(text, source.file, DEFAULT_LIMITS):
        if isinstance(document, Document) and isinstance(document.value, Mapping):
            yield document.value


def expand(value: str, env: Mapping[str, str]) -> tuple[str, list[str]]:
    """``value`` with ``${env:X}``/``${X}``/``${X:-default}`` filled from ``env``, and the
    names that are neither set nor defaulted."""
    unset: list[str] = []

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, default = match.group(1), match.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        unset.append(name)
        return match.group(0)

    return _REFERENCE.sub(one, value), unset


def where(source: Source, node: Any, key: str | int, written: str) -> Location:
    """The position of ``node[key]`` in the file the source is written in."""
    line, column = position_of(node, key)
    if source.line_offset or not column:
        return source.where(line, written)
    return Location(source.file, line, column)


def address(
    location: Location,
    value: object,
    env: Mapping[str, str],
    label: str,
    *,
    default_scheme: str | None = None,
    name_hint: str | None = None,
    default_port: int | None = None,
) -> Iterator[Found]:
    """The addresses a config value names (a URL, ``host:port``, a comma-separated list,
    a connection string), with ``label`` saying what names them; an unset ``${VAR}`` is
    reported, not dropped. A bare host counts when ``name_hint`` says the value holds one;
    ``default_port`` is the port the program uses when none is written."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return
    written = str(value).strip()
    if not written:
        return
    filled, unset = expand(written, env)
    expression = f"{label} {redact_credentials(written)}"
    if unset:
        yield Unknown(location, expression, unset_reason(unset))
        return
    text = filled if "://" in filled or default_scheme is None else f"{default_scheme}://{filled}"
    via = f" ({redact_credentials(filled)})" if filled != written else ""
    for target in find_targets(text, name_hint=name_hint):
        yield Upstream(
            target.host.lower(),
            target.port if target.port is not None else default_port,
            target.scheme,
            location,
            f"{expression}{via}",
            target.protocol,
            evidence=EvidenceKind.CONFIG,
        )
