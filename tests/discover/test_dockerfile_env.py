"""A Dockerfile's ENV values as the container gets them: Docker substitutes at build time."""

from __future__ import annotations

from socklock.discover.code_evidence import _dockerfile_env
from socklock.model import Instruction


def _instruction(keyword: str, value: str, line: int) -> Instruction:
    return Instruction(keyword, value, f"{keyword} {value}", line, line, 0)


def test_env_references_of_earlier_args_and_envs_and_defaults_are_filled() -> None:
    instructions = [
        _instruction("ARG", "PORT=8080", 1),
        _instruction("ENV", "URL=${URL:-http://localhost:8081}", 2),
        _instruction("ENV", "LISTEN=:$PORT HOST=api", 3),
        _instruction("ENV", "TARGET=http://${HOST}:${PORT} LATER=${RUNTIME}", 4),
    ]
    assert list(_dockerfile_env(instructions)) == [
        ("URL", "http://localhost:8081"),
        ("LISTEN", ":8080"),
        ("HOST", "api"),
        ("TARGET", "http://api:8080"),
        ("LATER", "${RUNTIME}"),
    ]
