"""The HOCON files Lightbend Config loads besides ``application.conf``: the ones it includes.

Akka and Play applications split their config into fragments (``kafka.conf``,
``persistence.conf``) that ``application.conf`` pulls in with ``include "kafka"``; a file
that itself includes ``"application"`` is a whole config of its own, chosen at start with
``-Dconfig.resource=local.conf`` (the layout Lightbend's guides use for a local run), and
its includes are loaded with it. A ``.conf`` beside them that nothing includes is not
loaded (a commented-out ``#include "persistence"`` leaves its database out), and a ``.conf``
of another program (an nginx or JAAS file) is never read as HOCON by being near them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path, PurePath

from socklock.discover.code.includes import read_bounded

# ``include "x"``, ``include "x.conf"``, ``include required(classpath("x"))``, ``file("x")``
_INCLUDE = re.compile(
    rb'^[ \t]*include[ \t]+(?:required\([ \t]*)?(?:(?:classpath|file)\([ \t]*)?"([^"]+)"',
    re.MULTILINE,
)
_ROOTS = ("application.conf", "reference.conf")
MAX_FILES = 200  # .conf files of one directory looked at


def beside_application(path: PurePath) -> bool:
    """Whether ``path`` is a ``.conf`` file in a directory with an ``application.conf`` or
    ``reference.conf`` (a candidate, read only when :func:`loaded` says so)."""
    return path.suffix.lower() == ".conf" and any(
        Path(path.parent, root).is_file() for root in _ROOTS
    )


def loaded(path: str) -> bool:
    """Whether Lightbend Config loads the ``.conf`` file ``path``: included, directly or
    through other files, by ``application.conf``, ``reference.conf`` or a file that includes
    ``"application"``, or being such a file."""
    file = Path(path)
    return file.name in _loaded_in(str(file.parent))


@lru_cache(maxsize=256)
def _loaded_in(directory: str) -> frozenset[str]:
    folder = Path(directory)
    try:
        names = sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".conf")
    except OSError:
        return frozenset()
    includes = {name: _includes(folder / name) for name in names[:MAX_FILES]}
    roots = [n for n in names if n in _ROOTS or "application.conf" in includes.get(n, ())]
    found: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in found or name not in includes:
            continue
        found.add(name)
        pending.extend(includes[name])
    return frozenset(found)


def _includes(file: Path) -> tuple[str, ...]:
    """The file names (in its own directory) a HOCON file includes; ``"x"`` is ``x.conf``."""
    out: list[str] = []
    for match in _INCLUDE.finditer(read_bounded(file)):
        name = match.group(1).decode("utf-8", "replace")
        if "/" not in name:  # a file of another directory is not looked for
            out.append(name if "." in name else f"{name}.conf")
    return tuple(out)
