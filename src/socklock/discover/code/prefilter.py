"""A byte-level test that rules out most files before they are parsed.

Derived from the query itself, so it cannot drift from it: a pattern that reports
something (captures ``@seed``, ``@env``, ``@target*``, ``@stub.conn``, ``@declare`` or
``@listen``: the port a listener is given) only matches
when its text predicates hold, and the text a predicate tests appears verbatim in the
file. For each such pattern we take one predicate (the one on ``@_fn`` when present,
the function or method name) and search for its words or regex in the raw bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REPORTING = re.compile(r"@(?:seed|env|target|stub\.conn|declare|listen)\b")
_PREDICATE = re.compile(r'\(#(eq|any-of|match)\?\s+@([\w.]+)((?:\s+"(?:[^"\\]|\\.)*")+)\s*\)')
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass(frozen=True, slots=True)
class Prefilter:
    """Words (whole identifiers) and regexes; a file matching none has no call sites.

    Plain alternations of literals are fast in ``re``; word boundaries are checked only on
    hits, because look-behinds at the start of alternatives make ``re`` scan slowly.
    """

    words: re.Pattern[bytes] | None
    regexes: tuple[re.Pattern[bytes], ...]

    def search(self, source: bytes) -> bool:
        if any(regex.search(source) for regex in self.regexes):
            return True
        if self.words is None:
            return False
        for match in self.words.finditer(source):
            start, end = match.span()
            if (start == 0 or source[start - 1] not in _WORD_BYTES) and (
                end == len(source) or source[end] not in _WORD_BYTES
            ):
                return True
        return False


def build_prefilter(query_text: str) -> Prefilter | None:
    """What any file with a match of ``query_text`` contains; None if nothing is certain."""
    words: dict[str, None] = {}
    regexes: dict[str, None] = {}
    for pattern in split_patterns(query_text):
        if not _REPORTING.search(pattern):
            continue
        predicates = [
            (kind, capture, [_unescape(s) for s in _STRING.findall(args)])
            for kind, capture, args in _PREDICATE.findall(pattern)
        ]
        if not predicates:
            return None  # this pattern can match anywhere: no byte-level shortcut
        kind, _, values = next((p for p in predicates if p[1] == "_fn"), predicates[0])
        if kind == "match":
            regexes.setdefault(_unanchor(values[0]), None)
        else:
            words.update(dict.fromkeys(values))
    ordered = sorted(words, key=len, reverse=True)  # longest first: PostForm before Post
    return Prefilter(
        re.compile("|".join(re.escape(w) for w in ordered).encode()) if words else None,
        tuple(re.compile(r.encode()) for r in regexes),
    )


def split_patterns(text: str) -> list[str]:
    """Top-level patterns of a query, each with its trailing captures."""
    patterns: list[str] = []
    depth = 0
    start: int | None = None
    index = 0
    while index < len(text):
        char = text[index]
        if char == ";":
            end = text.find("\n", index)
            index = len(text) if end == -1 else end
            continue
        if char == '"':
            index += 1
            while index < len(text) and text[index] != '"':
                index += 2 if text[index] == "\\" else 1
        elif char in "([":
            if depth == 0:
                if start is not None:
                    patterns.append(text[start:index])
                start = index
            depth += 1
        elif char in ")]":
            depth -= 1
        index += 1
    if start is not None:
        patterns.append(text[start:])
    return patterns


def _unescape(raw: str) -> str:
    return re.sub(r"\\(.)", r"\1", raw)


def _unanchor(regex: str) -> str:
    """A regex on a node's text as a search in the source: anchors refer to the node's
    edges, not to the file's, so every ``^`` and ``$`` outside a class is dropped (that
    only widens the match). Inline flags are kept local to this regex."""
    flags = ""
    flag = re.match(r"^\(\?([aiLmsux]+)\)", regex)
    if flag is not None:
        flags, regex = flag.group(1), regex[flag.end() :]
    out: list[str] = []
    index = 0
    in_class = False
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            out.append(regex[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char in "^$" and not in_class:
            index += 1
            continue
        out.append(char)
        index += 1
    body = "".join(out)
    return f"(?{flags}:{body})" if flags else body
