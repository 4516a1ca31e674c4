"""Published ports should be bound to a specific host address.

## What it does
Checks `ports` entries that publish a port without a host address (or with `0.0.0.0` or
`::`): those listen on every interface of the host.

## Why is this bad?
Docker inserts its own firewall rules for published ports, ahead of the host's firewall:
a port published on all interfaces is reachable from every network the host is on.

## Example
```yaml
ports:
  - "8079:8080"
```
Use instead:
```yaml
ports:
  - "127.0.0.1:8079:8080"
```

An entry written with variables (`"${PORT:-8080}:80"`) is checked as compose reads it, with
the values of the project's `.env` and the defaults; the fix adds `127.0.0.1:` to the entry
as written, variables kept. When the host address itself comes from a variable
(`"${BIND:-0.0.0.0}:80:80"`, `host_ip: ${BIND}`), or a variable's value changes the
entry's layout (`PORT=0.0.0.0:8080`), no fix is offered: the message says which variable
decides, and it is set where it is defined.

## Fix safety
Unsafe: the fix binds the port to 127.0.0.1; other machines can no longer reach it (put a
reverse proxy in front, or bind the address of the interface meant to serve).

## References
- CIS Docker Benchmark 1.6.0, 5.14: ensure that incoming container traffic is bound to a
  specific host interface.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from socklock.harden.context import Context
from socklock.harden.rule import ComposeRule, Reference, yaml_fix
from socklock.harden.written import after_key, masked, read_lines, scalar_at
from socklock.model import Applicability, ComposeService, Finding, PublishedPort, Severity

ANY = (None, "", "0.0.0.0", "::", "[::]")
LOOPBACK = "127.0.0.1"


class ComposePortAllInterfaces(ComposeRule):
    id = "SLK409"
    name = "compose-port-all-interfaces"
    title = "Published ports should bind a specific host address"
    severity = Severity.MEDIUM
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "5.14",
            "Ensure that incoming container traffic is bound to a specific host interface",
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def __init__(self) -> None:
        self._texts: dict[str, list[str] | None] = {}  # compose files' lines, read once a run

    def check(self, service: ComposeService, ctx: Context) -> Iterator[Finding]:
        raw = service.body.get("ports")
        if not isinstance(raw, list):
            return
        published = {p.location.line: p for p in service.ports}
        for index, entry in enumerate(raw):
            line, column = raw.item_positions[index] if hasattr(raw, "item_positions") else (0, 0)
            port = published.get(line)
            if port is None or port.host_ip not in ANY:
                continue
            why_not = None  # a variable that decides the address: no fix, the reason shown
            edit: tuple[tuple[str | int, ...], str, Any] | None
            if isinstance(entry, dict):
                shown = f"{port.published or ''}:{port.target}"
                written = self._written(service, entry, "host_ip")
                if written is not None and "$" in written:
                    why_not = (
                        f"its host_ip is {written}: set that to {LOOPBACK} where it is defined"
                    )
                    edit = None
                else:
                    edit = (("ports", index, "host_ip"), "set", LOOPBACK)
            else:
                shown = str(entry)
                edit, why_not = self._short_edit(service, str(entry), port, line, column)
            fix = (
                yaml_fix(
                    service,
                    Applicability.UNSAFE,
                    "bind the published port to 127.0.0.1",
                    [edit],
                    "other machines can no longer reach the port",
                )
                if edit is not None
                else None
            )
            message = f"service {service.name!r} publishes {shown} on every host interface"
            if why_not is not None:
                message += f" ({why_not})"
            yield self.compose_finding(
                service,
                ("ports", index),
                message,
                fix,
                stable_path=f"ports[{port.target}/{port.protocol}]",
            )

    def _short_edit(
        self, service: ComposeService, entry: str, port: PublishedPort, line: int, column: int
    ) -> tuple[tuple[tuple[str | int, ...], str, Any] | None, str | None]:
        """The edit of a ``HOST:CONTAINER`` entry, made on the text as written (variables
        kept); or why there is none."""
        text = self._source(service.location.file)
        written = scalar_at(text, line, column) if text is not None else None
        if written is None or "$" not in written:
            written = entry  # as written (the loader's value when it has no variable)
        else:
            shape = masked(written)
            own_ip, rest = _split_ip(shape) if shape is not None else (None, None)
            substituted_ip, _ = _split_ip(entry)
            if shape is None or rest is None:
                return None, f"{written} cannot be read as HOST:CONTAINER: bind it by hand"
            if (own_ip is None) != (substituted_ip is None) or shape.count(":") != entry.count(":"):
                return None, f"the variables of {written} change its layout: bind it by hand"
            if own_ip is not None and "V" in own_ip:
                variable = written[: len(own_ip)]
                return (
                    None,
                    f"its host address is {variable}: set that to {LOOPBACK} where it is defined",
                )
            tail = written[len(own_ip) + 1 :] if own_ip is not None else written
            if port.published is None and tail.count(":") == 0 and own_ip is None:
                tail = f":{tail}"
            edit = (("ports",), "replace", (written, f"{LOOPBACK}:{tail}"))
            host_port = tail[: rest.index(":")] if ":" in rest else ""
            if not port.published and "$" in host_port:  # unknown here: fail closed
                return edit, f"its host port {host_port} is unset or empty here"
            return edit, None
        for prefix in ("0.0.0.0:", "[::]:", ":::"):
            if written.startswith(prefix):
                written = written[len(prefix) :]
                break
        if port.published is None:  # ``9200``: a host port Docker picks, kept so
            written = f":{written}"  # (``127.0.0.1:9200`` would read as HOST:CONTAINER)
        return (("ports",), "replace", (entry, f"{LOOPBACK}:{written}")), None

    def _written(self, service: ComposeService, entry: dict[str, Any], key: str) -> str | None:
        """A long-syntax entry's ``key`` as the file writes it (None: not written or unread)."""
        where = entry.key_position(key) if hasattr(entry, "key_position") else None
        text = self._source(service.location.file)
        if where is None or text is None:
            return None
        return after_key(text, *where)

    def _source(self, file: str) -> list[str] | None:
        if file not in self._texts:
            self._texts[file] = read_lines(file)
        return self._texts[file]


def _split_ip(entry: str) -> tuple[str | None, str | None]:
    """(host address part, the rest) of a short ``ports`` entry; (None, entry) without one;
    (None, None) when it is not ``[IP:][HOST:]CONTAINER[/PROTO]``."""
    if entry.startswith("["):
        close = entry.find("]:")
        return (entry[: close + 1], entry[close + 2 :]) if close > 0 else (None, None)
    parts = entry.split(":")
    if len(parts) > 3:
        return None, None
    if len(parts) == 3:
        return parts[0], ":".join(parts[1:])
    return None, entry
