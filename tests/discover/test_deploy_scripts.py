"""A deploy script of ``kubectl apply -f FILE -n NS`` lines is a deployment: it says which
files form it and in which namespace their objects land when they set none."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.deploy_scripts import Applied, read_script
from socklock.discover.deployments import find_deployments, select_deployment
from socklock.load import load_paths
from socklock.model import Location


def _deployment(name: str, *, env: str = "", namespace: str = "") -> str:
    ns = f", namespace: {namespace}" if namespace else ""
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}{ns}}}\nspec:\n"
        f"  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n"
        f"    metadata: {{labels: {{app: {name}}}}}\n    spec:\n"
        f"      containers: [{{name: {name}, image: shop/{name}{env}}}]\n"
    )


def _svc(name: str, port: int) -> str:
    return (
        f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n"
        f"  selector: {{app: {name}}}\n  ports: [{{port: {port}}}]\n"
    )


_CALLER = ", env: [{name: PRICES_URL, value: 'http://prices.shop:8000'}]"
_APP = {
    "k8s/app.yaml": _deployment("web", env=_CALLER)
    + "---\n"
    + _deployment("prices")
    + "---\n"
    + _svc("prices", 8000),
    # a file of the directory the script does not apply: not part of its deployment
    "k8s/debug.yaml": _deployment("debug-shell"),
    # applied with -n shop, but it says kube-system itself: kubectl refuses the mismatch
    "k8s/agent.yaml": _deployment("agent", namespace="kube-system"),
}
_SCRIPT = """\
#!/bin/bash
set -e
NS=shop
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kubectl create namespace $NS
kubectl apply -f k8s/app.yaml -n $NS
kubectl apply --namespace=$NS \\
  -f $DIR/k8s/agent.yaml
kubectl apply -f - <<EOF
kubectl apply -f k8s/debug.yaml
EOF
kubectl -n "$TARGET" apply -f k8s/debug.yaml
oc apply -f k8s/missing.yaml
"""


def _problems(root: Path) -> list[str]:
    """What choosing ``_SCRIPT``'s deployment reports."""
    return [
        "deploy.sh:12: warning: $TARGET needs $TARGET, which this script does not set; the "
        "line is left out of its deployment",
        "deploy.sh:13: warning: kubectl apply names k8s/missing.yaml, which is not there; "
        "left out of this script's deployment",
        f"{root}/k8s/agent.yaml:1:1: warning: Deployment kube-system/agent sets "
        "namespace kube-system, but a deploy script applies its file with -n shop (kubectl "
        "refuses the mismatch); it stays in kube-system",
    ]


def _edges(graph: object) -> set[tuple[str, str, int | None]]:
    return {(e.source, e.target, e.port) for e in graph.edges}  # type: ignore[attr-defined]


def test_read_script_gives_each_applied_file_and_its_namespace(tmp_path: Path) -> None:
    _write(tmp_path, {**_APP, "deploy.sh": _SCRIPT})
    script = read_script(str(tmp_path / "deploy.sh"), "deploy.sh", str(tmp_path))
    assert script.applied == (
        Applied(str(tmp_path / "k8s/app.yaml"), "shop", False, False, Location("deploy.sh", 6)),
        Applied(str(tmp_path / "k8s/agent.yaml"), "shop", False, False, Location("deploy.sh", 7)),
    )
    assert [str(d) for d in script.diagnostics] == [
        "deploy.sh:12: warning: $TARGET needs $TARGET, which this script does not set; the "
        "line is left out of its deployment",
        "deploy.sh:13: warning: kubectl apply names k8s/missing.yaml, which is not there; "
        "left out of this script's deployment",
    ]


def test_kustomize_lines_directories_and_flags_before_the_verb(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "overlay/kustomization.yaml": "resources: []\n",
            "manifests/a.yaml": "",
            "scripts/up.sh": (
                "cat <<<word\n"  # a here-string, not a here-document
                "cd ..\n"
                "sudo kubectl --context kind-dev apply -k overlay/ -nstage\n"
                "kubectl apply -R -f manifests,manifests/a.yaml\n"
                "kubectl delete -f manifests/a.yaml\n"
                "echo kubectl apply -f manifests/a.yaml\n"
                "kubectl apply -f https://example.com/crds.yaml\n"
            ),
        },
    )
    script = read_script(str(tmp_path / "scripts/up.sh"), "up.sh", str(tmp_path))
    assert script.applied == (
        Applied(str(tmp_path / "overlay"), "stage", True, False, Location("up.sh", 3)),
        # no -n: the current namespace, the one namespace the script names
        Applied(str(tmp_path / "manifests"), "stage", False, True, Location("up.sh", 4)),
        Applied(str(tmp_path / "manifests/a.yaml"), "stage", False, True, Location("up.sh", 4)),
    )
    assert script.diagnostics == ()


def test_the_only_deploy_script_is_the_default_deployment(tmp_path: Path) -> None:
    _write(tmp_path, {**_APP, "deploy.sh": _SCRIPT})
    inventory = load_paths([str(tmp_path)])
    assert [(d.name, d.script) for d in find_deployments(inventory)] == [
        ("deploy.sh", True),
        ("k8s", False),
    ]
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "deploy.sh"
    assert sorted(w.id for w in selection.inventory.workloads) == [
        "kube-system/agent",
        "shop/prices",
        "shop/web",
    ]
    assert [str(d) for d in selection.diagnostics] == _problems(tmp_path)
    # ``prices.shop``: the Service the script put in namespace shop
    assert _edges(discover(inventory)) == {("shop/web", "shop/prices", 8000)}


def test_naming_the_directory_keeps_its_files_in_the_scripts_namespaces(
    tmp_path: Path,
) -> None:
    """``--deployment k8s`` picks every object of the directory, the one the script leaves
    out too; the only deploy script still says which namespace each file's objects run in."""
    _write(tmp_path, {**_APP, "deploy.sh": _SCRIPT})
    inventory = load_paths([str(tmp_path)])
    selection = select_deployment(inventory, "k8s")
    assert [d.name for d in selection.left_out] == ["deploy.sh"]
    assert [str(d) for d in selection.diagnostics] == _problems(tmp_path)
    assert sorted(w.id for w in selection.inventory.workloads) == [
        "default/debug-shell",
        "kube-system/agent",
        "shop/prices",
        "shop/web",
    ]
    # narrowing the narrowed input again keeps the directory (discover does)
    graph = discover(inventory, deployment="k8s")
    assert sorted(n.id for n in graph.nodes) == [
        "default/debug-shell",
        "kube-system/agent",
        "shop/prices",
        "shop/web",
    ]


def test_a_script_that_is_not_the_only_one_places_nothing(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            **_APP,
            "deploy.sh": _SCRIPT,
            "deploy-dev.sh": "kubectl apply -f k8s/app.yaml -n dev\n",
        },
    )
    selection = select_deployment(load_paths([str(tmp_path)]), "k8s")
    assert selection.diagnostics == ()
    assert sorted(w.id for w in selection.inventory.workloads) == [
        "default/debug-shell",
        "default/prices",
        "default/web",
        "kube-system/agent",
    ]


def test_a_file_applied_to_two_namespaces_runs_in_both(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "redis.yaml": _deployment("redis"),
            "up.sh": "for ns in a b; do :; done\nkubectl apply -f redis.yaml -n a\n"
            "kubectl apply -f redis.yaml -n b\n",
        },
    )
    selection = select_deployment(load_paths([str(tmp_path)]), "up.sh")
    assert sorted(w.id for w in selection.inventory.workloads) == ["a/redis", "b/redis"]


def test_several_scripts_are_alternatives_and_none_is_the_default(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "k8s/app.yaml": _deployment("web") + "---\n" + _deployment("api"),
            "dev.sh": "kubectl apply -f k8s/app.yaml -n dev\n",
            "prod.sh": "kubectl apply -f k8s/app.yaml -n prod\n",
            # no kubectl line: not a deployment, and no warning
            "build.sh": "docker build -t shop/web .\nNS=$1\n",
        },
    )
    inventory = load_paths([str(tmp_path)])
    assert [d.name for d in find_deployments(inventory)] == ["k8s", "dev.sh", "prod.sh"]
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "k8s"
    assert sorted(w.id for w in selection.inventory.workloads) == ["default/api", "default/web"]
    assert sorted(w.id for w in select_deployment(inventory, "prod.sh").inventory.workloads) == [
        "prod/api",
        "prod/web",
    ]


def test_a_script_of_unresolved_lines_only_is_no_deployment(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "k8s/app.yaml": _deployment("web"),
            "deploy.sh": "kubectl apply -f k8s/app.yaml -n ${NAMESPACE}\n",
        },
    )
    inventory = load_paths([str(tmp_path)])
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "k8s"
    assert selection.diagnostics == ()
    assert [str(d) for d in selection.notes] == [
        "deploy.sh:1: warning: ${NAMESPACE} needs $NAMESPACE, which this script does not "
        "set; the line is left out of its deployment"
    ]
    assert [w.id for w in selection.inventory.workloads] == ["default/web"]


def test_the_cli_names_the_script_it_chose(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from socklock._cli.main import cli

    _write(
        tmp_path,
        {
            "k8s/app.yaml": _deployment("web", env=_CALLER)
            + "---\n"
            + _deployment("prices")
            + "---\n"
            + _svc("prices", 8000),
            "k8s/debug.yaml": _deployment("debug-shell"),
            "deploy.sh": "kubectl apply -f k8s/app.yaml -n shop\n",
        },
    )
    result = CliRunner().invoke(cli, ["map", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "deployment: deploy.sh (deploy script, 2 workloads)",
        "  left out: k8s (kubernetes, 3 workloads)",
        "  choose another with --deployment NAME|PATH",
    ]


def test_paths_from_a_directory_above_the_script_and_process_substitution(
    tmp_path: Path,
) -> None:
    """``chapter/k8s/scripts/up.sh`` is run from ``chapter``: its paths are read from the
    nearest directory above it where they exist; ``<(cat ...)`` is known only at run time."""
    _write(
        tmp_path,
        {
            "chapter/k8s/app.yaml": "",
            "chapter/k8s/scripts/up.sh": "kubectl apply -f k8s/app.yaml\n"
            "kubectl apply -f <(cat k8s/app.yaml)\n",
        },
    )
    script = read_script(str(tmp_path / "chapter/k8s/scripts/up.sh"), "up.sh", str(tmp_path))
    assert script.applied == (
        Applied(str(tmp_path / "chapter/k8s/app.yaml"), None, False, False, Location("up.sh", 1)),
    )
    assert [str(d) for d in script.diagnostics] == [
        "up.sh:2: warning: <(cat is known only when the script runs; the line is left out of "
        "its deployment"
    ]


def test_the_cli_sums_up_lines_of_scripts_that_deploy_nothing(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from socklock._cli.main import cli

    _write(
        tmp_path,
        {
            "k8s/app.yaml": _deployment("web"),
            "a.sh": "kubectl apply -f $X/app.yaml\nkubectl apply -f $Y/app.yaml\n",
            "b.sh": "oc apply -f $Z/app.yaml\n",
        },
    )
    result = CliRunner().invoke(cli, ["map", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "3 lines of 2 deploy scripts not read (a variable the script does not set, a file "
        "that is not there); --verbose lists them"
    ]
    result = CliRunner().invoke(cli, ["--verbose", "map", str(tmp_path), "--format", "json"])
    assert result.stderr.splitlines() == [
        "a.sh:1: warning: $X/app.yaml needs $X, which this script does not set; the line is "
        "left out of its deployment",
        "a.sh:2: warning: $Y/app.yaml needs $Y, which this script does not set; the line is "
        "left out of its deployment",
        "b.sh:1: warning: $Z/app.yaml needs $Z, which this script does not set; the line is "
        "left out of its deployment",
    ]


def test_a_variable_assigned_on_a_branch_has_no_one_value(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app.yaml": "",
            "app-mesh.yaml": "",
            "up.sh": "SUFFIX=''\nNS=shop\n"
            'if [ "$1" = "--mesh" ]\nthen\n    SUFFIX=-mesh\nfi\n'
            "kubectl apply -f app$SUFFIX.yaml -n $NS\n"
            "for f in a b; do kubectl apply -f $f.yaml; done\n",
        },
    )
    script = read_script(str(tmp_path / "up.sh"), "up.sh", str(tmp_path))
    assert script.applied == ()
    assert [str(d) for d in script.diagnostics] == [
        "up.sh:7: warning: app$SUFFIX.yaml needs $SUFFIX, which this script does not set; "
        "the line is left out of its deployment",
        "up.sh:8: warning: $f.yaml needs $f, which this script does not set; the line is "
        "left out of its deployment",
    ]


def test_a_script_that_sets_no_namespace_is_never_the_default(tmp_path: Path) -> None:
    """``kubectl apply -f k8s/`` says nothing the directory does not: the directory stays
    the default, and the script can be named."""
    _write(
        tmp_path,
        {
            "k8s/app.yaml": _deployment("web") + "---\n" + _deployment("api"),
            "extras/tls/setup.sh": "kubectl apply -f ../../k8s\n",
        },
    )
    inventory = load_paths([str(tmp_path)])
    assert [d.name for d in find_deployments(inventory)] == ["k8s", "extras/tls/setup.sh"]
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "k8s"
    named = select_deployment(inventory, "extras/tls/setup.sh")
    assert named.chosen is not None and sorted(named.chosen.services) == ["api", "web"]


def test_a_fifo_and_a_link_out_of_the_tree_are_not_read(tmp_path: Path) -> None:
    import os

    from socklock.discover.scripted import script_paths

    outside = tmp_path / "outside.sh"
    outside.write_text("kubectl apply -f app.yaml -n x\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    os.mkfifo(tree / "pipe.sh")
    (tree / "link.sh").symlink_to(outside)
    (tree / "deploy.sh").write_text("kubectl apply -f app.yaml\n")
    assert list(script_paths((str(tree),))) == [str(tree / "deploy.sh")]


def test_lines_without_a_namespace_run_in_the_one_the_script_names(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "web.yaml": _deployment("web", env=", env: [{name: P, value: 'http://prices:8000'}]"),
            "prices.yaml": _deployment("prices"),
            "prices-svc.yaml": _svc("prices", 8000),
            "up.sh": "kubectl apply -f web.yaml\nkubectl apply -f prices.yaml\n"
            "kubectl create -f prices-svc.yaml -n tutorial\n",
        },
    )
    selection = select_deployment(load_paths([str(tmp_path)]), "up.sh")
    assert sorted(w.id for w in selection.inventory.workloads) == [
        "tutorial/prices",
        "tutorial/web",
    ]
    assert ("tutorial/web", "tutorial/prices", 8000) in _edges(discover(selection.inventory))


def test_lines_of_two_named_namespaces_leave_the_others_as_written(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "web.yaml": _deployment("web"),
            "a.yaml": _deployment("a"),
            "b.yaml": _deployment("b"),
            "up.sh": "kubectl apply -f web.yaml\nkubectl apply -f a.yaml -n one\n"
            "kubectl apply -f b.yaml -n two\n",
        },
    )
    selection = select_deployment(load_paths([str(tmp_path)]), "up.sh")
    assert sorted(w.id for w in selection.inventory.workloads) == [
        "default/web",
        "one/a",
        "two/b",
    ]


def test_a_directory_chosen_over_the_script_that_applies_it_keeps_its_services(
    tmp_path: Path,
) -> None:
    """``kubectl apply -f k8s`` in a script that sets no namespace: the directory is the
    default, and its Services (files that hold no workload) are still part of it."""
    _write(
        tmp_path,
        {
            "k8s/web.yaml": _deployment(
                "web",
                env=", env: [{name: PRICES_HOST, value: prices-svc}, "
                "{name: PRICES_URL, value: 'http://prices-svc:8000'}]",
            ),
            "k8s/prices.yaml": _deployment("prices"),
            "k8s/prices-svc.yaml": _svc("prices-svc", 8000).replace(
                "app: prices-svc", "app: prices"
            ),
            "deploy.sh": "docker build -t shop/web .\nkubectl apply -f k8s\n",
        },
    )
    inventory = load_paths([str(tmp_path)])
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "k8s"
    assert [s.name for s in selection.inventory.services] == ["prices-svc"]
    assert _edges(discover(inventory)) == {("default/web", "default/prices", 8000)}


def test_a_named_directory_of_alternative_files_keeps_the_services_a_script_applies(
    tmp_path: Path,
) -> None:
    """``--deployment k8s`` over files that repeat a workload (``web.yaml`` and
    ``web-full.yaml``: each file its own deployment) beside a script that applies some of
    them with the Services: ``kubectl apply -R -f k8s`` applies every file, the Services
    that no workload file holds too, so the script left out takes none of them away."""
    web = _deployment("web", env=", env: [{name: PRICES_URL, value: 'http://prices-svc:8000'}]")
    _write(
        tmp_path,
        {
            "k8s/web.yaml": web,
            "k8s/web-full.yaml": web,
            "k8s/prices.yaml": _deployment("prices"),
            "k8s/prices-svc.yaml": _svc("prices-svc", 8000).replace(
                "app: prices-svc", "app: prices"
            ),
            "k8s/deploy.sh": (
                "kubectl apply -f prices-svc.yaml -n default\n"
                "kubectl apply -f prices.yaml -n default\nkubectl apply -f web.yaml -n default\n"
            ),
        },
    )
    inventory = load_paths([str(tmp_path)])
    selection = select_deployment(inventory, str(tmp_path / "k8s"))
    assert [s.name for s in selection.inventory.services] == ["prices-svc"]
    graph = discover(inventory, deployment=str(tmp_path / "k8s"))
    assert _edges(graph) == {("default/web", "default/prices", 8000)}
