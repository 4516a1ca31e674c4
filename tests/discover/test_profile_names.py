"""A service name declared under a Spring profile counts only when the module runs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

CART_YML = """\
spring:
  application:
    name: cart
server:
  port: 8081
---
spring:
  profiles: test
  application:
    name: accounts
---
spring:
  profiles: docker
  application:
    name: basket
"""


def test_a_profiles_service_name_counts_only_where_that_profile_runs(tmp_path: Path) -> None:
    files = {
        "compose.yaml": (
            "services:\n"
            "  web:\n    build: ./web\n"
            "  cart:\n    build: ./cart\n    environment:\n      SPRING_PROFILES_ACTIVE: docker\n"
        ),
        "web/Dockerfile": "FROM eclipse-temurin:21\n",
        "web/src/main/java/Clients.java": (
            '@FeignClient(name = "accounts")\ninterface Accounts {}\n\n'
            '@FeignClient(name = "basket")\ninterface Basket {}\n'
        ),
        "cart/Dockerfile": "FROM eclipse-temurin:21\n",
        "cart/src/main/resources/application.yml": CART_YML,
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    project = tmp_path.name
    # basket is cart's name under the docker profile it runs; accounts only under test
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        (f"{project}/web", f"{project}/cart", 8081)
    }
    assert (
        f"{project}/web",
        "accounts",
        "Feign client name 'accounts' matches no workload",
    ) in {(u.source, u.expression, u.reason) for u in graph.unresolved}
