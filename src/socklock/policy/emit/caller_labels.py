"""Write caller labels into the user's own manifests (caller-declared mode).

Each calling workload's pod template gets ``socklock.io/to.<service>: "true"`` for each
service it calls (and ``socklock.io/type`` for a declared caller type); labels of that form
that the graph no longer asks for are removed, so patching converges. Only the documents
that change are re-emitted, through ruamel.yaml's round-trip mode (comments, quotes, key
order and the file's indentation kept); every other byte of the file stays as it was. The
result is a list of :class:`FilePatch` (old and new text, unified diff); nothing is written
until :func:`apply_patches` is called, which refuses a file that changed since it was read.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from socklock.errors import UsageError
from socklock.files import EditRefused, edit_file, read_for_edit, unified_diff
from socklock.model import Inventory, Workload
from socklock.model.document import PathElement
from socklock.policy.emit.yamltext import GENERATED_MARKER
from socklock.policy.generate.plan import LABEL_PREFIX, TYPE_LABEL

_SEPARATOR = re.compile(r"^---(?:[ \t].*)?$")
_OWNED = re.compile(r"^socklock\.io/(?:to\..+|type)$")


@dataclass(frozen=True, slots=True)
class FilePatch:
    path: str
    old: str
    new: str
    workloads: tuple[str, ...]

    def diff(self) -> str:
        return unified_diff(self.path, self.old, self.new)


def patch_text(patches: Sequence[FilePatch]) -> str:
    """The patch as a file: a marker line (so a later run knows socklock wrote it; ``git
    apply`` and ``patch`` skip text before the first diff header), then each diff."""
    header = f"# {GENERATED_MARKER}: caller labels for your manifests (git apply this file)\n"
    return header + "".join(p.diff() for p in patches)


@dataclass(frozen=True, slots=True)
class Skipped:
    workload: str
    reason: str


def owned(key: str) -> bool:
    """A label this mode manages (and may remove)."""
    return bool(_OWNED.match(key)) and key.startswith(LABEL_PREFIX)


def _labels_path(workload: Workload) -> tuple[PathElement, ...]:
    if workload.kind == "Pod":
        return ("metadata", "labels")
    return (*workload.pod_spec_path[:-1], "metadata", "labels")


def _split(text: str) -> list[str]:
    """The file as chunks: documents and the ``---`` lines between them, verbatim."""
    chunks: list[str] = []
    current: list[str] = []
    for line in text.splitlines(keepends=True):
        if _SEPARATOR.match(line.rstrip("\r\n")):
            chunks.append("".join(current))
            chunks.append(line)
            current = []
        else:
            current.append(line)
    chunks.append("".join(current))
    return chunks


def guess_indent(text: str) -> tuple[int, int]:
    """(mapping indent, dash offset of a block list under its key), as the file writes them."""
    mapping: int | None = None
    offset: int | None = None
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    for line, following in itertools.pairwise(lines):
        stripped = line.strip()
        if not stripped.endswith(":") or stripped.startswith("- "):
            continue
        depth = len(line) - len(line.lstrip())
        child = len(following) - len(following.lstrip())
        if following.lstrip().startswith("- "):
            if offset is None and child >= depth:
                offset = child - depth
        elif mapping is None and child > depth:
            mapping = child - depth
        if mapping is not None and offset is not None:
            break
    return mapping or 2, offset if offset is not None else 2


def _yaml(text: str) -> tuple[YAML, Any]:
    mapping, offset = guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    return yaml, yaml.load(text)


def _matches(node: Any, workload: Workload) -> bool:
    if not isinstance(node, dict) or node.get("kind") != workload.kind:
        return False
    metadata = node.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("name") != workload.name:
        return False
    return (metadata.get("namespace") or "default") == workload.namespace or (
        metadata.get("namespace") is None and workload.obj.namespace == workload.namespace
    )


def _candidates(root: Any) -> list[Any]:
    if isinstance(root, dict) and str(root.get("kind", "")).endswith("List"):
        items = root.get("items")
        return list(items) if isinstance(items, list) else []
    return [root]


def _set_labels(node: Any, path: Sequence[PathElement], wanted: Mapping[str, str]) -> bool:
    """Make the owned labels at ``path`` exactly ``wanted``; True when something changed."""
    parent = node
    for key in path[:-1]:
        child = parent.get(key) if isinstance(parent, dict) else None
        if child is None:
            if not wanted:
                return False
            child = CommentedMap()
            parent[key] = child
        parent = child
    last = path[-1]
    labels = parent.get(last) if isinstance(parent, dict) else None
    if labels is None:
        if not wanted:
            return False
        labels = CommentedMap()
        parent[last] = labels
    changed = False
    for key in [k for k in labels if isinstance(k, str) and owned(k) and k not in wanted]:
        del labels[key]
        changed = True
    for key, value in sorted(wanted.items()):
        if labels.get(key) != value:
            labels[key] = DoubleQuotedScalarString(value)
            changed = True
    return changed


def _labels_node(node: Any, path: Sequence[PathElement]) -> Any:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def _edit_lines(
    chunk: str, matched: Sequence[tuple[Any, Workload, Mapping[str, str]]]
) -> str | None:
    """The chunk with only the label lines changed, or None when the labels are not a
    non-empty block mapping of one-line values (then the document is re-emitted instead).

    Line edits keep every other byte of the document, whatever mix of styles it uses."""
    lines = chunk.splitlines(keepends=True)
    edits: dict[int, list[str] | None] = {}  # line index -> replacement lines (None: delete)
    for node, workload, wanted in matched:
        labels = _labels_node(node, _labels_path(workload))
        if not isinstance(labels, CommentedMap) or not labels or labels.fa.flow_style():
            return None
        positions = {key: labels.lc.key(key) for key in labels}
        rows = sorted(line for line, _ in positions.values())
        if len({line for line, _ in positions.values()}) != len(positions):
            return None
        column = min(col for _, col in positions.values())
        for key, (line, _) in positions.items():
            value_row = labels.lc.value(key)[0]
            if value_row != line:
                return None  # a value on its own line
        last = rows[-1]
        additions: list[str] = []
        for key, (line, _) in positions.items():
            if isinstance(key, str) and owned(key) and key not in wanted:
                edits[line] = None
        for key, value in sorted(wanted.items()):
            text = " " * column + f'{key}: "{value}"\n'
            if key in positions:
                if labels[key] != value:
                    edits[positions[key][0]] = [text]
            else:
                additions.append(text)
        if additions:
            if last >= len(lines):
                return None
            current = edits.get(last, [lines[last]])
            keep = [lines[last]] if current is None else current
            if not keep[-1].endswith("\n"):
                keep = [*keep[:-1], keep[-1] + "\n"]
            edits[last] = [*keep, *additions] if current is not None else additions
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in edits:
            replacement = edits[index]
            if replacement is not None:
                out.extend(replacement)
        else:
            out.append(line)
    return "".join(out)


def patch_caller_labels(
    inventory: Inventory,
    labels: Mapping[str, Mapping[str, str]],
    read: Any = None,
) -> tuple[list[FilePatch], list[Skipped]]:
    """Patches that give each workload exactly ``labels[workload]`` among the owned labels.

    Workloads not in ``labels`` lose owned labels they carry. ``read(path) -> str`` reads a
    file (default: as the input was read, so standard input too).
    """
    reader = read or inventory.source_text
    targets: dict[str, list[tuple[Workload, dict[str, str]]]] = defaultdict(list)
    skipped: list[Skipped] = []
    for workload in inventory.workloads:
        if workload.owner is not None:
            continue
        wanted = dict(labels.get(workload.id, {}))
        stale = any(owned(k) for k in workload.labels)
        if not wanted and not stale:
            continue
        file = workload.location.file
        if file.endswith(".json"):
            skipped.append(Skipped(workload.id, f"{file} is JSON: set the labels by hand"))
            continue
        targets[file].append((workload, wanted))
    known = {w.id for w in inventory.workloads}
    for workload_id in sorted(set(labels) - known):
        skipped.append(Skipped(workload_id, "not defined in the input's manifests"))
    patches: list[FilePatch] = []
    for file, items in sorted(targets.items()):
        old = reader(file)
        chunks = _split(old)
        touched: list[str] = []
        for index, chunk in enumerate(chunks):
            if index % 2 == 1 or not chunk.strip():
                continue
            mine = [(w, wanted) for w, wanted in items if f"name: {w.name}" in chunk]
            if not mine:
                continue
            yaml, root = _yaml(chunk)
            matched = [
                (node, workload, wanted)
                for node in _candidates(root)
                for workload, wanted in mine
                if _matches(node, workload)
            ]
            edited = _edit_lines(chunk, matched)
            if edited is not None:
                if edited != chunk:
                    chunks[index] = edited
                    touched.extend(w.id for _, w, _ in matched)
                continue
            changed = False
            for node, workload, wanted in matched:
                if _set_labels(node, _labels_path(workload), wanted):
                    changed = True
                    touched.append(workload.id)
            if changed:
                stream = io.StringIO()
                yaml.dump(root, stream)
                chunks[index] = stream.getvalue()
        new = "".join(chunks)
        if new != old:
            patches.append(FilePatch(file, old, new, tuple(sorted(set(touched)))))
    return patches, skipped


def apply_patches(patches: Sequence[FilePatch]) -> list[str]:
    """Write each patch atomically; refuse (before writing any) if a file changed meanwhile."""
    changed = [p.path for p in patches if read_for_edit(p.path) != p.old]
    if changed:
        raise UsageError(
            f"{', '.join(changed)} changed since socklock read it; run the command again"
        )
    for patch in patches:
        try:
            edit_file(patch.path, patch.old, patch.new)
        except EditRefused as exc:
            raise UsageError(f"{patch.path}: not written: {exc}") from None
    return [p.path for p in patches]


__all__ = ["TYPE_LABEL", "FilePatch", "Skipped", "apply_patches", "owned", "patch_caller_labels"]
