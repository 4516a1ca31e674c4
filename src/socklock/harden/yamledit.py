"""Surgical YAML (and JSON) edits: each fix becomes one small text edit at the positions the
parser gives, and every byte outside it stays as it was.

Why not a round-trip emitter: one that re-emits a whole file reformats what it does not
model (a list indented one way here and another way there, flow style, comments between
keys), so it had to refuse half of real files. Here an edit is one of: insert a key with the
indentation of its siblings, replace one scalar, append one list item in the style of that
list (block or flow, dash indented or not), delete one key or item. Edits are applied one at
a time, the text re-parsed in between (PyYAML's C composer: nodes with line and column), and
at the end the text must read back as exactly the intended data (the same edits applied to
the loaded data); otherwise the text is refused with the reason, never written.

Aliases resolve to the node where the anchor is defined: an edit through an alias lands
there, once, which is also what the intended data says (the loader shares aliased values).
A key that a mapping only gets through a ``<<`` merge is followed into the merged mapping.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from socklock.model import YamlEdit

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"
_NULL = "tag:yaml.org,2002:null"
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as a line break
PathElement = str | int
_MAX_STEPS = 64


class EditError(Exception):
    """An edit this text cannot take surgically (the reason says why)."""


class _Style:
    """How the file writes what an edit adds; the indentation is measured on first use
    (most edits of a round render nothing new in block style... and a plan that is only
    checked should not pay for it)."""

    def __init__(self, text: str, documents: list[Any], json_: bool) -> None:
        crlf = text.count("\r\n")
        self.newline = "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
        self.json = json_
        self._documents = documents
        self._indent: tuple[int, int] | None = None

    @property
    def step(self) -> int:
        """A nested mapping's keys: this many columns right of its key."""
        return self._measure()[0]

    @property
    def dash(self) -> int:
        """A block list under a key: its dashes this many columns right of the key."""
        return self._measure()[1]

    def _measure(self) -> tuple[int, int]:
        if self._indent is None:
            self._indent = _indentation(self._documents)
        return self._indent


def edit_yaml(
    text: str, edits: Sequence[YamlEdit], *, first_line: int = 0, json_: bool = False
) -> str:
    """``text`` with ``edits`` applied. ``first_line``: lines of the file before ``text``
    (anchors are file lines). Raises :class:`EditError` when an edit cannot be made or the
    result would not read back as intended."""
    documents = _compose(text)
    try:
        intended = [_data(root) for root in documents]
    except yaml.YAMLError as exc:
        raise EditError(f"cannot read: {_first_line(exc)}") from exc
    style = _Style(text, documents, json_)
    targets: list[tuple[YamlEdit, int, tuple[PathElement, ...]]] = []
    seen: set[str] = set()
    roots: dict[tuple[int, int], tuple[int, tuple[PathElement, ...]] | None] = {}
    for edit in edits:
        identity = repr((edit.document, edit.anchor, edit.path, edit.op, edit.value))
        if identity in seen:
            continue
        seen.add(identity)
        if not edit.path:
            raise EditError("an edit needs a path")
        if edit.anchor != (0, 0):
            where = (edit.anchor[0] - first_line, edit.anchor[1])
            if where not in roots:
                roots[where] = _anchored(documents, *where)
            found = roots[where]
            if found is None:
                raise EditError(f"no mapping at line {edit.anchor[0]}, column {edit.anchor[1]}")
            targets.append((edit, *found))
        else:
            if not 0 <= edit.document < len(documents):
                raise EditError(f"no document {edit.document}")
            targets.append((edit, edit.document, ()))
    for edit, document, prefix in targets:
        _apply_data(_data_at(intended, document, prefix), edit)
    pending = targets
    result: list[Any] | None = None
    for _ in range(_MAX_STEPS):  # rounds: the edits that do not hold yet, then re-parse
        lines = _Text(text)
        intents: list[tuple[tuple[YamlEdit, int, tuple[PathElement, ...]], _Intent]] = []
        for target in pending:
            edit, document, prefix = target
            intent = _text_edit(lines, _node_at(documents[document], prefix), edit, style)
            if intent is not None:
                intents.append((target, intent))
        if not intents:
            break
        pending = [target for target, _ in intents]
        text = _apply_round(lines, [intent for _, intent in intents], style)
        documents = _compose(text)
        result = _read_back(documents)
        if result == intended:  # every edit holds: no need to ask each one again
            return text
    else:
        raise EditError("the edits do not settle")
    if (result if result is not None else _read_back(documents)) != intended:
        raise EditError("the edited text would not read back as the intended data")
    return text


def _read_back(documents: list[Any]) -> list[Any]:
    try:
        return [_data(root) for root in documents]
    except yaml.YAMLError as exc:
        raise EditError(f"the edited text would not read back: {_first_line(exc)}") from exc


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# -- parsing -----------------------------------------------------------------------------------


def _compose(text: str) -> list[Any]:
    try:
        return list(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        raise EditError(f"cannot parse: {_first_line(exc)}") from exc


def _anchored(
    documents: list[Any], line: int, column: int
) -> tuple[int, tuple[PathElement, ...]] | None:
    """The mapping that starts at 1-based (``line``, ``column``): its document and its path
    from that root (only the nodes whose lines span ``line`` are visited)."""
    for index, root in enumerate(documents):
        stack: list[tuple[Any, tuple[PathElement, ...]]] = [(root, ())]
        visited: set[int] = set()
        while stack:
            node, path = stack.pop()
            if node is None or id(node) in visited:
                continue
            visited.add(id(node))
            if not node.start_mark.line + 1 <= line <= node.end_mark.line + 1:
                continue
            if isinstance(node, yaml.MappingNode):
                if (node.start_mark.line + 1, node.start_mark.column + 1) == (line, column):
                    return index, path
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE:
                        stack.append((value, (*path, _key_data(key))))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend((child, (*path, i)) for i, child in enumerate(node.value))
    return None


def _key_data(node: Any) -> Any:
    """A scalar key as the loader reads it (``80`` is an int key)."""
    return (
        yaml.load(yaml.serialize(node), Loader=_Loader)
        if node.tag != "tag:yaml.org,2002:str"
        else node.value
    )


def _node_at(root: Any, path: Sequence[PathElement]) -> Any:
    node = root
    for element in path:
        found = _child(node, element)
        if found is None:
            raise EditError(f"{element!r}: not found after an earlier edit")
        node = found[1]
    return node


def _child(node: Any, element: PathElement) -> tuple[Any, Any] | None:
    """(key node, value node) of ``element`` in a mapping (also through ``<<`` merges), or
    (None, item) in a sequence; None when absent."""
    if isinstance(element, int):
        if isinstance(node, yaml.SequenceNode) and -len(node.value) <= element < len(node.value):
            return None, node.value[element]
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    keys = _keys(node)
    if element in keys:
        return keys[element]
    for key, value in reversed(node.value):  # later merges lose to earlier ones: search first
        if key.tag != _MERGE:
            continue
        merged = value.value if isinstance(value, yaml.SequenceNode) else [value]
        for source in merged:
            found = _child(source, element)
            if found is not None:
                return found
    return None


def _keys(node: Any) -> dict[Any, tuple[Any, Any]]:
    """A mapping node's own (not merged) keys, indexed once per parse."""
    keys: dict[Any, tuple[Any, Any]] | None = getattr(node, "socklock_keys", None)
    if keys is None:
        keys = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE:
                keys.setdefault(_key_data(key), (key, value))
        node.socklock_keys = keys
    return keys


def _data_at(documents: list[Any], index: int, path: Sequence[PathElement]) -> Any:
    node = documents[index]
    for element in path:
        node = node[element]
    return node


# -- the intended data -------------------------------------------------------------------------


def _same_item(a: Any, b: Any) -> bool:
    if a == b:
        return True
    return (
        isinstance(a, dict) and isinstance(b, dict) and "name" in b and a.get("name") == b["name"]
    )


def _apply_data(root: Any, edit: YamlEdit) -> None:
    """The edit on plain data (the semantics of :class:`YamlEdit`)."""
    *parents, last = edit.path
    node = root
    create = edit.op in ("set", "setdefault", "append")
    for element in parents:
        if isinstance(element, int):
            if not isinstance(node, list) or not -len(node) <= element < len(node):
                raise EditError(f"no list item {element}")
            node = node[element]
            continue
        if not isinstance(node, dict):
            raise EditError(f"{element!r}: parent is not a mapping")
        if node.get(element) is None:
            if not create:
                return
            node[element] = {}
        node = node[element]
    if edit.op in ("set", "setdefault"):
        if isinstance(last, int):
            if edit.op == "set":
                node[last] = _plain(edit.value)
            return
        if not isinstance(node, dict):
            raise EditError(f"{last!r}: parent is not a mapping")
        if edit.op == "setdefault" and node.get(last) is not None:
            return
        node[last] = _plain(edit.value)
    elif edit.op == "append":
        if not isinstance(node, dict) or isinstance(last, int):
            raise EditError("append needs a mapping key")
        items = node.get(last)
        if items is None:
            items = node[last] = []
        elif isinstance(items, str):
            items = node[last] = [items]
        if not isinstance(items, list):
            raise EditError(f"{last!r} is not a list")
        if not any(_same_item(item, edit.value) for item in items):
            items.append(_plain(edit.value))
    elif edit.op == "remove":
        if isinstance(last, int):
            if isinstance(node, list) and -len(node) <= last < len(node):
                del node[last]
            return
        if not isinstance(node, dict) or last not in node:
            return
        if edit.value is None:
            del node[last]
            return
        items = node[last]
        if isinstance(items, list):
            items[:] = [item for item in items if item != edit.value]
            if not items:
                del node[last]
    elif edit.op == "replace":
        if not isinstance(node, dict) or isinstance(last, int):
            return
        items = node.get(last)
        old, new = edit.value
        if isinstance(items, list):
            items[:] = [new if item == old else item for item in items]
    else:
        raise EditError(f"unknown edit operation {edit.op!r}")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# -- the text edit of one operation ------------------------------------------------------------

_Change = tuple[int, int, str]  # replace text[start:end] by the string


@dataclass(slots=True)
class _Insert:
    """Keys to add to a mapping (edits that add to the same mapping in a round join)."""

    node: Any
    entries: dict[Any, Any]


@dataclass(slots=True)
class _Append:
    """Items to add to a list."""

    node: Any
    items: list[Any]


_Intent = _Change | _Insert | _Append


class _Conflict(Exception):
    """Two edits of a round want different values at one place: the later waits a round."""


def _join(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for key, value in b.items():
            out[key] = _join(out[key], value) if key in out else value
        return out
    if isinstance(a, list) and isinstance(b, list):
        return a + [item for item in b if not any(_same_item(x, item) for x in a)]
    if a == b and type(a) is type(b):
        return a
    raise _Conflict


def _apply_round(lines: _Text, intents: list[_Intent], style: _Style) -> str:
    """Make the round's edits that do not collide (the rest waits for the next round, on
    the re-parsed text): additions to one mapping or list join into one insertion; other
    changes must not touch each other; insertions at one offset go deepest first."""
    groups: dict[int, _Insert | _Append] = {}
    order: list[_Intent] = []
    for intent in intents:
        if isinstance(intent, tuple):
            order.append(intent)
            continue
        group = groups.get(id(intent.node))
        if group is None:
            group = groups[id(intent.node)] = (
                _Insert(intent.node, {})
                if isinstance(intent, _Insert)
                else _Append(intent.node, [])
            )
            order.append(group)
        try:
            if isinstance(group, _Insert) and isinstance(intent, _Insert):
                group.entries = _join(group.entries, intent.entries)
            elif isinstance(group, _Append) and isinstance(intent, _Append):
                group.items = _join(group.items, intent.items)
        except _Conflict:
            continue
    accepted: list[tuple[int, int, str, int]] = []  # start, end, text, column (deeper first)
    for intent in order:
        if isinstance(intent, _Insert):
            start, end, new = _render_insert(lines, intent.node, intent.entries, style)
            column = _key_column(intent.node)
        elif isinstance(intent, _Append):
            start, end, new = _render_append(lines, intent.node, intent.items, style)
            column = intent.node.start_mark.column + 2  # its items' content: inside its key
        else:
            start, end, new = intent
            column = -1
        if any(_collide(lines, (start, end, new), (s, e, n)) for s, e, n, _ in accepted):
            continue
        accepted.append((start, end, new, column))
    text = lines.text
    pieces: list[str] = []
    position = 0
    for start, end, new, _ in sorted(accepted, key=lambda c: (c[0], -c[3])):
        pieces.append(text[position:start])
        pieces.append(new)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _collide(lines: _Text, a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two changes collide when the lines they touch overlap or follow each other (a key
    deleted and one added to the same mapping), unless both only insert, or one inserts
    whole lines and the other rewrites a value inside one other line (``drop: [all]`` made
    ``[ALL]`` and a key added after it: independent, so one round, one re-parse)."""
    if a[0] == a[1] and b[0] == b[1]:
        return False
    if (_in_line(lines, a) and _at_other_line(lines, b, a)) or (
        _in_line(lines, b) and _at_other_line(lines, a, b)
    ):
        return False
    wide_a = _widen(lines, a[:2]) if a[0] != a[1] else a[:2]
    wide_b = _widen(lines, b[:2]) if b[0] != b[1] else b[:2]
    return wide_a[0] <= wide_b[1] and wide_b[0] <= wide_a[1]


def _in_line(lines: _Text, change: tuple[int, int, str]) -> bool:
    """A replacement inside one line that leaves it one line."""
    start, end, new = change
    return (
        start != end
        and lines.line_of(start) == lines.line_of(end)
        and _BREAK.search(lines.text, start, end) is None
        and _BREAK.search(new) is None
    )


def _at_other_line(lines: _Text, insert: tuple[int, int, str], other: tuple[int, int, str]) -> bool:
    """An insertion at the start of a line other than the one ``other`` changes."""
    at = insert[0]
    return (
        insert[0] == insert[1]
        and lines.line_start(at) == at
        and lines.line_of(at) != lines.line_of(other[0])
    )


def _widen(lines: _Text, span: tuple[int, int]) -> tuple[int, int]:
    """A change's span from the start of its first line to the start of the line after."""
    return lines.line_start(span[0]), lines.next_line(max(span[1] - 1, span[0]))


class _Text:
    """Offsets of a text's lines as YAML counts them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def offset(self, mark: Any) -> int:
        line: int = mark.line
        column: int = mark.column
        return self.starts[line] + column

    def line_of(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.starts, offset) - 1

    def line_start(self, offset: int) -> int:
        return self.starts[self.line_of(offset)]

    def next_line(self, offset: int) -> int:
        """The start of the line after the one holding ``offset`` (the end of the text when
        that is the last line)."""
        line = self.line_of(offset)
        return self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)


def _text_edit(lines: _Text, root: Any, edit: YamlEdit, style: _Style) -> _Intent | None:
    """What the text needs next for ``edit`` to hold (None: it holds)."""
    *parents, last = edit.path
    create = edit.op in ("set", "setdefault", "append")
    node = root
    for depth, element in enumerate(parents):
        found = _child(node, element)
        if found is None or _is_null(found[1]):
            if not create:
                return None
            if isinstance(element, int):
                raise EditError(f"no list item {element}")
            value = _nested(parents[depth + 1 :], last, edit)
            if value is None:
                return None
            if found is None:
                return _insert_entry(lines, node, element, value, style)
            return _replace_data(lines, found[0], found[1], value, style, flow=_is_flow(node))
        node = found[1]
    if edit.op in ("set", "setdefault"):
        found = _child(node, last)
        if isinstance(last, int):
            if found is None or edit.op == "setdefault":
                return None
            flow = _is_flow(node)
            return _replace_data(lines, None, found[1], _plain(edit.value), style, flow=flow)
        if not isinstance(node, yaml.MappingNode):
            raise EditError(f"{last!r}: parent is not a mapping")
        if found is None:
            return _insert_entry(lines, node, last, _plain(edit.value), style)
        if edit.op == "setdefault" and not _is_null(found[1]):
            return None
        if _data(found[1]) == _plain(edit.value) and not _is_null(found[1]):
            return None
        if isinstance(edit.value, dict) and isinstance(found[1], yaml.MappingNode):
            return _merge_into(lines, root, edit, _data(found[1]), style)
        value = _plain(edit.value)
        return _replace_data(lines, found[0], found[1], value, style, flow=_is_flow(node))
    if edit.op == "append":
        if not isinstance(node, yaml.MappingNode) or isinstance(last, int):
            raise EditError("append needs a mapping key")
        found = _child(node, last)
        item = _plain(edit.value)
        if found is None:
            return _insert_entry(lines, node, last, [item], style)
        key, items = found
        flow = _is_flow(node)
        if _is_null(items):
            return _replace_data(lines, key, items, [item], style, flow=flow)
        if isinstance(items, yaml.ScalarNode) and isinstance(_data(items), str):
            both = [_data(items), item]
            return _replace_data(lines, key, items, both, style, flow=True)
        if not isinstance(items, yaml.SequenceNode):
            raise EditError(f"{last!r} is not a list")
        if any(_same_item(_data(child), item) for child in items.value):
            return None
        return _append_item(lines, items, item, style)
    if edit.op == "remove":
        found = _child(node, last)
        if found is None:
            return None
        if isinstance(last, int):
            return _delete_item(lines, node, found[1])
        if _own_key(node, found[0]) is None:
            raise EditError(f"{last!r} comes from a merged mapping: remove it there by hand")
        if edit.value is None:
            return _delete_entry(lines, node, found[0], found[1])
        items = found[1]
        if not isinstance(items, yaml.SequenceNode):
            return None
        matches = [child for child in items.value if _data(child) == edit.value]
        if not matches:
            return None
        if len(matches) == len(items.value):
            return _delete_entry(lines, node, found[0], items)
        return _delete_item(lines, items, matches[0])  # one at a time: the rest on re-parse
    if edit.op == "replace":
        found = _child(node, last)
        if found is None or not isinstance(found[1], yaml.SequenceNode):
            return None
        old, new = edit.value
        for child in found[1].value:
            if isinstance(child, yaml.ScalarNode) and _data(child) == old:
                return _replace_scalar(lines, child, new, style)
        return None
    raise EditError(f"unknown edit operation {edit.op!r}")


def _merge_into(
    lines: _Text, root: Any, edit: YamlEdit, current: dict[Any, Any], style: _Style
) -> _Intent | None:
    """A mapping set over a mapping: the first key that differs is set (or, not wanted,
    removed) on its own, so the keys that already match keep their text."""
    for key, value in edit.value.items():
        if key not in current or current[key] != _plain(value) or current[key] is None:
            step = YamlEdit(edit.document, (*edit.path, key), "set", value, edit.anchor)
            return _text_edit(lines, root, step, style)
    for key in current:
        if key not in edit.value:
            step = YamlEdit(edit.document, (*edit.path, key), "remove", None, edit.anchor)
            return _text_edit(lines, root, step, style)
    return None


def _nested(rest: Sequence[PathElement], last: PathElement, edit: YamlEdit) -> Any:
    """The value a missing key on the way gets: the rest of the path down to the edit."""
    if edit.op == "append":
        value: Any = {last: [_plain(edit.value)]}
    else:
        value = {last: _plain(edit.value)}
    for element in reversed(rest):
        if isinstance(element, int):
            raise EditError(f"no list item {element}")
        value = {element: value}
    return value


def _is_null(node: Any) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL


_SCALARS: Any = yaml.SafeLoader("")  # its scalar constructors (no state for scalars)
_STR = "tag:yaml.org,2002:str"


def _data(node: Any, memo: dict[int, Any] | None = None) -> Any:
    """A node as the safe loader builds it (``<<`` merges resolved, aliases shared), without
    emitting and parsing it again. Unknown tags (compose's ``!reset``) build by kind."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            return node.value
        construct = _SCALARS.yaml_constructors.get(node.tag)
        return construct(_SCALARS, node) if construct is not None else node.value
    memo = {} if memo is None else memo
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, yaml.SequenceNode):
        items: list[Any] = []
        memo[id(node)] = items
        items.extend(_data(child, memo) for child in node.value)
        return items
    mapping: dict[Any, Any] = {}
    memo[id(node)] = mapping
    merged: list[Any] = []
    for key, value in node.value:
        if key.tag == _MERGE:
            merged += value.value if isinstance(value, yaml.SequenceNode) else [value]
    for source in reversed(merged):  # the first merged mapping wins over later ones
        mapping.update(_data(source, memo))
    for key, value in node.value:
        if key.tag != _MERGE:
            mapping[_data(key, memo)] = _data(value, memo)
    return mapping


def _own_key(mapping: Any, key: Any) -> Any:
    return next((k for k, _ in mapping.value if k is key), None)


def _is_flow(node: Any) -> bool:
    return bool(getattr(node, "flow_style", False))


def _end(lines: _Text, node: Any) -> int:
    """The offset right after the last character of ``node``'s own text (not the blank lines,
    comments or indentation that the parser's end mark may include)."""
    if isinstance(node, yaml.MappingNode) and not _is_flow(node) and node.value:
        key, value = node.value[-1]
        if _is_empty(value):
            return _colon_after(lines, key)
        if _start(lines, value) < _start(lines, key):  # an alias: its own text is ``*name``
            return _alias_end(lines, _colon_after(lines, key))
        return _end(lines, value)
    if isinstance(node, yaml.SequenceNode) and not _is_flow(node) and node.value:
        last = node.value[-1]
        before = node.value[-2] if len(node.value) > 1 else node
        if _start(lines, last) <= _start(lines, before) and last is not node.value[0]:
            return _alias_end(lines, _end(lines, before))
        if _start(lines, last) < _start(lines, node):
            return _alias_end(lines, _start(lines, node))
        return _end(lines, last)
    end = lines.offset(node.end_mark)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        while end > 0 and lines.text[end - 1] in " \t\r\n\x85\u2028\u2029":
            end -= 1
    return end


_ALIAS = re.compile(r"\*[^\s,\[\]{}]+")


def _alias_end(lines: _Text, offset: int) -> int:
    """The end of the ``*name`` alias written next after ``offset``."""
    found = _ALIAS.search(lines.text, offset)
    if found is None:
        raise EditError("an alias without its name")
    return found.end()


def _is_alias(lines: _Text, key: Any, value: Any) -> bool:
    """Is this mapping value an alias (the node is where its anchor is, before the key)?"""
    return key is not None and _start(lines, value) < _start(lines, key)


def _key_column(mapping: Any) -> int:
    """The column of a block mapping's keys (its start is its anchor or tag, when written)."""
    column: int = (mapping.value[0][0] if mapping.value else mapping).start_mark.column
    return column


def _is_alias_item(lines: _Text, items: Any) -> bool:
    """Is the first item of a block list an alias (``- *name``)?"""
    return _start(lines, items.value[0]) < _start(lines, items)


def _is_empty(node: Any) -> bool:
    """A null written as nothing (``key:`` alone)."""
    return isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None


def _start(lines: _Text, node: Any) -> int:
    return lines.offset(node.start_mark)


def _insert_entry(
    lines: _Text, mapping: Any, key: PathElement, value: Any, style: _Style
) -> _Intent:
    return _Insert(mapping, {key: value})


def _render_insert(lines: _Text, mapping: Any, entries: dict[Any, Any], style: _Style) -> _Change:
    """New keys at the end of a mapping, at the column of its keys (flow: after the last)."""
    if _is_flow(mapping) or style.json:
        return _insert_flow(lines, mapping, list(entries.items()), style, mapping=True)
    column = _key_column(mapping)
    end = _end(lines, mapping)
    text = "".join(
        line + style.newline
        for key, value in entries.items()
        for line in _entry_lines(key, value, column, style)
    )
    return _insert_after_line(lines, end, text, style)


def _insert_after_line(lines: _Text, end: int, text: str, style: _Style) -> _Change:
    at = lines.next_line(max(end - 1, 0))
    if at == len(lines.text) and not _BREAK.search(lines.text[lines.line_start(max(end - 1, 0)) :]):
        return at, at, style.newline + text.removesuffix(style.newline)  # no final newline
    return at, at, text


def _append_item(lines: _Text, items: Any, item: Any, style: _Style) -> _Intent:
    return _Append(items, [item])


def _render_append(lines: _Text, items: Any, new: list[Any], style: _Style) -> _Change:
    """New items at the end of a list, in its style (block: at its dash column)."""
    if _is_flow(items) or style.json:
        return _insert_flow(lines, items, [(None, item) for item in new], style, mapping=False)
    if not items.value:
        raise EditError("an empty block list")
    first = items.value[0]
    dash_at = lines.text.rfind("-", 0, _start(lines, first))
    if _is_alias_item(lines, items) or dash_at < 0:
        raise EditError("a list whose first item is an alias")
    dash = dash_at - lines.line_start(dash_at)
    same_line = lines.line_of(dash_at) == first.start_mark.line
    content = first.start_mark.column if same_line else dash + 2
    end = _end(lines, items)
    text = "".join(
        line + style.newline
        for item in new
        for line in _item_lines(item, dash, content - dash, style)
    )
    return _insert_after_line(lines, end, text, style)


def _insert_flow(
    lines: _Text, node: Any, entries: list[tuple[Any, Any]], style: _Style, *, mapping: bool
) -> _Change:
    """Add to a flow collection (or JSON): after its last entry, on that entry's line when
    the collection is on one line, else on a new line indented like the last entry."""
    pieces = [
        (f"{_flow(k, style)}: {_flow(v, style)}" if mapping else _flow(v, style))
        for k, v in entries
    ]
    addition = ", ".join(pieces)
    if not node.value:
        close = lines.offset(node.end_mark) - 1  # the closing bracket
        if lines.text[close] not in "]}":
            raise EditError("an empty flow collection without its bracket")
        return close, close, addition
    last = node.value[-1][1] if mapping else node.value[-1]
    end = _end(lines, last)
    open_line = node.start_mark.line
    last_line = lines.line_of(end)
    if open_line == last_line:
        return end, end, ", " + addition
    first = node.value[-1][0] if mapping else node.value[-1]
    indent = " " * first.start_mark.column
    return end, end, "," + style.newline + indent + addition


def _replace_data(
    lines: _Text, key: Any, node: Any, value: Any, style: _Style, *, flow: bool
) -> _Change:
    """A key's (or item's) value becomes ``value``: scalars in place, collections in the
    style around (flow inside a flow collection or JSON, else block lines under the key).
    ``flow``: the collection holding the value is in flow style."""
    if _is_alias(lines, key, node):
        raise EditError("the value is an alias: edit the anchored value by hand")
    collection = isinstance(value, dict | list) and bool(value)
    flow = flow or style.json
    if _is_empty(node):
        if key is None:
            raise EditError("an empty list item")
        at = _colon_after(lines, key)
        if collection and not flow:
            body = _value_lines(value, key.start_mark.column, style)
            return _insert_after_line(
                lines, at, "".join(line + style.newline for line in body), style
            )
        return at, at, " " + _flow(value, style)
    if not collection or flow:
        if isinstance(node, yaml.ScalarNode):
            return _replace_scalar(lines, node, value, style)
        if not _is_flow(node):
            raise EditError("a block collection replaced in a flow collection")
        return _start(lines, node), _end(lines, node), _flow(value, style)
    if key is None:
        raise EditError("a list item replaced by a block collection")
    if not isinstance(node, yaml.ScalarNode):
        raise EditError("a collection replaced by a block collection")
    at, end = _start(lines, node), _end(lines, node)
    while at > 0 and lines.text[at - 1] == " ":
        at -= 1
    if lines.text[end : lines.next_line(end)].strip().startswith("#"):
        raise EditError("a comment after the value that becomes a block")
    body = _value_lines(value, key.start_mark.column, style)
    return at, end, "".join(style.newline + line for line in body)


def _colon_after(lines: _Text, key: Any) -> int:
    at = lines.offset(key.end_mark)
    while at < len(lines.text) and lines.text[at] in " \t":
        at += 1
    if at >= len(lines.text) or lines.text[at] != ":":
        raise EditError("a key without its colon")
    return at + 1


def _replace_scalar(lines: _Text, node: Any, value: Any, style: _Style) -> _Change:
    start, end = _start(lines, node), _end(lines, node)
    if node.style in ("|", ">"):
        raise EditError("a block scalar replaced")
    if isinstance(value, str) and node.style in ("'", '"') and not style.json:
        quoted = json.dumps(value) if node.style == '"' else "'" + value.replace("'", "''") + "'"
        return start, end, quoted
    return start, end, _flow(value, style)


def _value_end(lines: _Text, key: Any, value: Any) -> int:
    if _is_empty(value):
        return _colon_after(lines, key)
    if _is_alias(lines, key, value):
        return _alias_end(lines, _colon_after(lines, key))
    return _end(lines, value)


def _delete_entry(lines: _Text, mapping: Any, key: Any, value: Any) -> _Change:
    start = _start(lines, key)
    if _is_flow(mapping) or lines.text[lines.line_start(start) : start].strip(" ") not in ("",):
        index = next(i for i, (k, _) in enumerate(mapping.value) if k is key)
        if _is_flow(mapping):
            return _delete_flow(lines, mapping, index, mapping=True)
        if index + 1 < len(mapping.value):  # ``- key: v`` then more keys: the next moves up
            return start, _start(lines, mapping.value[index + 1][0]), ""
        return start, _value_end(lines, key, value), "{}"
    end = _value_end(lines, key, value)
    if len(mapping.value) == 1:  # the mapping stays, empty: ``key: {}`` when it can
        before = lines.text[:start].rstrip(" \t\r\n")
        if before.endswith(":") and not lines.text[len(before) : start].strip():
            return len(before), end, " {}"
        return start, end, "{}"
    return lines.line_start(start), lines.next_line(max(end - 1, start)), ""


def _delete_item(lines: _Text, items: Any, item: Any) -> _Change:
    index = next(i for i, child in enumerate(items.value) if child is item)
    if _is_flow(items):
        return _delete_flow(lines, items, index, mapping=False)
    start = _start(lines, item)
    dash = lines.text.rfind("-", 0, start)
    if lines.text[lines.line_start(dash) : dash].strip(" "):
        raise EditError("a list item that shares its line")
    if len(items.value) == 1:  # the list stays, empty
        return dash, _end(lines, item), "[]"
    return lines.line_start(dash), lines.next_line(max(_end(lines, item) - 1, start)), ""


def _delete_flow(lines: _Text, node: Any, index: int, *, mapping: bool) -> _Change:
    entries = [(k, v) for k, v in node.value] if mapping else [(c, c) for c in node.value]
    first, last = entries[index]
    start, end = _start(lines, first), _end(lines, last)
    if index + 1 < len(entries):
        return start, _start(lines, entries[index + 1][0]), ""
    if index > 0:
        return _end(lines, entries[index - 1][1]), end, ""
    return start, end, ""


# -- rendering ---------------------------------------------------------------------------------


def _flow(value: Any, style: _Style) -> str:
    if style.json:
        return json.dumps(value)
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{_flow(k, style)}: {_flow(v, style)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v, style) for v in value) + "]"
    text = _scalar(value)
    if isinstance(value, str) and re.search(r"[,\[\]{}]", text) and text[0] not in "'\"":
        return json.dumps(value)
    return text


def _scalar(value: Any) -> str:
    from socklock.policy.emit.yamltext import scalar

    if value is None:
        return "null"
    if isinstance(value, float):
        return repr(value)
    return scalar(value)


def _entry_lines(key: PathElement, value: Any, column: int, style: _Style) -> list[str]:
    head = " " * column + _scalar(key) + ":"
    if isinstance(value, dict | list) and value:
        return [head, *_value_lines(value, column, style)]
    return [f"{head} {_flow(value, style)}"]


def _value_lines(value: Any, key_column: int, style: _Style) -> list[str]:
    """A collection under a key at ``key_column``, in block style."""
    if isinstance(value, dict):
        out: list[str] = []
        for k, v in value.items():
            out += _entry_lines(k, v, key_column + style.step, style)
        return out
    out = []
    for item in value:
        out += _item_lines(item, key_column + style.dash, 2, style)
    return out


def _item_lines(item: Any, dash: int, gap: int, style: _Style) -> list[str]:
    lead = " " * dash + "-" + " " * (gap - 1)
    if isinstance(item, dict) and item:
        lines: list[str] = []
        for k, v in item.items():
            lines += _entry_lines(k, v, dash + gap, style)
        return [lead + lines[0][dash + gap :], *lines[1:]]
    if isinstance(item, list) and item:
        return [lead + _flow(item, style)]
    return [lead + _flow(item, style)]


# -- the file's style --------------------------------------------------------------------------


def _indentation(documents: list[Any]) -> tuple[int, int]:
    """(mapping step, dash offset) most used in the documents."""
    steps: Counter[int] = Counter()
    dashes: Counter[int] = Counter()
    stack = list(documents)
    visited: set[int] = set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not _is_flow(node) and not _is_flow(value):
                    if isinstance(value, yaml.MappingNode) and value.value:
                        steps[_key_column(value) - key.start_mark.column] += 1
                    elif (
                        isinstance(value, yaml.SequenceNode)
                        and value.value
                        and value.start_mark.line > key.start_mark.line  # at its first dash
                    ):
                        dashes[value.start_mark.column - key.start_mark.column] += 1
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    step = next((s for s, _ in steps.most_common() if s > 0), 2)
    dash = next((d for d, _ in dashes.most_common() if d >= 0), step)
    return step, dash
