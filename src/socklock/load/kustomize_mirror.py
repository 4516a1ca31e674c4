"""A kustomization rendered with the env templates a new clone has in place of its ``.env``.

A ``secretGenerator``/``configMapGenerator`` that names ``.env`` (kept out of git) makes
``kubectl kustomize`` fail on a new clone, although the repository commits the template
its README says to copy (``.env.example``; the rule of :mod:`.env_templates`, the one
compose uses). The kustomization and every file it reads are copied to a temporary
directory, keeping their layout, with each template copied to the name the generator
gives; that copy is rendered. The user's tree is never written.
"""

# ruff: noqa: PTH103, PTH113, PTH202, PTH118, PTH120
# (string paths, as the kustomization reader gives them)

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from socklock.load.kustomize import Kustomization


def stand_ins(tree: Sequence[Kustomization]) -> tuple[tuple[str, str], ...]:
    """(missing file, template read in its place) of every kustomization of ``tree``."""
    return tuple(pair for k in tree for pair in k.stand_ins)


def _sources(tree: Sequence[Kustomization]) -> dict[str, str]:
    """Where each file of the copy comes from (a template for a missing env file)."""
    copies = dict.fromkeys(
        f for k in tree for f in (k.own_file, *sorted(k.reads)) if os.path.isfile(f)
    )
    return {**{f: f for f in copies}, **dict(stand_ins(tree))}


def copied_bytes(tree: Sequence[Kustomization]) -> int:
    """How much the copy would hold (held to the limit of one input)."""
    return sum(os.path.getsize(source) for source in _sources(tree).values())


@contextmanager
def mirrored(tree: Sequence[Kustomization], directory: str) -> Iterator[str]:
    """The copy of ``directory``'s kustomization (``tree``: it and what it builds on) with
    the templates in place, as a directory to render; removed afterwards."""
    sources = _sources(tree)
    top = os.path.commonpath([directory, *sources])
    with tempfile.TemporaryDirectory(prefix="socklock-kustomize-") as temporary:
        for target, source in sources.items():
            place = os.path.join(temporary, os.path.relpath(target, top))
            os.makedirs(os.path.dirname(place), exist_ok=True)
            shutil.copyfile(source, place)
        yield os.path.join(temporary, os.path.relpath(directory, top))
