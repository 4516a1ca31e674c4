"""Shared fixtures: paths to the repository, the demo shop and the shared sock shop corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEMO_SHOP = REPO / "examples" / "sockshop"
CORPUS = REPO.parent / "shared" / "corpus" / "sock-shop"


@pytest.fixture
def corpus() -> Path:
    """The real sock shop's manifests (Apache-2.0 data in ../shared); skip when absent."""
    if not CORPUS.is_dir():
        pytest.skip(
            f"the shared sock shop corpus is not at {CORPUS} (only in a workspace checkout)"
        )
    return CORPUS


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """write("name.yaml", text) → path, in a fresh temporary directory."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write
