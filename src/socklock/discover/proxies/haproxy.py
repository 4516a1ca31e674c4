"""HAProxy (``haproxy.cfg``): ``server`` lines of the backends a frontend uses.

A ``backend`` is a call of the proxy when a ``frontend``, ``listen`` or ``defaults`` section
names it (``default_backend``, ``use_backend``); a ``listen`` section's own servers always
are. A server without a port is reached on the port the client came in on: unknown here.
HAProxy expands ``"${VAR}"`` from its environment when it reads the file, so every config
is filled from the env the workload gets.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from socklock.discover.proxies.envsubst import fill
from socklock.discover.proxies.interface import Found, Source, Unknown, Upstream, unset_reason

_SECTIONS = frozenset(
    {
        "global",
        "defaults",
        "frontend",
        "backend",
        "listen",
        "resolvers",
        "peers",
        "userlist",
        "program",
        "http-errors",
        "ring",
        "cache",
        "mailers",
    }
)
_MARKER = re.compile(r"^\s*(?:frontend|backend|listen)\s+\S+", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class _Line:
    section: str  # "backend api"
    words: tuple[str, ...]
    number: int
    source: Source


class HAProxyReader:
    name = "haproxy"

    def claims(self, name: str, text: str) -> bool:
        lowered = name.lower()
        return (
            (lowered.endswith(".cfg") or "haproxy" in lowered)
            and bool(_MARKER.search(text))
            and re.search(r"^\s*server\s+\S+\s+\S+", text, re.MULTILINE) is not None
        )

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        lines = [line for source in sources for line in _lines(source)]
        used: dict[str, str] = {}
        for line in lines:
            kind = line.section.split(" ", 1)[0]
            if (
                kind in ("frontend", "listen", "defaults")
                and len(line.words) >= 2
                and line.words[0] in ("default_backend", "use_backend")
            ):
                used.setdefault(line.words[1], f"{line.words[0]} in {line.section}")
        for line in lines:
            kind, _, name = line.section.partition(" ")
            if line.words[0] != "server" or len(line.words) < 3:
                continue
            if kind == "backend" and name not in used:
                continue
            if kind not in ("backend", "listen"):
                continue
            written = line.words[2]
            address, unset = fill(written, env)
            where = line.source.where(line.number, "server")
            expression = " ".join(line.words[:3])
            if unset or "$" in address:
                names = unset or [m.group(1) for m in re.finditer(r"\$\{?(\w+)", address)]
                yield Unknown(where, expression, unset_reason(names))
                continue
            if address.startswith(("unix@", "abns@", "/", "ipv4@127.", "sockpair@")):
                continue
            address = re.sub(r"^(?:ipv4|ipv6|tcp|tcp4|tcp6)@", "", address)
            host, _, port = address.rpartition(":") if ":" in address else (address, "", "")
            number = int(port) if port.isdigit() and 0 < int(port) < 65536 else None
            why = used.get(name, f"listen {name}") if kind == "backend" else line.section
            filled = f" (env: {written} → {address})" if written != address else ""
            yield Upstream(
                host.strip("[]").lower(),
                number,
                None,
                where,
                f"HAProxy {line.section}: {expression}{filled} (used by {why})",
            )


def _lines(source: Source) -> Iterator[_Line]:
    section = ""
    for number, raw in enumerate(source.text.split("\n"), start=1):
        text = raw.split("#", 1)[0] if "#" in raw else raw
        try:
            words = tuple(shlex.split(text, posix=True))
        except ValueError:
            words = tuple(text.split())
        if not words:
            continue
        if words[0] in _SECTIONS:
            section = " ".join(words[:2])
            continue
        if section:
            yield _Line(section, words, number, source)
