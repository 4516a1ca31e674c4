"""Dockerfiles → instructions with line ranges and stages (parsed by dockerfile-parse)."""

from __future__ import annotations

import io

from socklock.model import Dockerfile, Instruction, Stage


def is_dockerfile_name(name: str) -> bool:
    lower = name.lower()
    return (
        lower in ("dockerfile", "containerfile")
        or lower.startswith(("dockerfile.", "containerfile."))
        or lower.endswith(".dockerfile")
    )


def load_dockerfile(text: str, path: str) -> Dockerfile:
    # imported here: it brings logging with it (5 ms), and most inputs hold no Dockerfile
    from dockerfile_parse import DockerfileParser

    parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")), env_replace=False)
    instructions: list[Instruction] = []
    stages: list[Stage] = []
    for item in parser.structure:
        keyword = str(item["instruction"]).upper()
        if keyword == "COMMENT":
            continue
        start, end = int(item["startline"]) + 1, int(item["endline"]) + 1
        value = str(item["value"])
        if keyword == "FROM":
            words = value.split()
            words = [w for w in words if not w.startswith("--")]  # --platform=...
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            stages.append(Stage(len(stages), words[0] if words else "", name, start))
        instructions.append(
            Instruction(
                keyword=keyword,
                value=value,
                original=str(item["content"]),
                start_line=start,
                end_line=end,
                stage=len(stages) - 1,
            )
        )
    return Dockerfile(path, tuple(instructions), tuple(stages))
