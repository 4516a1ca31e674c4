"""One line that says what the loader passed over, so a skip is never silent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from socklock.model import SkipKind, Skipped

_PLURALS = {  # the SkipKind values are the singulars
    SkipKind.HELM_TEMPLATE: "Helm templates",
    SkipKind.TEMPLATE: "unrendered templates",
    SkipKind.NO_KIND: "YAML without apiVersion/kind",
    SkipKind.JSON_NO_KIND: "JSON without apiVersion/kind",
    SkipKind.TOOL_CONFIG: "tool configs with apiVersion/kind",
    SkipKind.JSONC: "JSONC",
    SkipKind.UNPARSABLE: "unparsable files without apiVersion/kind",
    SkipKind.KUSTOMIZE_PATCH: "kustomize patches",
    SkipKind.KUSTOMIZE_INPUT: "kustomize inputs",
    SkipKind.KNOWN_CONFIG: "known non-manifest files",
}
_ORDER = list(_PLURALS)
_NAMED_AT_MOST = 3  # broken files named in the summary line


def _count(n: int, kind: SkipKind) -> str:
    return f"{n} {kind.value if n == 1 else _PLURALS[kind]}"


def skip_summary(skipped: Sequence[Skipped]) -> str | None:
    """``skipped 37 files that are not manifests (12 Helm templates, ...)``, or None."""
    counts = Counter(item.kind for item in skipped)
    directories = counts.pop(SkipKind.DIRECTORY, 0)
    files = sum(counts.values())
    parts: list[str] = []
    if files:
        detail = ", ".join(_count(counts[kind], kind) for kind in _ORDER if counts[kind])
        noun = "file that is not a manifest" if files == 1 else "files that are not manifests"
        parts.append(f"{files} {noun} ({detail})")
    if directories:
        noun = "directory" if directories == 1 else "directories"
        parts.append(f"{directories} {noun} of vendored code, caches or build output")
    if not parts:
        return None
    # a broken file is named: its owner may want to know it does not parse
    broken = sorted(item.path for item in skipped if item.kind is SkipKind.UNPARSABLE)
    named = ", ".join(broken[:_NAMED_AT_MOST])
    if len(broken) > _NAMED_AT_MOST:
        named += f" and {len(broken) - _NAMED_AT_MOST} more"
    said = f"; does not parse: {named}" if broken else ""
    return f"skipped {' and '.join(parts)}{said}; --verbose lists them"


def skip_lines(skipped: Sequence[Skipped]) -> list[str]:
    """One line per skipped path, for ``--verbose``."""
    lines: list[str] = []
    for item in sorted(skipped):
        if item.kind is SkipKind.DIRECTORY:
            lines.append(f"{item.path}: skipped: {item.reason}")
        else:
            detail = f" ({item.reason})" if item.reason else ""
            lines.append(f"{item.path}: skipped: {item.kind.value}{detail}")
    return lines
