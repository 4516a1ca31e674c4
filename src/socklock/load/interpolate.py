"""``${VAR}`` substitution as the Compose Specification defines it.

``$VAR``, ``${VAR}``, ``${VAR:-default}`` (unset or empty), ``${VAR-default}`` (unset),
``${VAR:?message}`` / ``${VAR?message}`` (required), ``${VAR:+other}`` / ``${VAR+other}``,
``$$`` for a literal ``$``; defaults may nest (``${A:-${B}}``). An unset variable without
a default becomes the empty string, as compose does. The variables come from the project's
``.env`` file only: the library never reads the process environment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from socklock.model import ComposeEnv, Location, YMap, YSeq
from socklock.model.document import position_of

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")


@dataclass(slots=True)
class Interpolation:
    """Substitutes from ``env`` and collects the required variables that are missing."""

    env: Mapping[str, str]
    missing: list[str] = field(default_factory=list)  # "VAR: message" of each ${VAR?message}
    missing_at: list[Location] = field(default_factory=list)  # where each of ``missing`` is
    _at: Location = field(default_factory=lambda: Location(""))  # the value being substituted

    def text(self, value: str) -> str:
        if "$" not in value:
            return value
        out: list[str] = []
        i = 0
        while i < len(value):
            char = value[i]
            if char != "$" or i + 1 == len(value):
                out.append(char)
                i += 1
                continue
            following = value[i + 1]
            if following == "$":
                out.append("$")
                i += 2
            elif following == "{":
                end = _closing_brace(value, i + 2)
                if end < 0:  # unterminated: left as written
                    out.append(value[i:])
                    break
                out.append(self._braced(value[i + 2 : end]))
                i = end + 1
            else:
                match = _NAME.match(value, i + 1)
                if match is None:
                    out.append("$")
                    i += 1
                    continue
                out.append(self.env.get(match.group(), ""))
                i = match.end()
        return "".join(out)

    def _braced(self, body: str) -> str:
        match = _NAME.match(body)
        if match is None:
            return "${" + body + "}"
        name, rest = match.group(), body[match.end() :]
        value = self.env.get(name)
        if not rest:
            return value or ""
        operator = next((op for op in _OPERATORS if rest.startswith(op)), None)
        if operator is None:
            return "${" + body + "}"
        argument = rest[len(operator) :]
        unset = value is None or (operator.startswith(":") and value == "")
        if operator.endswith("-"):
            return self.text(argument) if unset else str(value)
        if operator.endswith("?"):
            if unset:
                self.missing.append(f"{name}: {self.text(argument)}" if argument else name)
                self.missing_at.append(self._at)
                return ""
            return str(value)
        return "" if unset else self.text(argument)  # :+ and +

    def tree(self, value: Any, file: str = "") -> Any:
        """Substitute in every string value of a parsed document (keys stay as written);
        containers are changed in place, positions kept. A required variable that is
        missing is recorded with the place of its value in ``file``."""
        stack: list[Any] = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, YMap):
                for key, child in node.items():
                    if isinstance(child, str):
                        node[key] = self._at_text(child, file, node, key)
                    elif isinstance(child, YMap | YSeq):
                        stack.append(child)
            elif isinstance(node, YSeq):
                for index, child in enumerate(node):
                    if isinstance(child, str):
                        node[index] = self._at_text(child, file, node, index)
                    elif isinstance(child, YMap | YSeq):
                        stack.append(child)
        return self.text(value) if isinstance(value, str) else value

    def _at_text(self, value: str, file: str, node: YMap | YSeq, key: str | int) -> str:
        if "$" not in value:
            return value
        self._at = Location(file, *position_of(node, key))
        return self.text(value)


def _closing_brace(text: str, start: int) -> int:
    """Index of the ``}`` that closes a ``${`` opened just before ``start``; -1 if none."""
    depth = 1
    i = start
    while i < len(text):
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def read_env_entries(text: str, file: str) -> dict[str, ComposeEnv]:
    """The variables a ``.env`` file sets, each with the line that sets it (the last one, as
    compose reads it); values have their ``${VAR}`` resolved from the lines before."""
    import io

    from dotenv.parser import parse_stream

    env: dict[str, str] = {}
    entries: dict[str, ComposeEnv] = {}
    for binding in parse_stream(io.StringIO(text)):
        if binding.key is None or binding.error:
            continue
        value = Interpolation(env).text(binding.value) if binding.value is not None else ""
        env[binding.key] = value
        column = binding.original.string.find(binding.key) + 1
        entries[binding.key] = ComposeEnv(
            binding.key, value, Location(file, binding.original.line, column)
        )
    return entries
