"""The checker of ``benchmarks/fixer_proof.py``: what counts as a change outside an edit."""

from __future__ import annotations

from benchmarks.fixer_proof import outside_changes

BEFORE = "spec:\n  # the app\n  containers:\n  - name: a   # main\n    privileged: true\n"


def test_insertions_and_edited_keys_are_edits() -> None:
    after = BEFORE.replace("privileged: true", "privileged: false") + "    x: 1\n"
    assert outside_changes(BEFORE, after, {"privileged"}, set()) == []


def test_reindented_lists_dropped_comments_and_requoting_are_not() -> None:
    reindented = BEFORE.replace(
        "  - name: a   # main\n    priv", "    - name: a   # main\n      priv"
    )
    assert outside_changes(BEFORE, reindented, {"privileged"}, set()) == [
        "changed:   - name: a   # main",
        "changed:     privileged: true",
    ]
    assert outside_changes(BEFORE, BEFORE.replace("  # the app\n", ""), set(), set()) == [
        "deleted:   # the app"
    ]
    assert outside_changes(
        BEFORE, BEFORE.replace("name: a", "name: 'a'"), {"privileged"}, set()
    ) == ["changed:   - name: a   # main"]


def test_removed_keys_and_line_edits() -> None:
    after = BEFORE.replace("    privileged: true\n", "")
    assert outside_changes(BEFORE, after, set(), {"privileged"}) == []
    assert outside_changes(BEFORE, after, set(), set()) == ["deleted:     privileged: true"]
    assert outside_changes(BEFORE, after, set(), set(), edited={5}) == []
