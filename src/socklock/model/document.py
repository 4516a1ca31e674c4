"""Parsed YAML/JSON that remembers where each value was written.

The loader builds :class:`YMap` and :class:`YSeq` instead of plain ``dict``/``list`` so any
stage can point a user at the exact line of a field (``spec.ingress[0].from[1]``) without
re-reading the file. They behave exactly like ``dict`` and ``list``.

Positions are stored packed: the loader gives each node one ``bytes`` string holding its own
(line, column) and those of its keys or items, in order (8 bytes a position), instead of a
dict of tuples per mapping; a 64 MiB manifest file would otherwise cost several GiB. The
``key_positions``/``item_positions`` views are unpacked on first use. A packed node is read
only: the positions of its keys follow the order in which the loader inserted them.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence
from typing import Any

Position = tuple[int, int]
"""(line, column), both 1-based."""

_PAIR = struct.Struct("=II")
_LARGE = 16  # a packed mapping with more keys is unpacked once for its key lookups


def pack_positions(numbers: Sequence[int]) -> bytes:
    """``line, column, line, column, ...`` in the packed form YMap/YSeq store."""
    return array("I", numbers).tobytes()


class YMap(dict[str, Any]):
    """A mapping with the position of the mapping itself and of each key."""

    __slots__ = ("_keys", "_packed")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._packed = b""  # own position, then each key's in insertion order
        self._keys: dict[str, Position] | None = None  # once unpacked or set

    def set_packed(self, packed: bytes) -> None:
        """The loader's positions: this mapping's, then its keys' in insertion order."""
        self._packed = packed
        self._keys = None

    @property
    def position(self) -> Position:
        packed = self._packed
        return _PAIR.unpack_from(packed) if packed else (0, 0)

    @position.setter
    def position(self, value: Position) -> None:
        self._packed = _PAIR.pack(*value) + self._packed[8:]

    @property
    def key_positions(self) -> dict[str, Position]:
        keys = self._keys
        if keys is None:
            packed = self._packed
            keys = {
                key: _PAIR.unpack_from(packed, offset)
                for key, offset in zip(self, range(8, len(packed), 8), strict=False)
            }
            self._keys = keys
            self._packed = packed[:8]
        return keys

    @key_positions.setter
    def key_positions(self, value: dict[str, Position]) -> None:
        self._keys = value
        self._packed = self._packed[:8]

    def key_position(self, key: str) -> Position | None:
        """Where ``key`` was written; None when unknown."""
        keys = self._keys
        if keys is None:
            packed = self._packed
            if len(packed) > 8 * (_LARGE + 1):
                keys = self.key_positions
            else:
                for offset, candidate in zip(range(8, len(packed), 8), self, strict=False):
                    if candidate == key:
                        return _PAIR.unpack_from(packed, offset)
                return None
        return keys.get(key)


class YSeq(list[Any]):
    """A sequence with the position of the sequence itself and of each item."""

    __slots__ = ("_items", "_packed")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._packed = b""  # own position, then each item's
        self._items: list[Position] | None = None  # once unpacked or set

    def set_packed(self, packed: bytes) -> None:
        """The loader's positions: this sequence's, then its items' in order."""
        self._packed = packed
        self._items = None

    @property
    def position(self) -> Position:
        packed = self._packed
        return _PAIR.unpack_from(packed) if packed else (0, 0)

    @position.setter
    def position(self, value: Position) -> None:
        self._packed = _PAIR.pack(*value) + self._packed[8:]

    @property
    def item_positions(self) -> list[Position]:
        items = self._items
        if items is None:
            packed = self._packed
            items = [_PAIR.unpack_from(packed, offset) for offset in range(8, len(packed), 8)]
            self._items = items
            self._packed = packed[:8]
        return items

    @item_positions.setter
    def item_positions(self, value: list[Position]) -> None:
        self._items = value
        self._packed = self._packed[:8]

    def item_position(self, index: int) -> Position | None:
        """Where item ``index`` was written; None when unknown."""
        items = self._items
        if items is not None:
            return items[index] if 0 <= index < len(items) else None
        offset = 8 * (index + 1)
        if index < 0 or offset + 8 > len(self._packed):
            return None
        return _PAIR.unpack_from(self._packed, offset)


PathElement = str | int


def position_of(node: Any, key: PathElement | None = None) -> Position:
    """Position of ``node`` (or of ``node[key]``); (0, 0) when unknown."""
    if key is None:
        return getattr(node, "position", (0, 0))
    if isinstance(node, YMap) and isinstance(key, str):
        found = node.key_position(key)
        return node.position if found is None else found
    if isinstance(node, YSeq) and isinstance(key, int):
        found = node.item_position(key)
        return node.position if found is None else found
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
