"""Which env vars a workload's code reads: an env value it gets but never reads is not a call.

A shared ConfigMap through ``envFrom`` or one ``.env`` for every service hands each
workload the addresses of all the others; only the ones its code (or an SDK it uses, by
convention) reads are its calls. A workload whose code is not in the input keeps every
env value as a call, marked manifest-only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socklock.discover.framework_env import FrameworkEnv

_NOT_NAME = re.compile(r"[^A-Z0-9]")
MANIFEST_ONLY = "manifest-only: the input has no code of this workload"


def _normal(name: str) -> str:
    """Spring's relaxed binding: ``catalogue.url``, ``CATALOGUE_URL``, ``catalogueUrl`` meet."""
    return _NOT_NAME.sub("", name.upper())


@dataclass(slots=True)
class CodeReads:
    """Workloads with source code in the input, and the env names that code reads."""

    with_code: set[str] = field(default_factory=set)
    names: dict[str, set[str]] = field(default_factory=dict)
    # the Azure Storage services each workload's build has clients of (none: unknown)
    storage: dict[str, frozenset[str]] = field(default_factory=dict)

    def add_code(self, workload: str) -> None:
        self.with_code.add(workload)

    def add_read(self, workload: str, name: str) -> None:
        self.names.setdefault(workload, set()).add(_normal(name))

    def has_code(self, workload: str) -> bool:
        return workload in self.with_code

    # workload → what binds env vars to its framework's properties (framework_env.py)
    bindings: dict[str, tuple[FrameworkEnv, ...]] = field(default_factory=dict)

    # workload → the prefixes of the env vars its code reads every one of (a settings layer
    # that reads ``PREFIX + setting``: ``os.environ.get(f"MAYAN_{name}")``)
    prefixes: dict[str, set[str]] = field(default_factory=dict)

    def add_prefix(self, workload: str, prefix: str) -> None:
        self.prefixes.setdefault(workload, set()).add(prefix.upper())

    def reads_in_code(self, workload: str, name: str) -> bool:
        """Whether the workload's code (its source or config files) reads env var ``name``,
        or its framework binds it to a property."""
        if _normal(name) in self.names.get(workload, ()):
            return True
        upper = name.upper()
        if any(upper.startswith(p) and upper != p for p in self.prefixes.get(workload, ())):
            return True
        return any(row.binds(name) for row in self.bindings.get(workload, ()))


def env_read(
    reads: CodeReads, workload: str, name: str, env: Mapping[str, str] | None = None
) -> str | None:
    """Whether env var ``name`` handed to ``workload`` is one of its calls, and why: ``""``
    when its code reads the variable (or the input has no code of the workload to tell: then
    the note that the call is manifest-only), a note naming the SDK that reads it by
    convention, or the note that its value is the workload's own config document; None when
    its code ignores it. ``env``: the workload's other variables, for the rows a switch turns
    on and the documents (the one decision for a manifest's env,
    :func:`manifests.env_evidence`, and a shared ``.env``'s values)."""
    from socklock.discover.conventions import convention_for, switched_rows

    if not reads.has_code(workload):
        return f" [{MANIFEST_ONLY}]"
    if reads.reads_in_code(workload, name):
        return ""
    if env is not None and _is_document(env.get(name)):
        return " (the workload's own config document: read whole)"
    convention = convention_for(name)
    if convention is None and env is not None:
        convention = next(iter(switched_rows(name, env.get)), None)
    if convention is None or not convention.implicit:
        return None  # an SDK built in code only: its code names it (code/sdk_uses.py)
    return f" (read by {convention.sdk}, by convention)"


def _is_document(value: str | None) -> bool:
    from socklock.discover.code.config_files import document_addresses

    return value is not None and bool(document_addresses(value))
