"""A Dockerfile: instructions with their line ranges, grouped into build stages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction; ``value`` has continuation lines joined, ``original`` is as written."""

    keyword: str  # upper case: FROM, RUN, USER, ...
    value: str
    original: str
    start_line: int  # 1-based, inclusive
    end_line: int
    stage: int  # index of the stage it belongs to; -1 before the first FROM (ARG)


@dataclass(frozen=True, slots=True)
class Stage:
    index: int
    base_image: str
    name: str | None  # FROM ... AS name
    start_line: int


@dataclass(frozen=True, slots=True)
class Dockerfile:
    path: str
    instructions: tuple[Instruction, ...]
    stages: tuple[Stage, ...]

    @property
    def context_dir(self) -> str:
        """The directory holding the Dockerfile: its usual build context."""
        from pathlib import PurePosixPath

        return str(PurePosixPath(self.path).parent)

    def final_stage(self) -> tuple[Instruction, ...]:
        if not self.stages:
            return ()
        last = self.stages[-1].index
        return tuple(i for i in self.instructions if i.stage == last)
