"""Apply fixes (data) to the user's files: YAML and JSON by surgical text edits
(:mod:`socklock.harden.yamledit`), Dockerfiles by lines. Nothing outside an edit changes; a
file whose edited text would not read back as the intended data is skipped with the reason,
not rewritten. Writes are safe (:func:`socklock.files.edit_file`).

A multi-document YAML file is fixed document by document: only the documents the edits
anchor in are parsed again between edits, and their new text is spliced back between the
untouched bytes of the others (a 64 MiB file of 200,000 documents would otherwise be
re-parsed whole after every edit). The diff is built from the same splices, with difflib on
each edited document only.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from socklock.files import EditRefused, diff_line, edit_file, read_for_edit, unified_diff
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
    return apply_yaml_edits(text, yaml_edits, json_=file.lower().endswith(".json"))


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


# -- YAML and JSON: surgical text edits ---------------------------------------------------------


def apply_yaml_edits(text: str, edits: Sequence[YamlEdit], *, json_: bool = False) -> str:
    """``text`` with the edits made in place (see :mod:`socklock.harden.yamledit`)."""
    from socklock.harden.yamledit import EditError, edit_yaml

    try:
        return edit_yaml(text, edits, json_=json_)
    except EditError as exc:
        raise FixError(str(exc)) from exc


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
    """Apply anchored edits document by document: each edited document is edited (and
    parsed again) alone and becomes one splice."""
    import bisect

    from socklock.harden.yamledit import EditError, edit_yaml

    pieces = documents_of(text)
    firsts = [first for first, _, _ in pieces]
    by_piece: dict[int, list[YamlEdit]] = {}
    for edit in edits:  # anchors are 1-based lines
        index = max(bisect.bisect_right(firsts, edit.anchor[0] - 1) - 1, 0)
        by_piece.setdefault(index, []).append(edit)
    splices: list[Splice] = []
    for index in sorted(by_piece):
        first, start, end = pieces[index]
        old = text[start:end]
        try:
            new = edit_yaml(old, by_piece[index], first_line=first)
        except EditError as exc:
            raise FixError(str(exc)) from exc
        if new != old:
            splices.append(Splice(first, first + _line_count(old), new, _line_count(new)))
    return splices


def _line_count(text: str) -> int:
    """Lines of ``text``, a last one without its newline included."""
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


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
                hunk.extend(diff_line(" " + line) for line in lines.get(a1, a2))
                continue
            if op in {"replace", "delete"}:
                hunk.extend(diff_line("-" + line) for line in lines.get(a1, a2))
            if op in {"replace", "insert"}:
                hunk.extend(diff_line("+" + line) for line in added(b1, b2))
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
