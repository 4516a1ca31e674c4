"""Random text into every loader, then discovery and the hardening audit: a diagnostic or a
value, never an exception.

Small by default; ``SOCKLOCK_FUZZ_EXAMPLES=2000`` (make bench) runs the large size.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socklock.discover import discover
from socklock.harden import HardenOptions, audit
from socklock.load import load_paths
from socklock.model import DiagnosticLevel

EXAMPLES = int(os.environ.get("SOCKLOCK_FUZZ_EXAMPLES", "150"))

# Text made of the pieces that steer YAML, JSON, compose and Dockerfile parsers, so random
# strings reach their interesting states instead of being one long plain scalar.
TOKENS = st.sampled_from(
    [
        "\n",
        "  ",
        "- ",
        ": ",
        "---\n",
        "...\n",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "<<: ",
        "!!str ",
        "!!python/name:os.system ",
        "'",
        '"',
        "#",
        "|\n",
        ">-\n",
        "? ",
        "\t",
        "\\",
        "apiVersion: v1\n",
        "kind: Deployment\n",
        "kind: Service\n",
        "metadata:\n",
        "name: x\n",
        "spec:\n",
        "containers:\n",
        "env:\n",
        "value: ",
        "services:\n",
        "image: ",
        "ports:\n",
        "extends:\n",
        "FROM python\n",
        "RUN <<EOF\n",
        "EOF\n",
        "USER root\n",
        "ENV A=b\n",
        "\x00",
        "\ufeff",
        "\ud7ff",
        "é",
        "0x1F",
        "=",
        "~",
        "null",
        "true",
        "1e400",
        "-1",
        "${A:-b}",
        "$(A)",
        "\r\n",
    ]
)
TEXT = st.lists(st.one_of(TOKENS, st.text(max_size=8)), max_size=60).map("".join)
NAMES = st.sampled_from(
    [
        "a.yaml",
        "b.json",
        "docker-compose.yml",
        "Dockerfile",
        "compose.yaml",
        "x.yml",
        "application.yml",
        "main.py",
        "main.go",
        "app.js",
        ".env",
    ]
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(files=st.lists(st.tuples(NAMES, TEXT), min_size=1, max_size=4))
def test_loaders_discovery_and_audit_never_raise(
    tmp_path_factory, files: list[tuple[str, str]]
) -> None:  # type: ignore[no-untyped-def]
    root: Path = tmp_path_factory.mktemp("fuzz")
    for index, (name, text) in enumerate(files):
        folder = root / str(index)
        folder.mkdir()
        (folder / name).write_bytes(text.encode("utf-8", "surrogatepass"))
    inventory = load_paths([str(root)])
    for diagnostic in inventory.diagnostics:
        assert diagnostic.location.file.startswith(str(root)), diagnostic
        assert diagnostic.level in (DiagnosticLevel.ERROR, DiagnosticLevel.WARNING)
        assert "\n" not in diagnostic.message, diagnostic
    discover(inventory, code=True)
    audit(inventory, HardenOptions())
