"""Spring profile config applies only when the profile is active; otherwise the default."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.discover.shop import workload

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

APPLICATION = """\
payment:
  url: http://payment
---
spring.config.activate.on-profile: k8s
orders:
  url: http://orders
"""
DOCKER = "catalogue.url=http://catalogue\n"
CODE = "package shop;\n\nclass App {}\n"


def write(root: Path, env: str = "", dockerfile_env: str = "") -> None:
    (root / "k8s").mkdir()
    (root / "k8s" / "web.yaml").write_text(workload("web", service_port=80, env=env))
    for callee in ("payment", "orders", "catalogue"):
        (root / "k8s" / f"{callee}.yaml").write_text(workload(callee, service_port=80))
    resources = root / "web" / "src" / "main" / "resources"
    resources.mkdir(parents=True)
    (root / "web" / "Dockerfile").write_text(f"FROM eclipse-temurin:21\n{dockerfile_env}COPY . .\n")
    (root / "web" / "App.java").write_text(CODE)
    (resources / "application.yml").write_text(APPLICATION)
    (resources / "application-docker.properties").write_text(DOCKER)


def edges(root: Path) -> dict[str, list[str]]:
    graph = discover(load_paths([str(root)]), manifests=False)
    return {e.target: [ev.detail for ev in e.evidence] for e in graph.edges}


def test_without_an_active_profile_only_the_default_config_applies(tmp_path: Path) -> None:
    write(tmp_path)
    found = edges(tmp_path)
    assert set(found) == {"shop/payment"}
    assert found["shop/payment"] == [
        "config http://payment (Spring profiles: none active (SPRING_PROFILES_ACTIVE is not set):"
        " the default) (Service shop/payment port 80 → targetPort 8080)"
    ]


@pytest.mark.parametrize(
    ("env", "dockerfile_env", "expected"),
    [
        ("{name: SPRING_PROFILES_ACTIVE, value: 'docker'}", "", {"payment", "catalogue"}),
        ("", "ENV SPRING_PROFILES_ACTIVE=k8s\n", {"payment", "orders"}),
        (
            "{name: JAVA_OPTS, value: '-Dspring.profiles.active=k8s,docker'}",
            "",
            {"payment", "orders", "catalogue"},
        ),
        (
            "",
            "ENV PROFILE=k8s\nENTRYPOINT exec java -Dspring.profiles.active=$PROFILE -jar a.jar\n",
            {"payment", "orders"},
        ),
        (
            "",
            'ENTRYPOINT ["sh", "-c", "java -Dspring.profiles.active=${PROFILE:-docker} -jar a"]\n',
            {"payment", "catalogue"},
        ),
        (
            "{name: PROFILE, value: k8s}",
            'ENTRYPOINT ["sh", "-c", "java -Dspring.profiles.active=${PROFILE:-docker} -jar a"]\n',
            {"payment", "orders"},
        ),
        ("", "CMD java -Dspring.profiles.active=${UNSET} -jar a.jar\n", {"payment"}),
    ],
    ids=[
        "manifest-env",
        "dockerfile-env",
        "java-opts",
        "flag-from-dockerfile-env",
        "flag-default",
        "flag-from-manifest-env",
        "flag-unset",
    ],
)
def test_an_active_profile_adds_its_config(
    tmp_path: Path, env: str, dockerfile_env: str, expected: set[str]
) -> None:
    write(tmp_path, env, dockerfile_env)
    assert set(edges(tmp_path)) == {f"shop/{name}" for name in expected}


RUN_SH = """\
#!/bin/bash
PROFILE=${PROFILE:-"k8s"}
# java -Dspring.profiles.active=docker (an old line)
exec java -Dspring.profiles.active=${PROFILE} -jar app.jar
"""


@pytest.mark.parametrize(
    ("env", "expected"),
    [("", {"payment", "orders"}), ("{name: PROFILE, value: docker}", {"payment", "catalogue"})],
    ids=["script-default", "manifest-env"],
)
def test_the_entry_point_script_sets_the_profile(
    tmp_path: Path, env: str, expected: set[str]
) -> None:
    """``CMD ["/app/run.sh"]``: the script the build copies from src/main/resources runs
    java with the profile of a variable it defaults; the manifest's env comes first."""
    write(tmp_path, env, 'CMD ["/app/run.sh"]\n')
    script = tmp_path / "web" / "src" / "main" / "resources" / "run.sh"
    script.write_text(RUN_SH)
    found = edges(tmp_path)
    assert set(found) == {f"shop/{name}" for name in expected}
    if not env:
        assert found["shop/orders"] == [
            "config http://orders (Spring profile k8s is active: run.sh:4 sets"
            f" spring.profiles.active=${{PROFILE}} at {script}:4:1 (PROFILE=k8s))"
            " (Service shop/orders port 80 → targetPort 8080)"
        ]
