"""Command-line words as the positional arguments a Go program's ``flag.Arg(n)`` reads, and
as the named flags its ``flag.String("name", ...)`` reads."""

from __future__ import annotations

from socklock.discover.code.arguments import argument_values, flag_values


def test_positionals_follow_the_flags() -> None:
    assert argument_values(["-initial-delay=30s", "webapp:7000"]) == {"ARG.0": "webapp:7000"}


def test_a_double_dash_ends_the_flags() -> None:
    assert argument_values(["-q", "--", "-odd", "x"]) == {"ARG.0": "-odd", "ARG.1": "x"}


def test_a_flag_followed_by_a_word_leaves_the_positionals_unknown() -> None:
    assert argument_values(["-target", "webapp:7000"]) == {}


def test_no_words_no_positionals() -> None:
    assert argument_values(["-v"]) == {}


def test_named_flags_with_and_without_equals() -> None:
    words = [
        "--port=9898",
        "--backend-url=http://backend:9898/echo",
        "--backend-url=http://other:9898",
        "-cache-server",
        "tcp://cache:6379",
        "--verbose",
        "--level",
        "--",
        "--after=x",
    ]
    assert flag_values(words) == {
        "FLAG.port": "9898",
        "FLAG.backend-url": "http://backend:9898/echo",
        "FLAG.cache-server": "tcp://cache:6379",
    }
