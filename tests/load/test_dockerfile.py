"""Dockerfiles: instructions with line ranges, continuation lines and stages."""

from __future__ import annotations

from socklock.load import load_paths

DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG BASE=python:3.12-slim
FROM --platform=linux/amd64 golang:1.22 AS build
RUN go build \\
      -o /app \\
      ./cmd
FROM ${BASE}
COPY --from=build /app /app
USER 10001
CMD ["/app"]
"""


def test_instructions_and_stages(write) -> None:  # type: ignore[no-untyped-def]
    path = write("svc/Dockerfile", DOCKERFILE)
    write("svc/app.Dockerfile", "FROM scratch\n")
    write("svc/Dockerfile.dev", "FROM alpine\n")
    inventory = load_paths([str(path.parent)])
    assert inventory.diagnostics == ()
    assert [d.path for d in inventory.dockerfiles] == [
        str(path),
        str(path.parent / "Dockerfile.dev"),
        str(path.parent / "app.Dockerfile"),
    ]
    dockerfile = inventory.dockerfiles[0]
    assert dockerfile.context_dir == str(path.parent)
    assert [(i.keyword, i.start_line, i.end_line, i.stage) for i in dockerfile.instructions] == [
        ("ARG", 2, 2, -1),
        ("FROM", 3, 3, 0),
        ("RUN", 4, 6, 0),
        ("FROM", 7, 7, 1),
        ("COPY", 8, 8, 1),
        ("USER", 9, 9, 1),
        ("CMD", 10, 10, 1),
    ]
    assert [(s.index, s.base_image, s.name) for s in dockerfile.stages] == [
        (0, "golang:1.22", "build"),
        (1, "${BASE}", None),
    ]
    assert [i.keyword for i in dockerfile.final_stage()] == ["FROM", "COPY", "USER", "CMD"]
