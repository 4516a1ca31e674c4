"""The one reader of a runner's env file (compose's ``.env`` and ``env_file``, a Procfile's
``.env``): the file, else the template a new clone would copy to it."""

from __future__ import annotations

from pathlib import Path

from socklock.load.env_files import read_env_file, read_project_env


def _read(path: str) -> str | None:
    return Path(path).read_text(encoding="utf-8")


def test_the_dotenv_beside_the_file_is_read_as_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('# c\nA=1\nexport B="two words"\nC=${A}-x\n')
    found = read_project_env(str(tmp_path), str(tmp_path), _read)
    assert found.template is None
    assert {n: e.value for n, e in found.entries.items()} == {
        "A": "1",
        "B": "two words",
        "C": "1-x",
    }
    assert found.entries["C"].location.file == str(tmp_path / ".env")
    assert found.entries["C"].location.line == 4


def test_a_missing_dotenv_is_read_from_its_template(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text("PORT=8080\n")
    found = read_project_env(str(tmp_path), str(tmp_path), _read)
    assert found.template == str(tmp_path / ".env.example")
    assert {n: e.value for n, e in found.entries.items()} == {"PORT": "8080"}
    assert found.entries["PORT"].location.file == str(tmp_path / ".env.example")


def test_a_real_dotenv_wins_over_its_template(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PORT=1\n")
    (tmp_path / ".env.example").write_text("PORT=2\n")
    found = read_project_env(str(tmp_path), str(tmp_path), _read)
    assert found.template is None
    assert found.entries["PORT"].value == "1"


def test_no_env_file_and_no_template_sets_nothing(tmp_path: Path) -> None:
    found = read_env_file(str(tmp_path / "app.env"), str(tmp_path), _read)
    assert found.entries == {}
    assert found.template is None


def test_an_unreadable_env_file_sets_nothing(tmp_path: Path) -> None:
    (tmp_path / "app.env").write_text("A=1\n")
    found = read_env_file(str(tmp_path / "app.env"), str(tmp_path), lambda path: None)
    assert found.entries == {}


def test_a_template_named_with_the_word_before_the_extension(tmp_path: Path) -> None:
    """``docker-compose.example.env`` is the template of ``docker-compose.env``;
    ``docker-compose.test.env`` (a test setup) is none."""
    (tmp_path / "docker-compose.test.env").write_text("PORT=1\n")
    missing = str(tmp_path / "docker-compose.env")
    assert read_env_file(missing, str(tmp_path), _read).entries == {}
    (tmp_path / "docker-compose.example.env").write_text("PORT=8080\n")
    found = read_env_file(missing, str(tmp_path), _read)
    assert found.template == str(tmp_path / "docker-compose.example.env")
    assert {n: e.value for n, e in found.entries.items()} == {"PORT": "8080"}
