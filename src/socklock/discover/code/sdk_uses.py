"""Code that builds an SDK client which reads its address from the environment on its own.

``new FlagdProvider()``, ``flagd.NewProvider()``, ``.AddOtlpExporter()``: the code names no
address, yet the client dials the one in ``FLAGD_HOST``/``FLAGD_PORT`` or
``OTEL_EXPORTER_OTLP_ENDPOINT``. The constructors are data (the ``constructors`` of a row of
``data/sdk_conventions.toml``); each one found in code, not in a comment or a string, is
an env read of the row's variables at that line. The caller joins it with the value the
manifests set, as any env read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from socklock.discover.code.interface import CallKind, CallSite

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    from socklock.discover.code.syntax import Syntax
    from socklock.discover.conventions import Convention

_EXPRESSION_CHARS = 200
# node types (as words of their names) that hold no client being built
_NOT_CODE = ("comment", "import", "using_directive", "use_declaration", "require")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[Convention, re.Pattern[bytes]], ...]:
    from socklock.discover.conventions import constructed

    return tuple(
        (row, re.compile("|".join(f"(?:{c})" for c in row.constructors).encode()))
        for row in constructed()
    )


@lru_cache(maxsize=1)
def _constructors() -> tuple[tuple[re.Pattern[bytes], frozenset[bytes] | None], ...]:
    """Each constructor's regex, with texts one of which any match of it holds."""
    from socklock.discover.code.literals import required_texts
    from socklock.discover.conventions import constructed

    return tuple(
        (re.compile(written := c.encode()), required_texts(written))
        for row in constructed()
        for c in row.constructors
    )


@lru_cache(maxsize=1)
def _gate() -> tuple[bytes, ...] | None:
    """Texts one of which a file that names any constructor holds (None: no such set),
    without those that hold another of them (it is in the file when they are)."""
    every = [texts for _, texts in _constructors()]
    if not every or any(texts is None for texts in every):
        return None
    union = {text for texts in every for text in texts or ()}
    return tuple(sorted(t for t in union if not any(o != t and o in t for o in union)))


def may_use_sdk(source: bytes) -> bool:
    """Whether the file's bytes name any constructor (before parsing it). Substring tests
    first: most files hold none of the texts a constructor needs, and one regex search of
    all the constructors at once costs more than the parse it saves."""
    gate = _gate()
    if gate is not None and not any(text in source for text in gate):
        return False
    return any(
        pattern.search(source) is not None
        for pattern, texts in _constructors()
        if texts is None or any(text in source for text in texts)
    )


def sdk_sites(path: str, source: bytes, tree: Tree, syntax: Syntax) -> list[CallSite]:
    """One env read per SDK client built in the file's code."""
    out: list[CallSite] = []
    for row, pattern in _patterns():
        for match in pattern.finditer(source):
            node = tree.root_node.descendant_for_byte_range(match.start(), match.end())
            if node is None or _in_text(node, syntax):
                continue
            line_start = source.rfind(b"\n", 0, match.start()) + 1
            line_end = source.find(b"\n", match.end())
            text = source[line_start : line_end if line_end != -1 else len(source)]
            out.append(
                CallSite(
                    file=path,
                    line=node.start_point[0] + 1,
                    column=len(source[line_start : match.start()].decode("utf-8", "replace")) + 1,
                    expression=text.decode("utf-8", "replace").strip()[:_EXPRESSION_CHARS],
                    kind=CallKind.ENV_READ,
                    target=None,
                    env_var=row.env[0],
                    sdk=row.sdk,
                )
            )
    return out


def _in_text(node: Node, syntax: Syntax) -> bool:
    """Inside a comment, a string literal or an import: words about the SDK, or bringing
    it in, not building its client."""
    strings = syntax.strings.types | syntax.strings.content
    current: Node | None = node
    while current is not None:
        kind = current.type
        if kind in strings or any(word in kind for word in _NOT_CODE):
            return True
        current = current.parent
    return False
