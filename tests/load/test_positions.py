"""Positions the loader records (packed per node): exact line:col of every key and item,
through merge keys, aliases and flow style; the views behave like the dict/list they were."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socklock.load import Limits
from socklock.load.yamlread import Document, load_yaml
from socklock.model import YMap, YSeq, locate, position_of

TEXT = """\
base: &base
  image: a:1
  port: 80
svc:
  <<: *base
  port: 81
  name: x
list: [a, {b: 1}, "c"]
block:
  - one
  -   two
---
k: v
"""


def documents(text: str) -> list[Document]:
    out = list(load_yaml(text, "f.yaml", Limits()))
    assert all(isinstance(d, Document) for d in out)
    return out  # type: ignore[return-value]


def test_every_key_and_item_position() -> None:
    first, second = documents(TEXT)
    root = first.value
    assert isinstance(root, YMap)
    assert root.position == (1, 1)
    assert root.key_positions == {"base": (1, 1), "svc": (4, 1), "list": (8, 1), "block": (9, 1)}
    # merged keys first, where the anchor wrote them; a written key overrides in place
    assert list(root["svc"]) == ["image", "port", "name"]
    assert root["svc"] == {"image": "a:1", "port": 81, "name": "x"}
    assert root["svc"].key_positions == {"image": (2, 3), "port": (6, 3), "name": (7, 3)}
    flow = root["list"]
    assert isinstance(flow, YSeq)
    assert (flow.position, flow.item_positions) == ((8, 7), [(8, 8), (8, 11), (8, 19)])
    assert root["block"].item_positions == [(10, 5), (11, 7)]
    assert position_of(root["list"][1], "b") == (8, 12)
    assert locate(root, ("block", 1)) == (11, 7)
    assert locate(root, ("block", 5)) == (9, 1)  # no such item: the deepest that exists
    assert position_of(root, "missing") == (1, 1)
    assert position_of(root["block"], -1) == (10, 3)
    assert (second.line, second.value.key_positions) == (13, {"k": (13, 1)})


def test_large_mapping_positions() -> None:
    text = "".join(f"key{i}: {i}\n" for i in range(40))
    (doc,) = documents(text)
    assert [position_of(doc.value, f"key{i}") for i in range(40)] == [(i + 1, 1) for i in range(40)]


def test_views_are_mutable_like_before() -> None:
    (doc,) = documents("a: 1\nb: [x]\n")
    root = doc.value
    root.key_positions["c"] = (9, 9)
    root["c"] = 3
    assert position_of(root, "c") == (9, 9)
    assert position_of(root, "a") == (1, 1)
    root.position = (5, 5)
    assert (root.position, root.key_positions["b"]) == ((5, 5), (2, 1))
    seq = root["b"]
    seq.item_positions.append((7, 7))
    seq.append("y")
    assert (seq.position, position_of(seq, 1)) == ((2, 4), (7, 7))
    fresh = YMap({"k": 1})
    assert (fresh.position, fresh.key_positions, position_of(fresh, "k")) == ((0, 0), {}, (0, 0))


def test_duplicate_key_names_first_place() -> None:
    (diagnostic,) = list(load_yaml("a: 1\nb: 2\na: 3\n", "f.yaml", Limits()))
    assert str(diagnostic) == (
        "f.yaml:3:1: error: invalid YAML: duplicate key 'a' (first at line 1, column 1)"
    )


def test_equal_strings_are_shared_and_aliases_stay_one_object() -> None:
    (doc,) = documents("x: &n {app: svc}\ny: *n\nz: {app: svc}\n")
    root = doc.value
    assert root["x"] is root["y"]
    assert root["x"]["app"] is root["z"]["app"]


def test_nodes_sharing_a_document_buffer_never_read_a_neighbours_positions() -> None:
    """A document's nodes share one packed buffer: a key or item added after loading has
    no position (it must not read the next node's run), and moving one node leaves the
    others where they were."""
    (first, _) = documents(TEXT)
    value = first.value
    svc, listed, block = value["svc"], value["list"], value["block"]
    assert isinstance(svc, YMap) and isinstance(listed, YSeq) and isinstance(block, YSeq)
    svc["added"] = "later"  # as the loader does for a List's items (kind, apiVersion)
    listed.append("later")
    assert (svc.key_position("added"), listed.item_position(3)) == (None, None)
    assert (svc.key_position("name"), listed.item_position(2)) == ((7, 3), (8, 19))
    block.position = (42, 1)
    assert (block.position, block.item_positions) == ((42, 1), [(10, 5), (11, 7)])
    assert (listed.position, value.key_position("block")) == ((8, 7), (9, 1))


def test_scalar_types_are_resolved_alike_whether_seen_before_or_not() -> None:
    text = 'a: 1\nb: "1"\nc: 1\nd: yes\ne: "yes"\nf: ~\ng: 1.5\nh: 0x10\ni: 1\n'
    first, again = documents(text + "---\n" + text)
    expected = {
        "a": 1,
        "b": "1",
        "c": 1,
        "d": True,
        "e": "yes",
        "f": None,
        "g": 1.5,
        "h": 16,
        "i": 1,
    }
    assert first.value == expected
    assert again.value == expected
    assert [type(v) for v in again.value.values()] == [type(v) for v in expected.values()]


def nested(levels: int) -> str:
    """A block mapping ``levels`` deep, by indentation only."""
    return "".join("  " * i + "k:\n" for i in range(levels - 1)) + "  " * (levels - 1) + "k: v\n"


def test_nesting_by_indentation_is_refused_past_the_limit_only() -> None:
    limits = Limits(max_depth=20)
    (at_limit,) = list(load_yaml(nested(20), "f.yaml", limits))
    assert isinstance(at_limit, Document)
    (refused,) = list(load_yaml(nested(21), "f.yaml", limits))
    assert str(refused) == (
        "f.yaml:21:41: error: nesting deeper than 20 levels: refused before parsing"
    )


def test_a_json_files_nesting_is_measured_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON is read through the YAML parser: the nesting is measured before, not again by
    the stream reader (a big JSON file's exact count reads all its events), and from the
    JSON values unless they nest deeper than the limit."""
    from socklock.load import yamlread

    measured: list[str] = []
    check = yamlread._check_depth

    def counted(text: str, limits: Limits) -> None:
        measured.append(text)
        check(text, limits)

    monkeypatch.setattr(yamlread, "_check_depth", counted)
    limits = Limits(max_depth=3)
    (document,) = list(yamlread.load_json('{"a": [{"b": 1}]}', "f.json", limits))
    assert isinstance(document, Document)
    assert document.value == {"a": [{"b": 1}]}
    assert measured == []  # three levels of JSON values: no event count
    (refused,) = list(yamlread.load_json('{"a": [{"b": [1]}]}', "g.json", limits))
    expected = "g.json:1:14: error: nesting deeper than 3 levels: refused before parsing"
    assert str(refused) == expected
    assert measured == ['{"a": [{"b": [1]}]}']


def test_merge_key_written_after_other_keys_without_an_alias() -> None:
    """An inline ``<<`` met after plain keys: the mapping is built again as a merged one,
    and what was built of it before (its values' positions too) is not kept."""
    text = "svc:\n  name: x\n  list: [a, b]\n  <<: {image: a, port: 80}\n  port: 81\nz: 1\n"
    (doc,) = documents(text)
    svc = doc.value["svc"]
    assert list(svc) == ["image", "port", "name", "list"]
    assert svc == {"image": "a", "port": 81, "name": "x", "list": ["a", "b"]}
    assert svc.key_positions == {"image": (4, 8), "port": (5, 3), "name": (2, 3), "list": (3, 3)}
    assert (svc["list"].position, svc["list"].item_positions) == ((3, 9), [(3, 10), (3, 13)])
    assert doc.value.key_positions == {"svc": (1, 1), "z": (6, 1)}


def test_duplicate_key_before_a_merge_key() -> None:
    for text, line in (("a: 1\nb: 2\na: 3\n<<: {c: 1}\n", 3), ("a: 1\na: 3\n<<: {a: 1}\n", 2)):
        (diagnostic,) = list(load_yaml(text, "f.yaml", Limits()))
        assert str(diagnostic) == (
            f"f.yaml:{line}:1: error: invalid YAML: duplicate key 'a' (first at line 1, column 1)"
        )


def test_integers_read_as_yaml_1_1_says() -> None:
    text = "a: 010\nb: 0\nc: 1_000\nd: +5\ne: -3\nf: 12\ng: 0o7\nh: 1:30\ni: 0x1f\nj: 00\n"
    (doc,) = documents(text + "k: 99999999999999999999\nl: !!int 7\n")
    assert doc.value == {
        "a": 8,
        "b": 0,
        "c": 1000,
        "d": 5,
        "e": -3,
        "f": 12,
        "g": "0o7",
        "h": 90,
        "i": 31,
        "j": 0,
        "k": 99999999999999999999,
        "l": 7,
    }


def test_a_misspelt_standard_tag_keeps_the_value_as_written() -> None:
    """kubectl (go-yaml) applies ``value: !!integer "27017"`` with the string; a local tag
    no reader knows stays an error."""
    (doc,) = documents('a: !!integer "27017"\nb: !!dict {k: v}\nc: !!list [x]\n')
    assert doc.value == {"a": "27017", "b": {"k": "v"}, "c": ["x"]}
    assert doc.value["b"].key_positions == {"k": (2, 12)}
    for text in ("a: !Ref x\n", "a: !!python/name:os.system x\n"):
        (diagnostic,) = list(load_yaml(text, "f.yaml", Limits()))
        assert "could not determine a constructor" in str(diagnostic)


def test_sequence_items_of_every_kind() -> None:
    (doc,) = documents("- a\n- 'b'\n- 1\n- [x, y]\n- {k: v}\n- ~\n")
    assert doc.value == ["a", "b", 1, ["x", "y"], {"k": "v"}, None]
    assert doc.value.item_positions == [(1, 3), (2, 3), (3, 3), (4, 3), (5, 3), (6, 3)]
    assert doc.value[4].key_positions == {"k": (5, 4)}


def _event_depth(text: str) -> int:
    """The deepest nesting of collections libyaml's parser reaches in ``text`` (the events
    the composer would have nested, up to the first error if any)."""
    import yaml

    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return deepest


_PIECES = ["[", "]", "{", "}", ", ", "a", "'", '"', "# ", ": ", "- ", "\n", "\n  ", "\n    ", " "]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_the_cheap_depth_bound_never_lets_a_deep_text_through(pieces: list[str]) -> None:
    """However brackets, quotes, comments and lines mix, a text libyaml's parser nests
    deeper than the limit (even before it fails) is refused before parsing: the bound may
    over-count, never under-count."""
    from socklock.load.yamlread import TooDeepError, _check_depth

    text = "k: " + "".join(pieces)
    limits = Limits(max_depth=3)
    if _event_depth(text) <= limits.max_depth:
        return
    with pytest.raises(TooDeepError):
        _check_depth(text, limits)


def test_brackets_closed_on_their_own_line_do_not_count_towards_the_bound() -> None:
    """A CRD schema's many ``default: {}`` and ``enum: [a, b]`` (more brackets than the
    limit, none nested) are read without the exact token count; a string's bracket does not
    close a real one."""
    from socklock.load.yamlread import _open_brackets

    limits = Limits(max_depth=3)
    crd = "".join(f"f{i}:\n  default: {{}}\n  enum: [a, [b], {{c: d}}]\n" for i in range(50))
    assert _open_brackets(crd, 0, len(crd), limits) == 4  # [a, [b]: up to 2 levels a [
    quoted = "k: [ 'x]', [ \"y}\", {\n  a: b} ] ]\n" * 2
    assert _open_brackets(quoted, 0, len(quoted), limits) == 2 * 5 + 5
    commented = "k: [ # ]\n  a ]\n" * 4
    assert _open_brackets(commented, 0, len(commented), limits) == 4 * 2 + 2
