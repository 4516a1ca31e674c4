"""Which config sections a Rust program reads: fields it accesses, names it writes."""

from __future__ import annotations

from pathlib import Path

from socklock.discover.typed_config import read_names, section_of


def test_the_section_is_the_segment_above_the_value() -> None:
    assert section_of("kafka.broker.urls") == "broker"
    assert section_of("kafka.schema-registry.url") == "schema_registry"
    assert section_of("database.url") == "database"
    assert section_of("url") is None


def test_names_are_field_accesses_and_words_of_strings_not_declarations(tmp_path: Path) -> None:
    crate = tmp_path / "orders"
    (crate / "src").mkdir(parents=True)
    (crate / "src" / "main.rs").write_text(
        "struct Config { pub broker: Broker, pub jwks: Jwks }\n"
        "fn main() {\n"
        "    let url = config.database.url;\n"
        '    let cache = settings.get_string("cache.redis-host");\n'
        "}\n"
    )
    # a test of the crate is not the program
    (crate / "tests").mkdir()
    (crate / "tests" / "it.rs").write_text("fn t() { config.jwks.url; }\n")
    names = read_names([str(crate)])
    assert names is not None
    assert {"database", "url", "cache", "redis_host", "get_string"} <= names
    assert "broker" not in names
    assert "jwks" not in names


def test_no_rust_files_leave_every_entry_counted(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("config.broker.urls\n")
    assert read_names([str(tmp_path)]) is None
