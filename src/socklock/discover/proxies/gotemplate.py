"""Fill a Go template (gomplate, jitsi's ``tpl``, dockerize) as an image's start-up script
does before its server reads the result as config.

Such images ship their config as templates with the env's defaults written in them
(``{{ $UPSTREAM := .Env.UPSTREAM | default "http://api:8080" -}}`` then ``proxy_pass {{
$UPSTREAM }};``): the address is the env's value, else the default. Only what names an
address is evaluated (``.Env.X``, ``$var``, strings, ``default``); control actions (``if``,
``range``, ``end``...) render as nothing, so both branches of a condition stay, and a
value the template computes otherwise renders empty (no address). Every line stays where it
is written (trim markers do not join lines), so evidence points at the template's lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)
_ASSIGN = re.compile(r"^\$(\w+)\s*:?=\s*(.+)$", re.DOTALL)
_CONTROL = frozenset(
    {"if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"}
)
_ENV = object()  # ``$ENV := .Env``: a name for the env itself


def render(text: str, env: Mapping[str, str]) -> str:
    """``text`` with its actions replaced by their values (empty when not an address's)."""
    names: dict[str, object] = {}

    def term(word: str) -> object:
        word = word.strip()
        if word == ".Env":
            return _ENV
        if word.startswith(".Env."):
            return env.get(word.removeprefix(".Env.")) or None
        if len(word) >= 2 and word[0] == word[-1] and word[0] in "\"'`":
            return word[1:-1]
        if re.fullmatch(r"-?\d+", word):
            return word
        field = re.fullmatch(r"\$(\w+)(?:\.(\w+))?", word)
        if field is None:
            return None  # a function call or anything else: not evaluated
        named = names.get(field[1])
        if field[2] is None:
            return named
        return (env.get(field[2]) or None) if named is _ENV else None

    def pipeline(text: str) -> object:
        stages = [stage.strip() for stage in text.split("|")]
        value = term(stages[0])
        for stage in stages[1:]:
            parts = stage.split(None, 1)
            if parts and parts[0] == "default" and len(parts) == 2:
                value = value or term(parts[1])
            else:
                return None  # toBool, splitList...: a value of another kind
        return value

    def one(match: re.Match[str]) -> str:
        action = match[1].strip()
        newlines = "\n" * match[0].count("\n")
        if action.startswith("/*") or (action.split(None, 1) or [""])[0] in _CONTROL:
            return newlines
        assigned = _ASSIGN.match(action)
        if assigned is not None:
            names[assigned[1]] = pipeline(assigned[2])
            return newlines
        value = pipeline(action)
        return (value if isinstance(value, str) else "") + newlines

    return _ACTION.sub(one, text)
