"""Names a file uses that another file of the program defines.

``from settings import CART_URL``, ``settings.CART_URL``, ``Constants.PAYMENT_URL`` in
another class, a Go constant in another file of the package or in a package of the
module, ``import { API } from './config'``: the evaluator asks :class:`Links` when a
name is not defined in the file it reads. Each language says, from the file's import
lines alone, which files may define the name (:mod:`socklock.discover.code.imports`);
those files are parsed on demand, once per process, and only their top-level
definitions are evaluated. Nothing is read when every name is defined where it is used,
so the scan pays only for files that need it; the values found are small and cached.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from socklock.discover.code.captures import collect
from socklock.discover.code.definitions import Definitions
from socklock.discover.code.evaluate import Evaluator
from socklock.discover.code.functions import Functions
from socklock.discover.code.values import alternatives

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from tree_sitter import Node

    from socklock.discover.code.captures import Captures
    from socklock.discover.code.functions import Call
    from socklock.discover.code.grammar import Grammar
    from socklock.discover.code.imports import Candidate
    from socklock.discover.code.values import Values

MAX_FILE_BYTES = 512 * 1024  # a constants module is small; larger files are not read
MAX_CHAIN = 4  # a constant defined in terms of an import of an import...
_KEEP_FILES = 24  # parsed files kept per process (least recently used go first)


class Links:
    """What other files give the names one file does not define.

    ``chain`` is how deep the file was first loaded; a parsed file is cached and asked again
    from deeper lookups, so the depth of the lookups in progress (:func:`_deep`) bounds the
    search as well: without it a Go package, one namespace whose every file may define a
    name, is searched again from each sibling in every order."""

    def __init__(self, path: str, source: bytes, syntax_name: str, chain: int = 0) -> None:
        self.path = path
        self.source = source
        self.syntax_name = syntax_name
        self.chain = chain

    def name(self, name: str) -> Values | None:
        """The value of ``name`` (used, not defined, in this file), if another file gives it."""
        from socklock.discover.code.imports import name_candidates

        if _deep(self.chain):
            return None
        return _first(name_candidates(self.syntax_name, self.path, self.source, name), self)

    def member(self, owner: str, prop: str) -> Values | None:
        """The value of ``owner.prop`` when ``owner`` is a module, class or config object."""
        from socklock.discover.code.imports import member_candidates

        if _deep(self.chain):
            return None
        candidates = member_candidates(self.syntax_name, self.path, self.source, owner, prop)
        return _first(candidates, self)

    def returned(
        self, owner: str, function: str, arguments: Callable[[], Sequence[Values]]
    ) -> Values | None:
        """What ``Owner.Nested.function(...)`` returns when another file of the program
        defines it (a static helper class: ``API.Catalog.GetAllItems(baseUri)``);
        ``arguments`` evaluates the call's arguments in this file, only once one is found."""
        from socklock.discover.code.imports import class_files

        if _deep(self.chain):
            return None
        for path in class_files(self.syntax_name, self.path, owner):
            ident = (path, f"{owner}.{function}()")
            if path == self.path or ident in _ACTIVE:
                continue
            loaded = _load(path, function, self.chain + 1)
            functions = loaded.evaluator.functions if loaded is not None else None
            if loaded is None or functions is None or not functions.defines(function):
                continue
            found: list[Values] = []
            _ACTIVE.add(ident)
            try:
                for _, binding, value in functions.returns_for(function, arguments()):
                    with loaded.evaluator.bound(binding):
                        found.append(loaded.evaluator.values(value))
            finally:
                _ACTIVE.discard(ident)
            if found:
                return alternatives(found)
        return None

    def callers(self, function: str) -> list[tuple[str, bytes, Evaluator, list[Call]]]:
        """Calls of ``function`` (defined in this file) in the files that include this one
        (C/C++ headers) or import it (:mod:`socklock.discover.code.importers`): each
        file's path, source, evaluator and calls."""
        from socklock.discover.code.includes import including_files

        if _deep(self.chain):
            return []
        if self.syntax_name != "cpp":
            return self._importers(function)
        found: list[tuple[str, bytes, Evaluator, list[Call]]] = []
        for path in including_files(self.path, function):
            loaded = _load(path, function, self.chain + 1)
            functions = loaded.evaluator.functions if loaded is not None else None
            if loaded is None or functions is None:
                continue
            calls = functions.calls_named(function)
            if calls:
                found.append((path, loaded.source, loaded.evaluator, calls))
        return found

    def _importers(self, function: str) -> list[tuple[str, bytes, Evaluator, list[Call]]]:
        from socklock.discover.code.importers import nearby_files, reaches
        from socklock.discover.code.registry import analyser_for

        syntax = getattr(analyser_for(PurePath(self.path)), "syntax", None)
        if syntax is None:
            return []
        found: list[tuple[str, bytes, Evaluator, list[Call]]] = []
        for path in nearby_files(self.path, function, syntax.suffixes):
            loaded = _load(path, function, self.chain + 1)
            functions = loaded.evaluator.functions if loaded is not None else None
            if loaded is None or functions is None:
                continue
            calls = [
                call
                for call in functions.calls_of(function)
                if reaches(
                    self.syntax_name, path, loaded.source, call.receiver, function, self.path
                )
            ]
            if calls:
                found.append((path, loaded.source, loaded.evaluator, calls))
        return found

    def item(self, name: str, key: str) -> Values | None:
        """``name[key]`` when ``name`` is a map literal another file defines."""
        from socklock.discover.code.imports import name_candidates

        if _deep(self.chain):
            return None
        for path, defined in name_candidates(self.syntax_name, self.path, self.source, name):
            ident = (path, f"{defined}[{key}]")  # no name holds a "[": apart from names
            if path == self.path or ident in _ACTIVE:
                continue
            if ident in _VALUES:  # asked before (a sibling of the same package asks again)
                found = _VALUES[ident]
            else:
                loaded = _load(path, defined, self.chain + 1)
                if loaded is None:
                    continue
                _ACTIVE.add(ident)
                try:
                    found = loaded.evaluator.item_of(defined, loaded.root, key)
                finally:
                    _ACTIVE.discard(ident)
                _VALUES[ident] = found
            if found is not None:
                return found
        return None


def _deep(chain: int) -> bool:
    """A lookup at this depth goes no further: the file's own depth or the number of
    cross-file lookups on the stack reached :data:`MAX_CHAIN`."""
    return chain >= MAX_CHAIN or len(_ACTIVE) >= MAX_CHAIN


def _first(candidates: list[Candidate], links: Links) -> Values | None:
    for path, name in candidates:
        if path == links.path:
            continue
        found = value_in(path, name, links.chain + 1)
        if found is not None:
            return found
    return None


class _File:
    """One parsed file, kept while it is being asked for names."""

    def __init__(self, path: str, source: bytes, grammar: Grammar, chain: int) -> None:
        self.source = source
        self.tree = grammar.parser.parse(source)
        self.root = self.tree.root_node
        captures = collect(grammar.target_matches(self.root), grammar.settings)
        self.evaluator = file_evaluator(
            path,
            source,
            self.root,
            grammar,
            captures,
            Links(path, source, grammar.syntax.name, chain),
        )


def file_evaluator(
    path: str, source: bytes, root: Node, grammar: Grammar, captures: Captures, links: Links
) -> Evaluator:
    """The evaluator of one parsed file (the engine's, and the one a linked file gets)."""
    syntax = grammar.syntax
    evaluator: Evaluator = Evaluator(
        syntax,
        source,
        captures,
        lambda: Definitions.build(syntax, source, grammar.definitions, root),
        lambda: Functions.build(syntax, source, grammar.calls, root, evaluator.definitions),
        links,
    )
    return evaluator


_FILES: OrderedDict[str, _File | None] = OrderedDict()
_VALUES: dict[tuple[str, str], Values | None] = {}
_ACTIVE: set[tuple[str, str]] = set()


def value_in(path: str, name: str, chain: int = 1) -> Values | None:
    """The value of the top-level ``name`` in the file at ``path`` (None: not defined there)."""
    ident = (path, name)
    if ident in _VALUES:
        return _VALUES[ident]
    if ident in _ACTIVE:
        return None
    loaded = _load(path, name, chain)
    if loaded is None:
        return None
    _ACTIVE.add(ident)
    try:
        found = _top_level(loaded, name)
    finally:
        _ACTIVE.discard(ident)
    _VALUES[ident] = found
    return found


def _top_level(loaded: _File, name: str) -> Values | None:
    from socklock.discover.code.imports import exported

    evaluator = loaded.evaluator
    if evaluator.definitions.lookup(name, loaded.root):
        return evaluator.name(name, loaded.root)
    node = exported(evaluator.syntax.name, loaded.root, loaded.source, name)
    return evaluator.values(node) if node is not None else None


def _load(path: str, name: str, chain: int) -> _File | None:
    if path in _FILES:
        _FILES.move_to_end(path)
        return _FILES[path]
    from socklock.discover.code.registry import analyser_for

    analyser = analyser_for(PurePath(path))
    syntax = getattr(analyser, "syntax", None)
    if syntax is None:
        return None
    try:
        file = Path(path)
        if file.stat().st_size > MAX_FILE_BYTES:
            return None
        source = file.read_bytes()
    except OSError:
        return None
    if name.encode() not in source:
        return None  # cheap: most candidate files do not mention the name at all
    from socklock.discover.code.grammar import load

    loaded = _File(path, source, load(syntax), chain)
    _FILES[path] = loaded
    while len(_FILES) > _KEEP_FILES:
        _FILES.popitem(last=False)
    return loaded


def forget() -> None:
    """Drop every cached file and value (tests that rewrite files use it)."""
    from socklock.discover.code.dead_code import forget as forget_dead_code
    from socklock.discover.code.importers import forget as forget_importers
    from socklock.discover.code.imports import forget as forget_imports
    from socklock.discover.code.includes import forget as forget_includes
    from socklock.discover.code.options import forget as forget_options

    forget_imports()
    forget_includes()
    forget_importers()
    forget_options()
    forget_dead_code()
    _FILES.clear()
    _VALUES.clear()
