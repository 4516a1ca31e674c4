"""Which files the config analyser reads, by name: application config, files in a config
directory, and ``<tool>-config.*`` files (a tracer's ``jaeger-config.json``); never a
package manifest or a TypeScript compiler config."""

from __future__ import annotations

from pathlib import PurePath

import pytest

from socklock.discover.code.config_files import ANALYSER


@pytest.mark.parametrize(
    ("path", "read"),
    [
        ("nginx-web-server/jaeger-config.json", True),
        ("collector/otelcol_config.yaml", True),
        ("app/application-docker.yml", True),
        ("config/service.json", True),
        ("web/tsconfig.json", False),
        ("web/package.json", False),
        ("web/config.ts", False),
        ("web/jaeger-config.md", False),
        ("docs/reconfig.json", False),
    ],
)
def test_config_file_names(path: str, read: bool) -> None:
    assert ANALYSER.handles(PurePath(path)) is read
