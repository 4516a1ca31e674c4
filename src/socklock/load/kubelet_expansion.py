"""The kubelet's expansion of ``$(VAR)`` references in a container's env values, command
and args (``third_party/forked/golang/expansion``): one reader for discovery, which follows
Service variables, and the lab, which starts the container's program with its env."""

from __future__ import annotations

from collections.abc import Mapping


def expand(value: str, *defined: Mapping[str, str]) -> str:
    """``value`` with each ``$(NAME)`` replaced by the first of ``defined`` that has NAME
    (left as written when none has), ``$$`` reduced to ``$``: the kubelet's expansion."""
    out: list[str] = []
    checkpoint = 0
    cursor = 0
    while cursor < len(value):
        if value[cursor] == "$" and cursor + 1 < len(value):
            out.append(value[checkpoint:cursor])
            following = value[cursor + 1]
            advance = 1
            if following == "$":  # an escaped operator
                out.append("$")
            elif following == "(":
                closer = value.find(")", cursor + 2)
                if closer == -1:  # an incomplete reference: kept
                    out.append("$(")
                else:
                    name = value[cursor + 2 : closer]
                    found = next((d[name] for d in defined if name in d), None)
                    out.append(found if found is not None else f"$({name})")
                    advance = closer - cursor
            else:  # an operator that starts no reference
                out.append("$" + following)
            cursor += advance
            checkpoint = cursor + 1
        cursor += 1
    return "".join(out) + value[checkpoint:]
