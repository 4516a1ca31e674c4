"""A script that exports variables and then runs ``docker compose up`` in the compose file's
directory gives them to the compose file's ``${VAR}``s (over ``.env``); ``$1`` is what the
README runs the script with, else its ``${1:-default}``, else unset. Scripts that do not
launch that compose file, commented exports, unexported and branch-only assignments give
nothing."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.load.launch_scripts import launch_variables
from socklock.model import ComposeEnv

_DEPLOY = """\
#!/bin/bash
if [ $# == 0 ]
then
  echo "Usage: deploy.sh PROFILE"
  exit 1
fi
cd ../../..
mvn clean package
cd build/docker/
# export LOG_LEVEL=debug
export profile=$1
export REGISTRY=${2:-shop}
LOCAL_ONLY=1
if [ -n "$CI" ]; then
  export TAG=ci
fi
docker-compose up --build -d
"""


def _values(entries: dict[str, ComposeEnv]) -> dict[str, tuple[str | None, int]]:
    return {name: (e.value, e.location.line) for name, e in entries.items()}


def test_exports_before_up_with_the_readmes_argument(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "build/docker/docker-compose.yml": "services: {}\n",
            "build/docker/scripts/deploy.sh": _DEPLOY,
            "README.md": 'To deploy run "./deploy.sh docker".\n',
        },
    )
    found, said = launch_variables(str(tmp_path / "build/docker"), str(tmp_path))
    # TAG is set on a branch only, LOCAL_ONLY is not exported, LOG_LEVEL is a comment
    assert _values(found) == {"profile": ("docker", 11), "REGISTRY": ("shop", 12)}
    assert [d.message for d in said] == [
        f"profile=docker: the script's argument as the README runs it ({tmp_path}/README.md:1)"
    ]


def test_an_argument_no_readme_gives_is_unset(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "build/docker/docker-compose.yml": "services: {}\n",
            "build/docker/scripts/deploy.sh": _DEPLOY,
            "README.md": "See deploy.sh for details.\n",  # a mention, not a run
        },
    )
    found, said = launch_variables(str(tmp_path / "build/docker"), str(tmp_path))
    assert _values(found) == {"REGISTRY": ("shop", 12)}
    assert said == []


def test_a_prefix_assignment_and_f_naming_the_file(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "deploy/compose.yaml": "services: {}\n",
            "run.sh": "#!/bin/sh\nPROFILE=prod docker compose -f deploy/compose.yaml up -d\n",
        },
    )
    found, _ = launch_variables(str(tmp_path / "deploy"), str(tmp_path))
    assert _values(found) == {"PROFILE": ("prod", 2)}


def test_scripts_that_launch_nothing_here_give_nothing(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app/compose.yaml": "services: {}\n",
            "other/compose.yaml": "services: {}\n",
            # launches another compose file (a script above both is read for both)
            "other.sh": "#!/bin/sh\nexport A=1\ncd other\ndocker compose up\n",
            # not a launch: down, and a test script that only builds
            "app/stop.sh": "#!/bin/sh\nexport B=2\ndocker compose down\n",
            "app/test.sh": "#!/bin/sh\nexport C=3\ndocker compose build\npytest\n",
            # not a shell script
            "app/up.py": "import os\nos.environ['D'] = '4'  # docker compose up\n",
        },
    )
    found, said = launch_variables(str(tmp_path / "app"), str(tmp_path))
    assert found == {} and said == []
    other, _ = launch_variables(str(tmp_path / "other"), str(tmp_path))
    assert _values(other) == {"A": ("1", 2)}


def test_two_launches_that_disagree_leave_it_unset(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": "services: {}\n",
            "dev.sh": "#!/bin/sh\nexport PROFILE=dev\ndocker compose up\n",
            "prod.sh": "#!/bin/sh\nexport PROFILE=prod\ndocker compose up\n",
        },
    )
    found, said = launch_variables(str(tmp_path), str(tmp_path))
    assert found == {}
    assert [d.message for d in said] == [
        f"the launch scripts give PROFILE no one known value ({tmp_path}/dev.sh:2, "
        f"{tmp_path}/prod.sh:2): left unset for the compose file"
    ]


def test_test_and_verify_scripts_are_not_launches(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": "services: {}\n",
            "verify.sh": "#!/bin/sh\nexport PORT_PROXY=11900\ndocker compose up -d\n",
            "docker_compose_test.sh": (
                "#!/bin/sh\nexport COMPOSE_PROFILES=test\ndocker compose up\n"
            ),
            "ci/up.sh": "#!/bin/sh\nexport A=1\ncd ..\ndocker compose up\n",
        },
    )
    assert launch_variables(str(tmp_path), str(tmp_path)) == ({}, [])


def test_a_default_of_a_variable_set_to_an_unknown_value_is_unknown(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": "services: {}\n",
            "run.sh": (
                "#!/bin/sh\nexport DOCKER_IP=$(docker-machine ip default)\n"
                "DOCKER_IP=${DOCKER_IP:-0.0.0.0}\nexport REGION=${REGION:-eu}\n"
                "docker compose up -d\n"
            ),
        },
    )
    found, _ = launch_variables(str(tmp_path), str(tmp_path))
    # REGION was never set: its default holds; DOCKER_IP is the command's output
    assert _values(found) == {"REGION": ("eu", 4)}
