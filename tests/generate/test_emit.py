"""The fast emitter writes what ruamel.yaml writes, and the objects it returns are what the
loader reads back from that text (positions included)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.generate.test_golden import CASES, GOLDEN

from socklock.model import YMap, YSeq
from socklock.policy.emit import parse_objects
from socklock.policy.emit.yamltext import Commented, Tagged, dump_documents, render_documents


def same(a: Any, b: Any, path: str = "$") -> None:
    if isinstance(a, YMap):
        assert isinstance(b, YMap), path
        assert (a.position, a.key_positions) == (b.position, b.key_positions), path
        assert list(a) == list(b), path
        for key in a:
            same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, YSeq):
        assert isinstance(b, YSeq), path
        assert (a.position, a.item_positions) == (b.position, b.item_positions), path
        assert len(a) == len(b), path
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{index}]")
    else:
        assert (type(a), a) == (type(b), b), path


SAMPLE = [
    {
        "apiVersion": "v1",
        "metadata": {"name": "x", "labels": {"socklock.io/to.a": "true", "n": "8080", "e": ""}},
        "spec": {
            "empty": {},
            "none": [],
            "selector": Commented("a == 'b' && c in {'d', 'e'}", ("why", "  indented")),
            "list": [
                Commented({"a": 1, "b": [{"c": "d"}, "e"]}, ("first",)),
                {},
                "yes",
                "1.2.3.4/32",
            ],
            "tagged": Tagged(["x", Commented("y", ("about y",))], "!override"),
            "reset": Tagged([], "!reset"),
        },
    },
    {"kind": "Second", "value": "on"},
]


def test_fast_emitter_matches_ruamel() -> None:
    assert dump_documents(SAMPLE, ["header"]) == dump_documents(SAMPLE, ["header"], "ruamel")


def test_positions_match_the_loader() -> None:
    documents = [d for d in SAMPLE]
    documents[0] = {k: v for k, v in SAMPLE[0].items() if k != "spec"}
    documents[0]["spec"] = {k: v for k, v in SAMPLE[0]["spec"].items() if not isinstance(v, Tagged)}
    text, roots = render_documents(documents, ["a header", "of two lines"])
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.yamlread import Document, load_yaml

    back = [d.value for d in load_yaml(text, "x.yaml", DEFAULT_LIMITS) if isinstance(d, Document)]
    assert len(back) == len(roots)
    for mine, theirs in zip(roots, back, strict=True):
        same(mine, theirs)


@pytest.mark.parametrize("case", [c for c in sorted(CASES) if not c.startswith("compose")])
def test_golden_objects_read_back_the_same(case: str) -> None:
    folder = GOLDEN / case
    for path in sorted(folder.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        relative = str(path.relative_to(folder))
        objects = parse_objects(text, relative)
        _, roots = render_documents([dict(o.body) for o in objects])
        assert objects  # each golden file holds policies
        assert len(roots) == len(objects)
