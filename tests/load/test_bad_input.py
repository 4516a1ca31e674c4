"""Bad input: one clear line naming file:line, the rest still processed, memory bounded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from socklock.load import Limits, load_paths

GOOD = "apiVersion: v1\nkind: Service\nmetadata: {name: ok}\nspec: {ports: [{port: 80}]}\n"


def messages(paths: list[Path], **kwargs: object) -> list[str]:
    inventory = load_paths([str(p) for p in paths], **kwargs)  # type: ignore[arg-type]
    return [str(d) for d in inventory.diagnostics]


def test_malformed_yaml_names_line_and_keeps_other_documents(write) -> None:  # type: ignore[no-untyped-def]
    path = write("bad.yaml", GOOD + "---\nkind: [unclosed\n---\n" + GOOD.replace("ok", "ok2"))
    inventory = load_paths([str(path)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{path}:7:1: error: invalid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence started at line 6)"
    ]
    assert sorted(s.name for s in inventory.services) == ["ok", "ok2"]


def test_malformed_json(write) -> None:  # type: ignore[no-untyped-def]
    path = write("bad.json", '{\n  "apiVersion": "v1",\n  "kind": "Service"\n  "x": 1\n}\n')
    assert messages([path]) == [f"{path}:4:3: error: invalid JSON: Expecting ',' delimiter"]


def test_alias_bomb_is_refused(write) -> None:  # type: ignore[no-untyped-def]
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    path = write("bomb.yaml", "\n".join(lines) + "\n")
    good = write("good.yaml", GOOD)
    inventory = load_paths([str(path), str(good)])
    (diagnostic,) = inventory.diagnostics
    assert str(diagnostic).startswith(
        f"{path}:1: error: document refused: aliases expand it to over"
    )
    assert str(diagnostic).endswith("nodes (an alias bomb?)")
    assert [s.name for s in inventory.services] == ["ok"]


def test_recursive_alias_is_refused(write) -> None:  # type: ignore[no-untyped-def]
    path = write("loop.yaml", "a: &x\n  b: *x\n")
    (message,) = messages([path])
    assert message.startswith(f"{path}:") and "a recursive alias" in message


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    assert messages([path]) == [
        f"{path}: error: file is 200.0 MiB, over the 64 MiB limit for one input file; split it"
    ]
    assert messages([path], limits=Limits(max_file_bytes=300 * 1024 * 1024)) == [
        f"{path}: error: binary file (contains NUL bytes), not text"
    ]


def test_binary_and_non_utf8(write) -> None:  # type: ignore[no-untyped-def]
    binary = write("image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin = write("latin.yaml", b"apiVersion: v1\nkind: ConfigMap\n# caf\xe9\n")
    good = write("good.yaml", GOOD)
    inventory = load_paths([str(binary), str(latin), str(good)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{binary}: error: binary file (contains NUL bytes), not text",
        f"{latin}:3:6: error: not UTF-8 text: invalid byte 0xe9",
    ]
    assert [s.name for s in inventory.services] == ["ok"]


def test_missing_required_fields(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "missing.yaml",
        """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: nospec}
---
kind: Service
metadata: {name: noapi}
---
apiVersion: v1
kind: Service
metadata: {namespace: x}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - image: i
    ports: [{containerPort: 99999}]
    env: [{name: N, value: 5}]
---
apiVersion: v1
kind: Service
metadata: {name: s, labels: {tier: 1}}
spec: {ports: [{port: 80, protocol: tcp}]}
""",
    )
    assert messages([path]) == [
        f"{path}:1:1: error: Deployment default/nospec: spec is missing",
        f"{path}:5:1: error: Service has no apiVersion",
        f"{path}:10:11: error: Service: metadata.name is missing",
        f"{path}:17:5: error: Pod default/p: spec.containers[0].name is missing",
        f"{path}:18:14: error: Pod default/p: containerPort 99999 is not in 1-65535",
        f"{path}:19:21: error: Pod default/p: env N: value must be a string (quote 5)",
        f"{path}:23:30: error: Service default/s: metadata.labels.tier must map strings to "
        "strings (quote 1)",
        f"{path}:24:27: error: Service default/s: protocol must be TCP, UDP or SCTP, not 'tcp'",
    ]


def test_not_a_manifest(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    explicit = write("config.yaml", "logging:\n  level: debug\n")
    assert messages([explicit]) == [
        f"{explicit}:1: error: not a Kubernetes manifest or compose file "
        "(no apiVersion/kind, no services)"
    ]
    # Found by walking a directory, a non-manifest YAML file is someone else's config: skipped.
    inventory = load_paths([str(tmp_path)])
    assert inventory.diagnostics == ()
    assert inventory.files == (str(explicit),)


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    assert messages([missing]) == [f"{missing}: error: no such file or directory"]


def test_walk_skips_vendored_dirs_and_outside_symlinks(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for skipped in (".git", "node_modules", "vendor", "venv"):
        (root / skipped).mkdir(parents=True)
        (root / skipped / "svc.yaml").write_text(GOOD)
    (root / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (root / "go.mod").write_text("module example.com/repo\n")  # the evidence: Go vendoring
    (root / "app").mkdir()
    (root / "app" / "svc.yaml").write_text(GOOD)
    outside = tmp_path / "outside.yaml"
    outside.write_text(GOOD.replace("ok", "outside"))
    os.symlink(outside, root / "app" / "link.yaml")
    os.symlink(root / "app" / "svc.yaml", root / "app" / "inside-link.yaml")
    inventory = load_paths([str(root)])
    # a link inside the tree is read where its file really is: once, not twice
    assert inventory.files == (str(root / "app" / "svc.yaml"),)
    assert [s.name for s in inventory.services] == ["ok"]
    assert [str(d) for d in inventory.diagnostics] == [
        f"{root / 'app' / 'link.yaml'}: warning: symlink to {outside}, outside {root}: not followed"
    ]


def test_null_config_map_value_reads_as_empty_string(write) -> None:  # type: ignore[no-untyped-def]
    """The API server decodes null into a string field as "" (Go's JSON rules): no error."""

    path = write(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  empty:\n  port: 80\n",
    )
    inventory = load_paths([str(path)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{path}:6:3: error: ConfigMap default/c: data.port must be a string (quote 80)"
    ]
    (config_map,) = inventory.config_maps
    assert config_map.data == {"empty": "", "port": "80"}


def test_nameless_object_of_a_kind_socklock_does_not_build_is_a_warning(write) -> None:  # type: ignore[no-untyped-def]
    """A sed template (`name: ##NAME##` reads as a comment) must not fail the run."""

    path = write(
        "rbac.yaml",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
        "  labels: {a: b}\n  name: ##CRNAME##\nrules: []\n",
    )
    inventory = load_paths([str(path)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{path}:4:3: warning: ClusterRole: metadata.name is missing: object not read"
    ]


def test_invalid_name_of_a_kind_socklock_does_not_build_is_a_warning(write) -> None:  # type: ignore[no-untyped-def]
    """A tool config in the Kubernetes envelope (Tanka's Environment) names itself by path."""

    path = write(
        "spec.json",
        '{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",\n'
        ' "metadata": {"name": "environments/dev"}, "spec": {}}\n',
    )
    bad = write("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: a/b}\nspec: {}\n")
    inventory = load_paths([str(path), str(bad)])
    assert [str(d) for d in inventory.diagnostics] == [
        f"{path}:2:15: warning: Environment: metadata.name 'environments/dev' is invalid: "
        "may not contain '/'",
        f"{bad}:3:12: error: Service: metadata.name 'a/b' is invalid: a DNS-1035 label must "
        "consist of lower case alphanumeric characters or '-', start with an alphabetic "
        "character, and end with an alphanumeric character",
    ]


def _shares_a_node(text: str) -> bool:
    """What the parser says: does a document of ``text`` reach one node twice?"""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the one the loader reads with
    for root in yaml.compose_all(text, Loader=loader):
        seen: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                return True
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                stack.extend(n for pair in node.value for n in pair)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
    return False


@pytest.mark.parametrize(
    "use",
    [
        "k: *a",
        "- *a",
        "[*a]",
        "{k: *a}",
        "<<: *a",
        "? *a\n: v",
        "[x,*a]",
        "k:\t*a",
        '{"k":*a}',  # no blank before the alias: a JSON-like key's colon may touch it
        '["k":*a]',
    ],
)
def test_every_alias_form_is_seen_by_the_alias_precheck(use: str) -> None:
    """The precheck decides whether the expansion check runs: it may never miss an alias."""
    from socklock.load.yamlread import _may_alias

    text = "base: &a {y: 1}\nuse:\n" + "".join(f"  {line}\n" for line in use.splitlines())
    assert _shares_a_node(text)
    assert _may_alias(text)


@pytest.mark.parametrize(
    "text",
    [
        "description: a && b",
        "k: &anchor value",
        "x: a*b",
        "description: '*not a pointer && &&, see *v1.Pod'\nk: &pod v",  # no * names an anchor
        "a: '**'\nb: '&&'",
    ],
)
def test_text_without_an_alias_skips_the_expansion_check(text: str) -> None:
    from socklock.load.yamlread import _may_alias

    assert not _shares_a_node(text)
    assert not _may_alias(text)


def test_alias_bomb_without_blanks_is_refused(write) -> None:  # type: ignore[no-untyped-def]
    """A bomb whose aliases follow a quoted key's colon (``{"k":*a}``) is still counted."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        pairs = ",".join(f'"{i}":*{previous}' for i in range(9))
        lines.append(f"{name}: &{name} {{{pairs}}}")
    path = write("bomb.yaml", "\n".join(lines) + "\n")
    (message,) = messages([path])
    assert message.startswith(f"{path}:1: error: document refused: aliases expand it to over")
