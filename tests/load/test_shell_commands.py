"""The one loop over a script's simple commands (:func:`socklock.load.shell_lines.commands`):
launch, deploy and entry-point scripts all read their commands through it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from socklock.load.shell_lines import ScriptState, commands

SCRIPT = """#!/bin/sh
# kubectl apply -f commented.yaml
NS=shop
kubectl apply \\
  -f app.yaml -n "$NS"   # the app
echo done; exit 0
"""


def test_the_commands_of_a_script_with_their_lines() -> None:
    assert list(commands(SCRIPT)) == [
        (3, ["NS=shop"]),
        (4, ["kubectl", "apply", "-f", "app.yaml", "-n", "$NS"]),
        (6, ["echo", "done"]),
        (6, ["exit", "0"]),
    ]


def test_a_comment_line_is_no_command() -> None:
    """Negative: a commented-out command, alone or continued onto the next line."""
    assert list(commands("# kubectl apply -f x.yaml\n  # docker compose up \\\n  -d\n")) == []


def test_lines_already_split_are_read_as_given() -> None:
    assert list(commands([(7, "cd /app && exec run"), (9, "# no")])) == [
        (7, ["cd", "/app"]),
        (7, ["exec", "run"]),
    ]


def test_the_state_knows_the_line_of_each_command(tmp_path: Path) -> None:
    state = ScriptState(str(tmp_path / "up.sh"))
    for _, words in commands("\nA=1\n\nexport B=2\n", state):
        state.command(words)
    assert state.assigned_at == {"A": 2, "B": 4}


def test_a_line_nested_too_deep_is_left_out_and_told(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line whose quotes nest past the lexer's recursion: the caller is told its number,
    and the other lines are still read."""
    import socklock.load.shell_lines as shell_lines

    real = shell_lines.simple_commands

    def deep(parts: list[str]) -> Iterator[list[str]]:
        if "deep" in parts[0]:
            raise RecursionError
        return real(parts)

    monkeypatch.setattr(shell_lines, "simple_commands", deep)
    told: list[int] = []
    assert list(commands("a 1\ndeep 2\nb 3\n", too_deep=told.append)) == [
        (1, ["a", "1"]),
        (3, ["b", "3"]),
    ]
    assert told == [2]
