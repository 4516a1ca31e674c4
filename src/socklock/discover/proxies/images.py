"""Whether a workload's image holds a config file: its Dockerfile's final stage copies it.

A file inside a build context is only run by that workload when the image takes it in
(``COPY nginx.conf /etc/nginx/``, ``COPY conf/ ...``, ``COPY . .``); an example config
that sits in the same repository for another deployment is not. The build context may be a
directory above the Dockerfile's, so the file is matched relative to each of them.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Sequence
from pathlib import Path

from socklock.model import Dockerfile


def copied_by(path: Path, dockerfiles: Sequence[Dockerfile]) -> bool:
    """True when some final stage copies ``path`` in (from the context, not another stage)."""
    real = path.resolve()
    for dockerfile in dockerfiles:
        directory = Path(dockerfile.path).resolve().parent
        bases = [directory, *directory.parents]
        for instruction in dockerfile.final_stage():
            if instruction.keyword not in ("COPY", "ADD"):
                continue
            for source in _sources(instruction.value):
                if _matches(real, source, bases):
                    return True
    return False


def _sources(value: str) -> list[str]:
    text = value.strip()
    words: list[str]
    if text.startswith("["):
        try:
            words = [str(w) for w in json.loads(text)]
        except ValueError:
            words = text.split()
    else:
        words = text.split()
    if any(w.startswith("--from") for w in words):
        return []  # from another stage or image: not the build context
    words = [w for w in words if not w.startswith("--")]
    return words[:-1]


def _matches(real: Path, source: str, bases: list[Path]) -> bool:
    pattern = source.removeprefix("./").rstrip("/")
    for base in bases:
        if not real.is_relative_to(base):
            continue
        relative = real.relative_to(base).as_posix()
        if pattern in ("", ".", "*"):
            return base == bases[0]  # ``COPY . .`` takes the Dockerfile's own context
        if relative == pattern or relative.startswith(pattern + "/"):
            return True
        if fnmatch.fnmatch(relative, pattern):
            return True
    return False
