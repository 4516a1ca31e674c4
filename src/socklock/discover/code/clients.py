"""Clients the table names (``data/client_libraries.toml`` ``[[client]]``), in code.

A row is all it takes to know a client: :func:`client_patterns` writes, for each syntax,
query patterns whose first argument is a call target (weak: reported only when it
resolves to an address), and :func:`client_scheme_at` gives a target the protocol of the
client around it, so a bare host takes that protocol's default port. Patterns that set
their own scheme in the ``.scm`` files need no row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node

# Per syntax: a call pattern and a constructor pattern, ``{regex}`` the callee's. A syntax
# without a template here (or a form without one) takes its rows' protocols only where
# its own queries capture the call.
_CALL = "call"
_NEW = "new"
_ECMASCRIPT = {
    _CALL: "((call_expression function: (_) @_fn arguments: (arguments . (_) @target))",
    _NEW: "((new_expression constructor: (_) @_fn arguments: (arguments . (_) @target))",
}
_TEMPLATES: dict[str, dict[str, str]] = {
    "javascript": _ECMASCRIPT,
    "typescript": _ECMASCRIPT,
    "tsx": _ECMASCRIPT,
    "python": {_CALL: "((call function: (_) @_fn arguments: (argument_list . (_) @target))"},
    "go": {_CALL: "((call_expression function: (_) @_fn arguments: (argument_list . (_) @target))"},
    "java": {
        _NEW: "((object_creation_expression type: (_) @_fn "
        "arguments: (argument_list . (_) @target))"
    },
    "csharp": {
        _CALL: "((invocation_expression function: (_) @_fn "
        "arguments: (argument_list . (argument) @target))",
        _NEW: "((object_creation_expression type: (_) @_fn "
        "arguments: (argument_list . (argument) @target))",
    },
}
_CALL_NODES = frozenset({"call", "call_expression", "invocation_expression", "method_invocation"})
_NEW_NODES = frozenset({"new_expression", "object_creation_expression"})
_CALLEE_LEVELS = 5  # argument → arguments → call, or value → pair → object → arguments → call


def client_patterns(language: str) -> str:
    """The query patterns for the table's clients in ``language`` ('' when none)."""
    from socklock.discover.libraries import clients

    templates = _TEMPLATES.get(language, {})
    calls = [p for c in clients() if language in c.languages for p in c.calls]
    news = [p for c in clients() if language in c.languages for p in c.constructors]
    out: list[str] = []
    for form, regexes in ((_CALL, calls), (_NEW, news)):
        if regexes and form in templates:
            joined = "|".join(f"(?:{r})" for r in regexes).replace("\\", "\\\\")
            out.append(f'{templates[form]}\n  (#set! strength "weak") (#match? @_fn "{joined}"))\n')
    return "\n; clients of data/client_libraries.toml\n" + "\n".join(out) if out else ""


def client_scheme_at(language: str, node: Node, source: bytes) -> str | None:
    """The protocol of the table's client whose call or ``new`` is around ``node``."""
    from socklock.discover.libraries import client_scheme

    call: Node | None = node.parent
    for _ in range(_CALLEE_LEVELS):
        if call is None or call.type in _CALL_NODES | _NEW_NODES:
            break
        call = call.parent
    if call is None:
        return None
    constructor = call.type in _NEW_NODES
    if constructor:
        callee = call.child_by_field_name("constructor") or call.child_by_field_name("type")
    elif call.type in _CALL_NODES:
        callee = call.child_by_field_name("function")
        if callee is None and call.type == "method_invocation":  # Java: object.name(...)
            name = call.child_by_field_name("name")
            receiver = call.child_by_field_name("object")
            parts = [n for n in (receiver, name) if n is not None]
            text = ".".join(
                source[n.start_byte : n.end_byte].decode("utf-8", "replace") for n in parts
            )
            return client_scheme(language, text)
    else:
        return None
    if callee is None:
        return None
    text = source[callee.start_byte : callee.end_byte].decode("utf-8", "replace")
    return client_scheme(language, text, constructor=constructor)
