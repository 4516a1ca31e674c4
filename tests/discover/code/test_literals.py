"""Texts a regex's every match holds: exact sets, and never a text a match can lack."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socklock.discover.code.literals import required_texts
from socklock.discover.code.sdk_uses import _constructors, may_use_sdk


@pytest.mark.parametrize(
    ("pattern", "texts"),
    [
        (rb"\.AddWidgetClient\s*\(", {b".AddWidgetClient"}),
        # small alternations are spelled out into the run
        (rb"\bwidget(?:trace|log)(?:grpc|http)\.New\w*\s*\(", None),
        (rb"\bGadget::Pub[Ss]ub\.new\b", {b"Gadget::PubSub.new", b"Gadget::Pubsub.new"}),
        # the longest text of the parts a match always needs: not ``new``
        (rb"\bnew\s+Gizmo\s*\(", {b"Gizmo"}),
        # each alternative needs its own text: one of them
        (rb"\bmake_gizmo\(|\bGizmoFactory\b", {b"make_gizmo(", b"GizmoFactory"}),
        # a repeat of at least one holds its text; an optional part none
        (rb"(?:gizmo)+\w*x?", {b"gizmo"}),
    ],
)
def test_required_texts(pattern: bytes, texts: set[bytes] | None) -> None:
    if texts is None:  # the spelled-out case: written out here for readability
        texts = {
            b"widget" + kind + wire + b".New"
            for kind in (b"trace", b"log")
            for wire in (b"grpc", b"http")
        }
    assert required_texts(pattern) == frozenset(texts)


@pytest.mark.parametrize(
    "pattern",
    [
        rb"(?i)gizmo",  # case-insensitive: any spelling
        rb"x?",  # may match nothing
        rb"\w+\s*\d",  # classes only
        rb"gizmo|\w+",  # one alternative needs no text
        rb"[",  # not a regex
    ],
)
def test_nothing_required(pattern: bytes) -> None:
    assert required_texts(pattern) is None


def test_case_insensitive_group_ends_the_run() -> None:
    # ``a(?i:bc)d`` matches ``aBCd``: neither ``abcd`` nor ``bc`` is required
    assert required_texts(rb"ab(?i:cd)ef") in ({b"ab"}, {b"ef"})


_PATTERNS = [
    rb"\bnew\s+Gizmo\s*\(",
    rb"\bwidget(?:trace|log)(?:grpc|http)\.New\w*\s*\(",
    rb"\bGadget::Pub[Ss]ub\.new\b",
    rb"(?:gi|zmo)+x[yz]w",
    rb"a(?:b|cd)?e(?i:f)g",
]
_ALPHABET = st.sampled_from(
    [b"new ", b"Gizmo", b"(", b"widget", b"trace", b"log", b"grpc", b"http", b".New", b"X",
     b"Gadget::Pub", b"S", b"s", b"ub.new", b"gi", b"zmo", b"x", b"y", b"w", b"a", b"b",
     b"cd", b"e", b"F", b"f", b"g", b" "]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=12).map(b"".join))
def test_a_match_holds_a_required_text(text: bytes) -> None:
    for pattern in _PATTERNS:
        texts = required_texts(pattern)
        assert texts is not None
        if re.search(pattern, text):
            assert any(t in text for t in texts), (pattern, text)


@pytest.mark.parametrize(
    "source",
    [
        b"exp, _ := otlptracegrpc.New(ctx)\n",
        b"// otlptracegrpc is configured elsewhere\nfunc main() {}\n",
        b"client = new Storage ();\n",
        b"conn, err := nats.Connect(url)\n",
        b"conn, err := nats.Dial(url)\n",
        b'package main\n\nfunc main() { fmt.Println("hi") }\n',
        b"",
    ],
)
def test_may_use_sdk_is_the_constructors_search(source: bytes) -> None:
    every = any(pattern.search(source) for pattern, _ in _constructors())
    assert may_use_sdk(source) is every
