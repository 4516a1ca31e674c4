"""A program that tests whether it runs in a container picks its peers by the test
(``IsRunningInContainer ? "rabbitmq" : "localhost"``): the deployment runs it in a container,
so the in-container branch is its address; MassTransit's ``cfg.Host(...)`` in
``UsingRabbitMq`` names the broker; and of services that build one context, each twin is the
project its own Dockerfile publishes."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.discover import discover
from socklock.discover.code.container_test import container_branch
from socklock.discover.code.registry import analyser_for
from socklock.load import load_paths


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("IsRunningInContainer", True),
        ("this.isDocker()", True),
        ("Program.InContainer", True),
        ("!inDocker", False),
        ("not running_in_container", False),
        ("(IS_DOCKERIZED)", True),
        ("useDocker", None),  # a setting, not where the program runs
        ("dockerImage", None),
        ("IsRunningInContainer && useTls", None),
        ("isHttps", None),
        ('Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER") == "true"', True),
        ('Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER") != "true"', False),
        ('"true" == os.getenv("IN_DOCKER")', True),
        ('Environment.GetEnvironmentVariable("USE_TLS") == "true"', None),  # not where it runs
        ('Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER") == "1"', None),
    ],
)
def test_container_tests(condition: str, expected: bool | None) -> None:
    assert container_branch(condition) is expected


# file → (source, the targets its calls name)
SNIPPETS: list[tuple[str, str, list[str]]] = [
    (
        "Startup.cs",
        "class S { void C(IServiceCollection s) { s.AddMassTransit(x => {\n"
        "  x.UsingRabbitMq((ctx, cfg) => {\n"
        '    cfg.Host(IsRunningInContainer ? "bus" : "localhost");\n'
        '    cfg.Host(useTls ? "secure-bus" : "plain-bus");\n'  # known at run time only
        "  });\n"
        '  x.UsingAzureServiceBus((ctx, cfg) => { cfg.Host("sb-conn"); });\n'
        "}); } }\n",
        ["amqp://bus"],
    ),
    (
        "client.js",
        'const host = !isDocker ? "localhost" : "orders";\nfetch(`http://${host}:3000/stock`);\n',
        ["http://orders:3000/stock"],
    ),
    (
        "client.py",
        "import requests\n"
        'HOST = "orders" if in_docker else "localhost"\n'
        'requests.get(f"http://{HOST}:3000")\n',
        ["http://orders:3000"],
    ),
    (
        "Client.java",
        'class C { void c() { String h = inContainer() ? "orders" : "localhost";\n'
        '  restTemplate.getForObject("http://" + h + ":3000", String.class); } }\n',
        ["http://orders:3000"],
    ),
    (
        "client.rb",
        "require 'net/http'\n"
        "HOST = in_docker ? 'orders' : 'localhost'\n"
        "OTHER = use_docker_compose ? 'stock' : 'localhost'\n"  # a setting: run time only
        'Net::HTTP.get(URI("http://#{HOST}:3000/x"))\n'
        'Net::HTTP.get(URI("http://#{OTHER}:3000/x"))\n',
        ["http://orders:3000/x"],
    ),
]


@pytest.mark.parametrize(("name", "source", "expected"), SNIPPETS)
def test_the_in_container_branch_is_the_call(
    tmp_path: Path, name: str, source: str, expected: list[str]
) -> None:
    from socklock.discover.code.interface import CallSite

    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    analyser = analyser_for(path)
    assert analyser is not None
    found = [r for r in analyser.analyse(str(path), source.encode()) if isinstance(r, CallSite)]
    assert [r.target for r in found if r.target] == expected


CSPROJ = '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n'
PUBLISH = (
    "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY . .\n"
    "RUN dotnet publish -c Release -o /app ./{project}/{project}.csproj\n"
    "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nWORKDIR /app\nCOPY --from=build /app .\n"
)


def test_each_service_runs_the_project_its_dockerfile_publishes(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    files = {
        # ``depot-api``'s name says ``depot``, but the ``api`` service's build publishes it
        "src/Depot.Api/Depot.Api.csproj": CSPROJ,
        "src/Depot.Api/Program.cs": (
            "class P { void C(IServiceCollection s) { s.AddMassTransit(x => {\n"
            '  x.UsingRabbitMq((ctx, cfg) => { cfg.Host(InContainer ? "bus" : "localhost"); });\n'
            "}); } }\n"
        ),
        "src/Depot.Worker/Depot.Worker.csproj": CSPROJ,
        "src/Depot.Worker/Program.cs": "class W {}\n",
        "src/Dockerfile-api": PUBLISH.format(project="Depot.Api"),
        "src/Dockerfile-depot": PUBLISH.format(project="Depot.Worker"),
        "compose.yaml": (
            "services:\n"
            "  api:\n    build: {context: ./src, dockerfile: Dockerfile-api}\n"
            "  depot:\n    build: {context: ./src, dockerfile: Dockerfile-depot}\n"
            "  bus:\n    image: rabbitmq:3\n"
        ),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {("shop/api", "shop/bus", 5672)}
