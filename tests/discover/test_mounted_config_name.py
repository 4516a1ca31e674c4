"""A config file mounted on its own under the name its program reads (Typesafe config's
``application.conf``) is read as that config, whatever the tree calls it."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

HOCON = """\
include "base"
db.uri = "mongodb://mongodb?appName=app"
redis.uri = "redis://redis"
explorer.internal_endpoint = "http://explorer:9002"
net.base_url = ${?APP_URL}
"""


def _calls(root: Path) -> set[tuple[str, str, int, str]]:
    graph = discover(load_paths([str(root)]))
    return {
        (e.source, e.target, e.port, str(v.location))
        for e in graph.edges
        for v in e.evidence
        if not e.hint
    }


def test_a_file_mounted_as_application_conf_is_read_as_hocon(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "app.conf").write_text(HOCON)
    (tmp_path / "conf" / "other.conf").write_text(HOCON.replace("explorer", "worker"))
    (tmp_path / "compose.yml").write_text(
        "name: hc\n"
        "services:\n"
        "  mongodb: {image: mongo:7}\n"
        "  redis: {image: redis:7}\n"
        "  explorer: {image: explorer:1, expose: ['9002']}\n"
        "  worker: {image: worker:1, expose: ['9002']}\n"
        "  app:\n"
        "    image: app:1\n"
        "    volumes:\n"
        "      - ./conf/app.conf:/app/conf/application.conf\n"
        "  tool:\n"
        "    image: tool:1\n"
        "    volumes:\n"
        "      - ./conf/other.conf:/etc/tool/tool.conf\n"
    )
    conf = tmp_path / "conf" / "app.conf"
    assert _calls(tmp_path) == {
        ("hc/app", "hc/mongodb", 27017, f"{conf}:2:9"),
        ("hc/app", "hc/redis", 6379, f"{conf}:3:12"),
        ("hc/app", "hc/explorer", 9002, f"{conf}:4:29"),
    }
