"""YAML and JSON documents with positions, read by PyYAML's C parser.

Values come back as :class:`YMap`/:class:`YSeq`, so later stages can point at any field.
A malformed document does not hide the others: when a multi-document stream fails, the file
is split at its ``---`` separators and each part is read on its own. Aliases are counted
before anything is built, so an alias bomb is refused instead of exhausting memory. The
nesting depth is measured before the C composer sees the text (it recurses per level and
would crash the process), and a key written twice in one mapping is an error, as the YAML
spec says (so two documents concatenated without ``---`` are not silently merged).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from socklock.load.limits import Limits
from socklock.model import Diagnostic, Location, YMap, YSeq
from socklock.model.document import (
    Position,
    ReplacingMap,
    ReplacingSeq,
    ResetMap,
    ResetSeq,
    pack_positions,
    share_packed,
)

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PositionLoader(_Loader):  # type: ignore[misc]
    """Safe loader building YMap/YSeq with 1-based positions."""

    # The C composer calls these around every node (twice a node, from C into Python) for
    # path resolvers, which this loader never has (``add_path_resolver`` is not used): a
    # built-in method taking the same arguments and doing nothing is called instead, with
    # no Python frame. ``{}.get(parent, index)`` gives ``index``; ``().__len__()`` gives 0.
    descend_resolver: Any = {}.get
    ascend_resolver: Any = ().__len__

    def resolve(self, kind: Any, value: Any, implicit: tuple[bool, bool]) -> str:
        """PyYAML's resolution, remembered per plain scalar.

        The C parser asks once per node (millions in a big input). Without path resolvers
        (this loader has none) a collection's tag is the default one and a scalar's depends
        only on its text; a quoted scalar is a string. The memory is bounded (short texts, a
        fixed number of them)."""
        if kind is _ScalarNode:
            if not implicit[0]:
                return _STR
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = str(super().resolve(kind, value, implicit))
                if len(value) <= _RESOLVED_TEXT and len(_RESOLVED) < _RESOLVED_COUNT:
                    _RESOLVED[value] = tag
            return tag
        return _MAP if kind is yaml.MappingNode else _SEQ


_STR = "tag:yaml.org,2002:str"
_ScalarNode = yaml.ScalarNode
_RESOLVED: dict[str, str] = {}  # plain scalar -> its implicit tag (see _PositionLoader.resolve)
_RESOLVED_TEXT = 64
_RESOLVED_COUNT = 100_000
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_SPECIAL_KEYS = frozenset({_MERGE, "tag:yaml.org,2002:value"})  # what flatten_mapping rewrites
_REPLACING = frozenset({"!override", "!reset"})  # Compose's merge tags
# Scalar tags whose safe constructor is a plain function of the node.
_SCALARS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("null", "bool", "int", "float", "timestamp")
)


class _Builder:
    """YMap/YSeq/scalars straight from one composed document.

    It replaces PyYAML's ``construct_document`` for the common tags (several Python calls
    and a memo entry per node there) and visits nodes in the same order, so the same first
    error is raised; other tags go through the loader's own constructors. Equal strings
    are shared within a file (keys and values repeat in every object). Recursion is one
    frame per nesting level, bounded by ``Limits.max_depth`` checked before parsing.
    """

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.strings: dict[str, str] = {}
        self.built: dict[int, Any] | None = None  # id(node) -> value, when aliases may exist
        self.scalars = {tag: loader.yaml_constructors[tag] for tag in _SCALARS}
        # the document's positions, packed (see model/document.py), and where each node's
        # run starts: one buffer shared by the document's nodes
        self.numbers = array("I")
        self.runs: list[tuple[YMap | YSeq, int]] = []

    def document(self, node: yaml.Node, may_alias: bool) -> Any:
        self.built = {} if may_alias else None
        loader = self.loader
        try:
            value = self.build(node)
            self.pack()
            return value
        finally:
            self.numbers = array("I")
            self.runs = []
            self.built = None
            loader.constructed_objects = {}
            loader.recursive_objects = {}
            loader.state_generators = []
            loader.deep_construct = False

    def build(self, node: yaml.Node) -> Any:
        built = self.built
        if built is not None:
            known = built.get(id(node), built)
            if known is not built:
                return known
        tag = node.tag
        if tag == _STR and type(node) is yaml.ScalarNode:
            value = node.value
            value = self.strings.setdefault(value, value)
        elif tag == _MAP and type(node) is yaml.MappingNode:
            value = self.mapping(node)
        elif tag == _SEQ and type(node) is yaml.SequenceNode:
            value = self.sequence(node)
        elif tag == _INT and node.value.isdigit() and node.value[0] != "0":
            value = int(node.value)  # decimal: what PyYAML's int constructor gives, sooner
        elif tag in self.scalars and type(node) is yaml.ScalarNode:
            value = self.scalars[tag](self.loader, node)
        elif tag in _REPLACING:
            value = self.replacing(node, reset=tag == "!reset")
        else:
            value = self.loader.construct_object(node, deep=True)
        if built is not None:
            built[id(node)] = value
        return value

    def pack(self) -> None:
        """Give every collection built since the last call the shared packed positions."""
        share_packed(self.runs, self.numbers.tobytes())
        self.numbers = array("I")
        self.runs = []

    def key(self, node: yaml.Node) -> Any:
        if node.tag == _STR and type(node) is yaml.ScalarNode:
            key = node.value
            return self.strings.setdefault(key, key)
        key = self.build(node)
        try:
            hash(key)
        except TypeError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, "found an unhashable mapping key", node.start_mark
            ) from exc
        return key

    def mapping(self, node: yaml.MappingNode, kind: type[YMap] = YMap) -> YMap:
        # dict's own constructor: the positions are set by pack(), so YMap.__init__ (a
        # Python call per mapping) is skipped
        mapping: YMap = dict.__new__(kind)
        built = self.built
        if built is not None:
            built[id(node)] = mapping  # a child aliasing its parent is refused earlier
        runs, written = len(self.runs), len(self.numbers)
        mark = node.start_mark
        numbers = [mark.line + 1, mark.column + 1]
        pairs = node.value
        if built is not None and _merges(pairs):
            self.merged_mapping(node, mapping, numbers)
        elif not self.plain_mapping(pairs, mapping, numbers):
            # a merge key met on the way (rare): built again from the start, what was built
            # of it so far (its values' runs included) dropped
            del self.runs[runs:], self.numbers[written:]
            mapping.clear()
            del numbers[2:]
            self.merged_mapping(node, mapping, numbers)
        self.runs.append((mapping, len(self.numbers)))
        self.numbers.append(len(numbers) // 2 - 1)
        self.numbers.extend(numbers)
        return mapping

    def plain_mapping(self, pairs: list[Any], mapping: YMap, numbers: list[int]) -> bool:
        """Fill ``mapping`` from ``pairs`` and ``numbers`` with the keys' positions; False
        as soon as a merge key (``<<``) shows that :meth:`merged_mapping` must build it.

        Only when nothing is shared (no alias): then what was built so far is only this
        mapping's, and dropping it is enough. A duplicate key is reported as
        :meth:`merged_mapping` would when the mapping has a merge key further on."""
        strings = self.strings
        shared = self.built is not None
        for key_node, value_node in pairs:
            if key_node.tag == _STR and type(key_node) is _ScalarNode:
                key = key_node.value
                key = strings.setdefault(key, key)
            elif key_node.tag in _SPECIAL_KEYS:
                return False
            else:
                key = self.key(key_node)
            if key in mapping:
                if _merges(pairs):
                    return False
                index = list(mapping).index(key)
                raise _duplicate(key, numbers[2 + 2 * index], numbers[3 + 2 * index], key_node)
            mark = key_node.start_mark
            numbers += (mark.line + 1, mark.column + 1)
            if not shared and value_node.tag == _STR and type(value_node) is _ScalarNode:
                value = value_node.value
                mapping[key] = strings.setdefault(value, value)
            else:
                mapping[key] = self.build(value_node)
        return True

    def merged_mapping(self, node: yaml.MappingNode, mapping: YMap, numbers: list[int]) -> None:
        """A mapping with ``<<`` merge keys: the merged pairs first, written keys override."""
        written = {id(key) for key, _ in node.value if key.tag != _MERGE}
        self.loader.flatten_mapping(node)
        positions: dict[Any, Position] = {}
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if id(key_node) in written:
                if key in seen:
                    raise _duplicate(key, *positions[key], key_node)
                seen.add(key)
            mapping[key] = self.build(value_node)
            positions[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        for key in mapping:
            numbers += positions[key]

    def replacing(self, node: yaml.Node, *, reset: bool) -> Any:
        """Compose's ``!override`` (replace what is merged over) and ``!reset`` (replace it
        with nothing): the node's own value, in a container that says so."""
        container: YMap | YSeq
        if reset and type(node) in (yaml.MappingNode, yaml.SequenceNode):
            container = ResetMap() if type(node) is yaml.MappingNode else ResetSeq()
            container.set_packed(
                pack_positions([node.start_mark.line + 1, node.start_mark.column + 1])
            )
            return container
        if type(node) is yaml.MappingNode:
            return self.mapping(node, ReplacingMap)
        if type(node) is yaml.SequenceNode:
            return self.sequence(node, ReplacingSeq)
        return None if reset else node.value

    def sequence(self, node: yaml.SequenceNode, kind: type[YSeq] = YSeq) -> YSeq:
        sequence: YSeq = list.__new__(kind)  # positions set by pack(), as for mappings
        built = self.built
        if built is not None:
            built[id(node)] = sequence
        mark = node.start_mark
        numbers = [mark.line + 1, mark.column + 1]
        build = self.build
        strings = self.strings
        for child in node.value:
            if built is None and child.tag == _STR and type(child) is _ScalarNode:
                value = child.value
                sequence.append(strings.setdefault(value, value))
            else:
                sequence.append(build(child))
            mark = child.start_mark
            numbers += (mark.line + 1, mark.column + 1)
        self.runs.append((sequence, len(self.numbers)))
        self.numbers.append(len(numbers) // 2 - 1)
        self.numbers.extend(numbers)
        return sequence


def _merges(pairs: list[Any]) -> bool:
    """Does a mapping's key say to merge (``<<``) or is it YAML 1.1's value key (``=``)?"""
    return not _SPECIAL_KEYS.isdisjoint([key.tag for key, _ in pairs])


def _duplicate(key: Any, line: int, column: int, node: yaml.Node) -> yaml.YAMLError:
    return yaml.constructor.ConstructorError(
        None,
        None,
        f"duplicate key {key!r} (first at line {line}, column {column})",
        node.start_mark,
    )


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> YMap:
    """For mappings met inside other tags (``!!set``, ``!!omap``...)."""
    builder = _Builder(loader)
    mapping = builder.mapping(node)
    builder.pack()
    return mapping


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> YSeq:
    builder = _Builder(loader)
    sequence = builder.sequence(node)
    builder.pack()
    return sequence


_PositionLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
# Timestamps stay strings: Kubernetes and compose never mean a datetime object.
_PositionLoader.add_constructor("tag:yaml.org,2002:timestamp", _PositionLoader.construct_yaml_str)
# YAML 1.1 gives a bare ``=`` the "value" tag and a bare ``<<`` (as a value, not a merge
# key) the "merge" tag, and PyYAML has no constructor for either: real CRDs hold both in
# enums. They are the strings written.
_PositionLoader.add_constructor("tag:yaml.org,2002:value", _PositionLoader.construct_yaml_str)
_PositionLoader.add_constructor("tag:yaml.org,2002:merge", _PositionLoader.construct_yaml_str)


def _unknown_standard_tag(loader: Any, suffix: str, node: yaml.Node) -> Any:
    """``!!integer "27017"``: a misspelt standard tag. kubectl's YAML reader (go-yaml)
    keeps the value as written, a string, and applies the object; so does socklock. A
    language's tag (``!!python/object/apply:os.system``) stays an error: it is an attack."""
    if "/" in suffix or ":" in suffix:
        return loader.construct_undefined(node)
    if isinstance(node, yaml.MappingNode):
        return _construct_mapping(loader, node)
    if isinstance(node, yaml.SequenceNode):
        return _construct_sequence(loader, node)
    return loader.construct_scalar(node)


_PositionLoader.add_multi_constructor("tag:yaml.org,2002:", _unknown_standard_tag)


@dataclass(frozen=True, slots=True)
class Document:
    index: int  # position in the file's stream, from 0
    value: Any
    line: int  # 1-based line where the document starts


class AliasBombError(Exception):
    def __init__(self, line: int, expanded: int, distinct: int) -> None:
        super().__init__(line, expanded, distinct)
        self.line = line
        self.expanded = expanded
        self.distinct = distinct


def _expanded_size(root: yaml.Node, limits: Limits) -> None:
    """Raise AliasBombError when aliases expand the document far beyond its written size."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk: deep documents must not hit Python's recursion limit.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            if isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            else:
                children = []
            total = 1 + sum(sizes[id(child)] for child in children)
            sizes[key] = total
            if total > limits.max_expanded_nodes and total > limits.alias_expansion_ratio * len(
                sizes
            ):
                raise AliasBombError(root.start_mark.line + 1, total, len(sizes))
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise AliasBombError(node.start_mark.line + 1, -1, len(sizes))
        on_path.add(key)
        stack.append((node, True))
        if isinstance(node, yaml.MappingNode):
            stack.extend((n, False) for pair in node.value for n in pair if id(n) not in sizes)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((n, False) for n in node.value if id(n) not in sizes)


class TooDeepError(Exception):
    def __init__(self, line: int, column: int) -> None:
        super().__init__(line, column)
        self.line = line
        self.column = column


@functools.cache
def _block_prefix(length: int) -> re.Pattern[str]:
    """A line whose indentation and compact ``- ``/``? ``/``: `` entries are ``length``
    characters or more: one search of the whole text instead of a match per line."""
    return re.compile(rf"^(?:[ \t]|[-?:](?=[ \t])){{{length}}}", re.MULTILINE)


@functools.cache
def _wide_prefix(length: int) -> re.Pattern[str]:
    """A line starting with ``length`` of the characters such a prefix is made of, in any
    order: more lines match than :func:`_block_prefix`'s, never fewer, and the search is
    several times faster (it starts with a literal newline, found by a fast scan)."""
    return re.compile(rf"\n[ \t?:-]{{{length}}}")


def _deep_lines(text: str, length: int) -> bool:
    """Does a line start with ``length`` characters of indentation and compact entries?"""
    head = f"\n{text[: length + 1]}"  # the first line, too
    if not _wide_prefix(length).search(text) and not _wide_prefix(length).match(head):
        return False
    return _block_prefix(length).search(text) is not None


_OPENING = re.compile(r"[\[{]")
_BRACKET = re.compile(r"[\[\]{}]")
# levels a bracket can open: a flow sequence holds single-pair mappings (``[a: [b: c]]``)
_LEVELS = {"[": 2, "{": 1}


def _open_brackets(text: str, start: int, end: int, limits: Limits) -> int:
    """A bound of the flow nesting of ``text[start:end]``: the brackets each line leaves
    open, summed, plus the deepest any one line goes on its own. On a line with no quote and
    no ``#`` a ``]``/``}`` closes the line's last open bracket: it is structure (a plain
    scalar in a flow collection cannot hold one) or text beside text brackets, never a
    string's bracket closing a real collection; on any other line every ``[``/``{`` counts
    as left open. CRD schemas are full of ``default: {}`` and ``enum: [a, b]``: counted raw,
    a 3 MB CRD needs libyaml's exact token count (seconds)."""
    raw = 2 * text.count("[", start, end) + text.count("{", start, end)
    if raw <= limits.max_depth:
        return raw
    left_open = deepest = 0
    done = start - 1
    for match in _OPENING.finditer(text, start, end):
        if match.start() <= done:
            continue  # its line is counted
        line_start = text.rfind("\n", start, match.start()) + 1
        line_end = text.find("\n", match.start(), end)
        done = line_end = end if line_end < 0 else line_end
        line = text[line_start:line_end]
        if "'" in line or '"' in line or "#" in line:
            depth = peak = 2 * line.count("[") + line.count("{")
        else:
            opened: list[int] = []
            depth = peak = 0
            for bracket in _BRACKET.findall(line):
                if bracket in "[{":
                    opened.append(_LEVELS[bracket])
                    depth += opened[-1]
                    peak = max(peak, depth)
                elif opened:
                    depth -= opened.pop()
        left_open += depth
        deepest = max(deepest, peak)
    return left_open + deepest


def _check_depth(text: str, limits: Limits) -> None:
    """Raise TooDeepError where the nesting first exceeds ``limits.max_depth``.

    A cheap bound first (the ``[`` and ``{`` of the ``---``-separated part that has most,
    since a flow collection never spans documents, plus the deepest line's indentation and
    compact ``- `` entries, found by one regular expression search): almost every file is
    far below the limit. Otherwise the C parser's events, which it produces one at a time
    without recursion, are counted: the levels the composer would nest (a single-pair
    mapping in a flow sequence, ``[a: b]``, is a level no token shows).
    """
    flow = 2 * text.count("[") + text.count("{")
    if flow > limits.max_depth:
        starts = [0, *(m.start() for m in _SEPARATOR.finditer(text)), len(text)]
        flow = max(_open_brackets(text, a, b, limits) for a, b in itertools.pairwise(starts))
    # the top collection is one level at no indentation: deeper only if a line has
    # max_depth - flow characters of indentation and compact entries
    if flow <= limits.max_depth and not _deep_lines(text, limits.max_depth - flow):
        return
    parser = _Loader(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limits.max_depth:
                    mark = event.start_mark
                    assert mark is not None  # the C parser marks every event
                    raise TooDeepError(mark.line + 1, mark.column + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # the composer stops where the parser does: no deeper than counted here
    finally:
        parser.dispose()


class _Pairs(list[tuple[str, Any]]):
    """A JSON object's members as written, each duplicate key's value too."""


def _json_depth(text: str, limit: int) -> int:
    """How deep ``text``'s collections nest when it is JSON (``limit + 1`` once deeper, or
    when it is not JSON). Every collection the YAML parser reads from a JSON text is one of
    its ``[``/``{`` outside strings, so that parser nests no deeper: the exact event count
    of :func:`_check_depth` is needed only above the limit. ``json`` builds the values in
    C; a JSON file's every line holds a quote, which defeats that function's cheap bound."""
    try:
        value = json.loads(text, object_pairs_hook=_Pairs)
    except (ValueError, RecursionError):
        return limit + 1
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, _Pairs):
            children: list[object] = [member for _, member in item]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        stack.extend((child, depth + 1) for child in children if isinstance(child, list))
    return deepest


def _depth_refusal(text: str, file: str, limits: Limits, line_offset: int) -> Diagnostic | None:
    try:
        _check_depth(text, limits)
    except TooDeepError as deep:
        return Diagnostic(
            Location(file, deep.line + line_offset, deep.column),
            f"nesting deeper than {limits.max_depth} levels: refused before parsing",
        )
    return None


def _yaml_error(file: str, exc: yaml.YAMLError, line_offset: int) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark is not None:
        context += f" started at line {context_mark.line + 1 + line_offset}"
    text = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return Diagnostic(Location(file, line_offset + 1), text)
    return Diagnostic(Location(file, mark.line + 1 + line_offset, mark.column + 1), text)


def _load_stream(
    text: str,
    file: str,
    limits: Limits,
    line_offset: int,
    first_index: int,
    *,
    depth_checked: bool = False,
) -> Iterator[Document | Diagnostic]:
    """``depth_checked``: the caller has measured ``text``'s nesting already."""
    refused = None if depth_checked else _depth_refusal(text, file, limits, line_offset)
    if refused is not None:
        yield refused
        return
    loader = _PositionLoader(text)
    builder = _Builder(loader)
    index = first_index
    # no alias: no node is shared, nothing expands
    may_alias = _may_alias(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            line = node.start_mark.line + 1 + line_offset
            try:
                if may_alias:
                    _expanded_size(node, limits)
            except AliasBombError as bomb:
                what = (
                    "a recursive alias"
                    if bomb.expanded < 0
                    else f"aliases expand it to over {bomb.expanded:,} nodes"
                )
                yield Diagnostic(
                    Location(file, bomb.line + line_offset),
                    f"document refused: {what} (an alias bomb?)",
                )
                index += 1
                continue
            value = builder.document(node, may_alias)
            if value is not None:
                yield Document(index, value, line)
            index += 1
    finally:
        loader.dispose()


_SEPARATOR = re.compile(r"^---(?:[ \t].*)?$", re.MULTILINE)
# The name after every ``*`` and every ``&``, as the parser reads an alias's or an anchor's
# name (libyaml and PyYAML alike: ASCII letters, digits, ``-`` and ``_``, at least one).
_ALIAS_NAME = re.compile(r"\*([0-9A-Za-z_-]+)")
_ANCHOR_NAME = re.compile(r"&([0-9A-Za-z_-]+)")


def _may_alias(text: str) -> bool:
    """Can a document composed from ``text`` hold an alias (a node shared)?

    An alias the composer accepts names an anchor written before it, so a text where no
    ``*name`` names any ``&name`` has none, wherever the ``*`` stands (``{"k":*a}`` is an
    alias with no blank before it). Big CRDs hold ``*`` and ``&&`` in their descriptions
    but seldom one name after both: their expansion walk (seconds) is skipped."""
    if "*" not in text or "&" not in text:
        return False
    anchors = set(_ANCHOR_NAME.findall(text))
    return bool(anchors) and not anchors.isdisjoint(_ALIAS_NAME.findall(text))


def _split_documents(text: str) -> list[tuple[int, str]]:
    """(line offset, text) of each ``---``-separated part."""
    parts: list[tuple[int, str]] = []
    start = 0
    for match in _SEPARATOR.finditer(text):
        parts.append((start, text[start : match.start()]))
        start = match.start()
    parts.append((start, text[start:]))
    return [(text.count("\n", 0, offset), part) for offset, part in parts if part.strip()]


class Restart:
    """In :func:`stream_yaml`: what came before is void, the stream is read again."""

    __slots__ = ()


RESTART = Restart()


def stream_yaml(text: str, file: str, limits: Limits) -> Iterator[Document | Diagnostic | Restart]:
    """Every document of a YAML stream as soon as it is read (a reader need not hold them
    all). When the stream fails, :data:`RESTART`, then its ``---``-separated parts read
    one by one: a broken part yields a diagnostic, the others still load."""
    try:
        yield from _load_stream(text, file, limits, 0, 0)
    except yaml.YAMLError as exc:
        parts = _split_documents(text)
        if len(parts) <= 1:
            yield _yaml_error(file, exc, 0)
            return
        yield RESTART
        for index, (offset, part) in enumerate(parts):
            try:
                yield from _load_stream(part, file, limits, offset, index)
            except yaml.YAMLError as part_exc:
                yield _yaml_error(file, part_exc, offset)


def load_yaml(text: str, file: str, limits: Limits) -> Iterator[Document | Diagnostic]:
    """Every document of a YAML stream; a broken part yields a diagnostic, the rest still load."""
    results: list[Document | Diagnostic] = []
    for item in stream_yaml(text, file, limits):
        if isinstance(item, Restart):
            results.clear()
        else:
            results.append(item)
    yield from results


def _to_positioned(value: Any) -> Any:
    if isinstance(value, dict):
        mapping = YMap((k, _to_positioned(v)) for k, v in value.items())
        mapping.position = (1, 1)
        return mapping
    if isinstance(value, list):
        sequence = YSeq(_to_positioned(v) for v in value)
        sequence.position = (1, 1)
        return sequence
    return value


def load_json(text: str, file: str, limits: Limits) -> Iterator[Document | Diagnostic]:
    """A JSON file; read through the YAML parser for positions, with ``json`` as the judge."""
    shallow = _json_depth(text, limits.max_depth) <= limits.max_depth
    refused = None if shallow else _depth_refusal(text, file, limits, 0)
    if refused is not None:
        yield refused
        return
    try:
        # measured above: a JSON file's brackets often make the cheap bound fail, and the
        # exact count reads the whole file's events
        documents = list(_load_stream(text, file, limits, 0, 0, depth_checked=True))
        if all(isinstance(d, Document) for d in documents):
            yield from documents
            return
    except yaml.YAMLError:
        pass
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Diagnostic(Location(file, exc.lineno, exc.colno), f"invalid JSON: {exc.msg}")
        return
    yield Document(0, _to_positioned(value), 1)
