"""Reading Dockerfile instructions: RUN commands, ENV/ARG pairs, stage references."""

from __future__ import annotations

import json
import re
import shlex

from socklock.model import Dockerfile, Instruction

_FLAG = re.compile(r"^--[a-z-]+(=\S*)?$")


def run_command(instruction: Instruction) -> str:
    """The shell text of a RUN (exec form joined with spaces), without --mount flags."""
    value = instruction.value.strip()
    if value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            return value
        if isinstance(items, list):
            return " ".join(str(i) for i in items)
    words = value.split(None)
    while words and _FLAG.match(words[0]):
        words.pop(0)
    return " ".join(words)


def key_values(instruction: Instruction) -> list[tuple[str, str | None]]:
    """ENV/ARG pairs: ``ENV A=1 B="x y"``, legacy ``ENV A 1``, ``ARG NAME[=default]``."""
    value = instruction.value.strip()
    try:
        words = shlex.split(value, posix=True)
    except ValueError:
        words = value.split()
    if not words:
        return []
    if instruction.keyword == "ENV" and "=" not in words[0]:
        name, _, rest = value.partition(" ")
        return [(name, rest.strip().strip('"').strip("'"))]
    out: list[tuple[str, str | None]] = []
    for word in words:
        name, sep, val = word.partition("=")
        out.append((name, val if sep else None))
    return out


def stage_names(dockerfile: Dockerfile) -> set[str]:
    return {s.name.lower() for s in dockerfile.stages if s.name}


def from_image(instruction: Instruction) -> str:
    words = [w for w in instruction.value.split() if not w.startswith("--")]
    return words[0] if words else ""


def final_instructions(dockerfile: Dockerfile) -> tuple[Instruction, ...]:
    return dockerfile.final_stage()


def final_from(dockerfile: Dockerfile) -> Instruction | None:
    for instruction in dockerfile.final_stage():
        if instruction.keyword == "FROM":
            return instruction
    return None


def segments(command: str) -> list[str]:
    """Simple commands of a shell line, split at ``&&``, ``||``, ``;`` and newlines."""
    return [s.strip() for s in re.split(r"&&|\|\||;|\n", command) if s.strip()]
