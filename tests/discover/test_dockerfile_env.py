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


def test_build_args_fill_the_args_the_stage_declares() -> None:
    """``ARG DB_HOST`` takes compose's ``build.args`` value (over a default too); a build arg
    the Dockerfile declares no ARG for reaches nothing."""
    instructions = [
        _instruction("ARG", "DB_HOST", 1),
        _instruction("ARG", "DB_PORT=5433", 2),
        _instruction("ENV", 'DATABASE_URL="postgresql://app@${DB_HOST}:${DB_PORT}/app"', 3),
        _instruction("ENV", "CACHE=${CACHE_HOST}", 4),
    ]
    args = {"DB_HOST": "postgres", "DB_PORT": "5432", "CACHE_HOST": "redis"}
    assert list(_dockerfile_env(instructions, args)) == [
        ("DATABASE_URL", "postgresql://app@postgres:5432/app"),
        ("CACHE", "${CACHE_HOST}"),
    ]
    assert list(_dockerfile_env(instructions)) == [
        ("DATABASE_URL", "postgresql://app@${DB_HOST}:5433/app"),
        ("CACHE", "${CACHE_HOST}"),
    ]
