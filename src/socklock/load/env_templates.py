"""The template a repository ships for an env file it does not commit.

Repositories keep ``.env`` out of git and commit a template for the user to copy, as their
README says (``cp deploy.env .env``) or their CI does before it starts the stack. A new clone
has only the template: compose would fail or run with empty values, so its values are what
the repository documents. The file a setup step copies to the env file is taken first; then
``.env.example`` and its kin (``env.example``, ``.env.sample``, ``.env-dist``,
``env_template``, ``.env.docker``...) beside it.
A real env file always wins.
"""

# ruff: noqa: PTH100, PTH113, PTH117, PTH118, PTH119, PTH120
# (paths stay the strings the user will see in messages)

from __future__ import annotations

import os
import re
import shlex
from functools import lru_cache
from pathlib import Path

# ``.docker``: after the generic names; a committed ``.env.docker`` is the values the
# repository gives its container setup (its docs say to copy it to ``.env``).
# ``.local``: last; a committed ``.env.local`` beside a missing ``.env`` is the values the
# repository gives a local run (the file is not committed where it is a personal override)
_WORDS = ("example", "sample", "dist", "template", "default", "defaults", "docker", "local")
# ``.env.example`` first, then ``.env-dist`` and ``env_template`` (a hyphen or underscore)
_SUFFIXES = tuple(separator + word for separator in ".-_" for word in _WORDS)
# a template named for development or tests (``.env.dev.example``, ``test.env``): what CI
# copies to run its tests against a local stack, not the deployment's values
_NOT_DEPLOYMENT = frozenset({"dev", "development", "test", "tests", "testing", "ci", "local"})
_READ_AT_MOST = 256 * 1024  # of one README or workflow: setup steps sit near the top
# ``cp [-flags] SOURCE DEST`` (also ``copy``/``mv``), as a README or a CI step writes it
_COPY = re.compile(r"(?:^|[\s`;&|(>$])(?:cp|copy|mv)((?:[ \t]+[^\s;&|`<>()]+){2,})")


def env_template(path: str, top: str | None = None) -> str | None:
    """The committed template of the env file ``path`` when ``path`` itself is missing;
    None when ``path`` exists or no template does.

    First the file a setup command copies to ``path`` (``cp deploy.env .env``) in the
    README or the GitHub workflows of ``path``'s directory or of any directory above it up
    to ``top`` (the input root; only its own directory without one); then ``<name>.example``
    and its kin beside it (also with the word before the extension:
    ``docker-compose.example.env``), and for ``.env`` also ``env.example`` and
    ``example.env``."""
    missing = Path(path)
    if missing.exists():
        return None
    copied = _copied_to(os.path.abspath(path), top)
    if copied is not None:
        return copied
    name = missing.name
    candidates = [name + suffix for suffix in _SUFFIXES]
    stem, dot, extension = name.rpartition(".")
    if stem and dot:  # ``docker-compose.env`` → ``docker-compose.example.env``
        candidates += [stem + suffix + dot + extension for suffix in _SUFFIXES]
    if name == ".env":
        candidates += ["env" + suffix for suffix in _SUFFIXES] + ["example.env", "sample.env"]
    for candidate in candidates:
        found = missing.with_name(candidate)
        if found.is_file():
            return str(found)
    return None


def _copied_to(target: str, top: str | None) -> str | None:
    """The existing file a setup step copies to ``target``, nearest directory first."""
    directory = os.path.realpath(os.path.dirname(target))
    real_target = os.path.join(directory, os.path.basename(target))
    stop = os.path.realpath(top) if top is not None else directory
    if os.path.isfile(stop):
        stop = os.path.dirname(stop)
    if not _inside(directory, stop):
        stop = directory
    while True:
        for source, destination in setup_copies(directory):
            if destination != real_target or _for_development(source):
                continue
            if os.path.isfile(source) and _within(source, stop):
                return _shown(source, target)
        parent = os.path.dirname(directory)
        if directory == stop or parent == directory:
            return None
        directory = parent


def _for_development(source: str) -> bool:
    words = re.split(r"[._-]+", os.path.basename(source).lower())
    return any(word in _NOT_DEPLOYMENT for word in words)


def _inside(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def _within(source: str, top: str) -> bool:
    """A source is read only inside the input (after links): ``cp /etc/passwd .env`` in a
    README must not make a scan read outside what it was given."""
    return _inside(os.path.realpath(source), os.path.realpath(top))


def _shown(source: str, target: str) -> str:
    """``source`` spelled like the path the caller gave (relative stays relative)."""
    return os.path.normpath(source) if os.path.isabs(target) else os.path.relpath(source)


def setup_copies(directory: str) -> tuple[tuple[str, str], ...]:
    """(source, destination) absolute paths of every ``cp SOURCE DEST`` in the READMEs,
    Makefiles (``make setup``) and GitHub workflows of ``directory``, both relative to it
    (where those commands run)."""
    docs = [p for p in _listing(directory) if p.lower().startswith(("readme", "makefile"))]
    docs += [p for p in _listing(directory) if p == "GNUmakefile"]
    paths = [os.path.join(directory, p) for p in sorted(docs)]
    workflows = os.path.join(directory, ".github", "workflows")
    paths += [
        os.path.join(workflows, p)
        for p in sorted(_listing(workflows))
        if p.endswith((".yml", ".yaml"))
    ]
    return tuple(c for path in paths for c in _copies(directory, path, *_signature(path)))


def command_copies(text: str) -> list[tuple[str, str]]:
    """(source, destination) of every ``cp SOURCE DEST`` in shell text, as written (an
    entry-point script's ``cp .env.example .env``); operands with ``$`` or ``*`` are not
    known and left out."""
    found: list[tuple[str, str]] = []
    for match in _COPY.finditer(text):
        operands = [w for w in _words(match.group(1)) if not w.startswith("-")]
        if len(operands) == 2 and not any("$" in w or "*" in w for w in operands):
            found.append((operands[0], operands[1]))
    return found


def _signature(path: str) -> tuple[int, int]:
    """Size and modification time: a file read again is parsed again only if it changed."""
    try:
        status = Path(path).stat()
    except OSError:
        return (-1, -1)
    return (status.st_size, status.st_mtime_ns)


@lru_cache(maxsize=256)
def _copies(directory: str, path: str, size: int, mtime: int) -> tuple[tuple[str, str], ...]:
    del size, mtime  # the cache key only
    return tuple(
        (os.path.normpath(os.path.join(directory, s)), os.path.normpath(os.path.join(directory, d)))
        for s, d in command_copies(_head(path))
    )


def _listing(directory: str) -> list[str]:
    try:
        return [e.name for e in os.scandir(directory) if e.is_file(follow_symlinks=False)]
    except OSError:
        return []


def _head(path: str) -> str:
    try:
        with Path(path).open("rb") as handle:
            return handle.read(_READ_AT_MOST).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: the command is not read
        return []
