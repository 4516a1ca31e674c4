"""Apply fixes (data) to the user's files: YAML through ruamel.yaml round-trip, Dockerfiles by
lines. Nothing outside an edit changes: a file that ruamel.yaml would not reproduce byte for
byte is skipped, not rewritten. Writes are atomic (a temporary file in the same directory,
then ``os.replace``).

A multi-document YAML file is fixed document by document: only the documents the edits
anchor in go through ruamel.yaml, and their new text is spliced back between the untouched
bytes of the others (a 64 MiB file of 200,000 documents would otherwise be one round-trip
of gigabytes). The diff is built from the same splices, with difflib on each edited
document only.
"""

from __future__ import annotations

import difflib
import io
import itertools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from socklock.files import EditRefused, edit_file, read_for_edit, unified_diff
from socklock.model import Applicability, Finding, Fix, LineEdit, YamlEdit


@dataclass(frozen=True, slots=True)
class Splice:
    """Lines ``start``..``end`` (0-based, end excluded) of the old text became ``text``
    (``count`` lines)."""

    start: int
    end: int
    text: str
    count: int

    def lines(self) -> list[str]:
        return self.text.splitlines(keepends=True)


@dataclass(frozen=True, slots=True)
class FileChange:
    file: str
    before: str
    after: str
    fixes: tuple[Fix, ...]
    splices: tuple[Splice, ...] | None = None  # None: the diff compares the whole texts

    def diff(self) -> str:
        return "".join(self.diff_pieces())

    def diff_pieces(self) -> Iterator[str]:
        """The unified diff, one hunk per piece."""
        if self.splices is None:
            yield unified_diff(self.file, self.before, self.after)
            return
        yield from splice_diff(self.file, self.before, self.splices)


@dataclass(frozen=True, slots=True)
class Skipped:
    file: str
    reason: str
    fixes: tuple[Fix, ...] = ()


@dataclass(frozen=True, slots=True)
class FixPlan:
    changes: tuple[FileChange, ...]
    skipped: tuple[Skipped, ...]

    def diff(self) -> str:
        return "".join(change.diff() for change in self.changes)


def wanted(applicability: Applicability, unsafe: bool) -> bool:
    if applicability is Applicability.SAFE:
        return True
    return unsafe and applicability is Applicability.UNSAFE


def plan_fixes(
    findings: Iterable[Finding],
    *,
    unsafe: bool = False,
    broken_files: Iterable[str] = (),
    read: Callable[[str], str] | None = None,
) -> FixPlan:
    """What the fixes of ``findings`` would change, file by file (nothing is written).

    ``read(file)`` gives a file's text as it was loaded (standard input has no file).
    """
    reader = read or read_for_edit  # line endings kept: the edit must keep them too
    by_file: dict[str, list[Fix]] = {}
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix.edits or not wanted(fix.applicability, unsafe):
            continue
        by_file.setdefault(fix.file, []).append(fix)
    broken = set(broken_files)
    changes: list[FileChange] = []
    skipped: list[Skipped] = []
    for file, fixes in sorted(by_file.items()):
        if file in broken:
            skipped.append(Skipped(file, "the file has errors; fix them first", tuple(fixes)))
            continue
        try:
            before = reader(file)
        except (OSError, UnicodeDecodeError) as exc:
            skipped.append(Skipped(file, f"cannot read: {exc}", tuple(fixes)))
            continue
        try:
            after, splices = _change(file, before, fixes)
        except FixError as exc:
            skipped.append(Skipped(file, str(exc), tuple(fixes)))
            continue
        if after != before:
            changes.append(FileChange(file, before, after, tuple(fixes), splices))
    return FixPlan(tuple(changes), tuple(skipped))


def as_lf(text: str) -> str:
    """The fixes work on LF text; a CRLF file gets its endings back afterwards."""
    return text.replace("\r\n", "\n")


def with_line_endings_of(original: str, text: str) -> str:
    """``text`` with CRLF endings when ``original`` used CRLF on every line, else as is."""
    if "\r\n" in original and "\n" not in original.replace("\r\n", ""):
        return text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


class FixError(Exception):
    """A fix that cannot be applied to a file as it is."""


# Line breaks other than LF: ``splitlines`` (difflib's lines) cuts there too, so the splices'
# LF line numbers would not be the diff's; CRLF files are fixed as LF, their endings restored.
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _change(file: str, text: str, fixes: Sequence[Fix]) -> tuple[str, tuple[Splice, ...] | None]:
    """The new text, and the splices that make it when it is YAML fixed document by
    document (None: diff the whole texts)."""
    edits = [e for fix in fixes for e in fix.edits]
    if (
        edits
        and all(isinstance(e, YamlEdit) and e.anchor != (0, 0) for e in edits)
        and not file.lower().endswith(".json")
        and not _OTHER_BREAKS.search(text)
    ):
        splices = yaml_splices(text, [e for e in edits if isinstance(e, YamlEdit)])
        return splice(text, splices), tuple(splices)
    return with_line_endings_of(text, apply_to_text(file, as_lf(text), fixes)), None


def apply_to_text(file: str, text: str, fixes: Sequence[Fix]) -> str:
    yaml_edits = [e for fix in fixes for e in fix.edits if isinstance(e, YamlEdit)]
    line_edits = [e for fix in fixes for e in fix.edits if isinstance(e, LineEdit)]
    if yaml_edits and line_edits:
        raise FixError("mixed YAML and line edits for one file")
    if line_edits:
        return apply_line_edits(text, line_edits)
    if file.lower().endswith(".json"):
        raise FixError("JSON manifests are not rewritten (fix them by hand, or use YAML)")
    return apply_yaml_edits(text, yaml_edits)


# -- Dockerfiles: line edits --------------------------------------------------------------------


def apply_line_edits(text: str, edits: Iterable[LineEdit]) -> str:
    """Apply non-overlapping line edits (later ones that overlap an earlier one are dropped:
    the next ``--fix`` pass applies them on the new text)."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
        trailing_newline = False
    else:
        trailing_newline = True
    unique: list[LineEdit] = []
    for edit in edits:
        if edit not in unique:
            unique.append(edit)
    chosen: list[LineEdit] = []
    for edit in unique:
        if any(_overlaps(edit, other) for other in chosen):
            continue
        chosen.append(edit)
    for edit in sorted(chosen, key=lambda e: (e.start, e.end), reverse=True):
        new = edit.text if edit.text.endswith("\n") or not edit.text else edit.text + "\n"
        lines[edit.start - 1 : edit.end] = [new]
    out = "".join(lines)
    if not trailing_newline and out.endswith("\n"):
        out = out[:-1]
    return out


def _overlaps(a: LineEdit, b: LineEdit) -> bool:
    if a.end < a.start or b.end < b.start:  # insertions
        return a.start == b.start and a.end == b.end
    return a.start <= b.end and b.start <= a.end


# -- YAML: ruamel round-trip ---------------------------------------------------------------------


def detect_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) most used in a YAML text."""
    mapping: Counter[int] = Counter()
    offset: Counter[int] = Counter()
    _count_indents(text, mapping, offset)
    return _indent_style(mapping, offset)


def _count_indents(text: str, mapping: Counter[int], offset: Counter[int]) -> None:
    """Add to ``mapping`` the indentation steps under keys, to ``offset`` the dash offsets.

    Counting document by document adds up to counting the whole file: no pair of rows
    across a ``---`` line counts (the marker is no key, and no key sits under it)."""
    rows = [
        (len(line) - len(line.lstrip(" ")), line.strip())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    for (indent, content), (next_indent, next_content) in itertools.pairwise(rows):
        if content.startswith("- "):
            indent += 2
            content = content[2:]
        if not re.match(r"^[^#{\[\"'][^#]*:$", content) and not re.match(
            r"^[\w.-]+:\s*(#.*)?$", content
        ):
            continue
        if next_indent < indent:
            continue
        if next_content.startswith("- "):
            offset[next_indent - indent] += 1
        elif next_indent > indent:
            mapping[next_indent - indent] += 1


def _indent_style(mapping: Counter[int], offset: Counter[int]) -> tuple[int, int, int]:
    map_indent = mapping.most_common(1)[0][0] if mapping else 2
    dash = offset.most_common(1)[0][0] if offset else 0
    return map_indent, max(dash + 2, map_indent if dash else 2), dash


def _yaml(style: tuple[int, int, int]) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    mapping, sequence, offset = style
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: Any, documents: list[Any], explicit_start: bool) -> str:
    out = io.StringIO()
    yaml.explicit_start = explicit_start
    yaml.dump_all(documents, out)
    return out.getvalue()


def _split_prefix(text: str) -> tuple[str, str]:
    """Comments before a first ``---``, which ruamel.yaml drops, set apart from the rest."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("---") and index > 0:
            return "".join(lines[:index]), "".join(lines[index:])
        break
    return "", text


def apply_yaml_edits(text: str, edits: Sequence[YamlEdit]) -> str:
    if all(edit.anchor != (0, 0) for edit in edits):
        return splice(text, yaml_splices(text, edits))
    prefix, body = _split_prefix(text)
    yaml = _yaml(detect_indent(body))
    return prefix + _apply_yaml_edits(yaml, body, edits, offset=prefix.count("\n"))


_Op = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]
_DOCUMENT_START = re.compile(r"^---(?=[ \t\r\n]|$)", re.MULTILINE)


def documents_of(text: str) -> list[tuple[int, int, int]]:
    """(first line, 0-based; start, end offsets) of each piece of ``text`` that begins at a
    ``---`` line (the first piece: at the start of the text, whatever it holds). A ``---``
    at the start of a line always ends a YAML document, inside block scalars too."""
    starts = [0] + [m.start() for m in _DOCUMENT_START.finditer(text) if m.start() > 0]
    out: list[tuple[int, int, int]] = []
    line = 0
    for start, end in itertools.pairwise([*starts, len(text)]):
        out.append((line, start, end))
        line += text.count("\n", start, end)
    return out


def yaml_splices(text: str, edits: Sequence[YamlEdit]) -> list[Splice]:
    """Apply anchored edits document by document: each edited document goes through
    ruamel.yaml alone (in the file's indentation style) and becomes one splice."""
    import bisect

    pieces = documents_of(text)
    firsts = [first for first, _, _ in pieces]
    by_piece: dict[int, list[YamlEdit]] = {}
    for edit in edits:  # anchors are 1-based lines
        index = max(bisect.bisect_right(firsts, edit.anchor[0] - 1) - 1, 0)
        by_piece.setdefault(index, []).append(edit)
    mapping: Counter[int] = Counter()
    offset: Counter[int] = Counter()
    for _, start, end in pieces:
        _count_indents(text[start:end], mapping, offset)
    yaml = _yaml(_indent_style(mapping, offset))
    splices: list[Splice] = []
    for index in sorted(by_piece):
        first, start, end = pieces[index]
        old = text[start:end]
        new = _apply_yaml_edits(yaml, old, by_piece[index], offset=first)
        if new != old:
            splices.append(Splice(first, first + old.count("\n"), new, new.count("\n")))
    return splices


def splice(text: str, splices: Sequence[Splice]) -> str:
    """``text`` with each splice's lines in place of the old ones (splices in order)."""
    out: list[str] = []
    position = 0  # offset of the next untouched byte
    line = 0
    for cut in splices:
        start = _advance(text, position, cut.start - line)
        out.append(text[position:start])
        out.append(cut.text)
        position = _advance(text, start, cut.end - cut.start)
        line = cut.end
    out.append(text[position:])
    return "".join(out)


def _advance(text: str, position: int, lines: int) -> int:
    """The offset ``lines`` lines after ``position`` (or the end of the text)."""
    for _ in range(lines):
        found = text.find("\n", position)
        if found < 0:
            return len(text)
        position = found + 1
    return position


def splice_diff(
    file: str, before: str, splices: Sequence[Splice], context: int = 3
) -> Iterator[str]:
    """``difflib.unified_diff`` of ``before`` and the spliced text, hunk by hunk, from the
    splices alone: difflib compares each spliced document's lines, the rest is equal."""
    import bisect

    lines = _LineIndex(before)
    opcodes: list[_Op] = []
    new_starts: list[int] = []  # first new line of each splice
    shift = 0  # new line number minus old line number
    position = 0
    for cut in splices:
        _add(opcodes, ("equal", position, cut.start, position + shift, cut.start + shift))
        new_starts.append(cut.start + shift)
        matcher = difflib.SequenceMatcher(None, lines.get(cut.start, cut.end), cut.lines())
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            base = cut.start + shift
            _add(opcodes, (tag, cut.start + i1, cut.start + i2, base + j1, base + j2))
        shift += cut.count - (cut.end - cut.start)
        position = cut.end
    _add(opcodes, ("equal", position, lines.count, position + shift, lines.count + shift))

    def added(j1: int, j2: int) -> list[str]:
        cut = bisect.bisect_right(new_starts, j1) - 1
        first = new_starts[cut]
        return splices[cut].lines()[j1 - first : j2 - first]

    name = file.lstrip("/")
    header = f"--- a/{name}\n+++ b/{name}\n"
    for group in _Opcodes(opcodes).get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        hunk = [
            header,
            f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n",
        ]
        header = ""
        for op, a1, a2, b1, b2 in group:
            if op == "equal":
                hunk.extend(" " + line for line in lines.get(a1, a2))
                continue
            if op in {"replace", "delete"}:
                hunk.extend("-" + line for line in lines.get(a1, a2))
            if op in {"replace", "insert"}:
                hunk.extend("+" + line for line in added(b1, b2))
        yield "".join(hunk)


def _add(opcodes: list[_Op], op: _Op) -> None:
    """Append an opcode; empty ones are dropped and equal ones joined, as difflib has them."""
    tag, i1, i2, j1, j2 = op
    if i1 == i2 and j1 == j2:
        return
    if tag == "equal" and opcodes and opcodes[-1][0] == "equal":
        _, a1, _, b1, _ = opcodes[-1]
        opcodes[-1] = ("equal", a1, i2, b1, j2)
        return
    opcodes.append(op)


class _Opcodes(difflib.SequenceMatcher):  # type: ignore[type-arg]
    """difflib's hunk grouping over opcodes computed elsewhere."""

    def __init__(self, opcodes: list[_Op]) -> None:
        super().__init__(None, [], [])
        self._codes = opcodes

    def get_opcodes(self) -> list[_Op]:
        return list(self._codes)


def _range(start: int, stop: int) -> str:
    """A hunk's line range as ``difflib.unified_diff`` writes it."""
    beginning = start + 1
    length = stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


class _LineIndex:
    """The lines of a text (as ``splitlines(keepends=True)`` cuts them) by number, from an
    array of offsets instead of a list of strings."""

    def __init__(self, text: str) -> None:
        from array import array

        self.text = text
        ends = array("q", [0])
        ends.extend(m.end() for m in re.finditer("\n", text))
        if ends[-1] < len(text):
            ends.append(len(text))
        self.starts = ends
        self.count = len(ends) - 1

    def get(self, start: int, end: int) -> list[str]:
        return self.text[self.starts[start] : self.starts[end]].splitlines(keepends=True)


def _apply_yaml_edits(yaml: Any, text: str, edits: Sequence[YamlEdit], offset: int) -> str:
    """Round-trip ``text`` (line ``offset`` + 1 of its file) with the edits applied."""
    from ruamel.yaml.error import YAMLError

    try:
        documents = list(yaml.load_all(text))
    except YAMLError as exc:
        raise FixError(f"ruamel.yaml cannot read the file: {exc}") from exc
    explicit_start = text.lstrip().startswith("---")
    if _dump(yaml, documents, explicit_start) != text:
        raise FixError(
            "ruamel.yaml would reformat this file outside the fix (unusual indentation or "
            "layout); fix it by hand"
        )
    anchors, parents = _index(documents)
    tails = _Tails(parents)
    seen: set[str] = set()
    for edit in edits:
        identity = repr((edit.document, edit.anchor, edit.path, edit.op, edit.value))
        if identity in seen:
            continue
        seen.add(identity)
        if edit.anchor != (0, 0):
            root = anchors.get((edit.anchor[0] - offset, edit.anchor[1]))
            if root is None:
                raise FixError(f"no mapping at line {edit.anchor[0]}, column {edit.anchor[1]}")
        else:
            if not 0 <= edit.document < len(documents):
                raise FixError(f"no document {edit.document}")
            root = documents[edit.document]
        _apply(root, edit, tails)
    tails.restore()
    return _dump(yaml, documents, explicit_start)


def _index(documents: list[Any]) -> tuple[dict[tuple[int, int], Any], dict[int, Any]]:
    """Mappings by (line, column), and each container's parent (by id)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    out: dict[tuple[int, int], Any] = {}
    parents: dict[int, Any] = {}
    stack = list(documents)
    while stack:
        node = stack.pop()
        children: list[Any] = []
        if isinstance(node, CommentedMap):
            out.setdefault((node.lc.line + 1, node.lc.col + 1), node)
            children = list(node.values())
        elif isinstance(node, CommentedSeq):
            children = list(node)
        for child in children:
            if isinstance(child, CommentedMap | CommentedSeq):
                parents[id(child)] = node
                stack.append(child)
    return out, parents


def _last_leaf(node: Any) -> tuple[Any, Any] | None:
    """(container, key or index) of the last scalar (or empty container) under ``node``."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while True:
        if isinstance(node, CommentedMap) and len(node):
            key = list(node.keys())[-1]
        elif isinstance(node, CommentedSeq) and len(node):
            key = len(node) - 1
        else:
            return None
        value = node[key]
        if isinstance(value, CommentedMap | CommentedSeq) and len(value):
            node = value
            continue
        return node, key


def _slot(container: Any) -> int:
    from ruamel.yaml.comments import CommentedSeq

    return 0 if isinstance(container, CommentedSeq) else 2


def _is_last(parent: Any, child: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(parent, CommentedMap) and len(parent):
        return parent[list(parent.keys())[-1]] is child
    if isinstance(parent, CommentedSeq) and len(parent):
        return parent[-1] is child
    return False


class _Tails:
    """Blank lines and comments that follow the end of a container move with its end.

    ruamel.yaml attaches them to the last scalar; a key or item added at the end would
    otherwise land after the blank line that separated this container from the next.
    """

    def __init__(self, parents: dict[int, Any]) -> None:
        self.parents = parents
        self.taken: dict[int, tuple[Any, str | None]] = {}

    def remember(self, node: Any) -> None:
        if id(node) in self.taken:
            return
        owner = node
        while True:  # the outermost container that ends where this one ends
            parent = self.parents.get(id(owner))
            if parent is None or not _is_last(parent, owner):
                break
            owner = parent
        self.taken[id(node)] = (owner, self._take(node))

    def _take(self, node: Any) -> str | None:
        leaf = _last_leaf(node)
        if leaf is None:
            return None
        container, key = leaf
        entry = container.ca.items.get(key)
        slot = _slot(container)
        if not entry or len(entry) <= slot or entry[slot] is None:
            return None
        value: str = entry[slot].value
        cut = value.find("\n")
        if cut < 0 or cut == len(value) - 1:
            return None
        keep, moved = value[: cut + 1], value[cut + 1 :]
        if keep.strip():
            entry[slot].value = keep
        else:
            entry[slot] = None
        return moved

    def restore(self) -> None:
        from ruamel.yaml.error import CommentMark
        from ruamel.yaml.tokens import CommentToken

        for owner, moved in self.taken.values():
            if not moved:
                continue
            leaf = _last_leaf(owner)
            if leaf is None:
                continue
            container, key = leaf
            slot = _slot(container)
            entry = container.ca.items.setdefault(key, [None, None, None, None])
            while len(entry) <= slot:
                entry.append(None)
            if entry[slot] is not None:
                entry[slot].value = entry[slot].value + moved
            else:
                entry[slot] = CommentToken("\n" + moved, CommentMark(0), None)


def _to_yaml(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            mapping[k] = _to_yaml(v)
        if not value:
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_to_yaml(v) for v in value)
        return seq
    if isinstance(value, str) and _misread(value):
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        return DoubleQuotedScalarString(value)
    return value


def _misread(value: str) -> bool:
    """A string that a YAML 1.1 reader (PyYAML, older tools) would not read as a string:
    ``10001:10001`` (sexagesimal), ``yes``, ``1e3``..."""
    import yaml

    try:
        return not isinstance(yaml.safe_load(value), str)
    except yaml.YAMLError:
        return True


def _block(node: Any) -> None:
    """An empty flow mapping (``{}``) that gets keys becomes a block mapping."""
    fa = getattr(node, "fa", None)
    if fa is not None and len(node) == 0 and fa.flow_style():
        fa.set_block_style()


def _walk(root: Any, path: Sequence[Any], create: bool, tails: _Tails | None = None) -> Any:
    from ruamel.yaml.comments import CommentedMap

    node = root
    for element in path:
        if isinstance(element, int):
            if not isinstance(node, list) or not -len(node) <= element < len(node):
                raise FixError(f"no list item {element}")
            node = node[element]
            continue
        if not isinstance(node, dict):
            raise FixError(f"{element!r}: parent is not a mapping")
        child = node.get(element)
        if child is None:
            if not create:
                return None
            _block(node)
            if tails is not None and element not in node:
                tails.remember(node)
            child = CommentedMap()
            node[element] = child
        node = child
    return node


def _same_item(a: Any, b: Any) -> bool:
    if a == b:
        return True
    return (
        isinstance(a, dict) and isinstance(b, dict) and "name" in b and a.get("name") == b["name"]
    )


def _apply(root: Any, edit: YamlEdit, tails: _Tails) -> None:
    from ruamel.yaml.comments import CommentedSeq

    if not edit.path:
        raise FixError("an edit needs a path")
    *parents, last = edit.path
    if edit.op in ("set", "setdefault", "append", "replace"):
        parent = _walk(root, parents, create=edit.op != "replace", tails=tails)
    else:
        parent = _walk(root, parents, create=False)
        if parent is None:
            return
    if edit.op in ("set", "setdefault"):
        if isinstance(last, int):
            if edit.op == "set":
                parent[last] = _to_yaml(edit.value)
            return
        if not isinstance(parent, dict):
            raise FixError(f"{last!r}: parent is not a mapping")
        if edit.op == "setdefault" and parent.get(last) is not None:
            return
        _block(parent)
        if last not in parent:
            tails.remember(parent)
        parent[last] = _to_yaml(edit.value)
    elif edit.op == "append":
        if not isinstance(parent, dict) or isinstance(last, int):
            raise FixError("append needs a mapping key")
        items = parent.get(last)
        if items is None:
            _block(parent)
            if last not in parent:
                tails.remember(parent)
            items = CommentedSeq()
            parent[last] = items
        elif isinstance(items, str):
            items = CommentedSeq([items])
            parent[last] = items
        if not isinstance(items, list):
            raise FixError(f"{last!r} is not a list")
        if not any(_same_item(item, edit.value) for item in items):
            tails.remember(items)
            items.append(_to_yaml(edit.value))
    elif edit.op == "remove":
        if isinstance(last, int):
            if isinstance(parent, list) and -len(parent) <= last < len(parent):
                del parent[last]
            return
        if not isinstance(parent, dict) or last not in parent:
            return
        last_key = list(parent.keys())[-1] == last
        if edit.value is None:
            if last_key:
                tails.remember(parent)
            del parent[last]
            return
        items = parent[last]
        if isinstance(items, list):
            matches = [i for i in range(len(items)) if items[i] == edit.value]
            if not matches:
                return
            if last_key and len(matches) == len(items):
                tails.remember(parent)
            elif matches[-1] == len(items) - 1:
                tails.remember(items)
            for index in reversed(matches):
                del items[index]
            if not items:
                del parent[last]
    elif edit.op == "replace":
        if parent is None or not isinstance(parent, dict) or isinstance(last, int):
            return
        items = parent.get(last)
        old, new = edit.value
        if isinstance(items, list):
            for index, item in enumerate(items):
                if item == old:
                    items[index] = _keep_style(item, new)
    else:
        raise FixError(f"unknown edit operation {edit.op!r}")


def _keep_style(old: Any, new: Any) -> Any:
    """A replacement string quoted like the one it replaces."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(new)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(new)
    return new


# -- writing -------------------------------------------------------------------------------------


def write_plan(
    plan: FixPlan, roots: Sequence[str] = ()
) -> tuple[tuple[FileChange, ...], tuple[Skipped, ...]]:
    """Write each change safely (see :func:`socklock.files.edit_file`): what was written,
    and what was refused with the reason. ``roots``: the paths the user gave; a symlink
    found inside one of these directories must not lead out of it."""
    written: list[FileChange] = []
    refused: list[Skipped] = []
    for change in plan.changes:
        try:
            edit_file(change.file, change.before, change.after, within=_tree_of(change.file, roots))
        except EditRefused as exc:
            refused.append(Skipped(change.file, str(exc), change.fixes))
        else:
            written.append(change)
    return tuple(written), tuple(refused)


def _tree_of(file: str, roots: Sequence[str]) -> Path | None:
    """The directory root ``file`` was found in; None for a file named on the command line."""
    path = Path(os.path.abspath(file))  # noqa: PTH100 (lexical: the link itself, not its target)
    for root in roots:
        base = Path(os.path.abspath(root))  # noqa: PTH100
        if base.is_dir() and base in path.parents:
            return base
    return None
