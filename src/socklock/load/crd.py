"""CRD schemas say which values are strings: read those as the strings written.

YAML 1.1 turns a plain ``on``, ``off``, ``yes`` or ``no`` into a boolean and ``0755`` into
an octal number. In an OpenAPI schema node of ``type: string`` (its ``enum``, ``default``,
``example`` and ``const``) the author meant the text, so the written text is put back,
read from the file at the position the parser recorded.
"""

from __future__ import annotations

import re
from typing import Any

from socklock.model import YMap, YSeq
from socklock.model.document import Position

_STRING_VALUED = ("default", "example", "const")
_PLAIN_END = re.compile(r"\s+#|[,\]}]|\s*$")


def restore_schema_strings(crd: YMap, lines: list[str]) -> None:
    """Rewrite, in place, non-string values that a ``type: string`` schema node holds."""
    stack: list[Any] = [crd.get("spec")]
    while stack:
        node = stack.pop()
        if isinstance(node, YMap):
            if node.get("type") == "string":
                _restore_node(node, lines)
            stack.extend(v for v in node.values() if isinstance(v, YMap | YSeq))
        elif isinstance(node, YSeq):
            stack.extend(v for v in node if isinstance(v, YMap | YSeq))


def _restore_node(node: YMap, lines: list[str]) -> None:
    for key in _STRING_VALUED:
        value = node.get(key)
        if key in node and _resolved_scalar(value):
            node[key] = _written(lines, _value_position(node, key, lines)) or str(value)
    enum = node.get("enum")
    if isinstance(enum, YSeq):
        for index, value in enumerate(enum):
            if _resolved_scalar(value) and index < len(enum.item_positions):
                enum[index] = _written(lines, enum.item_positions[index]) or str(value)


def _resolved_scalar(value: Any) -> bool:
    return isinstance(value, bool | int | float) or value is None


def _value_position(node: YMap, key: str, lines: list[str]) -> Position:
    """Where the value of ``key: value`` starts (the parser records the key's position)."""
    line, column = node.key_positions.get(key, (0, 0))
    if not 0 < line <= len(lines):
        return (0, 0)
    text = lines[line - 1]
    colon = text.find(":", column - 1 + len(key))
    if colon < 0:
        return (0, 0)
    start = colon + 1
    while start < len(text) and text[start] in " \t":
        start += 1
    return (line, start + 1)


def _written(lines: list[str], position: Position) -> str | None:
    line, column = position
    if not 0 < line <= len(lines) or column < 1:
        return None
    rest = lines[line - 1][column - 1 :]
    if rest[:1] in ("'", '"', "[", "{", ""):
        return None
    match = _PLAIN_END.search(rest)
    written = rest[: match.start()] if match else rest
    return written.strip() or None
