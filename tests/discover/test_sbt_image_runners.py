"""An sbt project packaged as an image (``sbt docker:publishLocal``) that several compose
services run without a build of their own: its code runs in each, one of them given only
JVM options as its command. Between containers, a published port is not translated: an
address written with a broker's host port reaches that port of the container."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_BUILD = """\
enablePlugins(JavaAppPackaging)

name := "ledger"

packageName in Docker := "ledgersvc"
"""
_CONSUMER = """\
package shop.ledger

object Main extends App {
  val settings = ConsumerSettings(system, new ByteArrayDeserializer, new StringDeserializer)
    .withBootstrapServers("queue-a:9092,queue-b:9095")
}
"""
_COMPOSE = """\
services:
  ledger-first:
    image: ledgersvc:latest
    command: "-Dakka.remote.netty.tcp.hostname=ledger-first"
  ledger-more:
    image: ledgersvc:latest
  reports:
    image: example/reports
  queue-a:
    image: example/queue
    ports: ["9092:9092"]
  queue-b:
    image: example/queue
    ports: ["9095:9092"]
"""


def _calls(root: Path, compose: str = _COMPOSE) -> set[tuple[str, str, int | None]]:
    (root / "build.sbt").write_text(_BUILD)
    source = root / "src" / "main" / "scala" / "shop" / "ledger" / "Main.scala"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(_CONSUMER)
    (root / "docker-compose.yml").write_text(compose)
    graph = discover(load_paths([str(root)]))
    return {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1], e.port)
        for e in graph.edges
        if not e.hint
    }


def test_every_service_running_the_sbt_image_runs_its_code(tmp_path: Path) -> None:
    assert _calls(tmp_path) == {
        ("ledger-first", "queue-a", 9092),
        ("ledger-first", "queue-b", 9095),
        ("ledger-more", "queue-a", 9092),
        ("ledger-more", "queue-b", 9095),
    }


_CLUSTER = """\
akka.cluster {
  seed-nodes = [
    "akka.tcp://Ledger@ledger-first:2552"
  ]
}
reports.remote = "akka.tcp://Reports@reports:2553"
"""


def test_members_of_one_actor_system_gossip_both_ways_on_the_seed_port(tmp_path: Path) -> None:
    conf = tmp_path / "src" / "main" / "resources" / "application.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text(_CLUSTER)
    calls = _calls(tmp_path)
    assert {c for c in calls if c[2] in (2552, 2553)} == {
        ("ledger-first", "ledger-more", 2552),
        ("ledger-more", "ledger-first", 2552),
        # another program's actor system: a call of each member, not a member itself
        ("ledger-first", "reports", 2553),
        ("ledger-more", "reports", 2553),
    }
