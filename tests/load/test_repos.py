"""Repositories as they are: only claimed manifests are input, the rest is skipped and said
once; directories are skipped by evidence; filesystem errors are one line each."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from socklock.load import load_paths
from socklock.load.summary import skip_lines, skip_summary
from socklock.load.trees import skip_reason

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "repos"
GOOD = "apiVersion: v1\nkind: Service\nmetadata: {name: ok}\nspec: {ports: [{port: 80}]}\n"
COMPOSE = "services:\n  web:\n    image: nginx\n"


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """The mixed fixture, plus the directories git would not keep (build/, target/, ...)."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mixed", root)
    (root / "build").mkdir()
    (root / "build" / "docker-compose.yml").write_text(COMPOSE)
    (root / "target" / "classes").mkdir(parents=True)
    (root / "target" / "classes" / "svc.yaml").write_text(GOOD)
    (root / "node_modules" / "pkg").mkdir(parents=True)
    (root / "node_modules" / "pkg" / "svc.yaml").write_text(GOOD)
    return root


def test_mixed_repository_loads_the_manifests_and_counts_the_rest(mixed: Path) -> None:
    inventory = load_paths([str(mixed)])
    chart = mixed / "charts" / "web"
    assert [str(d) for d in inventory.diagnostics] == [
        f"{chart}/Chart.yaml: warning: a Helm chart: its templates are not read (socklock does "
        f"not render Helm); to read its objects: helm template web {chart} | socklock scan -"
    ]
    assert sorted(w.id for w in inventory.workloads) == ["shop/api", "shop/worker"]
    (worker,) = [w for w in inventory.workloads if w.name == "worker"]
    assert worker.location.file == f"{mixed}/kustomize/base/<kubectl kustomize>"
    assert [(p.file, [s.name for s in p.services]) for p in inventory.compose_projects] == [
        (str(mixed / "build" / "docker-compose.yml"), ["web"])
    ]
    assert skip_summary(inventory.skipped) == (
        "skipped 11 files that are not manifests (1 Helm template, 1 unrendered template, "
        "3 YAML without apiVersion/kind, 2 JSONC, 1 kustomize patch, 1 kustomize input, "
        "2 known non-manifest files) and 2 directories of vendored code, caches or build "
        "output; --verbose lists them"
    )
    assert [line.replace(str(mixed), "R") for line in skip_lines(inventory.skipped)] == [
        "R/.devcontainer/devcontainer.json: skipped: JSONC",
        "R/.github/workflows/ci.yml: skipped: YAML without apiVersion/kind",
        "R/alerts.tmpl.yaml: skipped: unrendered template",
        "R/charts/web/Chart.yaml: skipped: known non-manifest file",
        "R/charts/web/templates/deployment.yaml: skipped: Helm template",
        "R/grafana/provisioning/datasources/prometheus.yaml: skipped: YAML without apiVersion/kind",
        "R/kustomize/base/kustomization.yaml: skipped: known non-manifest file (kustomization)",
        "R/kustomize/base/replicas.yaml: skipped: kustomize patch",
        "R/kustomize/base/worker.yaml: skipped: kustomize input "
        "(rendered in R/kustomize/base/<kubectl kustomize>)",
        "R/node_modules: skipped: node_modules (vendored code, cache or version control)",
        "R/openapi.yaml: skipped: YAML without apiVersion/kind",
        "R/target: skipped: build output (classes/)",
        "R/tsconfig.json: skipped: JSONC",
    ]


def test_crd_with_yaml_1_1_values_loads_with_the_strings_written() -> None:
    inventory = load_paths([str(FIXTURES / "mixed" / "deploy" / "crd.yaml")])
    assert inventory.diagnostics == ()
    (crd,) = inventory.objects
    schema = crd.body["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]
    assert schema["operator"]["enum"] == ["=", "!=", "<<", "on", "off", "y", "n", "0755"]
    assert schema["mode"]["default"] == "off"
    # Outside a string schema, YAML 1.1 still decides: served: true is a boolean.
    assert crd.body["spec"]["versions"][0]["served"] is True


def test_broken_manifest_is_an_error_but_broken_other_yaml_is_skipped(write) -> None:  # type: ignore[no-untyped-def]
    broken = write("repo/deploy/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: [\n")
    write("repo/notes.yaml", "title: [unclosed\n")
    write("repo/tpl.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: {{ .Values.data }}\n  x: [\n")
    write("repo/half.yaml", "kind: Service\nmetadata: {name: s}\n")  # claims only half
    root = broken.parent.parent
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{broken}:4:1: error: invalid YAML: did not find expected node content "
        "(while parsing a flow node started at line 4)"
    ]
    assert [line.replace(str(root), "R") for line in skip_lines(inventory.skipped)] == [
        "R/half.yaml: skipped: YAML without apiVersion/kind",
        "R/notes.yaml: skipped: unparsable file without apiVersion/kind",
        "R/tpl.yaml: skipped: unrendered template",
    ]


def test_a_broken_compose_file_is_an_error_but_a_ci_pipeline_is_skipped(write) -> None:  # type: ignore[no-untyped-def]
    """CI pipelines (Woodpecker, Drone, GitLab) have a top-level ``services:`` with images,
    and YAML merges Go's parser accepts: known files, skipped unread."""
    text = "x:\n  - &p ['a']\nservices:\n  db:\n    <<: [*p]\n"
    compose = write("repo/docker-compose.yml", text)
    write("repo/.woodpecker/test.yaml", text)
    write("repo/.drone.yml", text)
    root = compose.parent
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{compose}:2:5: error: invalid YAML: expected a mapping for merging, but found "
        "sequence (while constructing a mapping started at line 5)"
    ]
    assert [line.replace(str(root), "R") for line in skip_lines(inventory.skipped)] == [
        "R/.drone.yml: skipped: known non-manifest file",
        "R/.woodpecker/test.yaml: skipped: known non-manifest file",
    ]


def test_a_broken_config_with_its_own_services_key_is_skipped_and_named(write) -> None:  # type: ignore[no-untyped-def]
    """A framework's config has a top-level ``services:`` too (Symfony's ``services.yaml``
    and bundle config): broken, it is skipped and named in the summary, never an error. A
    broken file that says it is compose (by its name, or services with an ``image:`` or
    ``build:``) stays an error."""
    config = write(
        "repo/config/packages/api.yaml",
        "api:\n  title: x\nservices:\n  app.filter:\n    arguments:\n"
        "      $properties: { user: 'exact' } ]\n",
    )
    root = config.parent.parent.parent
    inventory = load_paths([str(root)])
    assert inventory.diagnostics == ()
    assert skip_summary(inventory.skipped) == (
        "skipped 1 file that is not a manifest (1 unparsable file without apiVersion/kind); "
        f"does not parse: {config}; --verbose lists them"
    )
    stack = write("repo/stack.yml", "services:\n  web:\n    image: [web\n")
    compose = write("repo/docker-compose.yml", "services:\n  web: {build: .\n")
    inventory = load_paths([str(root)])
    assert sorted(d.location.file for d in inventory.diagnostics) == [str(compose), str(stack)]
    assert [s.path for s in inventory.skipped] == [str(config)]


def test_a_manifest_with_comments_is_still_an_error(write) -> None:  # type: ignore[no-untyped-def]
    path = write("repo/svc.json", '{"apiVersion": "v1", // c\n "kind": "Service"}\n')
    assert [str(d) for d in load_paths([str(path.parent)]).diagnostics] == [
        f"{path}:1:22: error: invalid JSON: Expecting property name enclosed in double quotes"
    ]


def test_directories_are_skipped_by_evidence_not_by_name(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    plain = ["build", "dist", "target", "env", "out", "bin", "vendor"]
    for name in plain:
        (root / name).mkdir(parents=True)
        (root / name / "svc.yaml").write_text(GOOD)
    inventory = load_paths([str(root)])
    assert inventory.skipped == ()
    assert sorted(Path(f).parent.name for f in inventory.files) == sorted(plain)

    (root / "target" / "app.jar").write_bytes(b"PK")
    (root / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (root / "dist" / "main.js.map").write_text("{}")
    (root / "bin" / "Release").mkdir()
    (root / "vendor" / "modules.txt").write_text("# example.com/x v1\n")
    (root / "out" / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n")
    assert {name: skip_reason(str(root / name)) for name in plain if name != "build"} == {
        "target": "build output (app.jar)",
        "env": "a virtualenv (pyvenv.cfg)",
        "dist": "build output (main.js.map)",
        "bin": "build output (Release/)",
        "vendor": "vendored dependencies (vendor/modules.txt)",
        "out": "a cache directory (CACHEDIR.TAG)",
    }
    assert load_paths([str(root)]).files == (str(root / "build" / "svc.yaml"),)


def test_code_scanner_uses_the_same_rule(tmp_path: Path) -> None:
    from socklock.discover.code.scan import iter_files

    root = tmp_path / "repo"
    for name in ("build", "target", "node_modules"):
        (root / name).mkdir(parents=True)
        (root / name / "app.py").write_text("import requests\n")
    (root / "target" / "classes").mkdir()
    assert [path for path, _ in iter_files([str(root)])] == [str(root / "build" / "app.py")]


def test_a_virtualenv_made_in_a_project_folder_skips_only_its_own_layout(tmp_path: Path) -> None:
    from socklock.discover.code.scan import iter_files

    root = tmp_path / "repo"
    files = {
        "orders/pyvenv.cfg": "home = /usr\n",  # `python -m venv .` inside the service
        "orders/Dockerfile": "FROM python:3.12\n",
        "orders/app.py": "import requests\n",
        "orders/Lib/site.py": "import requests\n",
        "orders/Scripts/activate.py": "import requests\n",
        "env/pyvenv.cfg": "home = /usr\n",  # a plain virtualenv: nothing of the user's
        "env/.gitignore": "*\n",
        "env/lib/x.py": "import requests\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    assert skip_reason(str(root / "orders")) is None
    assert (
        skip_reason(str(root / "orders" / "Lib")) == "part of a virtualenv (Lib/ beside pyvenv.cfg)"
    )
    assert skip_reason(str(root / "env")) == "a virtualenv (pyvenv.cfg)"
    assert [path for path, _ in iter_files([str(root)])] == [str(root / "orders" / "app.py")]


def test_filesystem_errors_are_one_line_each_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    (root / "a").mkdir(parents=True)
    (root / "locked").mkdir()
    (root / "z").mkdir()
    (root / "a" / "svc.yaml").write_text(GOOD)
    (root / "z" / "svc.yaml").write_text(GOOD.replace("ok", "ok2"))
    os.symlink("loop.yaml", root / "a" / "loop.yaml")  # points at itself
    os.symlink("gone.yaml", root / "a" / "dangling.yaml")
    os.symlink("gone", root / "a" / "dangling-notes")  # not an input name: not our business
    os.mkfifo(root / "a" / "pipe.yaml")
    os.mkfifo(root / "a" / "pipe")  # not an input name either
    os.symlink(root, root / "z" / "up")  # a directory link inside the tree: not followed
    real_scandir = os.scandir

    def scandir(path: str):  # type: ignore[no-untyped-def]
        if str(path).endswith("locked"):  # chmod 000 does not stop root: refuse here
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root / 'a' / 'dangling.yaml'}: warning: dangling symlink to gone.yaml, not read",
        f"{root / 'a' / 'loop.yaml'}: error: symlink loop, not followed",
        f"{root / 'a' / 'pipe.yaml'}: error: not a regular file (a FIFO), not read",
        f"{root / 'locked'}: error: cannot read directory: permission denied",
    ]
    assert sorted(s.name for s in inventory.services) == ["ok", "ok2"]


def test_special_and_missing_roots(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    loop = tmp_path / "loop"
    os.symlink(loop, loop)
    assert [str(d) for d in load_paths([str(fifo), str(loop)]).diagnostics] == [
        f"{loop}: error: symlink loop",
        f"{fifo}: error: not a regular file or directory (a FIFO)",
    ]


def test_outside_symlinked_directory_is_named(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "svc.yaml").write_text(GOOD)
    root = tmp_path / "repo"
    root.mkdir()
    os.symlink(outside, root / "shared")
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root / 'shared'}: warning: symlink to {outside}, outside {root}: not followed"
    ]
    assert inventory.errors == ()


def test_cli_prints_the_summary_and_lists_with_verbose(mixed: Path) -> None:
    from click.testing import CliRunner

    from socklock._cli.main import cli

    result = CliRunner().invoke(cli, ["map", str(mixed), "--no-code", "--format", "json"])
    assert result.exit_code == 0, result.output
    chart = mixed / "charts" / "web"
    assert result.stderr.splitlines() == [
        f"{chart}/Chart.yaml: warning: a Helm chart: its templates are not read (socklock does "
        f"not render Helm); to read its objects: helm template web {chart} | socklock scan -",
        "skipped 11 files that are not manifests (1 Helm template, 1 unrendered template, "
        "3 YAML without apiVersion/kind, 2 JSONC, 1 kustomize patch, 1 kustomize input, "
        "2 known non-manifest files) and 2 directories of vendored code, caches or build "
        "output; --verbose lists them",
        "deployment: . (kubernetes, 2 workloads)",
        "  other application: build/docker-compose.yml (compose, 1 workload)",
        "  choose another with --deployment NAME|PATH",
    ]
    verbose = CliRunner().invoke(
        cli, ["--verbose", "map", str(mixed), "--no-code", "--format", "json"]
    )
    base = mixed / "kustomize" / "base"
    assert verbose.stderr.splitlines()[1:14] == [
        f"{mixed}/.devcontainer/devcontainer.json: skipped: JSONC",
        f"{mixed}/.github/workflows/ci.yml: skipped: YAML without apiVersion/kind",
        f"{mixed}/alerts.tmpl.yaml: skipped: unrendered template",
        f"{chart}/Chart.yaml: skipped: known non-manifest file",
        f"{chart}/templates/deployment.yaml: skipped: Helm template",
        f"{mixed}/grafana/provisioning/datasources/prometheus.yaml: skipped: YAML without "
        "apiVersion/kind",
        f"{base}/kustomization.yaml: skipped: known non-manifest file (kustomization)",
        f"{base}/replicas.yaml: skipped: kustomize patch",
        f"{base}/worker.yaml: skipped: kustomize input (rendered in {base}/<kubectl kustomize>)",
        f"{mixed}/node_modules: skipped: node_modules (vendored code, cache or version control)",
        f"{mixed}/openapi.yaml: skipped: YAML without apiVersion/kind",
        f"{mixed}/target: skipped: build output (classes/)",
        f"{mixed}/tsconfig.json: skipped: JSONC",
    ]
    assert verbose.stderr.splitlines()[:1] + verbose.stderr.splitlines()[14:] == (
        result.stderr.splitlines()
    )


def test_testdata_is_test_input_not_deployment(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "pkg" / "testdata").mkdir(parents=True)
    (root / "pkg" / "testdata" / "invalid.yaml").write_text("apiVersion: v1\nkind: [\n")
    (root / "deploy.yaml").write_text(GOOD)
    inventory = load_paths([str(root)])
    assert inventory.diagnostics == ()
    assert skip_lines(inventory.skipped) == [
        f"{root}/pkg/testdata: skipped: testdata (test inputs, by the Go toolchain's convention)"
    ]


def test_a_file_that_vanishes_before_it_is_read(tmp_path: Path) -> None:
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.text import read_text

    gone = tmp_path / "gone.yaml"
    assert str(read_text(gone, str(gone), DEFAULT_LIMITS)) == (
        f"{gone}: error: cannot read file: no such file or directory"
    )


def test_tool_configs_in_the_kubernetes_envelope_are_not_manifests(write) -> None:  # type: ignore[no-untyped-def]
    write("repo/azds.yaml", "kind: helm-release\napiVersion: 1.1\nbuild: {context: .}\n")
    write("repo/kind.yaml", "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: []\n")
    write("repo/svc.yaml", "apiVersion: v1\nkind: Service\nspec: {}\n")  # a broken object
    root = write("repo/cr.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {}\n")
    root = root.parent
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root}/cr.yaml:3:11: warning: Widget: metadata.name is missing: object not read",
        f"{root}/svc.yaml:1:1: error: Service: metadata is missing",
    ]
    assert [line.replace(str(root), "R") for line in skip_lines(inventory.skipped)] == [
        "R/azds.yaml: skipped: tool config with apiVersion/kind",
        "R/kind.yaml: skipped: tool config with apiVersion/kind",
    ]


def test_another_tools_services_mapping_is_not_a_compose_file(write) -> None:  # type: ignore[no-untyped-def]
    """The Azure Developer CLI's ``azure.yaml`` has ``name`` and ``services``, but its
    services name a project, a language and a host: not a compose file, skipped (no error
    on its project name). A compose file of one service with only a command still is one."""
    write(
        "repo/azure.yaml",
        "name: eShopOnWeb\nservices:\n"
        "  web: {project: ./src/Web, language: csharp, host: appservice}\n",
    )
    root = write("repo/docker-compose.yml", "services:\n  worker: {command: [run]}\n").parent
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == []
    assert [p.file for p in inventory.compose_projects] == [f"{root}/docker-compose.yml"]
    assert [line.replace(str(root), "R") for line in skip_lines(inventory.skipped)] == [
        "R/azure.yaml: skipped: YAML without apiVersion/kind",
    ]


def test_a_top_level_key_compose_refuses_makes_another_tools_file(write) -> None:  # type: ignore[no-untyped-def]
    """A GitHub Action's ``action.yml`` may hold ``services:`` of images beside ``runs:``:
    compose refuses a top-level key outside its specification, so the file is another
    tool's and skipped (no error on its ``name``). ``x-`` extensions are compose's, and a
    file named like a compose file stays one whatever else it holds."""
    write(
        "repo/.github/actions/setup/action.yml",
        "name: 'Set up test environment'\ndescription: 'Set up'\n"
        "services:\n  mysql:\n    image: mysql:5.7\n"
        "runs:\n  using: composite\n  steps: []\n",
    )
    write("repo/stack.yml", "x-common: {restart: always}\nservices:\n  web: {image: nginx}\n")
    root = write(
        "repo/compose.yaml", "services:\n  worker: {image: busybox}\nruns: {using: x}\n"
    ).parent
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == []
    assert sorted(p.file for p in inventory.compose_projects) == [
        f"{root}/compose.yaml",
        f"{root}/stack.yml",
    ]
    assert [line.replace(str(root), "R") for line in skip_lines(inventory.skipped)] == [
        "R/.github/actions/setup/action.yml: skipped: YAML without apiVersion/kind",
    ]


def test_a_template_spaced_out_by_a_formatter_is_still_a_template(write) -> None:  # type: ignore[no-untyped-def]
    """``issuer: { { .Values.idp.issuer } }`` does not parse (a mapping as a key); it is an
    unrendered Helm template, skipped, not a broken manifest."""
    root = write(
        "repo/policy.yaml",
        "apiVersion: authentication.istio.io/v1alpha1\nkind: Policy\nmetadata: {name: p}\n"
        "spec:\n  origins:\n    - jwt:\n        issuer: { { .Values.idp.issuer } }\n",
    ).parent
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == []
    assert [line.replace(str(root), "R") for line in skip_lines(inventory.skipped)] == [
        "R/policy.yaml: skipped: unrendered template",
    ]


def test_a_ytt_template_is_skipped_as_a_template(write) -> None:  # type: ignore[no-untyped-def]
    """Carvel ytt: the YAML parses, but ``name: #@ data.values.name`` is code (the name is
    missing until ytt runs): an unrendered template, not a Deployment with no name. A
    manifest with an ordinary comment (``# @owner``) is read."""
    write(
        "repo/app.yaml",
        '#@ load("@ytt:data", "data")\n---\napiVersion: apps/v1\nkind: Deployment\n'
        "metadata:\n  name: #@ data.values.name\nspec: {}\n",
    )
    root = write(
        "repo/svc.yaml",
        "# @owner: team-a\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
        "spec: {ports: [{port: 80}]}\n",
    ).parent
    inventory = load_paths([str(root)])
    assert [str(d) for d in inventory.diagnostics] == []
    assert [line.replace(str(root), "R") for line in skip_lines(inventory.skipped)] == [
        "R/app.yaml: skipped: unrendered template",
    ]
    assert [o.name for o in inventory.services] == ["web"]
