"""Parsed YAML/JSON that remembers where each value was written.

The loader builds :class:`YMap` and :class:`YSeq` instead of plain ``dict``/``list`` so any
stage can point a user at the exact line of a field (``spec.ingress[0].from[1]``) without
re-reading the file. They behave exactly like ``dict`` and ``list``.

Positions are stored packed: each node's own (line, column) then those of its keys or
items, in order (8 bytes a position), instead of a dict of tuples per mapping; a 64 MiB
manifest file would otherwise cost several GiB. The loader packs a whole document into one
``bytes`` shared by its nodes, each node holding where its run starts (a ``bytes`` object
per node cost more than the positions in it). The ``key_positions``/``item_positions``
views are unpacked on first use. A packed node is read only: the positions of its keys
follow the order in which the loader inserted them.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence
from typing import Any

Position = tuple[int, int]
"""(line, column), both 1-based."""

_PAIR = struct.Struct("=II")
_HEAD = struct.Struct("=III")  # a node's run: how many positions follow, its own position
_LARGE = 16  # a packed mapping with more keys is unpacked once for its key lookups


def pack_positions(numbers: Sequence[int]) -> bytes:
    """``line, column, line, column, ...`` (the node's own, then its keys' or items') in the
    packed form YMap/YSeq store: the count of the positions after the node's own first."""
    return array("I", [len(numbers) // 2 - 1, *numbers]).tobytes()


def share_packed(runs: Sequence[tuple[YMap | YSeq, int]], packed: bytes) -> None:
    """Give each (node, where its run starts) of one document the document's packed
    positions: the loader's last step, one call a document rather than one a node."""
    for node, at in runs:
        node._packed = packed
        node._at = at


class _Unpacked:
    """A node's positions once its view was asked for or set: own position, table."""

    __slots__ = ("position", "table")

    def __init__(self, position: Position, table: Any) -> None:
        self.position = position
        self.table = table


def _own(packed: bytes | _Unpacked, at: int) -> Position:
    if type(packed) is bytes:
        return _PAIR.unpack_from(packed, 4 * at + 4) if packed else (0, 0)
    assert isinstance(packed, _Unpacked)
    return packed.position


def _run(packed: bytes, at: int) -> range:
    """Byte offsets of the positions after a node's own (its keys' or items') in its run."""
    if not packed:
        return range(0)
    start = 4 * at + _HEAD.size
    return range(start, start + 8 * _HEAD.unpack_from(packed, 4 * at)[0], 8)


def _repacked(packed: bytes, at: int, own: Position) -> bytes:
    """A node's run on its own, with a new own position."""
    run = _run(packed, at)
    return _HEAD.pack(len(run), *own) + packed[run.start : run.stop]


class YMap(dict[str, Any]):
    """A mapping with the position of the mapping itself and of each key."""

    __slots__ = ("_at", "_packed")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # own position, then each key's in insertion order, from number _at of _packed (4
        # bytes each; other nodes of the document share it); _Unpacked once the view is used
        self._packed: bytes | _Unpacked = b""
        self._at = 0

    def set_packed(self, packed: bytes, at: int = 0) -> None:
        """The loader's positions: this mapping's, then its keys' in insertion order, from
        number ``at`` of ``packed`` (see :func:`pack_positions`; 4 bytes a number)."""
        self._packed = packed
        self._at = at

    @property
    def position(self) -> Position:
        return _own(self._packed, self._at)

    @position.setter
    def position(self, value: Position) -> None:
        packed = self._packed
        if type(packed) is bytes:
            self._packed = _repacked(packed, self._at, value)
            self._at = 0
        else:
            assert isinstance(packed, _Unpacked)
            packed.position = value

    @property
    def key_positions(self) -> dict[str, Position]:
        packed = self._packed
        if type(packed) is bytes:
            offsets = _run(packed, self._at)
            keys = {
                key: _PAIR.unpack_from(packed, offset)
                for key, offset in zip(self, offsets, strict=False)
            }
            self._packed = packed = _Unpacked(_own(packed, self._at), keys)
        assert isinstance(packed, _Unpacked)
        table: dict[str, Position] = packed.table
        return table

    @key_positions.setter
    def key_positions(self, value: dict[str, Position]) -> None:
        self._packed = _Unpacked(self.position, value)

    def key_position(self, key: str) -> Position | None:
        """Where ``key`` was written; None when unknown."""
        packed = self._packed
        if type(packed) is bytes and len(self) <= _LARGE:
            for offset, candidate in zip(_run(packed, self._at), self, strict=False):
                if candidate == key:
                    return _PAIR.unpack_from(packed, offset)
            return None
        return self.key_positions.get(key)


class YSeq(list[Any]):
    """A sequence with the position of the sequence itself and of each item."""

    __slots__ = ("_at", "_packed")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        # own position, then each item's, from number _at of _packed; _Unpacked once the
        # view is used
        self._packed: bytes | _Unpacked = b""
        self._at = 0

    def set_packed(self, packed: bytes, at: int = 0) -> None:
        """The loader's positions: this sequence's, then its items' in order, from number
        ``at`` of ``packed`` (see :func:`pack_positions`; 4 bytes a number)."""
        self._packed = packed
        self._at = at

    @property
    def position(self) -> Position:
        return _own(self._packed, self._at)

    @position.setter
    def position(self, value: Position) -> None:
        packed = self._packed
        if type(packed) is bytes:
            self._packed = _repacked(packed, self._at, value)
            self._at = 0
        else:
            assert isinstance(packed, _Unpacked)
            packed.position = value

    @property
    def item_positions(self) -> list[Position]:
        packed = self._packed
        if type(packed) is bytes:
            offsets = _run(packed, self._at)
            items = [_PAIR.unpack_from(packed, offset) for offset in offsets]
            self._packed = packed = _Unpacked(_own(packed, self._at), items)
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
            run = _run(packed, self._at)
            return _PAIR.unpack_from(packed, run[index]) if 0 <= index < len(run) else None
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


class ResetMap(ReplacingMap):
    """A value tagged ``!reset`` written as a mapping: nothing is left of what it is merged
    over; a service written so is removed from the model (Compose's merge)."""

    __slots__ = ()


class ResetSeq(ReplacingSeq):
    """A value tagged ``!reset`` written as a sequence: see :class:`ResetMap`."""

    __slots__ = ()


def is_reset(value: object) -> bool:
    """Whether ``value`` was written ``!reset`` (``search: !reset []``)."""
    return isinstance(value, ResetMap | ResetSeq)
