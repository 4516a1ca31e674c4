"""The port every proxy-config reader plugs into: config text in, upstream addresses out.

A reader gets every config text of one kind that one workload runs (an nginx instance's
main file, its includes and templates together, since an ``upstream`` named in one file is
used from another) with the env that workload receives, and yields the addresses the proxy
sends requests to, or the reason an address could not be known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from socklock.discover.once import per_run
from socklock.model import EvidenceKind, Location


@dataclass(frozen=True, slots=True)
class Source:
    """One config text. ``file`` is where it is written; text embedded in a manifest (a
    ConfigMap value) starts ``line_offset`` lines below the top of that file."""

    file: str
    text: str
    template: bool = False  # an envsubst template: ``${VAR}`` is filled from the env
    line_offset: int = 0
    origin: str = ""  # "ConfigMap shop/nginx key nginx.conf", for evidence
    container: str = ""  # the path the workload sees it at, when a mount says it
    original: str = ""  # a filled template's text as written (``text`` is the filled one)
    _lines: list[str] = field(default_factory=list, compare=False, repr=False)

    def where(self, line: int, word: str) -> Location:
        """The position of ``word`` on ``line`` of the text (1-based), in the real file."""
        if not self._lines:
            self._lines.extend(
                _file_lines(self.file) if self.line_offset else self.text.split("\n")
            )
        real = line + self.line_offset
        text = self._lines[real - 1] if 0 < real <= len(self._lines) else ""
        match = re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w-])", text) if word else None
        return Location(self.file, real, match.start() + 1 if match else 1)


@per_run  # every ConfigMap value of one manifest file reads the same lines
def _file_lines(path: str) -> tuple[str, ...]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:  # noqa: PTH123
            return tuple(handle.read().split("\n"))
    except OSError:
        return ()


@dataclass(frozen=True, slots=True)
class Upstream:
    """An address the proxy sends requests to, as the config names it."""

    host: str
    port: int | None  # None: not written and no default applies
    scheme: str | None
    location: Location
    detail: str  # "proxy_pass http://api → upstream api: server api:8080"
    protocol: str = "TCP"
    evidence: EvidenceKind = EvidenceKind.PROXY  # CONFIG: a server's own config file
    service: str | None = None  # ``host`` is a name in this registry (``dapr``: an app-id)


@dataclass(frozen=True, slots=True)
class Unknown:
    """A proxy target whose address cannot be known statically, with the reason."""

    location: Location
    expression: str
    reason: str


Found = Upstream | Unknown


def items(value: object) -> list[Any]:
    """``value`` when it is a list, else nothing: a field of the wrong type is skipped."""
    return value if isinstance(value, list) else []


def unset_reason(names: Iterable[str]) -> str:
    """Why a template's address is unknown: the env it needs is nowhere in the input."""
    return (
        f"env {', '.join(dict.fromkeys(names))} is not set for the workload by any manifest "
        "or its image's ENV"
    )


class ProxyReader(Protocol):
    """One kind of proxy configuration (nginx, Envoy)."""

    name: str

    def claims(self, name: str, text: str) -> bool:
        """Whether a file called ``name`` holding ``text`` is this kind of config."""
        ...

    def includes(self, source: Source) -> list[str]:
        """File patterns ``source`` pulls in (nginx ``include``), as written."""
        ...

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        """The upstreams of one proxy instance configured by ``sources``."""
        ...


@runtime_checkable
class SelectingReader(Protocol):
    """A reader whose program loads only the files its command line names, in that order
    (the OpenTelemetry Collector's ``--config`` flags, merged one over the other)."""

    def select(self, sources: Sequence[Source], args: Sequence[str]) -> list[Source]:
        """The ``sources`` that ``args`` load, in load order."""
        ...
