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


class _Unpacked:
    """A node's positions once its view was asked for or set: own position, table."""

    __slots__ = ("position", "table")

    def __init__(self, position: Position, table: Any) -> None:
        self.position = position
        self.table = table


def _own(packed: bytes | _Unpacked) -> Position:
    if type(packed) is bytes:
        return _PAIR.unpack_from(packed) if packed else (0, 0)
    assert isinstance(packed, _Unpacked)
    return packed.position


def _with_own(packed: bytes | _Unpacked, value: Position) -> bytes | _Unpacked:
    if type(packed) is bytes:
        return _PAIR.pack(*value) + packed[8:]
    assert isinstance(packed, _Unpacked)
    packed.position = value
    return packed


class YMap(dict[str, Any]):
    """A mapping with the position of the mapping itself and of each key."""

    __slots__ = ("_packed",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # own position, then each key's in insertion order; _Unpacked once the view is used
        self._packed: bytes | _Unpacked = b""

    def set_packed(self, packed: bytes) -> None:
        """The loader's positions: this mapping's, then its keys' in insertion order."""
        self._packed = packed

    @property
    def position(self) -> Position:
        return _own(self._packed)

    @position.setter
    def position(self, value: Position) -> None:
        self._packed = _with_own(self._packed, value)

    @property
    def key_positions(self) -> dict[str, Position]:
        packed = self._packed
        if type(packed) is bytes:
            keys = {
                key: _PAIR.unpack_from(packed, offset)
                for key, offset in zip(self, range(8, len(packed), 8), strict=False)
            }
            self._packed = packed = _Unpacked(_own(packed), keys)
        assert isinstance(packed, _Unpacked)
        table: dict[str, Position] = packed.table
        return table

    @key_positions.setter
    def key_positions(self, value: dict[str, Position]) -> None:
        self._packed = _Unpacked(self.position, value)

    def key_position(self, key: str) -> Position | None:
        """Where ``key`` was written; None when unknown."""
        packed = self._packed
        if type(packed) is bytes and len(packed) <= 8 * (_LARGE + 1):
            for offset, candidate in zip(range(8, len(packed), 8), self, strict=False):
                if candidate == key:
                    return _PAIR.unpack_from(packed, offset)
            return None
        return self.key_positions.get(key)


class YSeq(list[Any]):
    """A sequence with the position of the sequence itself and of each item."""

    __slots__ = ("_packed",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        # own position, then each item's; _Unpacked once the view is used
        self._packed: bytes | _Unpacked = b""

    def set_packed(self, packed: bytes) -> None:
        """The loader's positions: this sequence's, then its items' in order."""
        self._packed = packed

    @property
    def position(self) -> Position:
        return _own(self._packed)

    @position.setter
    def position(self, value: Position) -> None:
        self._packed = _with_own(self._packed, value)

    @property
    def item_positions(self) -> list[Position]:
        packed = self._packed
        if type(packed) is bytes:
            items = [_PAIR.unpack_from(packed, offset) for offset in range(8, len(packed), 8)]
            self._packed = packed = _Unpacked(_own(packed), items)
        assert isinstance(packed, _Unpacked)
        table: list[Position] = packed.table
        return table

    @item_positions.setter
    def item_positions(self, value: list[Position]) -> None:
        self._packed = _Unpacked(self.position, value)

    def item_position(self, index: int) -> Position | None:
        """Where item ``index`` was written; None when unknown."""
        packed = self._packed
        if type(packed) is bytes:
            offset = 8 * (index + 1)
            if index < 0 or offset + 8 > len(packed):
                return None
            return _PAIR.unpack_from(packed, offset)
        items = self.item_positions
        return items[index] if 0 <= index < len(items) else None


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


class ReplacingMap(YMap):
    """A mapping tagged ``!override`` or ``!reset`` (Compose): it replaces the value it is
    merged over instead of merging into it (``!reset``: with nothing)."""

    __slots__ = ()


class ReplacingSeq(YSeq):
    """A sequence tagged ``!override`` or ``!reset`` (Compose): see :class:`ReplacingMap`."""

    __slots__ = ()
