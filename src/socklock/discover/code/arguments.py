"""A program's command-line arguments as values its code reads, like env vars.

``flag.Arg(0)`` (Go: the first argument left after the flags) reads what the deployment
writes in the container's ``args`` (or ``command`` after the program). The code reports
it as a read of a pseudo env var (``ARG.0``: a dot, which no shell variable name has);
the manifests give that name the written word, so the rest of the pipeline resolves it
as it resolves env values.
"""

from __future__ import annotations

from collections.abc import Sequence

ARGUMENT = "ARG."  # positional, after the flags
FLAG = "FLAG."  # a named flag: ``--backend-url=http://backend:9898``


def command_argument(index: str) -> str:
    """The pseudo env var that positional argument ``index`` (as written: ``0``) reads."""
    return f"{ARGUMENT}{int(index, 0)}"


def command_flag(name: str) -> str:
    """The pseudo env var that the flag ``name`` (as declared: ``backend-url``) reads."""
    return f"{FLAG}{name.lstrip('-')}"


def flag_values(words: Sequence[str]) -> dict[str, str]:
    """The named flags among ``words`` as pseudo env values: ``--name=value`` and
    ``-name=value``, and ``--name value`` (the word after a flag without ``=`` is its value
    when it is no flag itself; a boolean flag's positional is taken for a value, but only a
    string flag the code declares reads it). The first of a repeated flag counts."""
    found: dict[str, str] = {}
    for index, word in enumerate(words):
        if word == "--":
            break
        if not word.startswith("-") or word.strip("-") == "":
            continue
        name, equals, value = word.lstrip("-").partition("=")
        if not equals:
            following = words[index + 1] if index + 1 < len(words) else ""
            if not following or following.startswith("-"):
                continue
            value = following
        if name:
            found.setdefault(command_flag(name), value)
    return found


def argument_values(words: Sequence[str]) -> dict[str, str]:
    """``words`` (what follows the program on its command line) as pseudo env values.

    Positional arguments are those after the flags, as Go's ``flag`` package parses them:
    ``-name=value`` words are flags, ``--`` ends them, the first other word starts the
    positionals. A ``-name`` word followed by another word is ambiguous (a boolean flag,
    or a flag and its value): the positionals are then not known."""
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            index += 1
            break
        if not word.startswith("-") or word == "-":
            break
        if "=" not in word and index + 1 < len(words) and not words[index + 1].startswith("-"):
            return {}  # ``-v x``: x may be the flag's value or the first positional
        index += 1
    return {f"{ARGUMENT}{position}": word for position, word in enumerate(words[index:])}
