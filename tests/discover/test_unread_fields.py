"""A Go config field filled from the environment that no code of the module reads is no
call (code/unread_fields.py); a library's options struct is read by the library."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_CONFIG = """\
package pkg

import (
\t"os"

\t"github.com/redis/go-redis/v9"
)

type Config struct {
\tDBSource  string
\tClientURL string
}

func LoadConfig() *Config {
\treturn &Config{
\t\tDBSource:  os.Getenv("DB_SOURCE"),
\t\tClientURL: os.Getenv("CLIENT_URL"),
\t}
}

func Cache() *redis.Client {
\treturn redis.NewClient(&redis.Options{
\t\tAddr: os.Getenv("REDIS_ADDR"),
\t})
}
"""

_MAIN = """\
package main

import (
\t"net/http"

\t"example.com/users/pkg"
)

func main() {
\tconfig := pkg.LoadConfig()
\tpkg.Cache()
\thttp.Get(config.ClientURL + "/users")
}
"""


def test_a_config_field_no_code_reads_is_no_call(tmp_path: Path) -> None:
    root = tmp_path / "users"
    (root / "pkg").mkdir(parents=True)
    (root / "go.mod").write_text("module example.com/users\n\ngo 1.22\n")
    (root / "pkg" / "config.go").write_text(_CONFIG)
    (root / "main.go").write_text(_MAIN)
    (root / "Dockerfile").write_text("FROM golang:1.22\nCOPY . .\n")
    (tmp_path / "compose.yaml").write_text(
        "name: shop\nservices:\n"
        "  users:\n    build: ./users\n    environment:\n"
        "      DB_SOURCE: postgres://u:p@db:5432/users\n"
        "      CLIENT_URL: http://mock:5000\n"
        "      REDIS_ADDR: cache:6379\n"
        "  db: {image: 'postgres:16'}\n"
        "  mock: {image: nginx, expose: ['5000']}\n"
        "  cache: {image: 'redis:7'}\n"
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert sorted((e.source, e.target, e.port) for e in graph.edges if not e.hint) == [
        ("shop/users", "shop/cache", 6379),  # redis.Options: the library reads Addr
        ("shop/users", "shop/mock", 5000),  # config.ClientURL is read
    ]
    assert [u.reason for u in graph.unresolved if u.location.line == 16] == [
        "the config field DBSource it fills is read by no code of its module"
    ]
