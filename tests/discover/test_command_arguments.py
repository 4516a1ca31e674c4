"""A Go program's ``flag.Arg(n)`` reads the words its deployment writes after the flags:
a Kubernetes container's ``args``, a compose service's ``command``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_MAIN = """\
package main

import (
\t"flag"
\t"net/http"
)

func main() {
\tflag.Parse()
\thttp.Get("http://" + flag.Arg(0) + "/books")
}
"""

_COMPOSE = """\
services:
  traffic:
    build: ./traffic
    command: {command}
  web:
    image: nginx
    expose: ["7000"]
"""


def _edges(root: Path, command: str) -> set[tuple[str, str, int | None]]:
    (root / "traffic").mkdir()
    (root / "traffic" / "main.go").write_text(_MAIN)
    (root / "traffic" / "Dockerfile").write_text("FROM golang\nCOPY . .\n")
    (root / "compose.yaml").write_text(_COMPOSE.format(command=command))
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


def test_the_first_word_after_the_flags_is_the_address(tmp_path: Path) -> None:
    edges = _edges(tmp_path, '["-delay=30s", "web:7000"]')
    assert edges == {(f"{tmp_path.name}/traffic", f"{tmp_path.name}/web", 7000)}


def test_a_flag_that_may_take_the_word_gives_no_address(tmp_path: Path) -> None:
    assert _edges(tmp_path, '["-target", "web:7000"]') == set()


def test_a_shell_command_gives_the_program_no_arguments(tmp_path: Path) -> None:
    assert _edges(tmp_path, '["sh", "-c", "web:7000"]') == set()


def test_a_command_that_names_the_program_gives_the_words_after_it(tmp_path: Path) -> None:
    edges = _edges(tmp_path, '["/usr/bin/traffic", "-delay=30s", "web:7000"]')
    assert edges == {(f"{tmp_path.name}/traffic", f"{tmp_path.name}/web", 7000)}
