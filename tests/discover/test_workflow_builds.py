"""GitHub workflows name the directory an image is built from; a directory per version is
told apart by the tag the deployment runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.discover.workflow_builds import workflow_builds
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path


def _workflow(context: str, *tags: str) -> str:
    listed = "".join(f"            {tag}\n" for tag in tags)
    return f"""\
name: build
on: workflow_dispatch
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v6
        with:
          context: {context}
          push: true
          tags: |
{listed}"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_build_push_steps_give_each_tag_its_context(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            ".github/workflows/a.yml": _workflow(
                "images/worker/2.1", "acme/worker:2.1", "acme/worker:2.1-3"
            ),
            ".github/workflows/b.yaml": _workflow("${{ matrix.dir }}", "acme/other:1"),
            ".github/workflows/c.yml": _workflow(".", "ghcr.io/${{ github.repository }}:main"),
        },
    )
    assert list(workflow_builds((str(tmp_path),))) == [
        ("acme/worker:2.1", str(tmp_path / "images/worker/2.1")),
        ("acme/worker:2.1-3", str(tmp_path / "images/worker/2.1")),
    ]


def _versions(root: Path, running: str) -> set[tuple[str, str, int | None]]:
    files = {
        "compose.yaml": (
            f"services:\n  mailer:\n    image: {running}\n  relay:\n    image: ops/relay:1\n"
        ),
    }
    for version, peer in (("7.1", "relay:2525"), ("7.2", "relay:2526")):
        files[f".github/workflows/sender-{version}.yml"] = _workflow(
            f"images/sender/{version}", f"acme/sender:{version}", f"acme/sender:{version}-9"
        )
        files[f"images/sender/{version}/Dockerfile"] = (
            "FROM debian:12\nCOPY conf/msmtprc /etc/msmtprc\n"
        )
        files[f"images/sender/{version}/conf/msmtprc"] = (
            f"account default\nhost {peer.split(':')[0]}\nport {peer.split(':')[1]}\n"
        )
    _write(root, files)
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges}


def test_the_running_tag_picks_the_version_directory(tmp_path: Path) -> None:
    # 7.2-4: the 7.2 build with another build number
    assert _versions(tmp_path, "acme/sender:7.2-4") == {
        (f"{tmp_path.name}/mailer", f"{tmp_path.name}/relay", 2526)
    }


def test_no_version_directory_when_the_tag_names_none(tmp_path: Path) -> None:
    assert _versions(tmp_path, "acme/sender:8.0") == set()
