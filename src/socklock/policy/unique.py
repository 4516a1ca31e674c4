"""Policy objects parsed one by one, each name in force once.

Every policy flavour validates its objects the same way: an object with errors is left out
and its diagnostics reported; an object whose identity (kind, namespace, name) was already
seen is reported as defined twice and left out, because only one of them can be in force.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Protocol, TypeVar

from socklock.model import Diagnostic, K8sObject, Location


class Parsed(Protocol):
    @property
    def location(self) -> Location: ...


P = TypeVar("P", bound=Parsed)


def parse_unique(
    objects: Iterable[K8sObject],
    parse: Callable[[K8sObject], P | tuple[Diagnostic, ...]],
    identity: Callable[[P], Hashable],
    describe: Callable[[P], str],
) -> tuple[list[P], list[Diagnostic]]:
    """The objects ``parse`` accepts, first definition of each ``identity`` only, and the
    diagnostics: ``parse``'s own and one "defined twice" per repeated identity (its text
    starts with ``describe(parsed)``)."""
    accepted: list[P] = []
    diagnostics: list[Diagnostic] = []
    seen: dict[Hashable, Location] = {}
    for obj in objects:
        parsed = parse(obj)
        if isinstance(parsed, tuple):
            diagnostics.extend(parsed)
            continue
        key = identity(parsed)
        if key in seen:
            diagnostics.append(
                Diagnostic(
                    parsed.location,
                    f"{describe(parsed)}: defined twice (also at {seen[key]}); "
                    "only one can be in force",
                )
            )
            continue
        seen[key] = parsed.location
        accepted.append(parsed)
    return accepted, diagnostics
