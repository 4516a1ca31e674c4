"""Hostile and broken files beside a good one: one exact error line each, exit 2, and the
good file still processed. Every input is generated here (nothing big is committed); the
command runs in a subprocess, because the worst of these used to kill the process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: good, namespace: shop}
spec:
  selector: {matchLabels: {app: good}}
  template:
    metadata: {labels: {app: good}}
    spec: {containers: [{name: main, image: example/good:1}]}
"""


def map_json(directory: Path) -> tuple[int, list[str], set[str]]:
    """(exit code, stderr lines, workload ids) of ``socklock map DIR --format json``."""
    result = subprocess.run(
        [sys.executable, "-m", "socklock", "map", ".", "--no-code", "--format", "json"],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    ids = {w["id"] for w in json.loads(result.stdout)["workloads"]} if result.stdout else set()
    return result.returncode, result.stderr.splitlines(), ids


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        (
            "flow.yaml",
            "a: " + "[" * 500 + "]" * 500 + "\n",
            "flow.yaml:1:203: error: nesting deeper than 200 levels: refused before parsing",
        ),
        (
            "segfault.yaml",
            "a: " + "[" * 50_000 + "]" * 50_000 + "\n",
            "segfault.yaml:1:203: error: nesting deeper than 200 levels: refused before parsing",
        ),
        (
            "compact.yaml",
            "- " * 50_000 + "x\n",
            "compact.yaml:1:401: error: nesting deeper than 200 levels: refused before parsing",
        ),
        (
            "deep.json",
            "[" * 50_000 + "]" * 50_000,
            "deep.json:1:201: error: nesting deeper than 200 levels: refused before parsing",
        ),
        (
            "duplicate.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nkind: Secret\n",
            "duplicate.yaml:4:1: error: invalid YAML: duplicate key 'kind' (first at line 2, "
            "column 1)",
        ),
        (
            "concatenated.yaml",  # two objects pasted together without ---
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
            "concatenated.yaml:4:1: error: invalid YAML: duplicate key 'apiVersion' (first at "
            "line 1, column 1)",
        ),
        (
            "python-tag.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: !!python/object/apply:os.system [id]\n",
            "python-tag.yaml:3:11: error: invalid YAML: could not determine a constructor for "
            "the tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
        (
            "laughs.yaml",
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n"
                for i in range(8)
            ),
            "laughs.yaml:1: error: document refused: aliases expand it to over 11,111,111 "
            "nodes (an alias bomb?)",
        ),
    ],
)
def test_one_error_line_and_the_good_file_is_still_read(
    tmp_path: Path, name: str, text: str, error: str
) -> None:
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / name).write_text(text)
    code, stderr, ids = map_json(tmp_path)
    assert (code, stderr, ids) == (2, [error], {"shop/good"})


def test_a_merge_key_overridden_in_place_is_no_duplicate() -> None:
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.yamlread import Document, load_yaml

    text = "base: &base {image: a, name: main}\nmain: {<<: *base, name: other, <<: *base}\n"
    (document,) = load_yaml(text, "f.yaml", DEFAULT_LIMITS)
    assert isinstance(document, Document)
    assert document.value["main"] == {"image": "a", "name": "other"}


def test_twenty_thousand_small_files(tmp_path: Path) -> None:
    for index in range(20_000):
        folder = tmp_path / f"d{index // 1000}"
        folder.mkdir(exist_ok=True)
        (folder / f"cm{index}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm{index}}}\n"
        )
    (tmp_path / "good.yaml").write_text(GOOD)
    assert map_json(tmp_path) == (0, [], {"shop/good"})


def test_a_ten_thousand_line_dockerfile(tmp_path: Path) -> None:
    lines = ["FROM python:3.12", *(f"RUN echo {i}" for i in range(10_000)), 'CMD ["app"]']
    (tmp_path / "Dockerfile").write_text("\n".join(lines) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "socklock", "harden", ".", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (1, "")
    findings = json.loads(result.stdout)["findings"]
    assert sorted((f["rule_id"], f["line"]) for f in findings) == [
        ("SLK301", 1),
        ("SLK302", 1),
        ("SLK308", 1),
    ]


def test_an_object_defined_twice_is_a_warning_naming_both_places(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD + "---\n" + GOOD.replace("good", "other"))
    (tmp_path / "b.yaml").write_text(GOOD + "---\n" + GOOD.replace("good", "other"))
    code, stderr, ids = map_json(tmp_path)
    assert (code, ids) == (0, {"shop/good", "shop/other"})
    assert stderr == [
        "b.yaml:1:1: warning: Deployment shop/good is defined again (first at a.yaml:1:1), "
        "and 1 more object(s) of that file here too: a cluster keeps only the copy applied "
        "last; socklock reads every copy"
    ]


def test_single_pair_mappings_in_flow_sequences_count_as_levels(tmp_path: Path) -> None:
    """``[a: [a: ...]]``: each ``[`` opens a sequence and a mapping; 199 of them are 399
    levels, refused before parsing (they crashed the builder's recursion)."""
    path = tmp_path / "pairs.yaml"
    path.write_text("k: " + "[a: " * 199 + "b" + "]" * 199 + "\n")
    from socklock.load import load_paths

    inventory = load_paths([str(path)])
    assert [str(d) for d in inventory.errors] == [
        f"{path}:1:401: error: nesting deeper than 200 levels: refused before parsing"
    ]


def test_json_the_yaml_parser_refuses_is_still_read_as_json(tmp_path: Path) -> None:
    """The nesting check runs libyaml's parser over JSON too; a JSON text it refuses (a key
    longer than YAML's 1024-character implicit keys) stops the count, not the run."""
    from socklock.load import load_paths
    from socklock.model import SkipKind

    path = tmp_path / "data.json"
    items = ", ".join('["x"]' for _ in range(150))
    path.write_text("[" + items + ', {"' + "k" * 1100 + '": 1}]\n')
    inventory = load_paths([str(tmp_path)])  # walked: a JSON file that is no manifest
    assert (inventory.diagnostics, [(s.path, s.kind) for s in inventory.skipped]) == (
        (),
        [(str(path), SkipKind.JSON_NO_KIND)],
    )
