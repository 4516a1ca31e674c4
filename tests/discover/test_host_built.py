"""A Go unit whose Makefile builds its binary into another folder's image (``go build -o
../build/gateway/micro`` and ``COPY micro /micro`` there): the service built from that
folder runs the unit's code."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.host_built import built_into, copies
from socklock.load import load_paths

_COMPOSE = """\
services:
  consul:
    image: consul:1.15
  edge:
    build: ./build/gateway
  other:
    build: ./build/other
"""
_DOCKERFILE = """\
FROM alpine:3
COPY %s /%s
ENV MICRO_REGISTRY_ADDRESS=consul:8500
ENTRYPOINT ["/%s"]
"""
_MAIN = """\
package main

import micro "github.com/micro/go-micro"

func main() {
	srv := micro.NewService(micro.Name("shop.%s"))
	srv.Init()
	_ = srv.Run()
}
"""


def test_a_unit_built_into_another_folders_image_runs_there(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "docker-compose.yml": _COMPOSE,
            "go.mod": "module example.com/shop\n\ngo 1.13\n",
            "build/gateway/Dockerfile": _DOCKERFILE % ("micro", "micro", "micro"),
            "gateway/Makefile": (
                "build:\n\tCGO_ENABLED=0 GOOS=linux go build -o ../build/gateway/micro\n"
            ),
            "gateway/main.go": _MAIN % "gateway",
            # built into a folder whose Dockerfile copies another file: not its program
            "build/other/Dockerfile": _DOCKERFILE % ("server", "server", "server"),
            "tools/build.sh": "#!/bin/sh\ngo build -o ../build/other/tool .\n",
            "tools/main.go": _MAIN % "tools",
        },
    )
    assert [(o.relative_to(tmp_path), s.name) for o, s in built_into(tmp_path / "gateway")] == [
        (Path("build/gateway/micro"), "Makefile")
    ]
    assert copies(tmp_path / "build/gateway/Dockerfile", "micro")
    assert not copies(tmp_path / "build/other/Dockerfile", "tool")
    graph = discover(load_paths([str(tmp_path)]))
    root = tmp_path.name
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        (f"{root}/edge", f"{root}/consul", 8500),
    }
