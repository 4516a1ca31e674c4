"""The command line a workload runs with, which picks the config files it loads."""

from __future__ import annotations

from pathlib import Path

from socklock.discover.proxies.mounts import command_lines
from socklock.load import load_paths


def test_compose_files_of_a_project_override_the_base_command_in_name_order(
    tmp_path: Path,
) -> None:
    (tmp_path / "compose.yaml").write_text(
        "name: p\nservices:\n  col:\n    image: otelcol:1\n    command: [--config=/a.yml]\n"
        "  other:\n    image: x:1\n    command: run --port 80\n"
    )
    (tmp_path / "compose.full.yaml").write_text(
        "name: p\nservices:\n  col:\n    command: [--config=/a.yml, --config=/b.yml]\n"
    )
    (tmp_path / "compose.observability.yaml").write_text(
        "name: p\nservices:\n  col:\n    command: [--config=/a.yml, --config=/c.yml]\n"
    )
    inventory = load_paths([str(tmp_path)])
    assert command_lines(inventory, {}) == {
        "p/col": ["--config=/a.yml", "--config=/c.yml"],
        "p/other": ["run", "--port", "80"],
    }
