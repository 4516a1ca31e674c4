""".NET classes a project sees: its own ``.cs`` files and those of the projects it
references (``<ProjectReference>``, transitively).

An options class (``ServiceUrlsOptions`` with its ``SectionName`` constant and its property
defaults) often lives in a shared library project; the service that binds and reads it only
references that project. Looked up by file name (``ServiceUrlsOptions.cs``), as the
project-local lookups of :mod:`socklock.discover.code.options` do.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_PROJECT_REFERENCE = re.compile(r"""<ProjectReference\s+Include\s*=\s*["']([^"']+)["']""")
_MAX_PROJECTS = 64  # a bound on the references followed from one project


def project_file(directory: Path) -> Path | None:
    """The ``.csproj`` of the nearest ancestor that has one."""
    for base in (directory, *directory.parents):
        try:
            found = sorted(p for p in base.iterdir() if p.suffix == ".csproj")
        except OSError:
            continue
        if found:
            return found[0]
    return None


@lru_cache(maxsize=64)
def referenced_projects(directory: Path) -> tuple[Path, ...]:
    """The directories of the projects the project around ``directory`` references,
    directly or through others (its own directory not among them)."""
    own = project_file(directory)
    if own is None:
        return ()
    seen: list[Path] = []
    pending = [own]
    while pending and len(seen) < _MAX_PROJECTS:
        current = pending.pop()
        try:
            text = current.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for match in _PROJECT_REFERENCE.finditer(text):
            referenced = (current.parent / match.group(1).replace("\\", "/")).resolve()
            if referenced.is_file() and referenced.parent not in seen and referenced != own:
                seen.append(referenced.parent)
                pending.append(referenced)
    return tuple(seen)


def class_files(directory: Path, class_name: str) -> tuple[str, ...]:
    """The files named ``<class_name>.cs`` in the projects the project around ``directory``
    references (its own files are the caller's: ``project_files``)."""
    from socklock.discover.code.imports import project_files

    found: list[str] = []
    for project in referenced_projects(directory.resolve()):
        found.extend(project_files(project, ".csproj", ".cs").get(class_name + ".cs", ()))
    return tuple(found)
