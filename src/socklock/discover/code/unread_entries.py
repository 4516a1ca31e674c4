"""Entries of a lookup table that nothing reads: their addresses are no calls.

A module keeps its peers' URLs in one dict (``SERVICE_URLS = {"delivery": "http://...",
"geoalgo": "http://..."}``) and reads them by key (``SERVICE_URLS["delivery"]``,
``SERVICE_URLS.get("delivery")``). An entry whose key no read names is a leftover: the
program never opens its address. This holds only while every use of the name in the file is
such a read with a written key; the dict passed on, iterated, or read with a computed key
(``SERVICE_URLS[name]``) may reach any entry, and then every entry counts. Python only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.syntax import strip_quotes

if TYPE_CHECKING:
    from tree_sitter import Node


def unread_entry(top: Node, root: Node) -> bool:
    """Whether ``top`` is the value of a string-keyed entry of a dict literal assigned to a
    plain name, read in this file only by written keys, none of them this entry's."""
    pair = top.parent
    if pair is None or pair.type != "pair" or pair.child_by_field_name("value") != top:
        return False
    key = pair.child_by_field_name("key")
    table = pair.parent
    if key is None or key.type != "string" or table is None or table.type != "dictionary":
        return False
    assignment = table.parent
    if assignment is None or assignment.type != "assignment":
        return False
    name = assignment.child_by_field_name("left")
    if (
        name is None
        or name.type != "identifier"
        or assignment.child_by_field_name("right") != table
    ):
        return False
    keys = _read_keys(root, _text(name), name)
    return keys is not None and bool(keys) and _string(key) not in keys


def _read_keys(root: Node, name: str, definition: Node) -> set[str] | None:
    """The written keys ``name`` is read with in the file; None when it has another use."""
    keys: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type != "identifier" or _text(node) != name or node == definition:
            continue
        key = _written_key(node)
        if key is None:
            return None
        keys.add(key)
    return keys


def _written_key(use: Node) -> str | None:
    """``name["key"]`` or ``name.get("key", ...)``: the key; else None."""
    parent = use.parent
    if parent is None:
        return None
    if parent.type == "subscript" and parent.child_by_field_name("value") == use:
        index = parent.child_by_field_name("subscript")
        return _string(index) if index is not None and index.type == "string" else None
    if parent.type == "attribute" and parent.child_by_field_name("object") == use:
        method = parent.child_by_field_name("attribute")
        call = parent.parent
        if method is None or _text(method) != "get" or call is None or call.type != "call":
            return None
        arguments = call.child_by_field_name("arguments")
        first = next((c for c in arguments.named_children), None) if arguments else None
        return _string(first) if first is not None and first.type == "string" else None
    return None


def _string(node: Node) -> str | None:
    if any(child.type == "interpolation" for child in node.children):
        return None
    return strip_quotes(_text(node))


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")
