"""The command lines of a shell script as the shell reads them: a line ending in ``\\``
goes on on the next one. Deploy scripts, entry points and ``docker run`` scripts are all
read line by line, with the number of the line each command starts on for evidence.

The project's one shell lexer (words, simple commands split at ``;``/``&&``/``|``) and its
one variable expander (``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``$(VAR)``) live here, in
load, so that loaders (Procfiles) and discover (command lines, deploy scripts) share them."""

# ruff: noqa: PTH112, PTH118, PTH120
# (string paths, as the walk gives them)

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable, Iterable, Iterator
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


def commands(
    lines: str | Iterable[tuple[int, str]],
    state: ScriptState | None = None,
    too_deep: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """(line number, words) of each simple command of a script, in order: the one loop over
    a script's commands. ``lines``: the script's text (read by :func:`logical_lines`), or
    its command lines already split. Comment lines are passed over (the lexer drops them
    anyway). A line whose quotes nest past the lexer's recursion (past any real script's) is
    left out, and ``too_deep`` told its number. ``state``'s line is set to each command's
    before it is yielded, for :meth:`ScriptState.assign` to record where a variable is set."""
    for number, line in logical_lines(lines) if isinstance(lines, str) else lines:
        if not line or line.lstrip().startswith("#"):
            continue
        try:
            found = list(simple_commands([line]))
        except RecursionError:
            if too_deep is not None:
                too_deep(number)
            continue
        if state is not None:
            state.line = number
        for words in found:
            yield number, words


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


WRAPPERS = frozenset({"sudo", "time", "exec", "command", "nohup"})
DECLARE = frozenset({"export", "readonly", "declare", "local", "typeset"})
_OPEN = frozenset({"if", "case", "for", "while", "until", "select"})
_CLOSE = frozenset({"fi", "esac", "done"})
LEADING = frozenset({"then", "else", "do", "!"})  # keywords before a body's first command
ASSIGNMENT = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$")
_POSITIONAL = re.compile(r"\$\{(?P<braced>[0-9]+)(?::-(?P<default>[^}]*))?\}|\$(?P<bare>[0-9])")


class ScriptState:
    """What a script's lines have set so far, read top to bottom without running anything:
    its variables (and which it exports to the programs it starts), its working directory.

    An assignment inside ``if``/``case``/a loop holds on one branch only: the variable is
    never known again. ``$1``... are the ``positional`` arguments the script is run with when
    they are known (a README's ``./deploy.sh docker``); otherwise ``${1:-docker}`` is its
    default and a bare ``$1`` is unknown. A value that needs a command's output (``$(...)``)
    or an unknown variable is unknown; so is ``${X:-default}`` once the script has set X to an
    unknown value (it is set, maybe not empty: the default may not apply)."""

    def __init__(self, file: str, positional: tuple[str, ...] = ()) -> None:
        self.cwd = os.path.dirname(file)
        self.positional = positional
        self.variables: dict[str, str] = {}
        self.exported: set[str] = set()
        self.depth = 0
        self.branched: set[str] = set()
        self.line = 0  # the line being read, set by the reader
        self.assigned_at: dict[str, int] = {}  # variable → the line that last assigned it
        self.argued: set[str] = set()  # variables whose value holds a positional argument
        self.unknown: set[str] = set()  # assigned a value not known here: never a default
        self._took_argument = False

    def command(self, words: list[str]) -> tuple[list[str], dict[str, str | None]]:
        """Apply what the simple command does to the state (assignments, ``cd``, entering
        and leaving ``if``/loops); return the program it runs with its arguments (empty when
        it runs none) and the assignments written before it (``A=x prog``: for it alone)."""
        while words and words[0] in WRAPPERS | LEADING:
            words = words[1:]
        if not words:
            return [], {}
        if words[0] in _OPEN or words[0] in _CLOSE:
            self.depth = self.depth + 1 if words[0] in _OPEN else max(0, self.depth - 1)
            return [], {}
        prefix: dict[str, str | None] = {}
        if words[0] in DECLARE or ASSIGNMENT.match(words[0]):
            rest = words[1:] if words[0] in DECLARE else words
            if all(ASSIGNMENT.match(w) or words[0] in DECLARE for w in rest):
                for word in rest:
                    self.assign(word, exported=words[0] == "export")
                return [], {}
            while words and ASSIGNMENT.match(words[0]):  # VAR=x program ...
                match = ASSIGNMENT.match(words[0])
                assert match is not None
                prefix[match["name"]] = self.expand(match["value"])
                words = words[1:]
        if words and words[0] == "cd" and len(words) == 2:
            directory = self.expand(words[1])
            if directory is not None:
                moved = os.path.normpath(os.path.join(self.cwd, directory))
                self.cwd = moved if os.path.isdir(moved) else self.cwd
            return [], {}
        return words, prefix

    def assign(self, word: str, *, exported: bool = False) -> None:
        match = ASSIGNMENT.match(word)
        if match is None:
            if exported and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", word):
                self.exported.add(word)  # ``export NAME``: an earlier assignment, exported
            return
        if exported:
            self.exported.add(match["name"])
        self.assigned_at[match["name"]] = self.line
        if self.depth:
            self.branched.add(match["name"])
        self._took_argument = False
        expanded = self.expand(match["value"])
        (self.argued.add if self._took_argument else self.argued.discard)(match["name"])
        if expanded is None or match["name"] in self.branched:
            self.variables.pop(match["name"], None)  # now unknown
            self.unknown.add(match["name"])
        else:
            self.variables[match["name"]] = expanded
            self.unknown.discard(match["name"])

    def expand(self, word: str) -> str | None:
        """``word`` with the script's own variables; None when one is not known."""
        if "$(" in word or "`" in word or "<(" in word:
            return None  # a command's output: not known before the script runs
        word = _POSITIONAL.sub(self._positional, word)
        if self.unknown and any(
            (m["k8s"] or m["shell"] or m["bare"]) in self.unknown for m in _VARIABLE.finditer(word)
        ):
            return None  # ``${X:-default}`` of an X the script set to an unknown value
        expanded = expand(word, self.variables.get)
        if expanded is None or "$" in expanded[0] or "`" in expanded[0]:
            return None
        return expanded[0]

    def _positional(self, match: re.Match[str]) -> str:
        index = int(match["braced"] or match["bare"])
        if 0 < index <= len(self.positional):
            self._took_argument = True
            return self.positional[index - 1]
        return match["default"] if match["default"] is not None else match[0]
