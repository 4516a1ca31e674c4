"""Readable YAML with comments: what every emitter writes.

Emitters build plain dicts and lists; a value wrapped in :class:`Commented` gets its lines
written as ``#`` comments right above it (above the key in a mapping, above the ``-`` in a
list), indented like the item it explains. Output is deterministic: keys keep the order in
which the emitter inserted them.

The reference is ruamel.yaml's round-trip emitter (:func:`dump_documents` with
``engine="ruamel"``). It costs ~10 ms per policy, too slow for thousands of policies, so the
default engine writes the same bytes directly for the block-style subset emitters use, and
asks ruamel (cached) how to write any scalar it is not sure about; a test holds the two
engines to the same output.
"""

from __future__ import annotations

import io
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString
from ruamel.yaml.tag import Tag

from socklock.model import YMap, YSeq

GENERATED_MARKER = "socklock:generated"
INDENT = 2  # mapping indent; sequences: dash at +2, content at +4


@dataclass(frozen=True, slots=True)
class Commented:
    """``value`` with comment lines written above it."""

    value: Any
    comment: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Tagged:
    """``value`` written with a YAML tag (compose's ``!override``, ``!reset``)."""

    value: Any
    tag: str


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=INDENT, sequence=INDENT + 2, offset=INDENT)
    yaml.width = 4096
    yaml.explicit_start = False
    return yaml


def _unwrap(value: Any) -> tuple[Any, tuple[str, ...]]:
    if isinstance(value, Commented):
        return value.value, value.comment
    return value, ()


def _comment(lines: Sequence[str]) -> str:
    return "\n".join(line.rstrip() for line in lines)


_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def ambiguous(text: str) -> bool:
    """Would a YAML 1.1 reader (PyYAML, go-yaml v2 behind kubectl) read this plain string as
    something else (``yes``, ``on``, ``~``, ``1:20``, ``0o17``)? Such strings are quoted."""
    if text.lower() in ("y", "n"):  # booleans to go-yaml v2, though not to PyYAML
        return True
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag != _STR_TAG


def to_ruamel(node: Any, column: int = 0) -> Any:
    """Plain data (with :class:`Commented` and :class:`Tagged`) as ruamel round-trip nodes.

    ``column`` is where this node's keys (mapping) or dashes (list) are written.
    """
    tag: str | None = None
    if isinstance(node, Tagged):
        tag, node = node.tag, node.value
    if isinstance(node, dict):
        out: Any = CommentedMap()
        for key, raw in node.items():
            value, comment = _unwrap(raw)
            out[to_ruamel(key)] = to_ruamel(value, column + INDENT)
            if comment:
                out.yaml_set_comment_before_after_key(
                    to_ruamel(key), before=_comment(comment), indent=column
                )
    elif isinstance(node, list | tuple):
        out = CommentedSeq()
        for index, raw in enumerate(node):
            value, comment = _unwrap(raw)
            out.append(to_ruamel(value, column + INDENT))
            if comment:
                out.yaml_set_comment_before_after_key(
                    index, before=_comment(comment), indent=column
                )
    elif isinstance(node, str) and ambiguous(node):
        return SingleQuotedScalarString(node)
    else:
        return node
    if tag is not None:
        out.yaml_set_ctag(Tag(suffix=tag))
    return out


_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./-]*\Z")
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})
_SCALARS: dict[str, str] = {}
_SCALAR_YAML: list[YAML] = []


def scalar(value: Any) -> str:
    """A scalar as ruamel.yaml writes it as a block mapping value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return ""
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    found = _SCALARS.get(text)
    if found is None:
        if not _SCALAR_YAML:
            _SCALAR_YAML.append(_yaml())
        stream = io.StringIO()
        _SCALAR_YAML[0].dump({"k": to_ruamel(text)}, stream)
        found = stream.getvalue()[len("k: ") :].rstrip("\n")
        if "\n" in found:
            raise ValueError(f"cannot write {text!r} on one line")
        _SCALARS[text] = found
    return found


def _tag_prefix(node: Any) -> tuple[str, Any]:
    if isinstance(node, Tagged):
        return f"{node.tag} ", node.value
    return "", node


def _is_block(node: Any) -> bool:
    return isinstance(node, dict | list | tuple) and len(node) > 0


class _Writer:
    """Block-style YAML text, and the same data as YMap/YSeq with the positions the loader
    would give them (1-based line and column of each mapping, key and list item)."""

    def __init__(self, first_line: int) -> None:
        self.out: list[str] = []
        self.line = first_line
        # the document's positions, packed as the loader packs them: one buffer shared by
        # the document's nodes (a buffer per node cost ~60 bytes more each, 10 a policy)
        self.numbers = array("I")
        self.runs: list[tuple[YMap | YSeq, int]] = []

    def run(self, node: YMap | YSeq, numbers: list[int]) -> None:
        """Keep ``node``'s positions (its own, then its keys' or items')."""
        self.runs.append((node, len(self.numbers)))
        self.numbers.append(len(numbers) // 2 - 1)
        self.numbers.extend(numbers)

    def pack(self) -> None:
        """Give every node written since the last call the shared packed positions."""
        packed = self.numbers.tobytes()
        for node, at in self.runs:
            node.set_packed(packed, at)
        self.numbers = array("I")
        self.runs = []

    def put(self, text: str) -> None:
        self.out.append(text.rstrip() + "\n")
        self.line += 1

    def comments(self, comment: Sequence[str], column: int) -> None:
        pad = " " * column
        for line in comment:
            self.put(f"{pad}# {line}")

    def block(self, node: Any, column: int) -> YMap | YSeq:
        if isinstance(node, dict):
            return self.mapping(node, column, inline=False)
        return self.sequence(node, column)

    def mapping(self, node: dict[str, Any], column: int, inline: bool) -> YMap:
        pad = " " * column
        out = YMap()
        numbers: list[int] = []  # own position, then each key's: packed as the loader packs
        for index, (key, raw) in enumerate(node.items()):
            value, comment = _unwrap(raw)
            first_inline = inline and index == 0
            if comment:
                if first_inline:
                    raise ValueError("a comment on the first key of a list item")
                self.comments(comment, column)
            lead = "" if first_inline else pad
            tag, value = _tag_prefix(value)
            here = (self.line, column + 1)
            numbers += here * 2 if index == 0 else here
            head = f"{lead}{scalar(key)}: {tag}"
            if _is_block(value):
                self.put(head)
                out[key] = self.block(value, column + INDENT)
            elif isinstance(value, dict | list | tuple):
                empty: YMap | YSeq = YMap() if isinstance(value, dict) else YSeq()
                self.run(empty, [self.line, column + len(scalar(key)) + 3 + len(tag)])
                self.put(head + ("{}" if isinstance(value, dict) else "[]"))
                out[key] = empty
            else:
                self.put(head + scalar(value))
                out[key] = value
        if numbers:
            self.run(out, numbers)
        return out

    def sequence(self, node: Sequence[Any], column: int) -> YSeq:
        pad = " " * column
        out = YSeq()
        numbers: list[int] = []  # own position, then each item's
        for index, raw in enumerate(node):
            value, comment = _unwrap(raw)
            if comment:
                self.comments(comment, column)
            if index == 0:
                numbers += (self.line, column + 1)
            here = (self.line, column + INDENT + 1)
            numbers += here
            if isinstance(value, dict) and value:
                self.out.append(f"{pad}- ")
                out.append(self.mapping(value, column + INDENT, inline=True))
            elif isinstance(value, dict):
                empty = YMap()
                self.run(empty, list(here))
                self.put(f"{pad}- {{}}")
                out.append(empty)
            elif isinstance(value, list | tuple):
                raise ValueError("a list directly in a list is not written")
            else:
                self.put(f"{pad}- {scalar(value)}")
                out.append(value)
        if numbers:
            self.run(out, numbers)
        return out


def render_documents(
    documents: Sequence[Any], header: Sequence[str] = ()
) -> tuple[str, list[YMap]]:
    """The text of :func:`dump_documents` and the documents as the loader would read them
    back (YMap with positions), without parsing the text again."""
    writer = _Writer(1)
    writer.comments(header, 0)
    roots: list[YMap] = []
    for index, document in enumerate(documents):
        if index:
            writer.put("---")
        root = writer.block(document, 0)
        writer.pack()
        if not isinstance(root, YMap):
            raise ValueError("a document must be a mapping")
        roots.append(root)
    return "".join(writer.out), roots


def _ruamel(documents: Sequence[Any]) -> str:
    yaml = _yaml()
    nodes = [to_ruamel(d) for d in documents]
    stream = io.StringIO()
    if len(nodes) == 1:
        yaml.dump(nodes[0], stream)
    else:
        yaml.dump_all(nodes, stream)
    return stream.getvalue()


def dump_documents(
    documents: Sequence[Any], header: Sequence[str] = (), engine: str = "fast"
) -> str:
    """Documents separated by ``---``; ``header`` lines as comments at the very top."""
    if engine != "ruamel":
        return render_documents(documents, header)[0]
    text = _ruamel(documents)
    if header:
        text = "".join(f"# {line}".rstrip() + "\n" for line in header) + text
    return text


def header_lines(what: str, command: str) -> list[str]:
    """The header every generated file starts with; it marks the file as socklock's."""
    return [
        f"{what}",
        f"Generated by socklock ({GENERATED_MARKER}): {command}",
        "Regenerate instead of editing: socklock overwrites this file.",
    ]


def is_generated(text: str) -> bool:
    """Was this file written by socklock? (the marker in its leading comment block)"""
    for line in text.splitlines()[:10]:
        if not line.startswith("#"):
            break
        if GENERATED_MARKER in line:
            return True
    return False
