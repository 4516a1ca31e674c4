"""The fixer leaves everything outside its edits byte for byte: comments, quotes, key order,
indentation, document separators; it writes atomically and skips what it cannot keep."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from socklock.harden import HardenOptions, fix_paths
from socklock.harden.fixer import apply_line_edits, apply_yaml_edits
from socklock.model import LineEdit, YamlEdit

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "sockshop"

COMMENTED = """\
# Leading comment of the file, kept.
---
# carts: first document
apiVersion: apps/v1
kind: Deployment
metadata:
  name: carts    # trailing comment
  namespace: 'sock-shop'
  labels: {app: carts, tier: "back"}
spec:
  replicas: 3
  template:
    metadata:
      labels:
        app: carts
    spec:
      containers:
      - name: carts            # dash at column 7: offset 0
        image: "socklock-demo/carts:0.1"
        args: ["--port", '8080']
        env:
        - name: A
          value: "1"   # quoted on purpose

        # a comment between containers
      - name: sidecar
        image: sidecar:1.0   # last line of the document

---
# second document: a Service, untouched
apiVersion: v1
kind: Service
metadata: {name: carts, namespace: sock-shop}
spec:
  ports: [{port: 80, targetPort: 8080}]
"""


def test_only_insertions_outside_the_edits(tmp_path: Path) -> None:
    path = tmp_path / "carts.yaml"
    path.write_text(COMMENTED)
    options = HardenOptions(select=frozenset({"SLK103", "SLK105"}))
    run = fix_paths([str(path)], options)
    after = path.read_text()
    assert run.changes and after != COMMENTED
    matcher = difflib.SequenceMatcher(a=COMMENTED.splitlines(True), b=after.splitlines(True))
    ops = {tag for tag, *_ in matcher.get_opcodes()}
    assert ops <= {"equal", "insert"}, list(
        difflib.unified_diff(COMMENTED.splitlines(True), after.splitlines(True))
    )
    # removing the inserted lines gives back the original, byte for byte
    kept = "".join(
        "".join(COMMENTED.splitlines(True)[a0:a1])
        for tag, a0, a1, _, _ in matcher.get_opcodes()
        if tag == "equal"
    )
    assert kept == COMMENTED
    # the inserted block follows the file's own style (dash at the key's column)
    assert "        securityContext:\n          allowPrivilegeEscalation: false\n" in after
    assert after.index("# a comment between containers") > after.index(
        "allowPrivilegeEscalation: false"
    )


def test_files_with_errors_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "    - name: c\n      image: a:1\n---\nkind: [\n"
    )
    path.write_text(text)
    run = fix_paths([str(path)], HardenOptions(select=frozenset({"SLK103"})))
    assert run.changes == () and path.read_text() == text


def test_yaml_edit_operations() -> None:
    text = "a:\n  list: [x, y]\n  keep: 1\n"
    edits = [
        YamlEdit(0, ("a", "list"), "append", "z"),
        YamlEdit(0, ("a", "list"), "append", "x"),
        YamlEdit(0, ("a", "list"), "replace", ("y", "w")),
        YamlEdit(0, ("a", "keep"), "setdefault", 2),
        YamlEdit(0, ("a", "new", "deep"), "set", {"k": "yes"}),
        YamlEdit(0, ("a", "gone"), "remove"),
    ]
    assert apply_yaml_edits(text, edits) == (
        "a:\n  list: [x, w, z]\n  keep: 1\n  new:\n    deep:\n      k: 'yes'\n"
    )


def test_line_edits() -> None:
    text = "FROM a\nCMD x\n"
    edits = [LineEdit(2, 1, "USER 1\n"), LineEdit(2, 1, "USER 1\n"), LineEdit(1, 1, "FROM b\n")]
    assert apply_line_edits(text, edits) == "FROM b\nUSER 1\nCMD x\n"
    assert apply_line_edits("FROM a", [LineEdit(2, 1, "USER 1")]) == "FROM a\nUSER 1"


@pytest.mark.skipif(not DEMO.is_dir(), reason="the demo shop is not there")
def test_demo_shop_passes_restricted_after_fixing(tmp_path: Path) -> None:
    """``socklock harden examples/sockshop --fix --unsafe-fixes`` on a copy: afterwards the
    restricted profile, the compose rules and the Dockerfile rules pass; what is left is what
    no tool can fix from the files alone: image digests of the manifests, a literal secret,
    the exposed entry point, and isolation (that is `socklock policy generate`'s job)."""
    shop = tmp_path / "sockshop"
    shutil.copytree(DEMO, shop)
    run = fix_paths([str(shop)], HardenOptions(), unsafe=True)
    assert run.changes
    remaining = {f.rule_id for f in run.after.findings}
    pss = {r for r in remaining if r.startswith("SLK1")}
    assert pss == set(), [str(f.location) for f in run.after.findings if f.rule_id in pss]
    fixable_left = [
        f
        for f in run.after.findings
        if f.fix is not None and f.fix.applicability.value != "display-only"
    ]
    assert fixable_left == []
    assert remaining == {"SLK205", "SLK207", "SLK208", "SLK209"}
    compose = [f for f in run.after.findings if f.rule_id.startswith("SLK4")]
    assert compose == []
    dockerfile = [f for f in run.after.findings if f.rule_id.startswith("SLK3")]
    assert dockerfile == []
    # the real files were not touched, and a second run changes nothing
    again = fix_paths([str(shop)], HardenOptions(), unsafe=True)
    assert again.changes == ()


# -- multi-document files: fixed document by document, spliced back ----------------------------

POD = """\
---
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
    - name: c
      image: a:1
"""
# an odd layout: 3-space mappings, 5 under spec, extra spaces after the dash
ODD_POD = (
    "---\napiVersion: v1\nkind: Pod\nmetadata:\n   name: odd\nspec:\n     containers:\n"
    "     -   name: c\n         image: a:1\n"
)


def test_multi_document_fix_touches_only_the_edited_documents(tmp_path: Path) -> None:
    text = "# head comment, before the first marker\n" + POD.format(name="a") + ODD_POD
    text += POD.format(name="b") + "---\n# a comment-only document\n" + POD.format(name="c")
    path = tmp_path / "all.yaml"
    path.write_text(text)
    # the odd document is suppressed, so no edit anchors in it: it is left as it is
    path.write_text(
        text.replace(
            "   name: odd\n", "   name: odd\n   annotations: {socklock.io/ignore: SLK103}\n"
        )
    )
    before = path.read_text()
    run = fix_paths([str(path)], HardenOptions(select=frozenset({"SLK103"})))
    after = path.read_text()
    assert [c.file for c in run.changes] == [str(path)] and run.skipped == ()
    assert after.count("allowPrivilegeEscalation: false") == 3
    odd = before[before.index("---\napiVersion: v1\nkind: Pod\nmetadata:\n   name: odd") :]
    odd = odd[: odd.index("---", 3)]
    assert odd in after  # byte for byte
    assert after.startswith("# head comment, before the first marker\n---\n")
    assert "---\n# a comment-only document\n" in after
    # the spliced diff is difflib's diff of the whole texts
    change = run.changes[0]
    assert change.splices is not None and len(change.splices) == 3
    expected = "".join(
        difflib.unified_diff(
            before.splitlines(True),
            after.splitlines(True),
            fromfile=f"a/{str(path).lstrip('/')}",
            tofile=f"b/{str(path).lstrip('/')}",
        )
    )
    assert change.diff() == expected
    assert len(list(change.diff_pieces())) == expected.count("\n@@ ")  # a piece per hunk


def test_an_odd_document_is_edited_in_its_own_indentation(tmp_path: Path) -> None:
    """Mapping indentation 3 and 5, a dash followed by three spaces: the key goes in at its
    siblings' column; a round-trip emitter would have re-indented the document."""
    path = tmp_path / "all.yaml"
    text = POD.format(name="a") + ODD_POD
    path.write_text(text)
    run = fix_paths([str(path)], HardenOptions(select=frozenset({"SLK103"})))
    assert run.skipped == ()
    assert path.read_text() == (
        POD.format(name="a").replace(
            "      image: a:1\n",
            "      image: a:1\n      securityContext:\n        allowPrivilegeEscalation: false\n",
        )
        + ODD_POD
        + "         securityContext:\n            allowPrivilegeEscalation: false\n"
    )


@pytest.mark.parametrize("gap", [0, 1, 2, 3, 4, 6, 7])
def test_splice_diff_merges_hunks_as_difflib_does(gap: int) -> None:
    from socklock.harden.fixer import Splice, splice, splice_diff

    before = "".join(f"line {i}\n" for i in range(40))
    cuts = [
        Splice(2, 4, "line 2\nnew a\nline 3\n", 3),  # an insertion
        Splice(4 + gap, 5 + gap, f"changed {4 + gap}\n", 1),  # a replacement
        Splice(20, 22, "", 0),  # a deletion
        Splice(38, 40, "line 38\nline 39\nend\n", 3),  # at the end
    ]
    after = splice(before, cuts)
    expected = "".join(
        difflib.unified_diff(
            before.splitlines(True), after.splitlines(True), fromfile="a/f", tofile="b/f"
        )
    )
    assert "".join(splice_diff("f", before, cuts)) == expected


def test_a_value_rewritten_in_one_line_and_keys_added_after_it_take_one_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from socklock.harden import yamledit

    parses: list[str] = []
    compose = yamledit._compose
    monkeypatch.setattr(yamledit, "_compose", lambda text: parses.append(text) or compose(text))
    text = "securityContext:\n  capabilities:\n    drop: [all]\nimage: x\n"
    edits = [
        YamlEdit(0, ("securityContext", "capabilities", "drop"), "replace", ("all", "ALL")),
        YamlEdit(0, ("securityContext", "runAsNonRoot"), "set", True),
    ]
    assert yamledit.edit_yaml(text, edits) == (
        "securityContext:\n  capabilities:\n    drop: [ALL]\n  runAsNonRoot: true\nimage: x\n"
    )
    assert len(parses) == 2  # the text as given, then once after the one round of edits


def test_a_deleted_line_and_an_insertion_after_it_still_take_two_rounds() -> None:
    text = "a:\n  b: 1\n  c: 2\nd: 3\n"
    edits = [YamlEdit(0, ("a", "c"), "remove", None), YamlEdit(0, ("a", "e"), "set", 5)]
    assert apply_yaml_edits(text, edits) == "a:\n  b: 1\n  e: 5\nd: 3\n"
