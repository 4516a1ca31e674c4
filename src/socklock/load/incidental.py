"""Whether a path says it is a test's, a CI job's or an archived copy, not the application's.

Shared by what picks a default deployment (:mod:`socklock.discover.deployment_signals`) and
what reads launch scripts (a ``ci/`` or ``test-compose.sh`` script starts a test's stack)."""

from __future__ import annotations

import re

_INCIDENTAL_DIRECTORIES = frozenset(
    {
        "test",
        "tests",
        "testing",
        "e2e",
        "ci",
        ".ci",
        "cypress",
        "integration_tests",
        "integration-tests",
        "fixtures",
        "archive",
        "archived",
        "_archived",
        "hack",
    }
)
_INCIDENTAL_WORDS = frozenset({"test", "tests", "testing", "e2e", "ci"})
_WORD = re.compile(r"[-_.]")


def incidental(name: str) -> bool:
    """A deployment whose path says it is a test's, a CI job's or an archived one."""
    for part in name.split("+"):
        components = part.split("/")
        if not _INCIDENTAL_DIRECTORIES.isdisjoint(components):
            return True
        if not _INCIDENTAL_WORDS.isdisjoint(_WORD.split(components[-1])):
            return True
    return False
