"""The template a repository ships for an env file it does not commit.

Repositories keep ``.env`` out of git and commit ``.env.example`` (or ``env.example``,
``.env.sample``, ``.env.dist``, ``.env.local``...) for the user to copy, as their README
says. A new clone has only the template: compose would fail or run with empty values, so
its values are what the repository documents. A real ``.env`` always wins.
"""

from __future__ import annotations

from pathlib import Path

# ``.local``: last; a committed ``.env.local`` beside a missing ``.env`` is the values the
# repository gives a local run (the file is not committed where it is a personal override)
_SUFFIXES = (".example", ".sample", ".dist", ".template", ".default", ".defaults", ".local")


def env_template(path: str) -> str | None:
    """The committed template of the env file ``path`` when ``path`` itself is missing:
    ``<name>.example`` and its kin beside it, and for ``.env`` also ``env.example`` and
    ``example.env``; None when ``path`` exists or no template does."""
    missing = Path(path)
    if missing.exists():
        return None
    name = missing.name
    candidates = [name + suffix for suffix in _SUFFIXES]
    if name == ".env":
        candidates += ["env" + suffix for suffix in _SUFFIXES] + ["example.env", "sample.env"]
    for candidate in candidates:
        found = missing.with_name(candidate)
        if found.is_file():
            return str(found)
    return None
