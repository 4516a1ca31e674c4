"""Which env vars a workload's code reads: an env value it gets but never reads is not a call.

A shared ConfigMap through ``envFrom`` or one ``.env`` for every service hands each
workload the addresses of all the others; only the ones its code (or an SDK it uses, by
convention) reads are its calls. A workload whose code is not in the input keeps every
env value as a call, marked manifest-only.
"""

from __future__ import annotations

import re
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

    def reads_in_code(self, workload: str, name: str) -> bool:
        """Whether the workload's code (its source or config files) reads env var ``name``,
        or its framework binds it to a property."""
        if _normal(name) in self.names.get(workload, ()):
            return True
        return any(row.binds(name) for row in self.bindings.get(workload, ()))


def reads_env_value(reads: CodeReads, workload: str, name: str) -> bool:
    """Whether env var ``name`` handed to ``workload`` is one of its calls: its code reads
    the variable, or an SDK it may use reads it by convention, or the input has no code of
    the workload to tell (as for a manifest's env, :func:`manifests.env_evidence`)."""
    from socklock.discover.conventions import convention_for

    if not reads.has_code(workload) or reads.reads_in_code(workload, name):
        return True
    convention = convention_for(name)
    return convention is not None and convention.implicit
