"""Expectations written in fixture files, and the check of an analyser's output against them.

In a fixture, a comment states what the *next* code line must report:

    // expect-call: literal http://orders:80/orders
    // expect-call: env-read CATALOGUE_URL default=http://catalogue target=${CATALOGUE_URL}/x
    // expect-call: grpc productcatalogservice:3550
    // expect-call: loopback http://localhost:8080/x  (a call only where services share a host)
    // expect-call: literal kafka://kafka:9092 topic=orders
    // expect-call: literal orders service=feign      (a registry name: socklock.discover.names)
    // expect-call: env-read FLAGD_HOST sdk=OpenFeature-flagd-provider  (an SDK client built)
    // expect-declare: service-name orders            (what the module says about itself)
    // expect-unresolved: <substring of the reason>
    // expect-none

Several expectation lines in a row all apply to the next code line. JSON files, which
have no comments, take a sidecar ``<file>.expect`` with ``<line> <expectation>`` lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socklock.discover.code.interface import CallSite, Declaration, UnresolvedCall

if TYPE_CHECKING:
    from collections.abc import Sequence

    from socklock.discover.code.interface import Result

_COMMENT = re.compile(r"^\s*(?://|#|--|;)\s*expect-(call|unresolved|none|declare)\b:?\s*(.*?)\s*$")
_SIDECAR = re.compile(r"^\s*(\d+)\s+expect-(call|unresolved|none|declare)\b:?\s*(.*?)\s*$")


@dataclass(frozen=True, slots=True)
class Expectation:
    line: int  # the line the result must be on
    what: str  # call, unresolved, none, declare
    body: str
    written_at: int  # where the expectation is written, for messages

    def matches(self, result: Result) -> bool:
        if result.line != self.line:
            return False
        if self.what == "unresolved":
            return isinstance(result, UnresolvedCall) and self.body in result.reason
        if self.what == "declare":
            what, _, value = self.body.partition(" ")
            return isinstance(result, Declaration) and (result.what, result.value) == (what, value)
        if self.what != "call" or not isinstance(result, CallSite):
            return False
        kind, subject, options = _parse_call(self.body)
        if (
            result.kind.value != kind
            or result.topic != options.get("topic")
            or result.service != options.get("service")
            or (result.sdk or "").replace(" ", "-") != options.get("sdk", "")
        ):
            return False
        if kind == "env-read":
            return (
                result.env_var == subject
                and result.env_default == options.get("default")
                and result.target == options.get("target")
            )
        return result.target == subject and result.env_var is None


def _parse_call(body: str) -> tuple[str, str, dict[str, str]]:
    tokens = body.split()
    options = dict(token.split("=", 1) for token in tokens[2:] if "=" in token)
    return tokens[0], tokens[1] if len(tokens) > 1 else "", options


def parse_comments(text: str) -> list[Expectation]:
    found: list[Expectation] = []
    pending: list[tuple[str, str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _COMMENT.match(line)
        if match is not None:
            pending.append((match.group(1), match.group(2), number))
            continue
        for what, body, written_at in pending:
            found.append(Expectation(number, what, body, written_at))
        pending = []
    return found


def parse_sidecar(text: str) -> list[Expectation]:
    found: list[Expectation] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _SIDECAR.match(line)
        if match is not None:
            found.append(Expectation(int(match.group(1)), match.group(2), match.group(3), number))
    return found


def mismatches(expectations: Sequence[Expectation], results: Sequence[Result]) -> list[str]:
    """Human-readable problems; empty when the results are exactly what is expected."""
    problems: list[str] = []
    left = list(results)
    for expectation in expectations:
        if expectation.what == "none":
            on_line = [r for r in left if r.line == expectation.line]
            if on_line:
                problems.append(f"line {expectation.line}: expected nothing, got {on_line}")
            continue
        match = next((r for r in left if expectation.matches(r)), None)
        if match is None:
            on_line = [r for r in results if r.line == expectation.line]
            problems.append(
                f"line {expectation.line}: expected {expectation.what} {expectation.body!r}"
                f" (written at line {expectation.written_at}), got {on_line}"
            )
        else:
            left.remove(match)
    problems.extend(f"line {r.line}: unexpected {r}" for r in left)
    return problems
