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


def test_a_crate_two_programs_build_in_is_read_once(tmp_path: Path) -> None:
    shared = tmp_path / "common" / "src"
    shared.mkdir(parents=True)
    (shared / "lib.rs").write_text("fn f() { settings.broker.urls; }\n")
    for program in ("orders", "billing"):
        (tmp_path / program / "src").mkdir(parents=True)
        (tmp_path / program / "src" / "main.rs").write_text(f'fn main() {{ get("{program}"); }}\n')
    read: dict[Path, frozenset[str]] = {}
    orders = read_names([str(tmp_path / "orders"), str(tmp_path / "common")], read)
    (shared / "lib.rs").write_text("fn f() { settings.jwks.url; }\n")  # not read again
    billing = read_names([str(tmp_path / "billing"), str(tmp_path / "common")], read)
    assert orders is not None and billing is not None
    assert {"broker", "orders"} <= orders and "billing" not in orders
    assert {"broker", "billing"} <= billing and "jwks" not in billing
    assert set(read) == {
        tmp_path / "orders" / "src" / "main.rs",
        tmp_path / "billing" / "src" / "main.rs",
        shared / "lib.rs",
    }


def test_a_crate_own_vendor_module_is_read(tmp_path: Path) -> None:
    """A ``src/vendor/`` module is the crate's code (Cargo's own skipped folders only)."""
    (tmp_path / "src" / "vendor").mkdir(parents=True)
    (tmp_path / "src" / "vendor" / "mod.rs").write_text("fn f() { config.upstream.url; }\n")
    names = read_names([str(tmp_path)])
    assert names is not None
    assert "upstream" in names
