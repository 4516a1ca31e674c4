"""What a shell entry point runs: the command it hands its process to.

An image's command is often a script (``./bin/run-prod.sh``, ``docker-entrypoint.sh``) that
sets a few variables and ends in ``exec gunicorn --config wsgi/config.py`` or ``celery -A
proj worker``. That command, not the script, is the service's program: its words name the
code it runs the way a compose ``command:`` does (:func:`socklock.discover.entrypoints.
entry_paths` maps them, launchers and all).

The script is read with the project's one shell reader (:class:`socklock.load.shell_lines.
ScriptState`): variables it sets, and ``${VAR:-default}`` taking the service's env first.
The command is the first ``exec`` outside any conditional; else the one ``exec`` of its
branches when they all exec the same; else its last command outside a conditional that
starts a program (not a builtin, a file utility or a printer). Branches that exec different
programs (``case "$1" in web) exec ...;; worker) exec ...``) are not chosen between, and a
script that changes directory (``cd /app/backend``: its words are relative to a directory of
the image, not of the build) names nothing: no command (fail closed). Nothing is run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from socklock.discover.commands import without_heredocs
from socklock.discover.entrypoints import script_text
from socklock.load.shell_lines import LEADING, ScriptState, commands

_REDIRECTION = re.compile(r"\d*[<>&]")  # a word that opens a redirection, not a program
# commands that run no program of the image: shell builtins, file utilities, printers,
# package installers and probes of another service's readiness. Not quiet_scripts' list: a
# script is quiet when it runs only these and file tools, while here a tool that may be the
# last thing an entry point runs (``tail``, ``tar``) still counts as its program
_NOT_PROGRAMS = frozenset(
    {
        *("echo", "printf", "set", "source", ".", "trap", "wait", "sleep", "shift", "unset"),
        *("umask", "ulimit", "test", "[", "[[", "true", "false", ":", "exit", "return", "read"),
        *("eval", "mkdir", "chown", "chmod", "cp", "mv", "rm", "ln", "touch", "cat"),
        *("sed", "awk", "envsubst", "tee", "find", "grep", "ls", "whoami", "id", "date"),
        *("curl", "wget", "nc", "apk", "apt-get", "pip", "pip3", "dockerize", "until", "while"),
    }
)


def script_command(path: Path, env: Mapping[str, str]) -> list[str]:
    """The expanded words of the command the shell script ``path`` ends in (see the module's
    docstring); empty when it runs none or when that cannot be told. ``env``: the service's
    environment, which the script's ``${VAR:-default}`` reads first. A word that needs an
    unknown value is empty."""
    state = ScriptState(str(path))
    state.variables.update(env)
    last: list[str] = []
    branched: dict[tuple[str, ...], None] = {}  # the commands its conditionals exec
    for _, words in commands(without_heredocs(script_text(path)), state):
        if "cd" in words[:2] or "pushd" in words[:2]:
            return []  # its words are relative to a directory not known here
        execs = _without_leading(words)[:1] == ["exec"]
        depth = state.depth
        program, _ = state.command(words)
        if not program or _REDIRECTION.match(program[0]):
            continue  # ``exec 2>&1``: the script rewires its own output and goes on
        if Path(program[0]).name in _NOT_PROGRAMS:
            continue
        expanded = [state.expand(word) or "" for word in program]
        if not any(expanded):  # ``exec "$@"``: the image's CMD, not known here
            if execs and not depth:
                return []
            continue
        if execs and not depth:
            return expanded
        if execs:
            branched[tuple(expanded)] = None
        elif not depth:
            last = expanded
    if branched:
        return list(next(iter(branched))) if len(branched) == 1 else []
    return last


def _without_leading(words: list[str]) -> list[str]:
    """A command's words without the keywords that lead into it (``then exec ...``)."""
    while words and words[0] in LEADING:
        words = words[1:]
    return words
