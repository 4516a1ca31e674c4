"""A JSON file's nesting is measured from its values; the exact YAML event count is
needed only above the limit, and refuses at the same place as before."""

from __future__ import annotations

from socklock.load.limits import Limits
from socklock.load.yamlread import Document, _json_depth, load_json

LIMITS = Limits()  # 200 levels


def _nested(levels: int) -> str:
    return '{"k": ' * levels + "1" + "}" * levels


def test_depth_of_json_values() -> None:
    assert _json_depth("1", 200) == 0
    assert _json_depth('{"a": [1, {"b": []}]}', 200) == 4
    assert _json_depth('["[[[[", "{{{{"]', 200) == 1  # brackets in strings are text
    # a duplicate key's first value is read by the YAML parser too: it counts
    assert _json_depth('{"a": [[[[1]]]], "a": 1}', 200) == 5
    assert _json_depth("[[[[]]]]", 2) == 3  # stops once deeper than the limit
    assert _json_depth("not json", 200) == 201  # not JSON: the exact count decides


def test_json_at_the_limit_is_read_one_deeper_is_refused() -> None:
    read = list(load_json(_nested(200), "ok.json", LIMITS))
    assert [type(d) for d in read] == [Document]
    refused = list(load_json(_nested(201), "deep.json", LIMITS))
    assert [str(d) for d in refused] == [
        "deep.json:1:1201: error: nesting deeper than 200 levels: refused before parsing"
    ]


def test_a_deep_duplicate_key_is_refused() -> None:
    text = '{"a": ' + _nested(200) + ', "a": 1}'
    assert [str(d) for d in load_json(text, "dup.json", LIMITS)] == [
        "dup.json:1:1201: error: nesting deeper than 200 levels: refused before parsing"
    ]
