"""Parsed YAML/JSON that remembers where each value was written.

The loader builds :class:`YMap` and :class:`YSeq` instead of plain ``dict``/``list`` so any
stage can point a user at the exact line of a field (``spec.ingress[0].from[1]``) without
re-reading the file. They behave exactly like ``dict`` and ``list``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Position = tuple[int, int]
"""(line, column), both 1-based."""


class YMap(dict[str, Any]):
    """A mapping with the position of the mapping itself and of each key."""

    __slots__ = ("key_positions", "position")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.position: Position = (0, 0)
        self.key_positions: dict[str, Position] = {}


class YSeq(list[Any]):
    """A sequence with the position of the sequence itself and of each item."""

    __slots__ = ("item_positions", "position")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.position: Position = (0, 0)
        self.item_positions: list[Position] = []


PathElement = str | int


def position_of(node: Any, key: PathElement | None = None) -> Position:
    """Position of ``node`` (or of ``node[key]``); (0, 0) when unknown."""
    if key is None:
        return getattr(node, "position", (0, 0))
    if isinstance(node, YMap) and isinstance(key, str):
        return node.key_positions.get(key, node.position)
    if isinstance(node, YSeq) and isinstance(key, int):
        if 0 <= key < len(node.item_positions):
            return node.item_positions[key]
        return node.position
    return (0, 0)


def locate(root: Any, path: Sequence[PathElement]) -> Position:
    """Position of the deepest element of ``path`` that exists under ``root``."""
    best = position_of(root)
    node = root
    for element in path:
        try:
            child = node[element]
        except (KeyError, IndexError, TypeError):
            return best
        found = position_of(node, element)
        if found != (0, 0):
            best = found
        node = child
    return best


def format_path(path: Sequence[PathElement]) -> str:
    """``("spec", "containers", 0, "image")`` → ``spec.containers[0].image``."""
    out = ""
    for element in path:
        if isinstance(element, int):
            out += f"[{element}]"
        else:
            out += f".{element}" if out else element
    return out
