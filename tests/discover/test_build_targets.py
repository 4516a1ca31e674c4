"""One image, many services told apart by their command: each runs a build target
(``add_executable``) whose files are its code; what a service bind-mounts is its own too
(a script directory), and a mounted config file counts when the service's code opens it
(fixture: tests/fixtures/units/cmake)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import REPO
from tests.discover.shop import workload

from socklock.discover import discover
from socklock.discover.code.includes import including_files
from socklock.discover.commands import words
from socklock.discover.entrypoints import program_name
from socklock.load import load_paths
from socklock.model import ServiceGraph

CASE = REPO / "tests" / "fixtures" / "units" / "cmake"


@pytest.fixture(scope="module")
def graph() -> ServiceGraph:
    return discover(load_paths([str(CASE)]))


def _where(graph: ServiceGraph, source: str, target: str) -> list[tuple[str, int, str]]:
    edge = next(e for e in graph.edges if (e.source, e.target) == (source, target))
    return [
        (str(Path(ev.location.file).relative_to(CASE)), ev.location.line, ev.kind.value)
        for ev in edge.evidence
    ]


def test_each_service_gets_the_code_of_the_target_its_command_runs(graph: ServiceGraph) -> None:
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        # OrdersService.cpp reads config/service.json (mounted); the openshift copy that
        # names another host is not what this deployment mounts
        ("cmake/orders", "cmake/payments", 9000),
        # src/cache.h's helper reads config[name + "-redis"]: each caller's own prefix, at
        # its call (both targets include the header; loadgen calls it without including it)
        ("cmake/orders", "cmake/orders-redis", 6379),
        ("cmake/payments", "cmake/payments-redis", 6379),
        ("cmake/orders", "cmake/audit", 7000),  # the handler header its main file includes
        ("cmake/orders", "cmake/metrics", 9100),  # a header both targets include
        ("cmake/payments", "cmake/metrics", 9100),
        # config/tracer.yml is mounted into both and both open it by name; the database
        # mounts the same directory (for certificates) and reads none of it
        ("cmake/orders", "cmake/tracer", 6831),
        ("cmake/payments", "cmake/tracer", 6831),
        # the Lua directory the proxy mounts is its code; scripts/bench.lua is nobody's
        ("cmake/proxy", "cmake/orders", 8000),
        # a file mounted on its own is read where it is mounted; config/billing-config.json
        # (payments -> audit) is in a mounted directory but no code of payments names it
        ("cmake/proxy", "cmake/tracer", 6831),
    }


@pytest.mark.parametrize(
    ("source", "target", "evidence"),
    [
        ("cmake/orders", "cmake/payments", [("src/orders/OrdersService.cpp", 8, "env-read")]),
        ("cmake/orders", "cmake/audit", [("src/orders/OrdersHandler.h", 5, "literal")]),
        ("cmake/orders", "cmake/orders-redis", [("src/orders/OrdersService.cpp", 10, "env-read")]),
        ("cmake/payments", "cmake/payments-redis", [("src/payments/main.cpp", 8, "env-read")]),
        ("cmake/payments", "cmake/metrics", [("src/utils.h", 5, "literal")]),
        ("cmake/payments", "cmake/tracer", [("config/tracer.yml", 2, "config")]),
        ("cmake/proxy", "cmake/orders", [("lua/api.lua", 8, "env-read")]),
        ("cmake/proxy", "cmake/tracer", [("proxy/jaeger-config.json", 3, "config")]),
    ],
)
def test_evidence_is_the_line_in_the_targets_files(
    graph: ServiceGraph, source: str, target: str, evidence: list[tuple[str, int, str]]
) -> None:
    assert _where(graph, source, target) == evidence


def test_config_key_is_read_from_the_mounted_file(graph: ServiceGraph) -> None:
    edge = next(e for e in graph.edges if e.target == "cmake/payments")
    (evidence,) = edge.evidence
    assert f"payments.addr=payments at {CASE / 'config' / 'service.json'}:3:25" in evidence.detail


def test_a_target_no_service_runs_is_listed_not_drawn(graph: ServiceGraph) -> None:
    assert [(u.source, Path(u.location.file).relative_to(CASE)) for u in graph.unresolved] == [
        ("code/loadgen", Path("tools/CMakeLists.txt"))
    ]


@pytest.mark.parametrize(
    ("command", "program"),
    [
        ("OrdersService", "OrdersService"),
        ("/usr/local/bin/OrdersService --port 9090", "OrdersService"),
        (["sh", "-c", "exec /usr/local/bin/Pay --threads 4"], "Pay"),
        ('sh -c "cd /app && exec Pay"', "Pay"),
        (["/bin/sh", "-c", "Pay -x"], "Pay"),
        (["tini", "--", "Pay"], "Pay"),
        ("LOG=1 ./bin/orders", "orders"),
        # a script with several commands and no exec runs no one program
        ('sh -c "sleep 1 && Pay"', None),
        # an interpreter's code is its module or file (entry_paths), not the program
        ("python -m shop.api", None),
        ("node server.js", None),
        ("${COMMAND}", None),
    ],
)
def test_program_a_command_runs(command: str | list[str], program: str | None) -> None:
    assert program_name(words(command)) == program


def test_the_callers_of_a_header_are_the_files_whose_includes_reach_it() -> None:
    header = CASE / "src" / "cache.h"
    assert including_files(str(header), "init_cache") == [
        str(CASE / "src" / "orders" / "OrdersService.cpp"),  # through OrdersHandler.h
        str(CASE / "src" / "payments" / "main.cpp"),
    ]
    assert including_files(str(header), "no_such_function") == []


def test_each_cargo_binary_is_the_service_whose_command_runs_it() -> None:
    case = REPO / "tests" / "fixtures" / "units" / "cargo"
    graph = discover(load_paths([str(case)]))
    assert {
        (e.source, e.target, e.port, str(Path(e.evidence[0].location.file).relative_to(case)))
        for e in graph.edges
    } == {
        ("cargo/order-api", "cargo/billing", 9000, "shop/src/orders/handlers.rs"),
        ("cargo/billing", "cargo/gateway", 8080, "shop/src/bin/payments.rs"),
        ("cargo/gateway", "cargo/order-api", 8000, "gateway/src/main.rs"),
        # shop/src/lib.rs calls audit: code both binaries share is neither's own call
    }
    assert graph.unresolved == ()


def test_a_kubernetes_container_command_names_the_target(tmp_path: Path) -> None:
    """The same targets run by Deployments of one image: ``command`` picks the target
    (``args`` are its arguments, not a program)."""
    shutil.copytree(CASE / "src", tmp_path / "src")
    shutil.copy(CASE / "CMakeLists.txt", tmp_path / "CMakeLists.txt")
    (tmp_path / "tools").mkdir()  # add_subdirectory(tools) of the root CMakeLists.txt
    deployments = []
    for name, command, port in (
        ("order-api", '["/usr/local/bin/OrdersService"]', 8000),
        ("billing", '["sh", "-c", "exec PaymentsService"]', 9000),
        ("audit", "[]", 7000),
        ("metrics", "[]", 9100),
    ):
        deployments.append(
            workload(name, port=port).replace(
                f"image: shop/{name}:1", f"image: shop/services:1\n        command: {command}"
            )
        )
    (tmp_path / "k8s.yaml").write_text("---\n".join(deployments))
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("shop/order-api", "shop/audit", 7000),
        ("shop/order-api", "shop/metrics", 9100),
        ("shop/billing", "shop/metrics", 9100),
    }
