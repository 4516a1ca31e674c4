"""Go config fields filled from the environment and never read.

Services of one repository often copy one ``Config`` struct and its loader
(``DBSource: os.Getenv("DB_SOURCE")``) while only some of them open the database: a
field of the program's own struct that no code of its module reads (``.DBSource``
nowhere) is loaded, never used, and its address is no call. Only a struct the module
declares (``type Config struct``) counts: a library's options (``redis.Options{Addr: ...}``)
are read by the library. A module whose sources cannot be read counts every field.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_KEYED = re.compile(r"^\s*([A-Z]\w*)\s*:\s*$")
_OPENER = re.compile(r"&?\s*([A-Za-z_]\w*)\s*\{\s*$")
_SKIPPED = frozenset({"vendor", "testdata", ".git", "node_modules"})
MAX_FILES = 2000


@lru_cache(maxsize=64)
def _module_text(root: str) -> str | None:
    """The module's Go sources (tests left out), joined; None when too many to read."""
    texts: list[str] = []
    for path in sorted(Path(root).rglob("*.go")):
        if _SKIPPED.intersection(path.relative_to(root).parts) or path.name.endswith("_test.go"):
            continue
        if len(texts) >= MAX_FILES:
            return None
        try:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return None
    return "\n".join(texts)


def _module_root(file: Path) -> Path | None:
    for parent in file.parents:
        if (parent / "go.mod").is_file():
            return parent
    return None


def _struct_of(lines: list[str], index: int) -> str | None:
    """The type of the composite literal the line ``index`` is a field of."""
    depth = 0
    for back in range(index - 1, max(index - 200, -1), -1):
        text = lines[back].split("//", 1)[0]
        depth += text.count("}") - text.count("{")
        if depth < 0:
            found = _OPENER.search(text)
            return found.group(1) if found else None
    return None


def unread_field(file: str, line: int, column: int) -> str | None:
    """The field (``DBSource``) the env read at ``file:line:column`` fills when no code of
    its Go module reads it, else None."""
    path = Path(file)
    if path.suffix != ".go":
        return None
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    if not 0 < line <= len(lines):
        return None
    keyed = _KEYED.match(lines[line - 1][: max(column - 1, 0)])
    if keyed is None:
        return None
    field = keyed.group(1)
    struct = _struct_of(lines, line - 1)
    root = _module_root(path)
    if struct is None or root is None:
        return None
    text = _module_text(str(root))
    if text is None or not re.search(rf"\btype\s+{struct}\s+struct\b", text):
        return None  # not the module's own struct: a library reads its options
    if re.search(rf"\.\s*{field}\b", text):
        return None
    return field
