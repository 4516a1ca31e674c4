"""Typed reads of raw documents that report a wrong type at its exact position, once."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from socklock.model import Diagnostic, DiagnosticLevel, Location, YMap, YSeq, format_path
from socklock.model.document import PathElement, position_of

NO_STRINGS: Mapping[str, str] = MappingProxyType({})
"""The labels (annotations...) of an object that has none: one shared, read-only mapping."""


# the texts Go's strconv.ParseBool reads (compose casts interpolated text this way)
_BOOL_TEXTS = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}


def given(node: Mapping[Any, Any], key: str, default: Any) -> Any:
    """An optional field of an API object, or ``default`` when it is absent or null.

    The API server decodes JSON, where ``targetPort:`` with nothing after it is null, and a
    null optional field is no value at all: the server then defaults it as if it were
    absent (a Service port's targetPort becomes its port). Compose is different (a null
    ``environment`` entry means "take it from the shell"): use this for API objects only."""
    value = node.get(key)
    return default if value is None else value


class FieldReader:
    """Reads fields of one object; each problem becomes a diagnostic naming file:line."""

    def __init__(self, file: str, what: str) -> None:
        self.file = file
        self.what = what  # e.g. "Deployment sock-shop/carts"
        self.diagnostics: list[Diagnostic] = []

    def location(self, node: Any, key: PathElement | None = None) -> Location:
        line, column = position_of(node, key)
        return Location(self.file, line, column)

    def error(self, node: Any, key: PathElement | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.location(node, key), f"{self.what}: {message}"))

    def warning(self, node: Any, key: PathElement | None, message: str) -> None:
        self.diagnostics.append(
            Diagnostic(self.location(node, key), f"{self.what}: {message}", DiagnosticLevel.WARNING)
        )

    def _typed(
        self,
        node: YMap,
        key: str,
        path: tuple[PathElement, ...],
        kinds: tuple[type, ...],
        name: str,
    ) -> Any:
        value = node.get(key)
        if value is None:
            return None
        wrong_bool = isinstance(value, bool) and bool not in kinds
        if wrong_bool or not isinstance(value, kinds):
            self.error(
                node, key, f"{format_path((*path, key))} must be {name}, not {_describe(value)}"
            )
            return None
        return value

    # Each typed read first tries the exact type (most values have it: one test, no call),
    # then absence (most other reads: a field the object does not write).

    def mapping(self, node: YMap, key: str, path: tuple[PathElement, ...] = ()) -> YMap | None:
        value = node.get(key)
        if type(value) is YMap:
            return value
        if value is None:  # absent: no more to check
            return None
        value = self._typed(node, key, path, (dict,), "a mapping")
        return value if isinstance(value, YMap) else None

    def sequence(self, node: YMap, key: str, path: tuple[PathElement, ...] = ()) -> YSeq | None:
        value = node.get(key)
        if type(value) is YSeq:
            return value
        if value is None:  # absent: no more to check
            return None
        value = self._typed(node, key, path, (list,), "a list")
        return value if isinstance(value, YSeq) else None

    def text(self, node: YMap, key: str, path: tuple[PathElement, ...] = ()) -> str | None:
        value = node.get(key)
        if type(value) is str:
            return value
        if value is None:  # absent: no more to check
            return None
        value = self._typed(node, key, path, (str,), "a string")
        return value if isinstance(value, str) else None

    def integer(self, node: YMap, key: str, path: tuple[PathElement, ...] = ()) -> int | None:
        value = node.get(key)
        if type(value) is int:
            return value
        if value is None:  # absent: no more to check
            return None
        value = self._typed(node, key, path, (int,), "an integer")
        return value if isinstance(value, int) else None

    def flag(self, node: YMap, key: str, path: tuple[PathElement, ...] = ()) -> bool | None:
        value = self._typed(node, key, path, (bool,), "true or false")
        return value if isinstance(value, bool) else None

    def cast_flag(self, node: YMap, key: str) -> bool | None:
        """A compose boolean: compose casts a field's text to its type after interpolation
        (``read_only: ${READONLY}`` with ``READONLY=false``), as Go's strconv.ParseBool
        reads it; any other text is an error."""
        value = node.get(key)
        if isinstance(value, str) and value in _BOOL_TEXTS:
            return _BOOL_TEXTS[value]
        return self.flag(node, key)

    def str_map(
        self, node: YMap, key: str, path: tuple[PathElement, ...] = ()
    ) -> Mapping[str, str]:
        """Labels, annotations, selectors: string to string; numbers and bools are refused.

        Read only: a well-typed mapping is the document's own (a copy per object was a
        tenth of a big input's memory), a missing one is shared."""
        raw = self.mapping(node, key, path)
        if raw is None:
            return NO_STRINGS
        if all(type(k) is str and type(v) is str for k, v in raw.items()):
            return raw
        out: dict[str, str] = {}
        for k, v in raw.items():
            if not isinstance(k, str) or not isinstance(v, str):
                self.error(
                    raw,
                    k,
                    f"{format_path((*path, key, str(k)))} must map strings to strings "
                    f"(quote {v!r})",
                )
                continue
            out[k] = v
        return out


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"{value!r}"
