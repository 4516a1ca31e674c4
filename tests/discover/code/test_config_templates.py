"""A config template a setup step copies (``cp config/database.yml.example
config/database.yml``) is read as the file it becomes, unless that file is committed."""

from __future__ import annotations

from pathlib import Path, PurePath

from socklock.discover.code.config_files import ConfigFileAnalyser
from socklock.discover.code.interface import CallSite
from socklock.discover.code.registry import analyser_for

_DATABASE = "production:\n  adapter: mysql2\n  host: <%= ENV['DB_HOST'] || 'db' %>\n"


def _targets(path: Path) -> list[tuple[int, str | None, str | None, str | None]]:
    results = ConfigFileAnalyser().analyse(str(path), path.read_bytes())
    return [
        (r.line, r.target, r.env_var, r.env_default) for r in results if isinstance(r, CallSite)
    ]


def test_a_template_is_read_as_the_file_it_is_copied_to(tmp_path: Path) -> None:
    template = tmp_path / "config" / "database.yml.example"
    template.parent.mkdir()
    template.write_text(_DATABASE)
    assert isinstance(analyser_for(PurePath(template)), ConfigFileAnalyser)
    assert _targets(template) == [(3, None, "DB_HOST", "db")]


def test_a_committed_file_wins_over_its_template(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "database.yml").write_text(_DATABASE)
    (config / "database.yml.sample").write_text(_DATABASE.replace("'db'", "'old-db'"))
    assert _targets(config / "database.yml.sample") == []
    assert _targets(config / "database.yml") == [(3, None, "DB_HOST", "db")]


def test_only_a_config_name_under_the_template_suffix_counts() -> None:
    # a variant (``database.yml.mysql.example``) is not what the program reads, and a
    # file that is only ``.example`` names nothing
    for name in ("config/database.yml.mysql.example", "config/.example", "notes.txt.dist"):
        assert not isinstance(analyser_for(PurePath(name)), ConfigFileAnalyser), name
