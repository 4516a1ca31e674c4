"""Compose as real repositories write it: v1 files, extends, include, .env, profiles,
override files; each assembled before any rule or discovery runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socklock.load import load_paths
from socklock.load.interpolate import Interpolation, read_env_entries
from socklock.model import ComposeProject, ComposeService

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "repos"


def _services(project: ComposeProject) -> dict[str, ComposeService]:
    return {s.name: s for s in project.services}


@pytest.fixture
def full(tmp_path: Path) -> Path:
    root = tmp_path / "compose-full"
    shutil.copytree(FIXTURES / "compose-full", root)
    return root


def test_full_project_service_set_and_values(full: Path) -> None:
    inventory = load_paths([str(full)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{full}/docker-compose.yml: warning: services of profiles not enabled "
        "(COMPOSE_PROFILES) left out: tools: admin",
        f"{full}/docker-compose.yml:18:7: warning: required variable TOKEN: set TOKEN first "
        "(not set in .env; compose would refuse to start)",
    ]
    assert inventory.errors == ()
    # common.yml only lends a service to extends; db/compose.yaml is included; the override
    # file is merged: one project.
    (project,) = inventory.compose_projects
    services = _services(project)
    # the includes complete the model before the override adds to it
    assert list(services) == ["base", "api", "worker", "debug", "db", "extra"]
    api = services["api"]
    assert api.image == "shop/api:1.4"
    assert api.privileged is True  # inherited from base through extends
    assert [(e.name, e.value) for e in api.environment] == [
        ("LOG", "info"),
        ("DB_URL", "postgres://db:5432/shop"),
        ("PORT", "8080"),
        ("MODE", "fallback"),
        ("KEEP", ""),
        ("PRICE", "$5"),
        ("TOKEN", ""),
    ]
    assert [(p.published, p.target) for p in api.ports] == [("8080", 8080)]  # the override
    # The override defines api too: the merged service is the override's (what it writes
    # wins, so fixes go there); what api keeps from the main file points at its first key.
    assert str(api.location) == f"{full}/docker-compose.override.yml:3:5"
    assert str(api.ports[0].location) == f"{full}/docker-compose.override.yml:3:13"
    assert str(api.environment[0].location) == f"{full}/docker-compose.override.yml:3:5"
    # Inherited through extends (no override): the extends: line that brought it.
    assert str(services["worker"].location) == f"{full}/docker-compose.yml:21:5"
    worker = services["worker"]
    assert (worker.image, worker.build_context, worker.cap_add) == (
        "shop/job:1.4",
        f"{full}/job",
        ("NET_ADMIN",),
    )
    assert str(services["db"].location) == f"{full}/db/compose.yaml:3:5"
    assert services["db"].image == "postgres:16"
    assert str(services["extra"].location) == f"{full}/docker-compose.override.yml:5:5"


def test_profiles_enabled_by_env_and_wildcard(full: Path) -> None:
    (full / ".env").write_text("TAG=2\nCOMPOSE_PROFILES=tools\nTOKEN=t\n")
    (project,) = load_paths([str(full)]).compose_projects
    assert sorted(_services(project)) == ["admin", "api", "base", "db", "extra", "worker"]
    (full / ".env").write_text("COMPOSE_PROFILES=*\nTOKEN=t\n")
    inventory = load_paths([str(full)])
    assert inventory.diagnostics == ()
    (project,) = inventory.compose_projects
    assert sorted(_services(project)) == [
        "admin",
        "api",
        "base",
        "db",
        "debug",
        "extra",
        "worker",
    ]
    assert _services(project)["api"].image == "shop/api:latest"  # TAG unset: the default


def test_v1_file_has_its_services_and_links() -> None:
    root = FIXTURES / "compose-v1"
    inventory = load_paths([str(root)])
    assert inventory.diagnostics == ()
    (project,) = inventory.compose_projects
    services = _services(project)
    assert list(services) == ["web", "redis"]
    assert [(d.service, d.kind) for d in services["web"].dependencies] == [("redis", "links")]
    assert services["web"].build_context == str(root)


def test_a_v1_shape_in_a_file_not_named_compose_is_not_compose(write) -> None:  # type: ignore[no-untyped-def]
    path = write("repo/settings.yml", "web:\n  image: nginx\n")
    inventory = load_paths([str(path.parent)])
    assert inventory.compose_projects == ()


def test_extends_cycle_and_missing_file_are_errors() -> None:
    root = FIXTURES / "compose-cycle"
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root}/docker-compose.yml:6:5: error: extends cycle: a (docker-compose.yml) -> "
        "b (docker-compose.yml) -> a (docker-compose.yml)",
        f"{root}/docker-compose.yml:9:5: error: cannot read {root}/missing.yml: "
        "cannot read file: no such file or directory",
    ]
    (project,) = inventory.compose_projects
    assert [(s.name, s.image) for s in project.services] == [("a", "x"), ("b", "x"), ("c", "y")]


def test_include_conflict_and_cycle(write) -> None:  # type: ignore[no-untyped-def]
    main = write(
        "app/compose.yaml",
        "include: [part.yaml]\nservices:\n  web: {image: a}\n",
    )
    write("app/part.yaml", "include: [compose.yaml]\nservices:\n  web: {image: b}\n")
    inventory = load_paths([str(main)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{main}:1:11: error: service 'web' is defined in {main} and in the included "
        f"{main.parent}/part.yaml",
        f"{main.parent}/part.yaml:1:11: error: include cycle: {main} -> "
        f"{main.parent}/part.yaml -> {main}",
    ]


def test_extends_privileged_base_gives_the_finding_to_the_extending_service(write) -> None:  # type: ignore[no-untyped-def]
    from socklock.harden import audit

    path = write(
        "app/docker-compose.yml",
        "services:\n  base:\n    image: x\n    privileged: true\n"
        "  child:\n    extends: {service: base}\n",
    )
    inventory = load_paths([str(path)])
    privileged = sorted(
        (f.object_ref, str(f.location)) for f in audit(inventory).findings if f.rule_id == "SLK401"
    )
    assert privileged == [
        ("compose app/base", f"{path}:4:5"),
        ("compose app/child", f"{path}:6:5"),  # the extends: line that brought it
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${A}", "1"),
        ("$A-x", "1-x"),
        ("${UNSET}", ""),
        ("${UNSET:-d}", "d"),
        ("${EMPTY:-d}", "d"),
        ("${EMPTY-d}", ""),
        ("${UNSET-d}", "d"),
        ("${A:+yes}", "yes"),
        ("${EMPTY:+yes}", ""),
        ("${EMPTY+yes}", "yes"),
        ("${UNSET:-${A}}", "1"),
        ("$$A", "$A"),
        ("${A", "${A"),
        ("cost: $5", "cost: $5"),
    ],
)
def test_interpolation_follows_the_compose_spec(text: str, expected: str) -> None:
    assert Interpolation({"A": "1", "EMPTY": ""}).text(text) == expected


def test_required_variables_are_collected() -> None:
    interpolation = Interpolation({"EMPTY": ""})
    assert interpolation.text("${X:?need X}/${EMPTY?fine}/${EMPTY:?empty}") == "//"
    assert interpolation.missing == ["X: need X", "EMPTY: empty"]


def test_env_file_reads_quotes_comments_and_earlier_values() -> None:
    entries = read_env_entries('# c\nA=1\nB="two words"\nC=${A}-x\nexport D=4\n', "x.env")
    assert {name: entry.value for name, entry in entries.items()} == {
        "A": "1",
        "B": "two words",
        "C": "1-x",
        "D": "4",
    }


def test_long_extends_chain_is_bounded_not_a_crash(write) -> None:  # type: ignore[no-untyped-def]
    lines = ["services:", "  s0: {image: base}"]
    lines += [f"  s{i}: {{extends: s{i - 1}}}" for i in range(1, 2000)]
    path = write("app/docker-compose.yml", "\n".join(lines) + "\n")
    inventory = load_paths([str(path)])
    (project,) = inventory.compose_projects
    assert len(project.services) == 2000
    assert inventory.errors == ()  # resolved service by service, each chain short enough
    assert _services(project)["s1999"].image == "base"


def test_deep_include_chain_is_bounded(write) -> None:  # type: ignore[no-untyped-def]
    for i in range(40):
        write(
            f"app/part{i}.yaml", f"include: [part{i + 1}.yaml]\nservices:\n  s{i}: {{image: x}}\n"
        )
    main = write("app/compose.yaml", "include: [part0.yaml]\nservices:\n  main: {image: x}\n")
    inventory = load_paths([str(main)])
    assert [str(d) for d in inventory.errors] == [
        f"{main.parent}/part31.yaml:1:11: error: include nested deeper than 32 files: not followed"
    ]


def test_include_and_extends_do_not_read_outside_the_input_paths(write) -> None:  # type: ignore[no-untyped-def]
    secret = write("secret/compose.yaml", "services:\n  leak: {image: x, privileged: true}\n")
    main = write(
        "app/compose.yaml",
        "include: [../secret/compose.yaml]\n"
        "services:\n  web:\n    extends: {file: ../secret/compose.yaml, service: leak}\n",
    )
    inventory = load_paths([str(main.parent)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{main}:1:11: warning: {secret} is outside the input paths: not read",
    ]
    (project,) = inventory.compose_projects
    assert [(s.name, s.privileged) for s in project.services] == [("web", None)]
    # Given both directories, the include is read.
    inventory = load_paths([str(main.parent), str(secret.parent)])
    assert sorted(s.name for p in inventory.compose_projects for s in p.services) == [
        "leak",
        "web",
    ]


def test_a_finding_on_an_overridden_service_is_fixed_in_the_override(write) -> None:  # type: ignore[no-untyped-def]
    from socklock.harden import audit

    main = write("app/docker-compose.yml", "services:\n  api:\n    image: x\n")
    override = write("app/docker-compose.override.yml", "services:\n  api:\n    privileged: true\n")
    inventory = load_paths([str(main.parent)])
    (finding,) = [f for f in audit(inventory).findings if f.rule_id == "SLK401"]
    assert str(finding.location) == f"{override}:3:5"
    assert finding.fix is not None and finding.fix.file == str(override)


def test_a_file_whose_every_service_is_in_a_profile_reads_them_all(tmp_path: Path) -> None:
    """No service runs without a profile and no ``COMPOSE_PROFILES`` is set (the repository
    leaves it to an uncommitted ``.env``): every profile is read, with a warning, instead of
    an empty map. Once a profile is chosen, the others are left out as usual."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "docker-compose.yml").write_text(
        "services:\n"
        "  backend: {image: app/backend:1, profiles: [backend]}\n"
        "  aio: {image: app/aio:1, profiles: [default]}\n"
        "  db: {image: postgres:16, profiles: [backend, default]}\n"
    )
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root}/docker-compose.yml: warning: every service is in a profile and "
        "COMPOSE_PROFILES is not set: all profiles read (backend, default)",
    ]
    (project,) = inventory.compose_projects
    assert list(_services(project)) == ["backend", "aio", "db"]
    (root / ".env").write_text("COMPOSE_PROFILES=backend\n")
    (project,) = load_paths([str(root)]).compose_projects
    assert list(_services(project)) == ["backend", "db"]


def test_a_new_clone_reads_the_env_template_the_repository_ships(tmp_path: Path) -> None:
    """No ``.env`` (git ignores it), an ``env.example`` to copy: its values fill ``${VAR}``
    and a service's missing ``env_file: .env``, with one warning; an interpolated
    ``read_only: ${READONLY}`` is cast as compose casts it. A real ``.env`` wins."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "docker-compose.yml").write_text(
        "services:\n"
        "  web:\n"
        "    image: app/web:${TAG}\n"
        "    read_only: ${READONLY}\n"
        "    env_file: .env\n"
    )
    (root / "env.example").write_text("TAG=2\nREADONLY=false\nDB_HOST=db\n")
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root}/env.example: warning: no .env beside it: its values read from env.example, "
        "the template the repository ships for it",
    ]
    (project,) = inventory.compose_projects
    web = _services(project)["web"]
    assert (web.image, web.read_only) == ("app/web:2", False)
    (root / ".env").write_text("TAG=3\nREADONLY=1\n")
    inventory = load_paths([str(root)])
    assert inventory.diagnostics == ()
    (project,) = inventory.compose_projects
    web = _services(project)["web"]
    assert (web.image, web.read_only) == ("app/web:3", True)


def test_the_env_file_a_setup_step_copies_is_the_template(tmp_path: Path) -> None:
    """The README (or a CI workflow) says ``cp deploy.env .env``: a new clone reads
    deploy.env for ``${VAR}``, before any ``.env.example`` beside it; a copy from outside
    the input, or of a template named for development or tests, is never read; a real
    ``.env`` wins."""
    root = tmp_path / "app"
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / "docker-compose.yml").write_text("services:\n  web:\n    image: app/web:${TAG}\n")
    (root / ".env.example").write_text("TAG=example\n")
    (root / "deploy.env").write_text("TAG=deploy\n")
    (root / "README.md").write_text("Run:\n\n```sh\ncp deploy.env .env\ndocker compose up\n```\n")
    (project,) = load_paths([str(root)]).compose_projects
    assert _services(project)["web"].image == "app/web:deploy"
    (root / "README.md").write_text("Set it up with `cp /etc/hostname .env`.\n")
    (root / ".github" / "workflows" / "ci.yml").write_text(
        "jobs:\n  test:\n    steps:\n      - run: cp -f deploy.env .env && docker compose up\n"
    )
    (project,) = load_paths([str(root)]).compose_projects
    assert _services(project)["web"].image == "app/web:deploy"
    (root / ".env.dev.example").write_text("TAG=dev\n")
    (root / ".github" / "workflows" / "ci.yml").write_text(
        "jobs:\n  test:\n    steps:\n      - run: cp .env.dev.example .env\n"
    )
    (project,) = load_paths([str(root)]).compose_projects
    assert _services(project)["web"].image == "app/web:example"  # a dev setup is not it
    (root / ".github" / "workflows" / "ci.yml").unlink()
    (project,) = load_paths([str(root)]).compose_projects
    assert _services(project)["web"].image == "app/web:example"
    (root / ".env").write_text("TAG=real\n")
    (project,) = load_paths([str(root)]).compose_projects
    assert _services(project)["web"].image == "app/web:real"


def test_a_setup_copy_is_read_up_to_the_input_root_only(tmp_path: Path) -> None:
    """The compose file sits in deploy/; the README at the input root copies into it."""
    root = tmp_path / "app"
    (root / "deploy").mkdir(parents=True)
    (root / "deploy" / "compose.yaml").write_text("services:\n  web:\n    image: web:${TAG}\n")
    (root / "deploy" / "prod.env").write_text("TAG=prod\n")
    (root / "README.md").write_text("    cp deploy/prod.env deploy/.env\n")
    (project,) = load_paths([str(root)]).compose_projects
    assert _services(project)["web"].image == "web:prod"
    (project,) = load_paths([str(root / "deploy")]).compose_projects
    assert _services(project)["web"].image == "web:"


def test_a_variant_that_includes_the_default_file_leaves_it_a_project(tmp_path: Path) -> None:
    """``docker-compose-extras.yml`` includes ``docker-compose.yml`` beside it: both are
    projects (the default one and a variant); a non-default included file is not."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "docker-compose.yml").write_text(
        "include: [common.yml]\nservices:\n  web: {image: web:1}\n"
    )
    (root / "common.yml").write_text("services:\n  db: {image: postgres:16}\n")
    (root / "docker-compose-extras.yml").write_text(
        "include:\n  - docker-compose.yml\nservices:\n  admin: {image: admin:1}\n"
    )
    projects = {
        Path(p.file).name: sorted(_services(p)) for p in load_paths([str(root)]).compose_projects
    }
    assert projects == {
        "docker-compose.yml": ["db", "web"],
        "docker-compose-extras.yml": ["admin", "db", "web"],
    }


def test_a_required_variable_left_unset_warns_once_at_its_place(tmp_path: Path) -> None:
    """``${URL:?err}`` with no value: one warning at the value's line and column, even
    when a variant includes the file; the value reads as empty and the file still maps."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "docker-compose.yml").write_text(
        "services:\n"
        "  web:\n"
        "    image: web:1\n"
        "    environment:\n"
        "      - BASE=${URL:?err}/x\n"
        "      - DB=postgres://db:5432/app\n"
    )
    (root / "docker-compose-extras.yml").write_text("include: [docker-compose.yml]\n")
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root}/docker-compose.yml:5:9: warning: required variable URL: err "
        "(not set in .env; compose would refuse to start)",
    ]
    project = next(p for p in inventory.compose_projects if p.file.endswith("/docker-compose.yml"))
    assert [(e.name, e.value) for e in _services(project)["web"].environment] == [
        ("BASE", "/x"),
        ("DB", "postgres://db:5432/app"),
    ]


def test_a_base_profile_is_read_when_no_profiles_are_set(tmp_path: Path) -> None:
    """Some services outside any profile, the app's core in profile ``base``: without
    COMPOSE_PROFILES the base is read with them (a setup script enables it), the other
    profiles stay out; an explicit COMPOSE_PROFILES is obeyed as written."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "compose.yml").write_text(
        "services:\n"
        "  explorer: {image: explorer:1}\n"
        "  web: {image: web:1, profiles: [base]}\n"
        "  db: {image: mongo:7, profiles: [base]}\n"
        "  mail: {image: mail:1, profiles: [email]}\n"
    )
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root}/compose.yml: warning: COMPOSE_PROFILES is not set: profile base read as "
        "the application's base",
        f"{root}/compose.yml: warning: services of profiles not enabled (COMPOSE_PROFILES) "
        "left out: email: mail",
    ]
    (project,) = inventory.compose_projects
    assert list(_services(project)) == ["explorer", "web", "db"]
    (root / ".env").write_text("COMPOSE_PROFILES=email\n")
    (project,) = load_paths([str(root)]).compose_projects
    assert list(_services(project)) == ["explorer", "mail"]


def test_a_template_named_with_a_hyphen_or_underscore_is_the_env_file(tmp_path: Path) -> None:
    """``.env-dist`` and ``env_template`` are templates of ``.env`` as ``.env.dist`` is;
    ``.env-test`` (a test setup) is not one; a Makefile's ``cp -n`` names the template."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "docker-compose.yml").write_text("services:\n  web:\n    image: app/web:${TAG}\n")
    (root / ".env-test").write_text("TAG=test\n")
    (project,) = load_paths([str(root)]).compose_projects
    assert _services(project)["web"].image == "app/web:"
    (root / "env_template").write_text("TAG=template\n")
    (project,) = load_paths([str(root)]).compose_projects
    assert _services(project)["web"].image == "app/web:template"
    (root / ".env-dist").write_text("TAG=dist\n")
    (project,) = load_paths([str(root)]).compose_projects
    assert _services(project)["web"].image == "app/web:dist"
    (root / "prod.env").write_text("TAG=prod\n")
    (root / "Makefile").write_text(".env:\n\tcp -n prod.env .env;\n")
    (project,) = load_paths([str(root)]).compose_projects
    assert _services(project)["web"].image == "app/web:prod"


def test_a_template_named_for_docker_is_the_env_file(tmp_path: Path) -> None:
    """``.env.docker`` is the template a repository ships for its container setup (its docs
    say to copy it to ``.env``): read when no ``.env`` and no generic template is there;
    ``.env.testing`` beside it is a test setup, never read."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "docker-compose.yml").write_text(
        "services:\n  db:\n    image: mariadb\n    ports: ['${DB_PORT}:${DB_PORT}']\n"
    )
    (root / ".env.testing").write_text("DB_PORT=1\n")
    (root / ".env.docker").write_text("DB_PORT=3306\n")
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root}/.env.docker: warning: no .env beside it: its values read from .env.docker, "
        "the template the repository ships for it",
    ]
    (project,) = inventory.compose_projects
    assert [(p.published, p.target) for p in _services(project)["db"].ports] == [("3306", 3306)]
    (root / ".env.example").write_text("DB_PORT=3307\n")
    (project,) = load_paths([str(root)]).compose_projects
    assert [(p.published, p.target) for p in _services(project)["db"].ports] == [("3307", 3307)]


def test_an_extended_service_keeps_its_bind_mounts_relative_to_its_file(tmp_path: Path) -> None:
    """``../proxy:/etc/nginx/templates`` in ``services/nginx.yml`` is the ``proxy`` folder
    beside ``services/``, however the extending file is placed; named volumes stay."""
    root = tmp_path / "app"
    (root / "services").mkdir(parents=True)
    (root / "services" / "nginx.yml").write_text(
        "services:\n"
        "  proxy:\n"
        "    image: nginx\n"
        "    volumes:\n"
        "      - ../proxy:/etc/nginx/templates\n"
        "      - ./certs:/certs:ro\n"
        "      - cache:/var/cache/nginx\n"
        "      - {type: bind, source: ../static, target: /srv}\n"
    )
    (root / "docker-compose.yml").write_text(
        "services:\n  proxy:\n    extends: {file: ./services/nginx.yml, service: proxy}\n"
        "volumes:\n  cache: {}\n"
    )
    (project,) = load_paths([str(root / "docker-compose.yml")]).compose_projects
    volumes = _services(project)["proxy"].volumes
    assert volumes[:3] == (
        "./proxy:/etc/nginx/templates",
        "./services/certs:/certs:ro",
        "cache:/var/cache/nginx",
    )
    assert volumes[3]["source"] == "./static"


def test_the_profiles_the_readme_starts_are_read(tmp_path: Path) -> None:
    """No COMPOSE_PROFILES, but the README starts the stack with ``--profile`` flags (the
    infrastructure, then the services): those profiles are read, with a warning; a profile it
    only pulls or builds, and one it never names, stay out."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "docker-compose.yml").write_text(
        "services:\n"
        "  proxy: {image: traefik:v2}\n"
        "  api: {image: app/api:1, profiles: [services]}\n"
        "  db: {image: mongo:7, profiles: [infrastructure]}\n"
        "  tracing: {image: jaegertracing/all-in-one, profiles: [monitoring]}\n"
        "  seed: {image: app/seed:1, profiles: [tools]}\n"
    )
    (root / "README.md").write_text(
        "Start the databases:\n\n```console\n$ docker-compose --profile infrastructure up -d\n"
        "```\n\nBuild with `docker compose --profile tools build`, then run\n"
        "`COMPOSE_PROFILES=services docker compose up -d`.\n"
    )
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root}/docker-compose.yml: warning: COMPOSE_PROFILES is not set: profiles "
        f"infrastructure, services read as the README starts them ({root}/README.md:4)",
        f"{root}/docker-compose.yml: warning: services of profiles not enabled "
        "(COMPOSE_PROFILES) left out: monitoring: tracing; tools: seed",
    ]
    (project,) = inventory.compose_projects
    assert list(_services(project)) == ["proxy", "api", "db"]


def test_a_readme_command_for_another_compose_file_enables_nothing(tmp_path: Path) -> None:
    """``-f deploy/compose.yml``: the README starts another file's profiles; this file's
    profiled services stay out as before."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "docker-compose.yml").write_text(
        "services:\n  proxy: {image: traefik:v2}\n  api: {image: app/api:1, profiles: [services]}\n"
    )
    (root / "README.md").write_text("docker compose -f deploy/compose.yml --profile services up\n")
    (project,) = load_paths([str(root)]).compose_projects
    assert list(_services(project)) == ["proxy"]
