"""A loaded document kept small, and rebuilt into YMap/YSeq when it is read.

A Kubernetes document held as ``YMap``/``YSeq`` costs about ten ``dict``s of 200 bytes for
a small Deployment; the same values as ``marshal`` bytes of the plain tree cost about 250,
and decode in a microsecond or two. A :class:`CompactDocument` keeps those bytes beside the
document's packed positions (already one buffer shared by its nodes, see
:mod:`socklock.model.document`) and rebuilds the tree, with the very same positions, when
it is read.

The loader lays a document's position runs out in post-order (a node's children's runs
before its own), so where each node's run starts follows from the shape of the tree
alone: the rebuild walks the values in the same order and counts. :func:`compact` keeps a
document compact only when its tree is laid out that way (no alias, no merge key, no
position set by hand, no key added after loading, plain scalars only); any other stays as
it is.

The rebuilt trees most recently read are held (at most :data:`KEEP` of them and about
:data:`KEEP_BYTES` of their encoded size), so passes that read one object many times in a
row (every rule over one workload) rebuild it once. A rebuilt tree is a fresh copy: a
change made to it is lost once it leaves that cache, so readers must not change a body.
"""

from __future__ import annotations

import marshal
import struct
from collections import deque
from typing import Any

from socklock.model.document import YMap, YSeq

KEEP = 256
"""How many rebuilt trees are held at once."""
KEEP_BYTES = 4 * 1024 * 1024
"""How many encoded bytes the held trees may stand for (a big CRD counts for its size)."""

_SCALARS = frozenset({str, int, float, bool, type(None)})
_COUNT = struct.Struct("=I")  # the first number of a node's run: how many positions follow


class _Loose(Exception):
    """The tree is not laid out as the loader lays it out: kept as it is."""


class CompactDocument:
    """One document as ``marshal`` bytes of its values and its packed positions.

    :meth:`tree` gives the document as ``YMap``/``YSeq`` equal to the one loaded, with the
    same positions. Two documents are equal when their values are (as ``YMap`` are)."""

    __slots__ = ("_base", "_data", "_packed", "_tree")

    def __init__(self, data: bytes, packed: bytes, base: int, tree: YMap | None = None) -> None:
        self._data = data
        self._packed = packed
        self._base = base  # where the first run of the document's post-order starts
        self._tree = tree
        if tree is not None:
            _hold(self)

    def tree(self) -> YMap:
        """The document as loaded; the same object while it stays in the cache."""
        tree = self._tree
        if tree is None:
            built, _ = _rebuild(marshal.loads(self._data), self._packed, self._base)
            assert isinstance(built, YMap)
            self._tree = tree = built
            _hold(self)
        return tree

    @property
    def size(self) -> int:
        """Bytes of the encoded values."""
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CompactDocument):
            return bool(marshal.loads(self._data) == marshal.loads(other._data))
        if isinstance(other, dict):
            return bool(marshal.loads(self._data) == other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a dict: equal by value, mutable view

    def __repr__(self) -> str:
        return f"CompactDocument({len(self._data)} bytes)"

    def __getstate__(self) -> tuple[bytes, bytes, int]:
        return self._data, self._packed, self._base

    def __setstate__(self, state: tuple[bytes, bytes, int]) -> None:
        self._data, self._packed, self._base = state
        self._tree = None


_held: deque[CompactDocument] = deque()
_held_bytes = 0


def _hold(document: CompactDocument) -> None:
    """Keep ``document``'s tree among the last ones read; let the oldest go past the bound.
    A document is in ``_held`` exactly while its ``_tree`` is set."""
    global _held_bytes
    _held.append(document)
    _held_bytes += len(document._data)
    while len(_held) > 1 and (len(_held) > KEEP or _held_bytes > KEEP_BYTES):
        old = _held.popleft()
        old._tree = None
        _held_bytes -= len(old._data)


def held() -> int:
    """How many rebuilt trees the cache holds (for tests and measurements)."""
    return len(_held)


def release() -> None:
    """Let every held tree go (they are rebuilt when read again)."""
    global _held_bytes
    while _held:
        _held.popleft()._tree = None
    _held_bytes = 0


def compact(body: YMap) -> CompactDocument | YMap:
    """``body`` as a :class:`CompactDocument` (holding ``body`` itself as its first tree),
    or ``body`` unchanged when its tree is not laid out as the loader lays it out."""
    packed = body._packed
    if type(packed) is not bytes or not packed or type(body) is not YMap:
        return body
    # the first run of the post-order: the first collection's first collection's ...
    first: YMap | YSeq = body
    while True:
        for child in first.values() if type(first) is YMap else first:
            if type(child) is YMap or type(child) is YSeq:
                first = child
                break
        else:
            break
    base = first._at
    try:
        plain, end = _plain(body, packed, base)
        data = marshal.dumps(plain)
    except (_Loose, ValueError, RecursionError):
        return body
    # every node's run started where the count said, so each count matched but maybe the
    # last one's (the root's): a key added to the root after loading
    if _COUNT.unpack_from(packed, 4 * body._at)[0] != len(body):
        return body
    assert end == body._at + 3 + 2 * len(body)
    return CompactDocument(data, packed, base, body)


def _plain(node: YMap | YSeq, packed: bytes, at: int) -> tuple[Any, int]:
    """The plain copy of a loaded subtree whose first run starts at number ``at``, checking
    that each node's run starts where the post-order count says (what :func:`_rebuild`
    counts); also where the next run starts. A count that does not match the node's length
    shifts its parent's start, so only the root's needs its own check."""
    out: Any
    if type(node) is YMap:
        out = {}
        for key, value in node.items():
            kind = type(key)
            if kind is not str and kind not in _SCALARS:
                raise _Loose
            kind = type(value)
            if kind is str or kind in _SCALARS:
                out[key] = value
            elif kind is YMap or kind is YSeq:
                out[key], at = _plain(value, packed, at)
            else:
                raise _Loose
    elif type(node) is YSeq:
        out = []
        for value in node:
            kind = type(value)
            if kind is str or kind in _SCALARS:
                out.append(value)
            elif kind is YMap or kind is YSeq:
                value, at = _plain(value, packed, at)
                out.append(value)
            else:
                raise _Loose
    else:
        raise _Loose
    if node._at != at or node._packed is not packed:
        raise _Loose
    return out, at + 3 + 2 * len(node)


def _rebuild(plain: Any, packed: bytes, at: int) -> tuple[YMap | YSeq, int]:
    """``plain`` as YMap/YSeq whose runs start from number ``at`` of ``packed`` in
    post-order; also where the next run starts."""
    node: YMap | YSeq
    if type(plain) is dict:
        node = dict.__new__(YMap)
        for key, value in plain.items():
            kind = type(value)
            if kind is dict or kind is list:
                value, at = _rebuild(value, packed, at)
            node[key] = value
    else:
        node = list.__new__(YSeq)
        for value in plain:
            kind = type(value)
            if kind is dict or kind is list:
                value, at = _rebuild(value, packed, at)
            node.append(value)
    node._packed = packed
    node._at = at
    return node, at + 3 + 2 * len(node)
