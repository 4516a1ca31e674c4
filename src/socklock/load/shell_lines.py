"""The command lines of a shell script as the shell reads them: a line ending in ``\\``
goes on on the next one. Deploy scripts, entry points and ``docker run`` scripts are all
read line by line, with the number of the line each command starts on for evidence.

The project's one shell lexer (words, simple commands split at ``;``/``&&``/``|``) and its
one variable expander (``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``$(VAR)``) live here, in
load, so that loaders (Procfiles) and discover (command lines, deploy scripts) share them."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator
from pathlib import Path

_SHEBANG = re.compile(rb"^#!\s*\S*/(?:env\s+)?(?:ba)?sh\b")


def is_shell_script(path: str) -> bool:
    """A ``.sh``/``.bash`` file, or one without a suffix whose first line runs sh or bash
    (``#!/usr/bin/env bash``): a name with another suffix is some other language's."""
    name = Path(path).name
    if name.endswith((".sh", ".bash")):
        return True
    if "." in name:
        return False
    try:
        with Path(path).open("rb") as handle:
            return bool(_SHEBANG.match(handle.read(64)))
    except OSError:
        return False


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, stripped text) of each command line, ``\\`` continuations joined."""
    start, parts = 0, list[str]()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not parts:
            start = number
        line = raw.strip()
        if line.endswith("\\"):
            parts.append(line[:-1])
            continue
        parts.append(line)
        yield start, " ".join(p.strip() for p in parts)
        parts = []
    if parts:
        yield start, " ".join(p.strip() for p in parts)


_VARIABLE = re.compile(
    r"\$\((?P<k8s>[A-Za-z_][A-Za-z0-9_]*)\)"
    r"|\$\{(?P<shell>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?P<default>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)
PRINTERS = frozenset({"echo", "printf"})  # what they print is a message, not an argument
_SEPARATORS = frozenset({";", "&&", "||", "|", "&", ";;", "|&"})


def words(command: str | list[str]) -> list[str]:
    """Shell words of a command (exec form lists are split too: ``sh -c "..."`` scripts)."""
    parts = command if isinstance(command, list) else [command]
    out: list[str] = []
    for part in parts:
        try:
            out.extend(shlex.split(str(part), comments=True))
        except ValueError:  # unbalanced quotes: fall back to whitespace
            out.extend(str(part).split())
    return out


def expand(word: str, lookup: Callable[[str], str | None]) -> tuple[str, list[str]] | None:
    """``word`` with its variables expanded; None when one is unknown and has no default."""
    used: list[str] = []
    missing = False

    def replace(match: re.Match[str]) -> str:
        nonlocal missing
        name = match["k8s"] or match["shell"] or match["bare"]
        value = lookup(name)
        if value is None:
            value = match["default"]
        if value is None:
            missing = True
            return ""
        used.append(name)
        return value

    text = _VARIABLE.sub(replace, word)
    return None if missing else (text, used)


def simple_commands(parts: list[str]) -> Iterator[list[str]]:
    """The simple commands of a command line: words split at ``;``, ``&&``, ``|``...; a
    quoted word, or an exec-form word, that is itself a script (``sh -c "..."``) is split
    the same way."""
    current: list[str] = []
    for part in parts:
        if len(parts) > 1 and any(c.isspace() for c in str(part)):
            tokens = [str(part)]  # an exec-form word that is a script of its own
        else:
            tokens = _tokens(str(part))
        for token in tokens:
            if token in _SEPARATORS or set(token) <= set(";&|"):
                if current:
                    yield current
                current = []
            elif any(c.isspace() for c in token) and not (
                current and current[0].rsplit("/", 1)[-1] in PRINTERS
            ):  # a script of its own (``sh -c "..."``), not a message ``echo`` prints
                yield from simple_commands([token])
            else:
                current.append(token)
    if current:
        yield current


_QUOTING = str.maketrans("", "", "\"'\\")


def may_spell(line: str, *wanted: str) -> bool:
    """Whether a shell word of ``line`` can hold one of ``wanted``: the lexer only drops
    quotes and backslashes from between a word's characters (and splits, and drops
    comments), so a word's text stands in the line once those are taken out. A script's
    lines that cannot name the command looked for need not be lexed (most of them)."""
    flat = line.translate(_QUOTING)
    return any(word in flat for word in wanted)


def _tokens(text: str) -> list[str]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes: fall back to whitespace
        return text.split()
