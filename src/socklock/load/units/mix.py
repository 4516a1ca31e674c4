"""Mix projects that run a service: a ``mix.exs`` whose ``application`` starts a supervision
tree (``mod: {Shop.Application, []}``), the OTP application ``mix run``, ``iex -S mix``
and a release start.

A library (no ``mod:``) starts nothing of its own, and an umbrella's root (``apps_path:``)
builds none: its apps under ``apps/`` are units of their own. Identity: the ``app:`` name
of ``project`` (``app: :shop_api``), else the directory's. Dependencies: the packages the
file lists (``{:amqp, "~> 3.0"}``).
"""

from __future__ import annotations

import re

from socklock.load.units.tree import Tree, read
from socklock.load.units.unit import make_unit
from socklock.model import BuildUnit, Diagnostic

BUILD_FILE = "mix.exs"
_APP = re.compile(r"\bapp:\s*:([a-z_][a-zA-Z0-9_]*)")
_MOD = re.compile(r"\bmod:\s*\{")
_UMBRELLA = re.compile(r"\bapps_path:")
_DEPENDENCY = re.compile(r"\{\s*:([a-z_][a-zA-Z0-9_]*)\s*,")


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    units: list[BuildUnit] = []
    for directory in sorted(tree.files):
        if not tree.has(directory, BUILD_FILE):
            continue
        text = _code(read(directory / BUILD_FILE) or "")
        if _UMBRELLA.search(text) or not _MOD.search(text):
            continue
        app = _APP.search(text)
        name = app.group(1) if app else directory.name
        dependencies = tuple(sorted(set(_DEPENDENCY.findall(text))))
        units.append(
            make_unit(
                "mix",
                directory,
                name,
                directory / BUILD_FILE,
                tree,
                names=(name.replace("_", "-"),),
                dependencies=dependencies,
            )
        )
    return units


def _code(text: str) -> str:
    """The file without its comments (``# mod: {...}`` starts nothing)."""
    return re.sub(r"#[^\n]*", "", text)
