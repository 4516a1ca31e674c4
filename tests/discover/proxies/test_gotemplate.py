"""Go templates an image's start-up script renders: the env's value, else the default."""

from __future__ import annotations

import pytest

from socklock.discover.proxies.gotemplate import render


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ('{{ $U := .Env.U | default "http://a:1" -}}\nx {{ $U }};', {}, "\nx http://a:1;"),
        ('{{ $U := .Env.U | default "http://a:1" -}}\nx {{ $U }};', {"U": "b:2"}, "\nx b:2;"),
        ("x {{ .Env.U }};", {"U": "b:2"}, "x b:2;"),
        ('x {{ .Env.U | default "c:3" }};', {"U": ""}, "x c:3;"),  # empty: the default
        ('{{ $A := .Env.A | default "a" }}{{ $B := .Env.B | default $A }}{{ $B }}', {}, "a"),
        ("{{ $ENV := .Env }}{{ $ENV.H }}", {"H": "h:4"}, "h:4"),
        # not addresses: unset without default, a function's result, control actions
        ("x {{ .Env.MISSING }};", {}, "x ;"),
        ('{{ $F := .Env.F | default "1" | toBool }}{{ $F }}', {}, ""),
        ("{{ if .Env.ON }}\na\n{{ else }}\nb\n{{ end }}", {}, "\na\n\nb\n"),
        ("{{/* a comment */}}k", {}, "k"),
    ],
)
def test_render(text: str, env: dict[str, str], expected: str) -> None:
    assert render(text, env) == expected


def test_lines_stay_where_they_are_written() -> None:
    text = '{{ $U := .Env.U\n  | default "a:1" -}}\nproxy {{ $U }};\n'
    assert render(text, {}).split("\n")[2] == "proxy a:1;"
