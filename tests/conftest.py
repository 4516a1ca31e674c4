"""Shared fixtures: paths to the repository, the demo shop and the shared sock shop corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests check answers, never time: a deadline per example fails on a loaded machine
# (timing is `make bench`'s job), so no example has one and slow data generation is allowed.
settings.register_profile("socklock", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("socklock")

REPO = Path(__file__).resolve().parents[1]
DEMO_SHOP = REPO / "examples" / "sockshop"
CORPUS = REPO.parent / "shared" / "corpus" / "sock-shop"

# The demo shop's 14 calls: (caller, callee, callee's container port), all TCP.
DEMO_EDGES = {
    ("front-end", "catalogue", 8080),
    ("front-end", "carts", 8080),
    ("front-end", "orders", 8080),
    ("front-end", "user", 8080),
    ("orders", "payment", 8080),
    ("orders", "shipping", 8080),
    ("orders", "carts", 8080),
    ("orders", "user", 8080),
    ("orders", "orders-db", 27017),
    ("carts", "carts-db", 27017),
    ("catalogue", "catalogue-db", 3306),
    ("user", "user-db", 27017),
    ("shipping", "rabbitmq", 5672),
    ("queue-master", "rabbitmq", 5672),
}
# The same, as Kubernetes graph keys (source, target, port, protocol).
DEMO_CALLS = {(f"sock-shop/{a}", f"sock-shop/{b}", port, "TCP") for a, b, port in DEMO_EDGES}


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
