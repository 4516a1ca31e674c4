"""Services that build one context with one Dockerfile, each picking its program with a
build arg: the directory the build compiles is the program, the rest library code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.discover.build_programs import copied_sources, program_directory
from socklock.load import load_paths
from socklock.load.dockerfile import load_dockerfile

if TYPE_CHECKING:
    from pathlib import Path

_PICKED = """\
ARG service
ARG cmd=server
FROM golang:1.22 AS builder
ARG service
ARG cmd
WORKDIR $GOPATH/src/${service}/cmd/${cmd}
COPY . $GOPATH/src
RUN go install .

FROM alpine
ARG cmd
COPY --from=builder /go/bin/${cmd} /usr/local/bin/${cmd}
ENTRYPOINT /usr/local/bin/${cmd}
"""


def _dirs(root: Path, *names: str) -> None:
    for name in names:
        (root / name).mkdir(parents=True, exist_ok=True)


def _program(root: Path, text: str, args: dict[str, str]) -> Path | None:
    dockerfile = load_dockerfile(text, str(root / "Dockerfile"))
    return program_directory(dockerfile, root, args)


def test_a_build_arg_picks_the_directory_the_build_compiles(tmp_path: Path) -> None:
    _dirs(tmp_path, "orders/cmd/server", "orders/cmd/relay", "shared")
    assert (
        _program(tmp_path, _PICKED, {"service": "orders", "cmd": "relay"})
        == (tmp_path / "orders" / "cmd" / "relay").resolve()
    )
    # the ARG default fills what the build leaves out
    assert (
        _program(tmp_path, _PICKED, {"service": "orders"})
        == (tmp_path / "orders" / "cmd" / "server").resolve()
    )


def test_a_go_build_package_path_is_the_program(tmp_path: Path) -> None:
    _dirs(tmp_path, "cmd/billing", "cmd/tools")
    text = (
        "FROM golang AS b\nWORKDIR /app\nCOPY . .\nARG APP\n"
        "RUN CGO_ENABLED=0 go build -o /out -ldflags '-s' ./cmd/${APP}\n"
        "FROM scratch\nCOPY --from=b /out /out\n"
    )
    assert _program(tmp_path, text, {"APP": "billing"}) == (tmp_path / "cmd" / "billing").resolve()
    every = text.replace("./cmd/${APP}", "./cmd/...")
    assert _program(tmp_path, every, {}) == (tmp_path / "cmd").resolve()


def test_the_final_working_directory_when_nothing_is_compiled(tmp_path: Path) -> None:
    _dirs(tmp_path, "services/orders", "lib")
    text = (
        "FROM python:3.12\nARG SERVICE\nCOPY . /app\n"
        'WORKDIR /app/services/${SERVICE}\nCMD ["python", "main.py"]\n'
    )
    assert (
        _program(tmp_path, text, {"SERVICE": "orders"})
        == (tmp_path / "services" / "orders").resolve()
    )


def test_no_program_when_the_build_takes_the_whole_context(tmp_path: Path) -> None:
    _dirs(tmp_path, "cmd/api")
    at_root = "FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -o /api ./main.go\n"
    assert _program(tmp_path, at_root, {}) is None
    # an import path is no directory of the build; a directory not in the context neither
    imported = "FROM golang\nWORKDIR /src\nCOPY . .\nRUN go install example.com/x/cmd/api\n"
    assert _program(tmp_path, imported, {}) is None
    elsewhere = "FROM golang\nCOPY cmd /src/cmd\nWORKDIR /opt/other\nRUN go build .\n"
    assert _program(tmp_path, elsewhere, {}) is None


_COMPOSE = """\
services:
{services}  orders:
    image: example/orders
  billing:
    image: example/billing
"""
_SERVICE = """\
  {name}:
    build: {{context: ., args: {{app: {name}}}}}
    environment: {{ORDERS_ADDR: "orders:9000", BILLING_ADDR: "billing:9000"}}
"""
_LIBRARY = """\
package clients

import (
\t"net"
\t"os"
)

type Orders struct{}

type Billing struct{}

func (o Orders) Connect() (net.Conn, error) {
\treturn net.Dial("tcp", os.Getenv("ORDERS_ADDR"))
}

func (b Billing) Connect() (net.Conn, error) {
\treturn net.Dial("tcp", os.Getenv("BILLING_ADDR"))
}
"""


def _shop(root: Path, mains: dict[str, str]) -> set[tuple[str, str, int | None]]:
    services = "".join(_SERVICE.format(name=name) for name in mains)
    (root / "docker-compose.yml").write_text(_COMPOSE.format(services=services))
    (root / "Dockerfile").write_text(
        "FROM golang:1.22\nARG app\nWORKDIR /src/${app}\nCOPY . /src\nRUN go build -o /app .\n"
    )
    (root / "clients").mkdir()
    (root / "clients" / "clients.go").write_text(_LIBRARY)
    for name, main in mains.items():
        (root / name).mkdir()
        (root / name / "main.go").write_text(main)
    graph = discover(load_paths([str(root)]))
    return {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1], e.port)
        for e in graph.edges
        if not e.hint
    }


def test_each_program_calls_what_its_own_code_reaches(tmp_path: Path) -> None:
    web = (
        'package main\n\nimport "example.com/shop/clients"\n\n'
        "func main() {\n\tclients.Orders{}.Connect()\n}\n"
    )
    # a method of the same name on another type is not reached: Billing is never named
    worker = "package main\n\nfunc main() {}\n"
    assert _shop(tmp_path, {"web": web, "worker": worker}) == {("web", "orders", 9000)}


def test_services_building_the_same_directory_share_all_of_it(tmp_path: Path) -> None:
    # no build arg tells the programs apart: every service runs the whole context
    (tmp_path / "docker-compose.yml").write_text(
        _COMPOSE.format(
            services="".join(
                f'  {n}:\n    build: .\n    environment: {{ORDERS_ADDR: "orders:9000"}}\n'
                for n in ("web", "worker")
            )
        )
    )
    (tmp_path / "Dockerfile").write_text(
        "FROM golang\nWORKDIR /src/web\nCOPY . /src\nRUN go build .\n"
    )
    (tmp_path / "clients").mkdir()
    (tmp_path / "clients" / "clients.go").write_text(_LIBRARY)
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "main.go").write_text("package main\n\nfunc main() {}\n")
    graph = discover(load_paths([str(tmp_path)]))
    calls = {(e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1]) for e in graph.edges}
    assert calls == {("web", "orders"), ("worker", "orders")}


def test_a_dotnet_publish_project_is_the_program(tmp_path: Path) -> None:
    _dirs(tmp_path, "Orders.Api", "Orders.Core")
    text = (
        "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY . .\n"
        "RUN dotnet publish -c Release -o /app --no-restore ./Orders.Api/Orders.Api.csproj\n"
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY --from=build /app .\n"
    )
    assert _program(tmp_path, text, {}) == (tmp_path / "Orders.Api").resolve()
    # a solution builds every project: no one program
    solution = text.replace("./Orders.Api/Orders.Api.csproj", "Shop.sln")
    assert _program(tmp_path, solution, {}) is None


def test_a_bind_mount_of_the_context_is_where_the_build_compiles(tmp_path: Path) -> None:
    """``RUN --mount=type=bind,source=.,target=/app go build /app/svc/orders/cmd/server``
    compiles the context's ``svc/orders/cmd/server``; a cache mount, or a bind mount from
    another stage, maps nothing of the context."""
    _dirs(tmp_path, "svc/orders/cmd/server", "svc/billing/cmd/server")
    bound = (
        "FROM golang:1.25 AS builder\nWORKDIR /app\n"
        "RUN --mount=type=cache,target=/go/pkg/mod/ --mount=type=bind,source=.,target=/app/ "
        "CGO_ENABLED=0 go build -o /bin/main /app/svc/orders/cmd/server\n"
        'FROM alpine\nCOPY --from=builder /bin/main .\nCMD ["./main"]\n'
    )
    assert _program(tmp_path, bound, {}) == (tmp_path / "svc/orders/cmd/server").resolve()
    default_source = bound.replace("source=.,target=/app/", "target=/app")
    assert _program(tmp_path, default_source, {}) == (tmp_path / "svc/orders/cmd/server").resolve()
    from_stage = bound.replace("type=bind,source=.,", "type=bind,from=deps,source=/,")
    assert _program(tmp_path, from_stage, {}) is None
    cache_only = bound.replace("--mount=type=bind,source=.,target=/app/ ", "")
    assert _program(tmp_path, cache_only, {}) is None


def test_what_a_build_copies_of_its_context(tmp_path: Path) -> None:
    _dirs(tmp_path, "src/Common", "src/Orders/Api", "src/Host")
    text = (
        "FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build\nWORKDIR /\n"
        "COPY ./src/Common/Common.csproj ./src/Common/\n"
        'COPY ./src/Common ./src/Common/\nCOPY ["src/Orders/Api", "./src/Orders/Api/"]\n'
        "RUN dotnet publish -o /out ./src/Orders/Api/Api.csproj\n"
        "FROM mcr.microsoft.com/dotnet/aspnet:9.0\nCOPY --from=build /out .\n"
    )
    dockerfile = load_dockerfile(text, str(tmp_path / "Dockerfile"))
    root = tmp_path.resolve()
    assert copied_sources(dockerfile, tmp_path, {}) == (
        root / "src/Common/Common.csproj",
        root / "src/Common",
        root / "src/Orders/Api",
    )
    # the whole context, a wildcard below it, a variable the build does not set
    for copy in ("COPY . /src\n", "COPY ./src/*/*.csproj ./\n", "COPY $SRC /src\n"):
        whole = load_dockerfile(
            f"FROM golang\nWORKDIR /src\n{copy}RUN go build .\n", str(tmp_path / "Dockerfile")
        )
        found = copied_sources(whole, tmp_path, {})
        assert found == ((root / "src",) if "*" in copy else None)
    # a build compiling nothing copies what was built outside the image: the whole context
    prebuilt = load_dockerfile(
        "FROM eclipse-temurin:21\nCOPY target/*.jar /app.jar\n", str(tmp_path / "Dockerfile")
    )
    assert copied_sources(prebuilt, tmp_path, {}) is None


_HOST = """\
var builder = DistributedApplication.CreateBuilder(args);
var search = builder.AddContainer("search", "elasticsearch:8")
    .WithEnvironment("SEARCH_URL", "http://search:9200");
"""
_ORDERS = """\
public class Startup
{
    public void Configure()
    {
        var client = new HttpClient { BaseAddress = new Uri("http://billing:8080") };
    }
}
"""


def test_code_the_build_does_not_copy_runs_in_no_container(tmp_path: Path) -> None:
    """Services built from the repository's root, each Dockerfile copying its own project
    and the shared library: a file of the context none copies (an Aspire AppHost naming
    every container) is no service's code."""
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n"
        + "".join(
            f"  {n}:\n    build: {{context: ., dockerfile: src/{n}/Dockerfile}}\n"
            for n in ("orders", "billing")
        )
        + "  search:\n    image: elasticsearch:8\n"
    )
    for name in ("orders", "billing"):
        _dirs(tmp_path, f"src/{name}")
        (tmp_path / "src" / name / "Dockerfile").write_text(
            "FROM mcr.microsoft.com/dotnet/sdk:9.0\nWORKDIR /\n"
            f"COPY ./src/Common ./src/Common/\nCOPY ./src/{name} ./src/{name}/\n"
            f"RUN dotnet publish -o /out ./src/{name}/{name}.csproj\n"
        )
    (tmp_path / "src" / "orders" / "Startup.cs").write_text(_ORDERS)
    _dirs(tmp_path, "src/Host", "src/Common")
    (tmp_path / "src" / "Host" / "Program.cs").write_text(_HOST)
    graph = discover(load_paths([str(tmp_path)]))
    calls = {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1], e.port)
        for e in graph.edges
        if not e.hint
    }
    assert calls == {("orders", "billing", 8080)}
    # the same tree copied whole: the host's literal is every service's code again
    for name in ("orders", "billing"):
        (tmp_path / "src" / name / "Dockerfile").write_text(
            "FROM mcr.microsoft.com/dotnet/sdk:9.0\nWORKDIR /src\nCOPY . .\n"
        )
    graph = discover(load_paths([str(tmp_path)]))
    assert {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1])
        for e in graph.edges
        if not e.hint
    } >= {("orders", "search"), ("billing", "search")}
