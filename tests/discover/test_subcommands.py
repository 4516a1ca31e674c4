"""One binary, a subcommand per service: each service runs the branch its argument picks,
and the addresses only that branch uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.discover.subcommands import runs_for
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_MAIN = """\
package main

import (
\t"flag"
\t"net"
)

func main() {
\tvar (
\t\tordersaddr = flag.String("ordersaddr", "orders:9000", "orders")
\t\tbillingaddr = flag.String("billingaddr", "billing:9000", "billing")
\t)
\tflag.Parse()
\tcmd := flag.Arg(0)
\ttracer := "collector:4317"
\tnet.Dial("tcp", tracer)

\tswitch cmd {
\tcase "web":
\t\tnet.Dial("tcp", *ordersaddr)
\tcase "worker", "cron":
\t\tnet.Dial("tcp", *billingaddr)
\t\tnet.Dial("tcp", "ledger:7000")
\tdefault:
\t\tnet.Dial("tcp", "fallback:1")
\t}
}
"""
_COMPOSE = """\
services:
  web: {build: ., entrypoint: shop web}
  worker: {build: ., entrypoint: shop worker}
  orders: {image: example/orders, expose: ["9000"]}
  billing: {image: example/billing, expose: ["9000"]}
  ledger: {image: example/ledger, expose: ["7000"]}
  collector: {image: example/collector, expose: ["4317"]}
"""


def test_a_line_runs_for_the_subcommands_whose_case_holds_it(tmp_path: Path) -> None:
    main = tmp_path / "main.go"
    main.write_text(_MAIN)
    lines = _MAIN.splitlines()

    def at(text: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if text in line)

    file = str(main)
    assert runs_for(file, at('"orders:9000"'), ("shop", "web"))
    assert not runs_for(file, at('"orders:9000"'), ("shop", "worker"))
    assert runs_for(file, at('"billing:9000"'), ("shop", "cron"))  # one of the case's words
    assert not runs_for(file, at('"ledger:7000"'), ("shop", "web"))
    assert runs_for(file, at('"collector:4317"'), ("shop", "web"))  # used outside the switch
    assert runs_for(file, at('"fallback:1"'), ("shop", "other"))  # no case: the default
    assert not runs_for(file, at('"fallback:1"'), ("shop", "web"))
    assert runs_for(file, at('"ledger:7000"'), ())  # no command known: everything


def test_services_of_one_binary_call_what_their_subcommand_does(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text(_COMPOSE)
    (tmp_path / "Dockerfile").write_text(
        "FROM golang\nCOPY . /src\nWORKDIR /src\nRUN go install ./cmd/...\n"
    )
    (tmp_path / "cmd" / "shop").mkdir(parents=True)
    (tmp_path / "cmd" / "shop" / "main.go").write_text(_MAIN)
    graph = discover(load_paths([str(tmp_path)]))
    calls = {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1], e.port)
        for e in graph.edges
        if not e.hint
    }
    assert calls == {
        ("web", "collector", 4317),
        ("web", "orders", 9000),
        ("worker", "collector", 4317),
        ("worker", "billing", 9000),
        ("worker", "ledger", 7000),
    }
