"""``IsRunningInContainer ? "rabbitmq" : "localhost"``: the branch a container runs.

A program that is started both from an IDE and in a container often picks its peers'
addresses by testing where it runs (``DOTNET_RUNNING_IN_CONTAINER``, which the .NET images
set, read into ``IsRunningInContainer``; ``isDocker``; ``inContainer``). The deployments
socklock maps run the program in a container, so the in-container branch is the one the
deployment runs. Only a condition that is such a test alone, or its negation, decides;
any other condition is known only at run time.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node

    from socklock.discover.code.evaluate import Evaluator
    from socklock.discover.code.values import Values

# a name (case, ``_`` ignored) that says the program runs in a container
_IN_CONTAINER = re.compile(
    r"(?:is)?(?:running)?in(?:a)?(?:docker|container)|is(?:docker|container)(?:ized)?"
    r"|(?:dotnet)?runningin(?:docker|container)"
)
_NAME = re.compile(r"[A-Za-z_]\w*")
# an env read of such a variable compared with "true" (either side):
# ``Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER") == "true"``
_COMPARED = re.compile(
    r"""^(?:[\w.]+\(\s*["'](\w+)["']\s*\)\s*([!=]=)\s*["']true["']"""
    r"""|["']true["']\s*([!=]=)\s*[\w.]+\(\s*["'](\w+)["']\s*\))$""",
    re.IGNORECASE,
)


def container_branch(condition: str) -> bool | None:
    """True when ``condition`` holds in a container (``IsRunningInContainer``,
    ``this.isDocker()``, the variable read and compared with ``"true"``), False for its
    negation (``!inContainer``, ``not in_docker``, ``!= "true"``), None for any other
    condition."""
    text = " ".join(condition.split())
    compared = _COMPARED.match(text)
    if compared is not None:
        name = compared.group(1) or compared.group(4)
        operator = compared.group(2) or compared.group(3)
        if _IN_CONTAINER.fullmatch(name.replace("_", "").lower()) is None:
            return None
        return operator == "=="
    negated = text.startswith(("!", "not "))
    text = text.removeprefix("not ").lstrip("!").strip().strip("()").removesuffix("()")
    last = re.split(r"\.|::|->", text)[-1]
    if not _NAME.fullmatch(last):
        return None
    if _IN_CONTAINER.fullmatch(last.replace("_", "").lower()) is None:
        return None
    return not negated


def in_container(condition: Node, yes: Node, no: Node, ev: Evaluator) -> Values | None:
    """The values of the branch a container runs, None when the condition is no such test."""
    while condition.type == "parenthesized_expression" and condition.named_child_count == 1:
        condition = condition.named_children[0]
    branch = container_branch(ev.text(condition))
    if branch is None:
        return None
    return ev.values(yes if branch else no)


def fielded(node: Node, ev: Evaluator) -> Values:
    """A ``c ? a : b`` whose parts are the fields condition, consequence and alternative
    (Java's ``ternary_expression``): the in-container branch, else known at run time."""
    condition = node.child_by_field_name("condition")
    yes = node.child_by_field_name("consequence")
    no = node.child_by_field_name("alternative")
    found = in_container(condition, yes, no, ev) if condition and yes and no else None
    return found if found is not None else ev.runtime(node)


def python_conditional(node: Node, ev: Evaluator) -> Values:
    """Python's ``a if c else b`` (children: the value, the condition, the other value)."""
    parts = node.named_children
    found = in_container(parts[1], parts[0], parts[2], ev) if len(parts) == 3 else None
    return found if found is not None else ev.runtime(node)
