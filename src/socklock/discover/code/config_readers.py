"""Application config formats read into one shape: (key path, value, position) entries.

Each reader is linear in the file and keeps positions, which is why JSON and TOML are
tokenized here rather than loaded with ``json``/``tomllib`` (they forget line numbers).
"""

from __future__ import annotations

import bisect
import re
import textwrap
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

Key = tuple[str, ...]
ITEM = "[]"  # the key part of an array's item (``a.[].b``)


def dotted_key(key: Key) -> str:
    """The key as it is written in properties (``a.b``): an array's item parts left out."""
    return ".".join(part for part in key if part != ITEM)


@dataclass(frozen=True, slots=True)
class Entry:
    key: Key
    value: str
    line: int  # 1-based
    column: int  # 1-based
    profile: str | None = None  # a YAML document that applies only under a Spring profile


class _Lines:
    """Offset → (line, column), both 1-based."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1


def read_properties(text: str) -> Iterator[Entry]:
    """Java ``.properties``: ``key=value``, ``key: value``, ``\\`` continuations."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        number = index + 1
        index += 1
        stripped = line.lstrip()
        if not stripped or stripped[0] in "#!":
            continue
        while line.endswith("\\") and index < len(lines):
            line = line[:-1] + lines[index].lstrip()
            index += 1
        match = re.match(r"^(\s*)((?:[^\s=:\\]|\\.)+)\s*[=:\s]\s*", line)
        if match is None:
            continue
        value = line[match.end() :].rstrip()
        yield Entry(tuple(match.group(2).split(".")), value, number, match.end() + 1)


_INI_SECTION = re.compile(r"^\[([^\]]+)\]\s*(?:[;#].*)?$")
_INI_PAIR = re.compile(r"^([^\s=:;#\[][^=:]*?)\s*[=:]\s*")


def read_ini(text: str) -> Iterator[Entry]:
    """INI files (Python's configparser ``.cfg``/``.ini``, ``php.ini``): ``[section]``
    headers, ``key = value`` or ``key: value``, ``;`` and ``#`` comment lines; the key is
    the section's words, then the key's (``[database] host`` → ``database.host``). An
    indented line continues the value above it: not a key of its own."""
    section: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped[0] in ";#" or line[0] in " \t":
            continue
        header = _INI_SECTION.match(stripped)
        if header is not None:
            section = tuple(p for p in header.group(1).strip().split(".") if p)
            continue
        match = _INI_PAIR.match(line)
        if match is None:
            continue
        value = line[match.end() :].rstrip()
        column = match.end() + 1
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
            column += 1
        key = tuple(p for p in match.group(1).strip().split(".") if p)
        yield Entry((*section, *key), value, number, column)


_DOTENV = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$")


def read_dotenv(text: str) -> Iterator[Entry]:
    """``.env`` files: ``KEY=value``, quotes, ``export``, ``#`` comments."""
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DOTENV.match(line)
        if match is None or line.lstrip().startswith("#"):
            continue
        raw = match.group(2)
        column = match.start(2) + 1
        if raw and raw[0] in "\"'":
            end = raw.find(raw[0], 1)
            value = raw[1:end] if end != -1 else raw[1:]
            column += 1
        else:
            value = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
        yield Entry((match.group(1),), value, number, column)


# Between two values: blanks, commas (optional in Hjson, trailing in JSON5) and comments.
_JSON_GAP = re.compile(r"(?:[\s\ufeff,]+|//[^\n]*|#[^\n]*|/\*.*?\*/)*", re.DOTALL)
_JSON_QUOTED = re.compile(r"'''.*?'''|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", re.DOTALL)
_JSON_BARE_KEY = re.compile(r"[^\s,:\[\]{}\"']+")
_JSON_COLON = re.compile(r"[ \t]*:")
# A number or keyword ends at a delimiter; in Hjson any other bare value is a quoteless
# string that runs to the end of its line.
_JSON_LITERAL = re.compile(
    r"(?:[-+]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|Infinity|NaN)"
    r"|true|false|null)(?=[ \t]*(?:[,\]}]|#|//|/\*|$))",
    re.MULTILINE,
)


def read_json(text: str) -> Iterator[Entry]:
    """JSON and the relaxed forms config files are written in: comments (JSONC), JSON5
    (single quotes, bare keys, trailing commas, hex numbers) and Hjson (quoteless strings
    to the end of the line, ``'''`` strings, optional commas and root braces). Every
    string, number or keyword value with its key path; a malformed file gives what it can."""
    lines = _Lines(text)
    position = _skip_gap(text, 0)
    braced = text[position : position + 1] in ("{", "[")
    stack: list[tuple[str, str]] = [] if braced else [("{", "")]  # (bracket, its key)
    key: str | None = None
    while True:
        position = _skip_gap(text, position)
        if position >= len(text):
            return
        char = text[position]
        if char in "{[":
            in_array = bool(stack) and stack[-1][0] == "["
            stack.append((char, key if key is not None else (ITEM if in_array else "")))
            key, position = None, position + 1
            continue
        if char in "}]:":
            if char != ":" and stack:
                stack.pop()
            key, position = None, position + 1
            continue
        quoted = _JSON_QUOTED.match(text, position)
        if stack and stack[-1][0] == "{" and key is None:  # a member's name
            name = quoted or _JSON_BARE_KEY.match(text, position)
            if name is None:
                position += 1
                continue
            colon = _JSON_COLON.match(text, name.end())
            if colon is not None:
                key = _json_string(name.group(0)) if quoted else name.group(0)
                position = colon.end()
            else:
                position = name.end()
            continue
        if quoted is not None:
            token = quoted.group(0)
            value, start, position = _json_string(token), position, quoted.end()
            start += 3 if token.startswith("'''") else 1
        else:
            literal = _JSON_LITERAL.match(text, position)
            end = literal.end() if literal else _end_of_line(text, position)
            value, start, position = text[position:end].rstrip(), position, end
        line, column = lines.position(start)
        path = tuple(name for _, name in stack if name)
        yield Entry((*path, key if key is not None else ITEM), value, line, column)
        key = None


def _end_of_line(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end == -1 else end


def _skip_gap(text: str, position: int) -> int:
    gap = _JSON_GAP.match(text, position)
    return gap.end() if gap else position


def _json_string(token: str) -> str:
    if token.startswith("'''"):
        return textwrap.dedent(token[3:-3]).strip("\n")  # Hjson's multi-line string
    body = token[1:-1]
    if "\\" not in body:
        return body
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


_TOML_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\'\n]*\'')
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_.\-\"']+)\s*=")
_TOML_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


_TOML_INTEGER = re.compile(r"\s*(\d{1,5})\s*(?:#.*)?$")


def read_toml(text: str) -> Iterator[Entry]:
    """TOML: string values (also inside arrays) under their table and key, and integers
    (a ``port = 4317`` beside its ``host``)."""
    table: Key = ()
    key: Key = ()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        header = _TOML_TABLE.match(line)
        if header is not None:
            table = tuple(part.strip("\"'") for part in header.group(1).split("."))
            continue
        start = 0
        named = _TOML_KEY.match(line)
        if named is not None:
            key = tuple(part.strip("\"'") for part in named.group(1).split("."))
            start = named.end()
            number_value = _TOML_INTEGER.match(line, start)
            if number_value is not None:
                yield Entry(
                    (*table, *key), number_value.group(1), number, number_value.start(1) + 1
                )
                continue
        for match in _TOML_STRING.finditer(line, start):
            yield Entry((*table, *key), match.group(0)[1:-1], number, match.start() + 2)


def read_yaml(text: str) -> Iterator[Entry]:
    """YAML: every scalar under its key path; Kubernetes objects are not app config."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        documents = list(yaml.compose_all(text, Loader=loader))
    except yaml.YAMLError:
        return
    for document in documents:
        if document is None or _is_kubernetes(document):
            continue
        entries = list(_walk_yaml(document, ()))
        profile = _document_profile(entries)
        if profile is None:
            yield from entries
        else:
            yield from (replace(e, profile=profile) for e in entries)


_PROFILE_KEYS = (("spring", "config", "activate", "on-profile"), ("spring", "profiles"))


def _document_profile(entries: list[Entry]) -> str | None:
    """``spring.config.activate.on-profile: docker`` (or the older ``spring.profiles``)."""
    for entry in entries:
        flat = tuple(part for part in entry.key for part in part.split("."))
        if flat in _PROFILE_KEYS and entry.value.strip():
            return entry.value.strip()
    return None


def _is_kubernetes(node: object) -> bool:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return False
    keys = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return {"apiVersion", "kind"} <= keys


def _walk_yaml(node: object, key: Key) -> Iterator[Entry]:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        mark = node.start_mark
        quoted = 1 if node.style in ("'", '"') else 0
        yield Entry(key, str(node.value), mark.line + 1, mark.column + 1 + quoted)
    elif isinstance(node, yaml.MappingNode):
        for name, child in node.value:
            if isinstance(name, yaml.ScalarNode):
                yield from _walk_yaml(child, (*key, str(name.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            yield from _walk_yaml(child, (*key, str(index)))


_HOCON_KEY = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[A-Za-z0-9_\-.]+)\s*')
_HOCON_PIECE = re.compile(
    r'"((?:[^"\\]|\\.)*)"'  # a quoted string
    r"|\$\{(\??)([^}]+)\}"  # a substitution, optional with ``?``
    r'|([^"$,#}\]\n]+?(?=\s*(?:$|,|#|//|}|\]|"|\$\{)))'  # unquoted text
)


def read_hocon(text: str) -> Iterator[Entry]:
    """HOCON (Akka, Play ``application.conf``), the subset config files use for addresses:
    nested ``key { }`` objects, dotted keys, ``=``/``:``, quoted and unquoted values,
    arrays (an item a line, or on one line), and ``${?ENV}`` overrides, which become
    ``${ENV:previous value}``. Other constructs (includes, ``+=``) are skipped."""
    lines = text.splitlines()
    stack: list[Key] = [()]
    found: dict[Key, Entry] = {}
    skip = 0  # lines of an array already read
    for number, raw in enumerate(lines, start=1):
        if skip:
            skip -= 1
            continue
        line = raw.strip()
        while line.startswith("}"):
            if len(stack) > 1:
                stack.pop()
            line = line[1:].strip()
        if not line or line.startswith(("#", "//", "include ")):
            continue
        match = _HOCON_KEY.match(line)
        if match is None:
            continue
        key = (*stack[-1], *_hocon_key(match.group(1)))
        rest = line[match.end() :]
        if rest.startswith("{") or (rest[:1] in "=:" and rest[1:].strip().startswith("{")):
            body = rest[rest.index("{") + 1 :].strip()
            if body.startswith("}"):
                continue
            stack.append(key)
            continue
        if not rest[:1] or rest[0] not in "=:" or rest.startswith("+="):
            continue
        value = rest[1:].strip()
        column = len(raw) - len(raw.lstrip()) + match.end() + 2
        items = [(item, number, column) for item in _hocon_items(value)]
        if value.startswith("[") and "]" not in value:
            items, skip = _hocon_array(lines, number, value)
        for index, (item, line_number, item_column) in enumerate(items):
            item_key = key if not value.startswith("[") else (*key, str(index))
            previous = found.get(item_key)
            resolved = _hocon_value(item, previous.value if previous else None, found)
            if resolved is not None:
                found.pop(item_key, None)
                found[item_key] = Entry(item_key, resolved, line_number, item_column)
    yield from sorted(found.values(), key=lambda e: (e.line, e.column))


def _hocon_key(text: str) -> Key:
    if text.startswith('"'):
        return (text[1:-1],)
    return tuple(part for part in text.split(".") if part)


def _hocon_array(
    lines: list[str], number: int, value: str
) -> tuple[list[tuple[str, int, int]], int]:
    """The items of an array that opens on line ``number`` (``value``: its text from ``[``)
    and closes on a later line, each with its line and column; and how many lines follow
    the first. Unclosed: no items, nothing skipped."""
    items: list[tuple[str, int, int]] = []
    pieces = [(value[1:], number, 0)]
    for offset, raw in enumerate(lines[number:], start=1):
        if raw.strip().startswith(("#", "//")):
            continue  # a comment line inside the array
        end = raw.find("]")
        pieces.append((raw if end == -1 else raw[:end], number + offset, 0))
        if end != -1:
            for text, line_number, _ in pieces:
                for item in text.split(","):
                    if item.strip() and not item.strip().startswith(("#", "//")):
                        column = text.index(item.strip()) + 1
                        items.append((item.strip(), line_number, column))
            return items, offset
    return [], 0


def _hocon_items(value: str) -> list[str]:
    if not value.startswith("["):
        return [value]
    end = value.find("]")
    if end == -1:
        return []  # a multi-line array: not read
    return [item.strip() for item in value[1:end].split(",") if item.strip()]


def _hocon_value(value: str, previous: str | None, found: dict[Key, Entry]) -> str | None:
    """The value's text, substitutions as ``${ENV:default}`` (the env var HOCON reads)."""
    pieces: list[str] = []
    for match in _HOCON_PIECE.finditer(value):
        quoted, optional, reference, bare = match.groups()
        if quoted is not None:
            pieces.append(re.sub(r"\\(.)", r"\1", quoted))
        elif reference is not None:
            path = tuple(reference.strip().split("."))
            known = found.get(path)
            if known is not None and not optional:
                pieces.append(known.value)
            elif optional and previous is not None and len(value.strip()) == match.end():
                pieces.append(f"${{{reference.strip()}:{previous}}}")
            else:
                pieces.append(f"${{{reference.strip()}}}")
        elif bare is not None:
            pieces.append(bare.strip())
    text = "".join(pieces)
    if not text or text in ("{", "["):
        return None
    return text
