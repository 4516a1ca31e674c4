"""Grafana Alloy (and Grafana Agent flow mode) configs, ``*.alloy``/``*.river``: the
components that dial out.

``prometheus.scrape`` and ``pyroscope.scrape`` pull from the ``__address__`` of each of
their ``targets``; the ``*.write`` components and ``prometheus.remote_write`` push to
their ``endpoint { url }``; the Collector exporters inside Alloy push to their
``client { endpoint }``. Values are evaluated as far as they are known before run time:
literals, ``env("X")`` from the container's env, and ``json_decode``/``json_path`` of a
``local.file`` the config reads (a file mounted or copied beside it). Targets from
``discovery.*`` components are found at run time and reported as unknown. Receivers
(``otelcol.receiver.*``, ``loki.source.api``, ``pyroscope.receive_http``...) listen and
call nobody.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from pathlib import PurePosixPath

from socklock.discover.infra.river import (
    Access,
    Array,
    Attribute,
    Block,
    Evaluator,
    Expr,
    Index,
    Literal,
    Object,
    Operation,
    RiverError,
    Unresolved,
    parse,
    walk,
)
from socklock.discover.infra.values import address
from socklock.discover.proxies.interface import Found, Source, Unknown
from socklock.model import Location

# component → (the block path to the address attribute, the attribute, the scheme a bare
# address speaks); "" is the component's own body.
_DIALS: dict[str, tuple[str, str, str | None]] = {
    "prometheus.remote_write": ("endpoint", "url", "http"),
    "loki.write": ("endpoint", "url", "http"),
    "pyroscope.write": ("endpoint", "url", "http"),
    "otelcol.exporter.otlp": ("client", "endpoint", None),
    "otelcol.exporter.otlphttp": ("client", "endpoint", "http"),
    "otelcol.exporter.zipkin": ("", "endpoint", "http"),
    "otelcol.exporter.kafka": ("", "brokers", "kafka"),
    "loki.source.kafka": ("", "brokers", "kafka"),
}
# components whose ``targets`` are scraped at their ``__address__``
_SCRAPERS = frozenset({"prometheus.scrape", "pyroscope.scrape"})


class AlloyReader:
    name = "alloy"
    include_marker = "local.file"  # files the config reads: passed to ``read`` with it

    def claims(self, name: str, text: str) -> bool:
        return name.lower().endswith((".alloy", ".river"))

    def includes(self, source: Source) -> list[str]:
        """The files ``local.file`` components read, when written as literals."""
        try:
            statements = parse(source.text)
        except RiverError:
            return []
        found = []
        for block in walk(statements):
            filename = block.attribute("filename") if block.name == "local.file" else None
            if filename is not None and isinstance(filename.value, Literal):
                found.append(str(filename.value.value))
        return found

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            if not self.claims(source.file, source.text):
                continue  # a file a config reads, not a config
            try:
                statements = parse(source.text)
            except RiverError as error:
                location = Location(source.file, error.line + source.line_offset, error.column)
                yield Unknown(location, "Alloy config", f"syntax error: {error}")
                continue
            evaluator = Evaluator(env, _local_files(source, statements, sources, env).get)
            for block in walk(statements):
                if block.name in _SCRAPERS:
                    yield from _scrape(source, block, evaluator, env)
                elif block.name in _DIALS:
                    yield from _dial(source, block, evaluator, env)


def _local_files(
    source: Source,
    statements: tuple[Attribute | Block, ...],
    sources: Sequence[Source],
    env: Mapping[str, str],
) -> Mapping[str, str | None]:
    """``local.file`` label → the text of the file it reads, when that file is among the
    sources (where the workload sees it, or beside the config)."""
    plain = Evaluator(env, lambda _label: None)
    contents: dict[str, str | None] = {}
    for block in walk(statements):
        filename = block.attribute("filename") if block.name == "local.file" else None
        if filename is None or block.label is None:
            continue
        try:
            path = plain.value(filename.value)
        except Unresolved:
            contents[block.label] = None
            continue
        contents[block.label] = _text_at(str(path), source, sources)
    return contents


def _text_at(path: str, config: Source, sources: Sequence[Source]) -> str | None:
    for other in sources:
        if other.container and other.container == path:
            return other.text
    if config.container and not PurePosixPath(path).is_absolute():
        seen = str(PurePosixPath(config.container).parent / path)
        return next((o.text for o in sources if o.container == seen), None)
    return None


def _where(source: Source, expression: Expr) -> Location:
    """Where an expression starts (``json_path(...)[0]``: at ``json_path``)."""
    while isinstance(expression, Access | Index | Operation):
        expression = (
            expression.value if not isinstance(expression, Operation) else expression.operands[0]
        )
    return Location(source.file, expression.line + source.line_offset, expression.column)


def _scrape(
    source: Source, block: Block, evaluator: Evaluator, env: Mapping[str, str]
) -> Iterator[Found]:
    label = f"{block.name} {block.label or ''}".rstrip()
    targets = block.attribute("targets")
    if targets is None:
        return
    scheme = "http"
    if (written := block.attribute("scheme")) is not None:
        with suppress(Unresolved):  # a computed scheme: the default
            scheme = str(evaluator.value(written.value))
    # a written list is evaluated target by target; a computed one answers for all of it
    expressions = targets.value.items if isinstance(targets.value, Array) else (targets.value,)
    for expression in expressions:
        try:
            value = evaluator.value(expression)
        except Unresolved as why:
            yield Unknown(_where(source, expression), f"Alloy {label} targets", str(why))
            continue
        for target in value if isinstance(value, list) else [value]:
            host = target.get("__address__") if isinstance(target, Mapping) else None
            if host is None:
                continue
            location = _where(source, _address_expression(expression))
            yield from address(location, host, {}, f"Alloy {label} target", default_scheme=scheme)


def _address_expression(expression: Expr) -> Expr:
    """The ``__address__`` value of a target written as an object, else the target."""
    if isinstance(expression, Object):
        for key, value in expression.fields:
            if key == "__address__":
                return value
    return expression


def _dial(
    source: Source, block: Block, evaluator: Evaluator, env: Mapping[str, str]
) -> Iterator[Found]:
    path, name, scheme = _DIALS[block.name]
    holders = block.blocks(path) if path else [block]
    label = f"{block.name} {block.label or ''}".rstrip()
    for holder in holders:
        attribute = holder.attribute(name)
        if attribute is None:
            continue
        where = _where(source, attribute.value)
        try:
            value = evaluator.value(attribute.value)
        except Unresolved as why:
            yield Unknown(where, f"Alloy {label} {name}", str(why))
            continue
        for one in value if isinstance(value, list) else [value]:
            yield from address(where, one, {}, f"Alloy {label} {name}", default_scheme=scheme)
