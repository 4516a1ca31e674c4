"""Real-world layouts, each reproduced in a small file of our own: the fixer edits them in
place (exact expected text) or refuses with a reason, never reformats.

Each layout was seen in public repositories (the sock shop's ``complete-demo.yaml`` mixes
list indentations; Kubernetes' examples ship pretty-printed JSON and files without a final
newline; compose files share settings through anchors and ``<<`` merges, ...).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from socklock.harden import HardenOptions, fix_paths
from socklock.harden.fixer import FixError, apply_yaml_edits
from socklock.harden.yamledit import EditError, edit_yaml
from socklock.model import YamlEdit

APE = frozenset({"SLK103"})  # allowPrivilegeEscalation=false: one key per container


def _edit(path: tuple[str | int, ...], op: str, value: object = None) -> YamlEdit:
    return YamlEdit(0, path, op, value, anchor=(1, 1))


def _fix(tmp_path: Path, name: str, text: str, select: frozenset[str] = APE) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode())
    run = fix_paths([str(path)], HardenOptions(select=select), unsafe=True)
    assert run.skipped == (), run.skipped
    return path.read_bytes().decode()


def test_mixed_list_indentation_each_list_keeps_its_own(tmp_path: Path) -> None:
    """One document with ``containers:`` dashes at the key's column and ``ports:`` dashes
    indented: an item appended to a list follows that list; a new list follows the
    document's majority."""
    text = (
        "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n"
        "  containers:\n"
        "  - name: a\n"
        "    image: a:1\n"
        "    securityContext:\n"
        "      capabilities:\n"
        "        drop:\n"
        "          - NET_RAW\n"
        "    ports:\n"
        "    - containerPort: 80\n"
    )
    out = apply_yaml_edits(
        text,
        [
            _edit(
                ("spec", "containers", 0, "securityContext", "capabilities", "drop"),
                "append",
                "ALL",
            ),
            _edit(
                ("spec", "containers", 0, "securityContext", "capabilities", "add"),
                "append",
                "NET_BIND_SERVICE",
            ),
        ],
    )
    assert out == text.replace(
        "          - NET_RAW\n",
        "          - NET_RAW\n          - ALL\n        add:\n        - NET_BIND_SERVICE\n",
    )


def test_flow_style_collections_get_flow_edits() -> None:
    text = (
        "spec:\n"
        "  securityContext: {runAsUser: 1000}   # set by the platform team\n"
        "  caps: {drop: [NET_RAW], add: []}\n"
    )
    out = apply_yaml_edits(
        text,
        [
            _edit(("spec", "securityContext", "runAsNonRoot"), "set", True),
            _edit(("spec", "caps", "drop"), "append", "ALL"),
            _edit(("spec", "caps", "add"), "append", "CHOWN"),
        ],
    )
    assert out == (
        "spec:\n"
        "  securityContext: {runAsUser: 1000, runAsNonRoot: true}   # set by the platform team\n"
        "  caps: {drop: [NET_RAW, ALL], add: [CHOWN]}\n"
    )


def test_multi_line_flow_mapping_gets_a_new_line_like_its_last_entry() -> None:
    text = "a: {\n  x: 1,\n  y: 2\n}\n"
    assert apply_yaml_edits(text, [_edit(("a", "z"), "set", 3)]) == (
        "a: {\n  x: 1,\n  y: 2,\n  z: 3\n}\n"
    )


def test_pretty_printed_json_manifest(tmp_path: Path) -> None:
    text = (
        "{\n"
        '  "apiVersion": "v1",\n'
        '  "kind": "Pod",\n'
        '  "metadata": {"name": "p"},\n'
        '  "spec": {\n'
        '    "containers": [\n'
        "      {\n"
        '        "name": "c",\n'
        '        "image": "a:1"\n'
        "      }\n"
        "    ]\n"
        "  }\n"
        "}\n"
    )
    out = _fix(tmp_path, "pod.json", text)
    assert out == text.replace(
        '"image": "a:1"\n',
        '"image": "a:1",\n        "securityContext": {"allowPrivilegeEscalation": false}\n',
    )


def test_json_on_one_line(tmp_path: Path) -> None:
    text = (
        '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, '
        '"spec": {"containers": [{"name": "c", "image": "a:1"}]}}'
    )
    out = _fix(tmp_path, "pod.json", text)
    assert out == text.replace(
        '"image": "a:1"}', '"image": "a:1", "securityContext": {"allowPrivilegeEscalation": false}}'
    )


def test_comments_between_keys_and_blank_lines_stay_where_they_were() -> None:
    text = (
        "spec:\n"
        "  # the app\n"
        "  app:\n"
        "    image: a:1   # pinned below\n"
        "\n"
        "    # resources: the team sets them\n"
        "  next: 1\n"
    )
    out = apply_yaml_edits(
        text, [_edit(("spec", "app", "securityContext", "privileged"), "set", False)]
    )
    assert out == text.replace(
        "    image: a:1   # pinned below\n",
        "    image: a:1   # pinned below\n    securityContext:\n      privileged: false\n",
    )


def test_last_value_a_block_scalar() -> None:
    text = "c:\n  name: a\n  args: |\n    run --fast\n\n    # not a comment\n\nother: 1\n"
    out = apply_yaml_edits(text, [_edit(("c", "x"), "set", 1)])
    assert (
        out
        == "c:\n  name: a\n  args: |\n    run --fast\n\n    # not a comment\n  x: 1\n\nother: 1\n"
    )


def test_null_and_empty_values_become_mappings() -> None:
    text = "a:\n  sc:\n  b: ~\n  c: {}\n"
    out = apply_yaml_edits(
        text,
        [
            _edit(("a", "sc", "x"), "set", 1),
            _edit(("a", "b", "w"), "set", 2),
            _edit(("a", "c", "z"), "set", 3),
        ],
    )
    assert out == "a:\n  sc:\n    x: 1\n  b:\n    w: 2\n  c: {z: 3}\n"


def test_anchored_mapping_is_edited_once_where_it_is_defined() -> None:
    """Two containers share one securityContext through an alias: the key goes into the
    anchored mapping, once, and both read it."""
    text = (
        "spec:\n"
        "  containers:\n"
        "    - name: a\n"
        "      securityContext: &sc\n"
        "        runAsNonRoot: true\n"
        "    - name: b\n"
        "      securityContext: *sc\n"
    )
    edits = [
        _edit(
            ("spec", "containers", i, "securityContext", "allowPrivilegeEscalation"), "set", False
        )
        for i in (0, 1)
    ]
    out = apply_yaml_edits(text, edits)
    assert out == text.replace(
        "        runAsNonRoot: true\n",
        "        runAsNonRoot: true\n        allowPrivilegeEscalation: false\n",
    )
    data = yaml.safe_load(out)
    assert all(
        c["securityContext"]["allowPrivilegeEscalation"] is False
        for c in data["spec"]["containers"]
    )


def test_alias_as_the_last_value_does_not_pull_the_insertion_to_the_anchor(tmp_path: Path) -> None:
    """Compose services ending in ``logging: *default`` or ``<<: *logging``: a key added to
    the service goes after the alias, not after the anchored mapping."""
    text = (
        "x-logging: &logging\n"
        "  driver: json-file\n"
        "services:\n"
        "  web:\n"
        "    image: web:1\n"
        "    logging: *logging\n"
        "  db:\n"
        "    image: db:1\n"
        "    logging:\n"
        "      <<: *logging\n"
    )
    out = _fix(tmp_path, "compose.yaml", text, frozenset({"SLK401", "SLK402"}))
    assert out == (
        "x-logging: &logging\n"
        "  driver: json-file\n"
        "services:\n"
        "  web:\n"
        "    image: web:1\n"
        "    logging: *logging\n"
        "    cap_drop:\n"
        "      - ALL\n"
        "  db:\n"
        "    image: db:1\n"
        "    logging:\n"
        "      <<: *logging\n"
        "    cap_drop:\n"
        "      - ALL\n"
    )


def test_merge_key_is_followed_into_the_merged_mapping() -> None:
    text = "base: &base\n  sc:\n    a: 1\nuse:\n  <<: *base\n  name: u\n"
    out = apply_yaml_edits(text, [YamlEdit(0, ("sc", "b"), "set", 2, anchor=(5, 3))])
    assert out == "base: &base\n  sc:\n    a: 1\n    b: 2\nuse:\n  <<: *base\n  name: u\n"


def test_an_alias_value_is_not_replaced() -> None:
    text = "flag: &no false\nc:\n  privileged: *no\n  other: 1\n"
    with pytest.raises(EditError, match="alias"):
        edit_yaml(text, [_edit(("c", "privileged"), "set", True)])


def test_compose_string_becomes_a_list(tmp_path: Path) -> None:
    text = "services:\n  web:\n    image: web:1\n    cap_drop: NET_RAW\n"
    out = apply_yaml_edits(text, [YamlEdit(0, ("cap_drop",), "append", "ALL", anchor=(3, 5))])
    assert out == "services:\n  web:\n    image: web:1\n    cap_drop: [NET_RAW, ALL]\n"


def test_delete_first_key_of_a_list_item_moves_the_next_key_up() -> None:
    text = "ports:\n- hostPort: 80  # exposed\n  containerPort: 80\n- containerPort: 81\n"
    out = apply_yaml_edits(text, [_edit(("ports", 0, "hostPort"), "remove")])
    assert out == "ports:\n- containerPort: 80\n- containerPort: 81\n"


def test_delete_only_key_or_item_leaves_an_empty_collection() -> None:
    text = "sc:\n  privileged: true\nadd:\n  - SYS_ADMIN\nkeep: 1\n"
    out = apply_yaml_edits(
        text, [_edit(("sc", "privileged"), "remove"), _edit(("add",), "remove", "SYS_ADMIN")]
    )
    assert out == "sc: {}\nkeep: 1\n"


def test_delete_items_from_block_and_flow_lists() -> None:
    text = "a:\n  - X\n  - Y   # why\n  - Z\nb: [X, Y, Z]\n"
    out = apply_yaml_edits(
        text,
        [_edit(("a",), "remove", "Y"), _edit(("b",), "remove", "Y"), _edit(("b",), "remove", "Z")],
    )
    assert out == "a:\n  - X\n  - Z\nb: [X]\n"


SMALL_POD = "kind: Pod\napiVersion: v1\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("crlf.yaml", SMALL_POD.replace("\n", "\r\n") + "    image: a:1\r\n"),
        ("bom.yaml", "\ufeff" + SMALL_POD + "    image: a:1\n"),
        ("noeol.yaml", SMALL_POD + "    image: a:1"),
    ],
)
def test_line_endings_bom_and_missing_final_newline_are_kept(
    tmp_path: Path, name: str, text: str
) -> None:
    out = _fix(tmp_path, name, text)
    newline = "\r\n" if "\r\n" in text else "\n"
    added = f"    securityContext:{newline}      allowPrivilegeEscalation: false"
    if text.endswith("a:1"):
        assert out == text + "\n" + added
    else:
        assert out == text + added + newline


def test_multi_document_with_comment_only_and_end_markers(tmp_path: Path) -> None:
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {n}\nspec:\n"
        "  containers:\n    - name: c\n      image: a:1\n"
    )
    text = (
        "# header\n---\n"
        + pod.format(n="a")
        + "...\n---\n# only a comment\n---\n"
        + pod.format(n="b")
    )
    out = _fix(tmp_path, "all.yaml", text)
    added = "      securityContext:\n        allowPrivilegeEscalation: false\n"
    assert out == (
        "# header\n---\n"
        + pod.format(n="a")
        + added
        + "...\n---\n# only a comment\n---\n"
        + pod.format(n="b")
        + added
    )


def test_a_result_that_would_not_read_back_is_refused_with_the_reason() -> None:
    """``|+`` keeps its trailing blank lines: text inserted after them would change the
    scalar, so the check refuses instead of writing."""
    text = "c:\n  s: |+\n    keep\n\n\nd: 1\n"
    with pytest.raises(FixError, match="intended data"):
        apply_yaml_edits(text, [_edit(("c", "x"), "set", 1)])


def test_the_diff_of_a_file_without_final_newline_applies(tmp_path: Path) -> None:
    """The last line gets git's "No newline at end of file" marker instead of running into
    the next diff line; ``patch`` applies the diff."""
    import shutil
    import subprocess

    from socklock.harden import audit
    from socklock.harden.fixer import plan_fixes
    from socklock.load import load_paths

    text = SMALL_POD + "    image: a:1"
    path = tmp_path / "pod.yaml"
    path.write_text(text)
    result = audit(load_paths([str(path)]), HardenOptions(select=APE))
    diff = plan_fixes(result.findings).diff()
    assert diff.endswith(
        "-    image: a:1\n\\ No newline at end of file\n+    image: a:1\n"
        "+    securityContext:\n+      allowPrivilegeEscalation: false\n"
        "\\ No newline at end of file\n"
    )
    if shutil.which("patch"):
        subprocess.run(["patch", "-s", "-p0", str(path)], input=diff.encode(), check=True)
        assert (
            path.read_text()
            == text + "\n    securityContext:\n      allowPrivilegeEscalation: false"
        )


def test_additions_that_end_at_one_place_nest_in_order() -> None:
    """``volumes:`` (dashes at the key's column) ends where the pod spec ends: the item
    appended to it comes before the key added to the pod spec, in one round."""
    text = "spec:\n  containers:\n  - name: a\n  volumes:\n  - name: v\n    emptyDir: {}\n"
    out = apply_yaml_edits(
        text,
        [
            _edit(("spec", "automountServiceAccountToken"), "set", False),
            _edit(("spec", "volumes"), "append", {"name": "tmp", "emptyDir": {}}),
            _edit(("spec", "containers", 0, "x"), "set", 1),
        ],
    )
    assert out == (
        "spec:\n  containers:\n  - name: a\n    x: 1\n  volumes:\n  - name: v\n    emptyDir: {}\n"
        "  - name: tmp\n    emptyDir: {}\n  automountServiceAccountToken: false\n"
    )


def test_a_key_deleted_and_keys_added_to_the_same_mapping() -> None:
    """``privileged`` (the only key) removed and other keys added: the deletion leaves
    ``{}``, so the additions wait for the next round instead of landing under it."""
    text = "c:\n  sc:\n    privileged: true\n  image: a\n"
    out = apply_yaml_edits(
        text,
        [
            _edit(("c", "sc", "privileged"), "remove"),
            _edit(("c", "sc", "runAsNonRoot"), "set", True),
        ],
    )
    assert out == "c:\n  sc: {runAsNonRoot: true}\n  image: a\n"
