"""What an expression may evaluate to, as far as static analysis can tell.

A value is a sequence of parts: known text, an env var read (with its literal default),
or a hole (something only known at run time, with the reason). An expression may have
several values (a variable assigned in two branches): :data:`Values` holds the
alternatives, capped so that concatenating many ambiguous pieces stays linear.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

MAX_ALTERNATIVES = 8


@dataclass(frozen=True, slots=True)
class Env:
    """An env var read; ``confidence`` < 1 when the var name is inferred (Spring binding)."""

    name: str
    default: str | None = None
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Hole:
    """A piece only known at run time.

    ``param``: set when the piece is a parameter of a function defined in the file (the
    start byte of the parameter's name), so the calls of that function may supply it.
    """

    reason: str
    param: int | None = None


Part = str | Env | Hole
Value = tuple[Part, ...]
Values = tuple[Value, ...]


def text(literal: str) -> Values:
    return ((literal,),)


def hole(reason: str) -> Values:
    return ((Hole(reason),),)


def param_hole(name: str, param: int) -> Values:
    return ((Hole(f"`{name}` is a function parameter", param),),)


def env(name: str, default: str | None = None, confidence: float = 1.0) -> Values:
    return ((Env(name, default, confidence),),)


def concat(pieces: Sequence[Values], separator: str = "") -> Values:
    """Every way of joining one alternative of each piece, in order."""
    out: list[Value] = []
    for combination in product(*pieces):
        parts: list[Part] = []
        for index, value in enumerate(combination):
            if index and separator:
                parts.append(separator)
            parts.extend(value)
        out.append(merge(parts))
        if len(out) >= MAX_ALTERNATIVES:
            break
    return tuple(out) if out else text("")


def alternatives(groups: Iterable[Values]) -> Values:
    """The union of several sets of alternatives, without duplicates, capped."""
    seen: dict[Value, None] = {}
    for group in groups:
        for value in group:
            seen.setdefault(value, None)
            if len(seen) >= MAX_ALTERNATIVES:
                return tuple(seen)
    return tuple(seen)


def merge(parts: Iterable[Part]) -> Value:
    """Adjacent text parts joined; empty text dropped."""
    out: list[Part] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + part
                continue
        out.append(part)
    return tuple(out)


def as_text(value: Value) -> str | None:
    """The text of a value made only of known text (empty value: empty text)."""
    if all(isinstance(part, str) for part in value):
        return "".join(part for part in value if isinstance(part, str))
    return None


def single_text(values: Values) -> str | None:
    """The text when there is exactly one alternative and it is all known text."""
    if len(values) != 1:
        return None
    return as_text(values[0])


def with_default(values: Values, default: Values) -> Values:
    """``read or default``: an env read without default takes the literal default.

    Covers ``os.Getenv("X")`` followed by ``if x == "" { x = "..." }``, ``process.env.X
    || "..."``, ``Environment.GetEnvironmentVariable("X") ?? "..."`` and the like.
    """
    fallback = single_text(default)
    if fallback is not None:
        folded: list[Value] = []
        changed = False
        for value in values:
            part = value[0] if len(value) == 1 else None
            if isinstance(part, Env) and part.default is None:
                folded.append((Env(part.name, fallback, part.confidence),))
                changed = True
            else:
                folded.append(value)
        if changed:
            return tuple(folded)
    return alternatives([values, default])
