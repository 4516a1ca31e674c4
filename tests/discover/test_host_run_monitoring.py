"""A compose file of databases, brokers and a monitoring stack (``prom/prometheus``,
``google/cadvisor``, an exporter) beside an application run on the host (``iex -S mix``):
the build units are the workloads and reach the published ports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

MIX = """\
defmodule Ledger.MixProject do
  use Mix.Project
  def project, do: [app: :ledger, deps: [{:amqp, "~> 3.0"}, {:ecto_sql, "~> 3.10"}]]
  def application, do: [mod: {Ledger.Application, []}]
end
"""
CONFIG = """\
import Config

config :ledger, Ledger.Repo,
  database: "ledger",
  hostname: "localhost"
"""
PUBLISHER = """\
defmodule Ledger.Publisher do
  @uri "amqp://guest:guest@localhost:5672"
  def start, do: AMQP.Connection.open(@uri)
end
"""
STACK = """\
services:
  postgres:
    image: postgres:16
    ports: ['5432:5432']
  rabbitmq:
    image: rabbitmq:3.13
    ports: ['5672:5672']
  exporter:
    image: quay.io/prometheuscommunity/postgres-exporter:v0.15.0
  prometheus:
    image: prom/prometheus:v2.53.0
  cadvisor:
    image: gcr.io/cadvisor/cadvisor:v0.49.1
"""


def test_a_host_run_mix_application_reaches_the_published_ports(tmp_path: Path) -> None:
    root = tmp_path / "books"
    _write(
        root,
        {
            "mix.exs": MIX,
            "config/config.exs": CONFIG,
            "lib/ledger/publisher.ex": PUBLISHER,
            "docker-compose.yml": STACK,
        },
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/ledger", "books/postgres", 5432),  # Ecto's default port
        ("code/ledger", "books/rabbitmq", 5672),
    }


def test_an_image_of_another_namespace_is_still_the_application(tmp_path: Path) -> None:
    root = tmp_path / "books"
    # ``acme/ledger-api`` is no monitoring program: the compose file runs the application
    stack = STACK + "  api:\n    image: acme/ledger-api:1.0\n"
    _write(root, {"mix.exs": MIX, "config/config.exs": CONFIG, "docker-compose.yml": stack})
    graph = discover(load_paths([str(root)]))
    assert not any(e.source.startswith("code/") for e in graph.edges)
