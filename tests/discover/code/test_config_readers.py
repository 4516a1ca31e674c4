"""The JSON-family reader on JSON, JSON5 and Hjson text: every value with its key path and
position, and what it does with text that is none of them."""

from __future__ import annotations

from socklock.discover.code.config_readers import dotted_key, read_json


def _entries(text: str) -> list[tuple[str, str, int, int]]:
    return [(".".join(e.key), e.value, e.line, e.column) for e in read_json(text)]


def test_plain_json_with_comments() -> None:
    text = '{"db": {"hosts": ["a:1", {"b": 2}], "on": true}, /* x */ "n": null}'
    assert _entries(text) == [
        ("db.hosts.[]", "a:1", 1, 20),
        ("db.hosts.[].b", "2", 1, 32),
        ("db.on", "true", 1, 43),
        ("n", "null", 1, 63),
    ]


def test_json5_bare_keys_single_quotes_trailing_commas() -> None:
    text = "{\n  api: {url: 'http://api:80/', 'retries': +0x0A,},\n  tags: ['a', \"b\",],\n}\n"
    assert _entries(text) == [
        ("api.url", "http://api:80/", 2, 15),
        ("api.retries", "+0x0A", 2, 43),
        ("tags.[]", "a", 3, 11),
        ("tags.[]", "b", 3, 16),
    ]


def test_hjson_quoteless_values_and_root_without_braces() -> None:
    text = (
        "# no root braces\n"
        "url: http://api:80/a, b # both part of the string\n"
        "port: 8080 # a number, then a comment\n"
        "size: 3 apples\n"
        "pool: {\n  host: db\n  note:\n    '''\n    two\n    lines\n    '''\n}\n"
    )
    assert _entries(text) == [
        ("url", "http://api:80/a, b # both part of the string", 2, 6),
        ("port", "8080", 3, 7),
        ("size", "3 apples", 4, 7),
        ("pool.host", "db", 6, 9),
        ("pool.note", "two\nlines", 8, 8),
    ]


def test_malformed_text_gives_what_it_can() -> None:
    assert _entries('{"a": "x", "b": [1, \n "c": "unterminated\n}') == [
        ("a", "x", 1, 8),
        ("b.[]", "1", 1, 18),
        ("b.[]", "c", 2, 3),
        ("b.[]", '"unterminated', 2, 7),
    ]
    assert _entries("") == []
    assert _entries("}}]]::,,") == []


def test_a_key_is_dotted_without_its_array_items() -> None:
    text = '{"db": {"hosts": [{"url": "a:1"}]}}'
    assert [dotted_key(e.key) for e in read_json(text)] == ["db.hosts.url"]
    assert dotted_key(("spring", "kafka", "bootstrap-servers")) == "spring.kafka.bootstrap-servers"


def test_ini_sections_prefix_their_keys() -> None:
    from socklock.discover.code.config_readers import read_ini

    text = (
        "; comment\n[database]\nhost = db\nport: 5432\n\n[app:main]\n"
        'sqlalchemy.url = "postgresql://ckan@db/ckan"\nkey =\n  continued\n# x = y\n'
    )
    assert [(".".join(e.key), e.value, e.line, e.column) for e in read_ini(text)] == [
        ("database.host", "db", 3, 8),
        ("database.port", "5432", 4, 7),
        ("app:main.sqlalchemy.url", "postgresql://ckan@db/ckan", 7, 19),
        ("app:main.key", "", 8, 6),
    ]


def test_ini_files_are_read_where_config_files_are_only() -> None:
    """An INI file in a config folder (``conf/pretalx.cfg``) or named like one
    (``config.ini``) is the app's; a tool's (``setup.cfg``, ``tox.ini``) is not."""
    from pathlib import PurePath

    from socklock.discover.code.config_files import ConfigFileAnalyser

    reads = ConfigFileAnalyser().handles
    assert reads(PurePath("conf/pretalx.cfg"))
    assert reads(PurePath("app/config.ini"))
    assert not reads(PurePath("setup.cfg"))
    assert not reads(PurePath("tox.ini"))
    assert not reads(PurePath("backend/alembic.ini"))
