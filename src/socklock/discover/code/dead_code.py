"""Go functions nothing can call: their calls are no calls of the program.

Go only exports capitalised names, and reflection cannot call an unexported method, so an
unexported function or method (``logViaJSON``) whose name no other place of its package
mentions (its directory's non-test ``.go`` files, comments left out: a doc comment starts
with the name) is dead code, a leftover the compiler accepts. Any other mention (a call, a
method value handed to a router, an interface method of that name, even a string) keeps it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node

MAX_PACKAGE_FILES = 200  # a larger package is not read: its functions are kept
_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_DECLARATIONS = frozenset({"function_declaration", "method_declaration"})
_ALWAYS_RUN = frozenset({"main", "init", "_"})
# Go's comments, and the literals a comment marker inside must not cut
_TOKENS = re.compile(
    rb'"(?:\\.|[^"\\\n])*"|`[^`]*`|\'(?:\\.|[^\'\\\n])*\'|(//[^\n]*|/\*.*?\*/)', re.DOTALL
)


def dead_functions(path: str, source: bytes, root: Node) -> list[Node]:
    """The top-level function and method declarations of a Go file nothing can call."""
    candidates: dict[str, list[Node]] = {}
    for node in root.named_children:
        named = node.child_by_field_name("name") if node.type in _DECLARATIONS else None
        text = (named.text or b"").decode() if named is not None else ""
        if text[:1].islower() and text not in _ALWAYS_RUN:
            candidates.setdefault(text, []).append(node)
    own = Path(path)
    if not candidates or not own.is_file():
        return []  # source handed over without its tree: the package is not known
    words = _package_words(str(own.resolve().parent))
    if words is None:
        return []
    return [
        node
        for name, nodes in candidates.items()
        if words[name.encode()] <= len(nodes)  # only its own declarations
        for node in nodes
    ]


@lru_cache(maxsize=16)
def _package_words(directory: str) -> Counter[bytes] | None:
    """How often each word occurs in the code of the package in ``directory`` (its non-test
    ``.go`` files, comments left out); None for a package too large or unreadable."""
    try:
        files = sorted(
            p
            for p in Path(directory).iterdir()
            if p.suffix == ".go" and not p.name.endswith("_test.go")
        )
    except OSError:
        return None
    if len(files) > MAX_PACKAGE_FILES:
        return None
    words: Counter[bytes] = Counter()
    for file in files:
        try:
            words.update(_WORD.findall(_code(file.read_bytes())))
        except OSError:
            return None
    return words


def forget() -> None:
    """Drop the packages read (files may have changed since)."""
    _package_words.cache_clear()


def _code(source: bytes) -> bytes:
    """The source with its comments blanked out (strings kept)."""
    return _TOKENS.sub(lambda m: b" " if m.group(1) is not None else m.group(0), source)
