"""Compose's ``!override`` and ``!reset`` merge tags, a file that only ``include``s, and the
override merged over the model the includes completed (as ``docker compose`` builds it)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.load import load_paths
from socklock.model import ComposeService


def _services(root: Path) -> dict[str, ComposeService]:
    inventory = load_paths([str(root)])
    assert inventory.errors == ()
    (project,) = inventory.compose_projects
    return {s.name: s for s in project.services}


def test_override_replaces_and_reset_empties(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  api:\n"
                "    image: shop/api\n"
                "    ports: ['8080:8080', '9090:9090']\n"
                "    expose: ['7000']\n"
                "    environment: {A: '1', B: '2'}\n"
            ),
            "compose.override.yaml": (
                "services:\n"
                "  api:\n"
                "    ports: !override ['8081:8080']\n"
                "    expose: !reset []\n"
                "    environment: !override {C: '3'}\n"
            ),
        },
    )
    api = _services(tmp_path)["api"]
    assert [(p.published, p.target) for p in api.ports] == [("8081", 8080)]
    assert api.expose == ()
    assert [(e.name, e.value) for e in api.environment] == [("C", "3")]
    # without the tags the same override merges: lists appended, mappings merged
    (tmp_path / "compose.override.yaml").write_text(
        "services:\n  api:\n    ports: ['8081:8080']\n    environment: {C: '3'}\n"
    )
    api = _services(tmp_path)["api"]
    assert [(p.published, p.target) for p in api.ports] == [
        ("8080", 8080),
        ("9090", 9090),
        ("8081", 8080),
    ]
    assert [(e.name, e.value) for e in api.environment] == [("A", "1"), ("B", "2"), ("C", "3")]


def test_an_include_only_file_is_a_project_and_its_override_applies(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app/docker-compose.yml": "include:\n  - ../web/docker-compose.yml\n",
            "app/compose.override.yaml": (
                "services:\n  web:\n    environment: [API_URL=http://api:9000]\n"
            ),
            "web/docker-compose.yml": "services:\n  web:\n    image: shop/web\n",
        },
    )
    inventory = load_paths([str(tmp_path)])
    assert inventory.errors == ()
    (project,) = inventory.compose_projects  # web/docker-compose.yml is part of app's
    assert project.file == str(tmp_path / "app" / "docker-compose.yml")
    (web,) = project.services
    assert [(e.name, e.value) for e in web.environment] == [("API_URL", "http://api:9000")]
    assert str(web.environment[0].location) == f"{tmp_path}/app/compose.override.yaml:3:19"


def test_an_include_key_outside_a_compose_file_is_not_compose(tmp_path: Path) -> None:
    _write(tmp_path, {".gitlab-ci.yml": "include:\n  - local: ci/build.yml\n"})
    assert load_paths([str(tmp_path)]).compose_projects == ()


def test_reset_removes_a_service_in_an_override_and_in_a_file_read_alone(tmp_path: Path) -> None:
    """``search: !reset []`` (an override that disables a service of the main file): the
    merged model has no ``search``; the override read on its own defines ``solr`` only, and
    neither is an error ("service must be a mapping" was)."""
    base = "services:\n  api:\n    image: shop/api\n  search:\n    image: shop/search\n"
    override = (
        "services:\n  solr:\n    image: solr:9\n"
        "  search: !reset []\n  search-reindexing: !reset {}\n"
    )
    _write(tmp_path / "joined", {"compose.yaml": base, "compose.override.yaml": override})
    assert sorted(_services(tmp_path / "joined")) == ["api", "solr"]
    _write(tmp_path / "alone", {"solr-overrides.yaml": override})
    assert sorted(_services(tmp_path / "alone")) == ["solr"]
    # a service written with !override is the override's whole body, not removed
    replaced = "services:\n  search: !override {image: shop/search2}\n"
    _write(tmp_path / "replaced", {"compose.yaml": base, "compose.override.yaml": replaced})
    assert _services(tmp_path / "replaced")["search"].image == "shop/search2"
