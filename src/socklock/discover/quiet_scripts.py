"""A shell script that only writes files: the service that runs it calls nobody.

An init container of a bare OS image (``alpine`` running ``sh -c``) often renders a
config for another service from its env: ``echo "url: http://$BACKEND" >> /conf/x.yml``.
The env names a peer, but the script hands the address on in a file; it opens no
connection. A script counts as quiet when every program it runs is a shell builtin or a
file tool (``echo``, ``cat``, ``mkdir``, ``sed``...); one unknown word (``curl``, an
application binary) and the script is read as usual. Heredoc bodies are the files' text,
not commands.
"""

from __future__ import annotations

import itertools
import re
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from socklock.discover.commands import without_heredocs, words

if TYPE_CHECKING:
    from socklock.model import Instruction

_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
_BARE_IMAGES = frozenset({"alpine", "busybox", "debian", "ubuntu", "bash", "centos", "fedora"})
_QUIET = frozenset(
    {
        # shell syntax and builtins
        *("set", "export", "unset", "echo", "printf", "test", "[", "[[", "true", "false"),
        *("for", "while", "until", "if", "then", "else", "elif", "fi", "do", "done", "case"),
        *("esac", "exit", "return", "read", "shift", "local", "cd", "trap", ":", "eval"),
        # file tools
        *("cat", "mkdir", "rm", "rmdir", "cp", "mv", "ln", "touch", "chmod", "chown"),
        *("tr", "sed", "awk", "grep", "cut", "sort", "uniq", "head", "tail", "tee", "wc"),
        *("ls", "find", "xargs", "basename", "dirname", "envsubst", "date", "sleep", "env"),
        *("base64", "tar", "gzip", "gunzip", "stat", "realpath", "readlink", "id", "whoami"),
    }
)
# a tool's subcommands that only write its config file (``bench set-config -g db_host db``)
_QUIET_SUBCOMMANDS: dict[str, frozenset[str]] = {
    "bench": frozenset({"set-config", "set-redis-cache-host", "set-redis-queue-host"}),
    "git": frozenset({"config"}),
    "npm": frozenset({"config"}),
    "yarn": frozenset({"config"}),
    "pip": frozenset({"config"}),
}
_OPENERS = ("$(", "`", "(", "{", "!")
_OPENING = frozenset({"do", "then", "else", "!"})  # keywords before a body's first command


def quiet_script(line: list[str], image: str | None) -> bool:
    """Whether the command ``line`` (entry point and arguments, exec-form items kept whole)
    is a shell script of file tools only: it starts with a shell, or the image is a bare OS
    image, and every program the script's lines run is one of :data:`_QUIET`."""
    if not line:
        return False
    name = (image or "").split("@")[0].rsplit("/", 1)[-1].split(":")[0]
    if line[0].rsplit("/", 1)[-1] not in _SHELLS and name not in _BARE_IMAGES:
        return False
    programs = _programs(line)
    return bool(programs) and programs <= _QUIET


def copies_only(final: Sequence[Instruction], dockerfile_dir: Path, module: Path) -> bool:
    """Whether an image's own command (its final stage's ``ENTRYPOINT``/``CMD``) runs only
    shell scripts of file tools (``entrypoint.sh`` that copies its config files into volumes
    for other services, then exits): the configs in its build are not its own."""
    from socklock.discover.entrypoints import exec_form, script_of, script_text

    commands = [i for i in final if i.keyword in ("CMD", "ENTRYPOINT")]
    if not commands:
        return False
    for instruction in commands:
        line = words(exec_form(instruction.value))
        script = script_of(line[0], dockerfile_dir, module) if line else None
        text = script_text(script) if script is not None else ""
        if not text or not quiet_script(["sh", "-c", text], None):
            return False
    return True


def compose_line(body: Mapping[str, object]) -> list[str]:
    """A compose service's entry point and command, a list's items kept whole."""
    return [*_words(body.get("entrypoint")), *_words(body.get("command"))]


def container_line(body: Mapping[str, object]) -> list[str]:
    """A Kubernetes container's command and args."""
    return [*_words(body.get("command")), *_words(body.get("args"))]


def _words(value: object) -> list[str]:
    if isinstance(value, str):
        return words(value)
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def _programs(line: list[str]) -> set[str]:
    """The first word of every simple command of the script's lines."""
    found: set[str] = set()
    scripts = [word for before, word in itertools.pairwise(line) if before == "-c"]
    if not scripts:  # an exec-form line: the program and its arguments
        scripts = [shlex.join(line)]
    for script in scripts:
        for text in without_heredocs(script).splitlines():
            for command in _commands(text):
                program = _program(command)
                if program:
                    found.add(program)
    return found


def _commands(text: str) -> list[list[str]]:
    """The simple commands of one line, split at ``;``, ``&&``, ``|``, ``)``; a quoted
    word stays one argument (an ``echo``'d sentence is not a command)."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:  # unbalanced quotes: fall back to whitespace
        tokens = text.split()
    commands: list[list[str]] = [[]]
    for token in tokens:
        if set(token) <= set(";&|()"):
            commands.append([])
        else:
            commands[-1].append(token)
    return [command for command in commands if command]


def _program(command: list[str]) -> str | None:
    for at, word in enumerate(command):
        while word.startswith(_OPENERS):
            word = word[2:] if word.startswith("$(") else word[1:]
        if not re.search(r"\w", word) or "=" in word.split("/")[0] or word in _OPENING:
            continue  # an assignment before the program, or a keyword that opens a body
        program = word.rsplit("/", 1)[-1] if word.startswith("/") else word
        quiet = _QUIET_SUBCOMMANDS.get(program)
        if quiet is not None and at + 1 < len(command) and command[at + 1] in quiet:
            return ":"  # it writes its own config file: a builtin's worth of calls
        return program
    return None
