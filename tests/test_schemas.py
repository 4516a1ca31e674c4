"""The JSON Schemas under schemas/ are the ones the code produces (run `make schemas`)."""

from __future__ import annotations

from tests.conftest import REPO

from socklock.schemas.publish import documents, render


def test_published_schemas_are_current() -> None:
    published = documents()
    assert "graph.v1.json" in published
    for name, document in published.items():
        path = REPO / "schemas" / name
        assert path.exists(), f"{name} is not published: run make schemas"
        assert path.read_text() == render(document), f"{name} is stale: run make schemas"
