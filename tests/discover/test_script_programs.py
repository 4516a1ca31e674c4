"""The command a shell entry point hands its process to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.script_programs import script_command

if TYPE_CHECKING:
    from pathlib import Path


def _script(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "entrypoint.sh"
    path.write_text(text)
    return path


def test_the_exec_line_is_the_command(tmp_path: Path) -> None:
    path = _script(
        tmp_path,
        "#!/bin/sh\nset -e\npython manage.py migrate\nexec gunicorn shop.wsgi:app -b :8000\n"
        "echo unreachable\n",
    )
    assert script_command(path, {}) == ["gunicorn", "shop.wsgi:app", "-b", ":8000"]


def test_without_exec_the_last_program_started(tmp_path: Path) -> None:
    path = _script(tmp_path, "#!/bin/bash\nnpm run build\nnode dist/server.js\necho stopped\n")
    assert script_command(path, {}) == ["node", "dist/server.js"]


def test_variables_take_the_env_first_then_their_default(tmp_path: Path) -> None:
    text = '#!/bin/sh\nAPP="${APP_MODULE:-shop.web:app}"\nexec uvicorn "$APP" --port 80\n'
    path = _script(tmp_path, text)
    assert script_command(path, {}) == ["uvicorn", "shop.web:app", "--port", "80"]
    given = {"APP_MODULE": "shop.api:app"}
    assert script_command(path, given) == ["uvicorn", "shop.api:app", "--port", "80"]
    # a variable nobody sets and without a default names nothing
    path.write_text("#!/bin/sh\nexec celery -A $APP worker\n")
    assert script_command(path, {}) == ["celery", "-A", "", "worker"]


def test_a_branch_exec_counts_when_every_branch_execs_the_same(tmp_path: Path) -> None:
    text = (
        '#!/bin/sh\nif [ -n "$DEBUG" ]; then\n  exec python -m shop.web --reload\nelse\n'
        "  exec python -m shop.web\nfi\n"
    )
    path = _script(tmp_path, text)
    assert script_command(path, {}) == []  # two different commands: not chosen between
    path.write_text("#!/bin/sh\nif [ -f /ready ]; then\n  exec node server.js\nfi\n")
    assert script_command(path, {}) == ["node", "server.js"]


def test_negatives_run_nothing(tmp_path: Path) -> None:
    # a script that only prints and sets things up runs no program
    path = _script(tmp_path, '#!/bin/sh\necho "hello"\nmkdir -p /tmp/x\nexport A=1\n')
    assert script_command(path, {}) == []
    # dispatch on the first argument: the script's own choice, not made here
    text = (
        '#!/bin/sh\ncase "$1" in\n  web) exec gunicorn shop.wsgi ;;\n'
        "  worker) exec celery -A shop worker ;;\nesac\n"
    )
    path.write_text(text)
    assert script_command(path, {}) == []
    # a heredoc's body is text written to a file, not a command
    path.write_text("#!/bin/sh\ncat > /etc/app.conf <<EOF\nnode evil.js\nEOF\n")
    assert script_command(path, {}) == []
    assert script_command(tmp_path / "missing.sh", {}) == []
    # a script that changes directory: its words are relative to a folder of the image
    path.write_text(
        "#!/bin/sh\nuntil cd /app/backend\ndo\n  sleep 1\ndone\nexec celery -A backend worker\n"
    )
    assert script_command(path, {}) == []


def test_an_exec_that_only_redirects_is_not_the_command(tmp_path: Path) -> None:
    """``exec 2>&1`` and ``exec > /proc/1/fd/1`` rewire the script's own output and go on."""
    text = "#!/bin/sh\nexec 2>&1\nexec > /proc/1/fd/1\nexec gunicorn shop.wsgi:app\n"
    assert script_command(_script(tmp_path, text), {}) == ["gunicorn", "shop.wsgi:app"]


def test_exec_of_the_arguments_names_nothing(tmp_path: Path) -> None:
    """``exec "$@"`` runs the image's CMD, which the script does not know."""
    text = '#!/bin/sh\npython manage.py migrate\nexec "$@"\n'
    assert script_command(_script(tmp_path, text), {}) == []
